package dev.polystack.bench.scenarios;

import dev.polystack.bench.Scenario;
import dev.polystack.bench.Target;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A deployed REST API whose {@code ANY /{proxy+}} method is an {@code AWS_PROXY} integration of a warm Python
 * Lambda function, called through LocalStack's {@code /restapis/<id>/<stage>/_user_request_/} path: the REST proxy
 * event built, the function invoked (a warm runtime process), its answer mapped back. moto's server does not serve
 * deployed APIs (it answers this path as S3, and runs functions only in Docker), so its column shows setup or request
 * errors; compare with {@code apigateway-mock} (API Gateway alone) and {@code bench/lambda_bench.py} (Invoke alone).
 */
public final class ApiGatewayLambdaProxy implements Scenario {
    private static final String HANDLER = "def handler(event, context):\n"
            + "    return {'statusCode': 200, 'headers': {'Content-Type': 'text/plain'}, 'body': 'hello ' + event['path']}\n";
    private static final long WARM_UP_MILLIS = 120_000;

    /** The invocation path per server (setup runs once for each target on the same scenario). */
    private final Map<String, String> paths = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "apigateway-lambda-proxy";
    }

    @Override
    public void setup(Target target) throws Exception {
        String function = "bench-proxy-" + UUID.randomUUID().toString().substring(0, 8);
        target.restJson("lambda", "POST", "/2015-03-31/functions", "{\"FunctionName\":\"" + function + "\","
                + "\"Runtime\":\"python3.12\",\"Role\":\"arn:aws:iam::000000000000:role/bench\",\"Handler\":\"index.handler\","
                + "\"Code\":{\"ZipFile\":\"" + Base64.getEncoder().encodeToString(zip("index.py", HANDLER)) + "\"}}");
        String api = target.restJson("apigateway", "POST", "/restapis", "{\"name\":\"bench-proxy\"}");
        String id = Target.jsonValue(api, "id");
        String root = Target.jsonValue(api, "rootResourceId");
        String proxy = target.restJson("apigateway", "POST", "/restapis/" + id + "/resources/" + root, "{\"pathPart\":\"{proxy+}\"}");
        String method = "/restapis/" + id + "/resources/" + Target.jsonValue(proxy, "id") + "/methods/ANY";
        target.restJson("apigateway", "PUT", method, "{\"authorizationType\":\"NONE\"}");
        String uri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:"
                + function + "/invocations";
        target.restJson("apigateway", "PUT", method + "/integration",
                "{\"type\":\"AWS_PROXY\",\"httpMethod\":\"POST\",\"uri\":\"" + uri + "\"}");
        target.restJson("apigateway", "POST", "/restapis/" + id + "/deployments", "{\"stageName\":\"bench\"}");
        String path = "/restapis/" + id + "/bench/_user_request_/items/1";
        // The function is Pending until its package is ready and its first call starts a runtime process: wait for one
        // good answer, so the timed load measures a warm function.
        long deadline = System.currentTimeMillis() + WARM_UP_MILLIS;
        while (true) {
            try {
                if (target.get(path).startsWith("hello /items/1")) break;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) throw e;
            }
            if (System.currentTimeMillis() > deadline) throw new IOException("the function never answered through the API");
            Thread.sleep(200);
        }
        paths.put(target.name(), path);
    }

    @Override
    public void iterate(Target target, int worker, long iteration) throws Exception {
        // A server whose setup failed (moto) still gets the same request, so its errors come at its own pace, not a spin.
        target.get(paths.getOrDefault(target.name(), "/restapis/none/bench/_user_request_/items/1"));
    }

    private static byte[] zip(String name, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
