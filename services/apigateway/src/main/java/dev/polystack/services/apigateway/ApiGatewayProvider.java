package dev.polystack.services.apigateway;

import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.InternalRoute;
import dev.polystack.api.Persistable;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceProvider;
import dev.polystack.api.WebSocketUpgrade;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Native API Gateway (REST APIs, v1): the management API, and deployed APIs served on LocalStack's URLs:
 * {@code http://<api-id>.execute-api.localhost.localstack.cloud:4566/<stage>/<path>},
 * {@code /_aws/execute-api/<api-id>/<stage>/<path>} and {@code /restapis/<api-id>/<stage>/_user_request_/<path>}.
 */
public final class ApiGatewayProvider implements ServiceProvider, Persistable {
    private static final String USER_REQUEST = "/_user_request_";
    private static final String EXECUTE_API_PATH = "/_aws/execute-api/";

    private final ProviderEnvironment env;
    private final AccountRegionStore<ApiGatewayState> store = new AccountRegionStore<>(ApiGatewayState::new);
    private final Map<String, BiFunction<ApiGatewayState, Map<String, Object>, Map<String, Object>>> operations = new HashMap<>();

    private final Supplier<ApiGatewayV2Provider> httpApis;

    public ApiGatewayProvider(ProviderEnvironment env, Supplier<ApiGatewayV2Provider> httpApis) {
        this.env = env;
        this.httpApis = httpApis;
        operations.put("CreateRestApi", RestApiOps::createRestApi);
        operations.put("GetRestApi", RestApiOps::getRestApi);
        operations.put("GetRestApis", RestApiOps::getRestApis);
        operations.put("UpdateRestApi", RestApiOps::updateRestApi);
        operations.put("DeleteRestApi", RestApiOps::deleteRestApi);
        operations.put("CreateResource", RestApiOps::createResource);
        operations.put("GetResource", RestApiOps::getResource);
        operations.put("GetResources", RestApiOps::getResources);
        operations.put("UpdateResource", RestApiOps::updateResource);
        operations.put("DeleteResource", RestApiOps::deleteResource);
        operations.put("PutMethod", MethodOps::putMethod);
        operations.put("GetMethod", MethodOps::getMethod);
        operations.put("UpdateMethod", MethodOps::updateMethod);
        operations.put("DeleteMethod", MethodOps::deleteMethod);
        operations.put("PutMethodResponse", MethodOps::putMethodResponse);
        operations.put("GetMethodResponse", MethodOps::getMethodResponse);
        operations.put("UpdateMethodResponse", MethodOps::updateMethodResponse);
        operations.put("DeleteMethodResponse", MethodOps::deleteMethodResponse);
        operations.put("PutIntegration", MethodOps::putIntegration);
        operations.put("GetIntegration", MethodOps::getIntegration);
        operations.put("UpdateIntegration", MethodOps::updateIntegration);
        operations.put("DeleteIntegration", MethodOps::deleteIntegration);
        operations.put("PutIntegrationResponse", MethodOps::putIntegrationResponse);
        operations.put("GetIntegrationResponse", MethodOps::getIntegrationResponse);
        operations.put("UpdateIntegrationResponse", MethodOps::updateIntegrationResponse);
        operations.put("DeleteIntegrationResponse", MethodOps::deleteIntegrationResponse);
        operations.put("CreateDeployment", StageOps::createDeployment);
        operations.put("GetDeployment", StageOps::getDeployment);
        operations.put("GetDeployments", StageOps::getDeployments);
        operations.put("UpdateDeployment", StageOps::updateDeployment);
        operations.put("DeleteDeployment", StageOps::deleteDeployment);
        operations.put("CreateStage", StageOps::createStage);
        operations.put("GetStage", StageOps::getStage);
        operations.put("GetStages", StageOps::getStages);
        operations.put("UpdateStage", StageOps::updateStage);
        operations.put("DeleteStage", StageOps::deleteStage);
        operations.put("CreateModel", ComponentOps::createModel);
        operations.put("GetModel", ComponentOps::getModel);
        operations.put("GetModels", ComponentOps::getModels);
        operations.put("UpdateModel", ComponentOps::updateModel);
        operations.put("DeleteModel", ComponentOps::deleteModel);
        operations.put("CreateRequestValidator", ComponentOps::createRequestValidator);
        operations.put("GetRequestValidator", ComponentOps::getRequestValidator);
        operations.put("GetRequestValidators", ComponentOps::getRequestValidators);
        operations.put("UpdateRequestValidator", ComponentOps::updateRequestValidator);
        operations.put("DeleteRequestValidator", ComponentOps::deleteRequestValidator);
        operations.put("CreateAuthorizer", ComponentOps::createAuthorizer);
        operations.put("GetAuthorizer", ComponentOps::getAuthorizer);
        operations.put("GetAuthorizers", ComponentOps::getAuthorizers);
        operations.put("UpdateAuthorizer", ComponentOps::updateAuthorizer);
        operations.put("DeleteAuthorizer", ComponentOps::deleteAuthorizer);
        operations.put("PutGatewayResponse", ComponentOps::putGatewayResponse);
        operations.put("GetGatewayResponse", ComponentOps::getGatewayResponse);
        operations.put("GetGatewayResponses", ComponentOps::getGatewayResponses);
        operations.put("UpdateGatewayResponse", ComponentOps::updateGatewayResponse);
        operations.put("DeleteGatewayResponse", ComponentOps::deleteGatewayResponse);
        operations.put("CreateApiKey", KeyOps::createApiKey);
        operations.put("GetApiKey", KeyOps::getApiKey);
        operations.put("GetApiKeys", KeyOps::getApiKeys);
        operations.put("UpdateApiKey", KeyOps::updateApiKey);
        operations.put("DeleteApiKey", KeyOps::deleteApiKey);
        operations.put("CreateUsagePlan", KeyOps::createUsagePlan);
        operations.put("GetUsagePlan", KeyOps::getUsagePlan);
        operations.put("GetUsagePlans", KeyOps::getUsagePlans);
        operations.put("UpdateUsagePlan", KeyOps::updateUsagePlan);
        operations.put("DeleteUsagePlan", KeyOps::deleteUsagePlan);
        operations.put("CreateUsagePlanKey", KeyOps::createUsagePlanKey);
        operations.put("GetUsagePlanKey", KeyOps::getUsagePlanKey);
        operations.put("GetUsagePlanKeys", KeyOps::getUsagePlanKeys);
        operations.put("DeleteUsagePlanKey", KeyOps::deleteUsagePlanKey);
        operations.put("TagResource", TagOps::tagResource);
        operations.put("UntagResource", TagOps::untagResource);
        operations.put("GetTags", TagOps::getTags);
        operations.put("ImportRestApi", OpenApiImport::importRestApi);
        operations.put("PutRestApi", OpenApiImport::putRestApi);
        operations.put("GetExport", OpenApiExport::getExport);
        operations.put("GetAccount", TagOps::getAccount);
        operations.put("UpdateAccount", TagOps::updateAccount);
    }

    @Override
    public String service() {
        return "apigateway";
    }

    @Override
    public Map<String, Object> invoke(RequestContext context, String operation, Map<String, Object> input) {
        BiFunction<ApiGatewayState, Map<String, Object>, Map<String, Object>> op = operations.get(operation);
        if (op == null) throw new UnsupportedOperationException(operation);
        return op.apply(store.get(context), input);
    }

    /** Requests to a deployed API (by host or by the {@code _user_request_} path) are served here, unparsed. */
    @Override
    public HttpResponseData handleHttp(RequestContext context) {
        HttpRequestData request = context.request();
        String host = request.header("Host");
        String apiId = executeApiId(host);
        if (apiId != null) {
            String path = request.path();
            HttpResponseData httpApi = serveHttpApi(request, apiId, path);
            if (httpApi != null) return httpApi;
            int slash = path.indexOf('/', 1);
            String stage = slash < 0 ? path.substring(1) : path.substring(1, slash);
            return serve(request, apiId, stage, slash < 0 ? "/" : path.substring(slash));
        }
        int marker = request.path().indexOf(USER_REQUEST);
        if (request.path().startsWith("/restapis/") && marker > 0) {
            String[] head = request.path().substring("/restapis/".length(), marker).split("/");
            if (head.length == 2) return serve(request, head[0], head[1], request.path().substring(marker + USER_REQUEST.length()));
        }
        return null;
    }

    /**
     * A WebSocket client connecting to a WebSocket API: {@code ws://<api-id>.execute-api.localhost.localstack.cloud:4566/<stage>}
     * or {@code ws://localhost:4566/_aws/execute-api/<api-id>/<stage>}.
     */
    @Override
    public WebSocketUpgrade acceptWebSocket(RequestContext context) {
        ApiGatewayV2Provider v2 = httpApis.get();
        if (v2 == null) return null;
        HttpRequestData request = context.request();
        String apiId = executeApiId(request.header("Host"));
        if (apiId != null) return v2.openWebSocket(request, apiId, request.path());
        if (!request.path().startsWith(EXECUTE_API_PATH)) return null;
        String rest = request.path().substring(EXECUTE_API_PATH.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? null : v2.openWebSocket(request, rest.substring(0, slash), rest.substring(slash));
    }

    @Override
    public List<InternalRoute> internalRoutes() {
        return List.of(new InternalRoute(null, EXECUTE_API_PATH, request -> {
            String rest = request.path().substring(EXECUTE_API_PATH.length());
            String[] parts = rest.split("/", 3);
            HttpResponseData httpApi = serveHttpApi(request, parts[0], rest.substring(parts[0].length()));
            if (httpApi != null) return httpApi;
            if (parts.length < 2) return null;
            return serve(request, parts[0], parts[1], parts.length == 3 ? "/" + parts[2] : "/");
        }));
    }

    /** {@code abc123.execute-api.localhost.localstack.cloud} → {@code abc123}, else null. */
    static String executeApiId(String host) {
        if (host == null) return null;
        int at = host.indexOf(".execute-api.");
        return at > 0 ? host.substring(0, at) : null;
    }

    /** An HTTP API (v2) with this id answers, or null when there is none. */
    private HttpResponseData serveHttpApi(HttpRequestData request, String apiId, String path) {
        ApiGatewayV2Provider v2 = httpApis.get();
        if (v2 == null || state(apiId) != null) return null;
        return v2.serve(request, apiId, path);
    }

    private ApiGatewayState state(String apiId) {
        for (Map<String, ApiGatewayState> regions : store.all().values()) {
            for (ApiGatewayState state : regions.values()) {
                if (state.restApis.containsKey(apiId)) return state;
            }
        }
        return null;
    }

    private HttpResponseData serve(HttpRequestData request, String apiId, String stage, String path) {
        for (Map<String, ApiGatewayState> regions : store.all().values()) {
            for (ApiGatewayState state : regions.values()) {
                RestApi api = state.restApis.get(apiId);
                if (api != null) return new Invocation(state, api, env, request, stage, path).serve();
            }
        }
        HttpResponseData out = new HttpResponseData(404);
        out.header("Content-Type", "application/json");
        return out.body("{\"message\": \"The API id '" + apiId + "' does not correspond to a deployed API Gateway API\"}");
    }

    // ---- persistence ----

    @Override
    public void saveState(OutputStream out) throws IOException {
        ApiGatewaySnapshot.save(store, out);
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        ApiGatewaySnapshot.load(store, in);
    }

    @Override
    public void resetState() {
        store.clear();
    }

}
