package dev.polystack.bench.scenarios;

import dev.polystack.bench.Scenario;
import dev.polystack.bench.Target;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A deployed REST API's MOCK integration with a response template, called through LocalStack's
 * {@code /restapis/<id>/<stage>/_user_request_/} path: API Gateway's own serving cost (route match, templates).
 * moto's server does not serve deployed APIs (it answers this path as S3), so compare with {@code sqs-list-queues}.
 */
public final class ApiGatewayMock implements Scenario {
    /** The invocation path per server (setup runs once for each target on the same scenario). */
    private final Map<String, String> paths = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "apigateway-mock";
    }

    @Override
    public void setup(Target target) throws Exception {
        String api = target.restJson("apigateway", "POST", "/restapis", "{\"name\":\"bench\"}");
        String id = Target.jsonValue(api, "id");
        String root = Target.jsonValue(api, "rootResourceId");
        String method = "/restapis/" + id + "/resources/" + root + "/methods/GET";
        target.restJson("apigateway", "PUT", method, "{\"authorizationType\":\"NONE\"}");
        target.restJson("apigateway", "PUT", method + "/integration",
                "{\"type\":\"MOCK\",\"requestTemplates\":{\"application/json\":\"{\\\"statusCode\\\": 200}\"}}");
        target.restJson("apigateway", "PUT", method + "/responses/200", "{}");
        target.restJson("apigateway", "PUT", method + "/integration/responses/200",
                "{\"selectionPattern\":\"\",\"responseTemplates\":{\"application/json\":\"{\\\"ok\\\": true, \\\"stage\\\": \\\"$context.stage\\\"}\"}}");
        target.restJson("apigateway", "POST", "/restapis/" + id + "/deployments", "{\"stageName\":\"bench\"}");
        paths.put(target.name(), "/restapis/" + id + "/bench/_user_request_/");
    }

    @Override
    public void iterate(Target target, int worker, long iteration) throws Exception {
        target.get(paths.get(target.name()));
    }
}
