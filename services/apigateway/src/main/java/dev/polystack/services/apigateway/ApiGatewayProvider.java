package dev.polystack.services.apigateway;

import dev.polystack.services.apigateway.api.*;
import dev.polystack.api.model.Shape;
import dev.polystack.api.model.TreeConverter;
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
import java.util.function.Supplier;

/**
 * Native API Gateway (REST APIs, v1): the management API, and deployed APIs served on LocalStack's URLs:
 * {@code http://<api-id>.execute-api.localhost.localstack.cloud:4566/<stage>/<path>},
 * {@code /_aws/execute-api/<api-id>/<stage>/<path>} and {@code /restapis/<api-id>/<stage>/_user_request_/<path>}.
 */
public final class ApiGatewayProvider implements ApiGatewayApi, ServiceProvider, Persistable {
    private static final String USER_REQUEST = "/_user_request_";
    private static final String EXECUTE_API_PATH = "/_aws/execute-api/";

    private final ProviderEnvironment env;
    private final AccountRegionStore<ApiGatewayState> store = new AccountRegionStore<>(ApiGatewayState::new);

    private final Supplier<ApiGatewayV2Provider> httpApis;
    private final CustomDomains customDomains;
    private final DomainNameOps domainNames;

    public ApiGatewayProvider(ProviderEnvironment env, Supplier<ApiGatewayV2Provider> httpApis, CustomDomains customDomains) {
        this.env = env;
        this.httpApis = httpApis;
        this.customDomains = customDomains;
        this.domainNames = new DomainNameOps(customDomains, this::restApiStages);
    }

    /** The stages of one of the caller's REST APIs, or null when it has no such API (what a mapping may target). */
    java.util.Set<String> restApiStages(RequestContext context, String apiId) {
        RestApi api = store.get(context).restApis.get(apiId);
        if (api == null) return null;
        synchronized (api) {
            return java.util.Set.copyOf(api.stages.keySet());
        }
    }

    @Override
    public String service() {
        return "apigateway";
    }

    @Override
    public Map<String, Object> invoke(RequestContext context, String operation, Map<String, Object> input) {
        return OPERATIONS.invoke(this, context, operation, input);
    }

    /**
     * API Gateway's resources are kept as the JSON documents AWS describes them by (the Update* operations patch those
     * documents by path); a result is the stored document read into its generated type by the generic converter.
     */
    private static <T> T typed(Shape<T> shape, Map<String, Object> document) {
        return TreeConverter.fromTree(shape, document);
    }

    // ---- the management API: each operation reads its typed request and hands it to the class of its concern ----

    @Override
    public dev.polystack.services.apigateway.api.RestApi createRestApi(RequestContext context, CreateRestApiRequest request) {
        return typed(dev.polystack.services.apigateway.api.RestApi.SHAPE, RestApiOps.createRestApi(store.get(context), request));
    }

    @Override
    public dev.polystack.services.apigateway.api.RestApi getRestApi(RequestContext context, GetRestApiRequest request) {
        return typed(dev.polystack.services.apigateway.api.RestApi.SHAPE, RestApiOps.getRestApi(store.get(context), request));
    }

    @Override
    public RestApis getRestApis(RequestContext context, GetRestApisRequest request) {
        return typed(RestApis.SHAPE, RestApiOps.getRestApis(store.get(context), request));
    }

    @Override
    public dev.polystack.services.apigateway.api.RestApi updateRestApi(RequestContext context, UpdateRestApiRequest request) {
        return typed(dev.polystack.services.apigateway.api.RestApi.SHAPE, RestApiOps.updateRestApi(store.get(context), request));
    }

    @Override
    public void deleteRestApi(RequestContext context, DeleteRestApiRequest request) {
        RestApiOps.deleteRestApi(store.get(context), request);
    }

    @Override
    public Resource createResource(RequestContext context, CreateResourceRequest request) {
        return typed(Resource.SHAPE, RestApiOps.createResource(store.get(context), request));
    }

    @Override
    public Resource getResource(RequestContext context, GetResourceRequest request) {
        return typed(Resource.SHAPE, RestApiOps.getResource(store.get(context), request));
    }

    @Override
    public Resources getResources(RequestContext context, GetResourcesRequest request) {
        return typed(Resources.SHAPE, RestApiOps.getResources(store.get(context), request));
    }

    @Override
    public Resource updateResource(RequestContext context, UpdateResourceRequest request) {
        return typed(Resource.SHAPE, RestApiOps.updateResource(store.get(context), request));
    }

    @Override
    public void deleteResource(RequestContext context, DeleteResourceRequest request) {
        RestApiOps.deleteResource(store.get(context), request);
    }

    @Override
    public Method putMethod(RequestContext context, PutMethodRequest request) {
        return typed(Method.SHAPE, MethodOps.putMethod(store.get(context), request));
    }

    @Override
    public Method getMethod(RequestContext context, GetMethodRequest request) {
        return typed(Method.SHAPE, MethodOps.getMethod(store.get(context), request));
    }

    @Override
    public Method updateMethod(RequestContext context, UpdateMethodRequest request) {
        return typed(Method.SHAPE, MethodOps.updateMethod(store.get(context), request));
    }

    @Override
    public void deleteMethod(RequestContext context, DeleteMethodRequest request) {
        MethodOps.deleteMethod(store.get(context), request);
    }

    @Override
    public MethodResponse putMethodResponse(RequestContext context, PutMethodResponseRequest request) {
        return typed(MethodResponse.SHAPE, MethodOps.putMethodResponse(store.get(context), request));
    }

    @Override
    public MethodResponse getMethodResponse(RequestContext context, GetMethodResponseRequest request) {
        return typed(MethodResponse.SHAPE, MethodOps.getMethodResponse(store.get(context), request));
    }

    @Override
    public MethodResponse updateMethodResponse(RequestContext context, UpdateMethodResponseRequest request) {
        return typed(MethodResponse.SHAPE, MethodOps.updateMethodResponse(store.get(context), request));
    }

    @Override
    public void deleteMethodResponse(RequestContext context, DeleteMethodResponseRequest request) {
        MethodOps.deleteMethodResponse(store.get(context), request);
    }

    @Override
    public Integration putIntegration(RequestContext context, PutIntegrationRequest request) {
        return typed(Integration.SHAPE, MethodOps.putIntegration(store.get(context), request));
    }

    @Override
    public Integration getIntegration(RequestContext context, GetIntegrationRequest request) {
        return typed(Integration.SHAPE, MethodOps.getIntegration(store.get(context), request));
    }

    @Override
    public Integration updateIntegration(RequestContext context, UpdateIntegrationRequest request) {
        return typed(Integration.SHAPE, MethodOps.updateIntegration(store.get(context), request));
    }

    @Override
    public void deleteIntegration(RequestContext context, DeleteIntegrationRequest request) {
        MethodOps.deleteIntegration(store.get(context), request);
    }

    @Override
    public IntegrationResponse putIntegrationResponse(RequestContext context, PutIntegrationResponseRequest request) {
        return typed(IntegrationResponse.SHAPE, MethodOps.putIntegrationResponse(store.get(context), request));
    }

    @Override
    public IntegrationResponse getIntegrationResponse(RequestContext context, GetIntegrationResponseRequest request) {
        return typed(IntegrationResponse.SHAPE, MethodOps.getIntegrationResponse(store.get(context), request));
    }

    @Override
    public IntegrationResponse updateIntegrationResponse(RequestContext context, UpdateIntegrationResponseRequest request) {
        return typed(IntegrationResponse.SHAPE, MethodOps.updateIntegrationResponse(store.get(context), request));
    }

    @Override
    public void deleteIntegrationResponse(RequestContext context, DeleteIntegrationResponseRequest request) {
        MethodOps.deleteIntegrationResponse(store.get(context), request);
    }

    @Override
    public Deployment createDeployment(RequestContext context, CreateDeploymentRequest request) {
        return typed(Deployment.SHAPE, StageOps.createDeployment(store.get(context), request));
    }

    @Override
    public Deployment getDeployment(RequestContext context, GetDeploymentRequest request) {
        return typed(Deployment.SHAPE, StageOps.getDeployment(store.get(context), request));
    }

    @Override
    public Deployments getDeployments(RequestContext context, GetDeploymentsRequest request) {
        return typed(Deployments.SHAPE, StageOps.getDeployments(store.get(context), request));
    }

    @Override
    public Deployment updateDeployment(RequestContext context, UpdateDeploymentRequest request) {
        return typed(Deployment.SHAPE, StageOps.updateDeployment(store.get(context), request));
    }

    @Override
    public void deleteDeployment(RequestContext context, DeleteDeploymentRequest request) {
        StageOps.deleteDeployment(store.get(context), request);
    }

    @Override
    public Stage createStage(RequestContext context, CreateStageRequest request) {
        return typed(Stage.SHAPE, StageOps.createStage(store.get(context), request));
    }

    @Override
    public Stage getStage(RequestContext context, GetStageRequest request) {
        return typed(Stage.SHAPE, StageOps.getStage(store.get(context), request));
    }

    @Override
    public Stages getStages(RequestContext context, GetStagesRequest request) {
        return typed(Stages.SHAPE, StageOps.getStages(store.get(context), request));
    }

    @Override
    public Stage updateStage(RequestContext context, UpdateStageRequest request) {
        return typed(Stage.SHAPE, StageOps.updateStage(store.get(context), request));
    }

    @Override
    public void deleteStage(RequestContext context, DeleteStageRequest request) {
        StageOps.deleteStage(store.get(context), request);
    }

    @Override
    public Model createModel(RequestContext context, CreateModelRequest request) {
        return typed(Model.SHAPE, ComponentOps.createModel(store.get(context), request));
    }

    @Override
    public Model getModel(RequestContext context, GetModelRequest request) {
        return typed(Model.SHAPE, ComponentOps.getModel(store.get(context), request));
    }

    @Override
    public Models getModels(RequestContext context, GetModelsRequest request) {
        return typed(Models.SHAPE, ComponentOps.getModels(store.get(context), request));
    }

    @Override
    public Model updateModel(RequestContext context, UpdateModelRequest request) {
        return typed(Model.SHAPE, ComponentOps.updateModel(store.get(context), request));
    }

    @Override
    public void deleteModel(RequestContext context, DeleteModelRequest request) {
        ComponentOps.deleteModel(store.get(context), request);
    }

    @Override
    public RequestValidator createRequestValidator(RequestContext context, CreateRequestValidatorRequest request) {
        return typed(RequestValidator.SHAPE, ComponentOps.createRequestValidator(store.get(context), request));
    }

    @Override
    public RequestValidator getRequestValidator(RequestContext context, GetRequestValidatorRequest request) {
        return typed(RequestValidator.SHAPE, ComponentOps.getRequestValidator(store.get(context), request));
    }

    @Override
    public RequestValidators getRequestValidators(RequestContext context, GetRequestValidatorsRequest request) {
        return typed(RequestValidators.SHAPE, ComponentOps.getRequestValidators(store.get(context), request));
    }

    @Override
    public RequestValidator updateRequestValidator(RequestContext context, UpdateRequestValidatorRequest request) {
        return typed(RequestValidator.SHAPE, ComponentOps.updateRequestValidator(store.get(context), request));
    }

    @Override
    public void deleteRequestValidator(RequestContext context, DeleteRequestValidatorRequest request) {
        ComponentOps.deleteRequestValidator(store.get(context), request);
    }

    @Override
    public Authorizer createAuthorizer(RequestContext context, CreateAuthorizerRequest request) {
        return typed(Authorizer.SHAPE, ComponentOps.createAuthorizer(store.get(context), request));
    }

    @Override
    public Authorizer getAuthorizer(RequestContext context, GetAuthorizerRequest request) {
        return typed(Authorizer.SHAPE, ComponentOps.getAuthorizer(store.get(context), request));
    }

    @Override
    public dev.polystack.services.apigateway.api.Authorizers getAuthorizers(RequestContext context, GetAuthorizersRequest request) {
        return typed(dev.polystack.services.apigateway.api.Authorizers.SHAPE, ComponentOps.getAuthorizers(store.get(context), request));
    }

    @Override
    public Authorizer updateAuthorizer(RequestContext context, UpdateAuthorizerRequest request) {
        return typed(Authorizer.SHAPE, ComponentOps.updateAuthorizer(store.get(context), request));
    }

    @Override
    public void deleteAuthorizer(RequestContext context, DeleteAuthorizerRequest request) {
        ComponentOps.deleteAuthorizer(store.get(context), request);
    }

    @Override
    public GatewayResponse putGatewayResponse(RequestContext context, PutGatewayResponseRequest request) {
        return typed(GatewayResponse.SHAPE, ComponentOps.putGatewayResponse(store.get(context), request));
    }

    @Override
    public GatewayResponse getGatewayResponse(RequestContext context, GetGatewayResponseRequest request) {
        return typed(GatewayResponse.SHAPE, ComponentOps.getGatewayResponse(store.get(context), request));
    }

    @Override
    public GatewayResponses getGatewayResponses(RequestContext context, GetGatewayResponsesRequest request) {
        return typed(GatewayResponses.SHAPE, ComponentOps.getGatewayResponses(store.get(context), request));
    }

    @Override
    public GatewayResponse updateGatewayResponse(RequestContext context, UpdateGatewayResponseRequest request) {
        return typed(GatewayResponse.SHAPE, ComponentOps.updateGatewayResponse(store.get(context), request));
    }

    @Override
    public void deleteGatewayResponse(RequestContext context, DeleteGatewayResponseRequest request) {
        ComponentOps.deleteGatewayResponse(store.get(context), request);
    }

    @Override
    public ApiKey createApiKey(RequestContext context, CreateApiKeyRequest request) {
        return typed(ApiKey.SHAPE, KeyOps.createApiKey(store.get(context), request));
    }

    @Override
    public ApiKey getApiKey(RequestContext context, GetApiKeyRequest request) {
        return typed(ApiKey.SHAPE, KeyOps.getApiKey(store.get(context), request));
    }

    @Override
    public ApiKeys getApiKeys(RequestContext context, GetApiKeysRequest request) {
        return typed(ApiKeys.SHAPE, KeyOps.getApiKeys(store.get(context), request));
    }

    @Override
    public ApiKey updateApiKey(RequestContext context, UpdateApiKeyRequest request) {
        return typed(ApiKey.SHAPE, KeyOps.updateApiKey(store.get(context), request));
    }

    @Override
    public void deleteApiKey(RequestContext context, DeleteApiKeyRequest request) {
        KeyOps.deleteApiKey(store.get(context), request);
    }

    @Override
    public UsagePlan createUsagePlan(RequestContext context, CreateUsagePlanRequest request) {
        return typed(UsagePlan.SHAPE, KeyOps.createUsagePlan(store.get(context), request));
    }

    @Override
    public UsagePlan getUsagePlan(RequestContext context, GetUsagePlanRequest request) {
        return typed(UsagePlan.SHAPE, KeyOps.getUsagePlan(store.get(context), request));
    }

    @Override
    public UsagePlans getUsagePlans(RequestContext context, GetUsagePlansRequest request) {
        return typed(UsagePlans.SHAPE, KeyOps.getUsagePlans(store.get(context), request));
    }

    @Override
    public UsagePlan updateUsagePlan(RequestContext context, UpdateUsagePlanRequest request) {
        return typed(UsagePlan.SHAPE, KeyOps.updateUsagePlan(store.get(context), request));
    }

    @Override
    public void deleteUsagePlan(RequestContext context, DeleteUsagePlanRequest request) {
        KeyOps.deleteUsagePlan(store.get(context), request);
    }

    @Override
    public UsagePlanKey createUsagePlanKey(RequestContext context, CreateUsagePlanKeyRequest request) {
        return typed(UsagePlanKey.SHAPE, KeyOps.createUsagePlanKey(store.get(context), request));
    }

    @Override
    public UsagePlanKey getUsagePlanKey(RequestContext context, GetUsagePlanKeyRequest request) {
        return typed(UsagePlanKey.SHAPE, KeyOps.getUsagePlanKey(store.get(context), request));
    }

    @Override
    public UsagePlanKeys getUsagePlanKeys(RequestContext context, GetUsagePlanKeysRequest request) {
        return typed(UsagePlanKeys.SHAPE, KeyOps.getUsagePlanKeys(store.get(context), request));
    }

    @Override
    public void deleteUsagePlanKey(RequestContext context, DeleteUsagePlanKeyRequest request) {
        KeyOps.deleteUsagePlanKey(store.get(context), request);
    }

    @Override
    public void tagResource(RequestContext context, TagResourceRequest request) {
        TagOps.tagResource(store.get(context), request);
    }

    @Override
    public void untagResource(RequestContext context, UntagResourceRequest request) {
        TagOps.untagResource(store.get(context), request);
    }

    @Override
    public Tags getTags(RequestContext context, GetTagsRequest request) {
        return typed(Tags.SHAPE, TagOps.getTags(store.get(context), request));
    }

    @Override
    public Account getAccount(RequestContext context, GetAccountRequest request) {
        return typed(Account.SHAPE, TagOps.getAccount(store.get(context), request));
    }

    @Override
    public Account updateAccount(RequestContext context, UpdateAccountRequest request) {
        return typed(Account.SHAPE, TagOps.updateAccount(store.get(context), request));
    }

    @Override
    public dev.polystack.services.apigateway.api.RestApi importRestApi(RequestContext context, ImportRestApiRequest request) {
        return typed(dev.polystack.services.apigateway.api.RestApi.SHAPE, OpenApiImport.importRestApi(store.get(context), request));
    }

    @Override
    public dev.polystack.services.apigateway.api.RestApi putRestApi(RequestContext context, PutRestApiRequest request) {
        return typed(dev.polystack.services.apigateway.api.RestApi.SHAPE, OpenApiImport.putRestApi(store.get(context), request));
    }

    @Override
    public ExportResponse getExport(RequestContext context, GetExportRequest request) {
        return typed(ExportResponse.SHAPE, OpenApiExport.getExport(store.get(context), request));
    }

    // ---- custom domain names and base path mappings (shared with v2: see CustomDomains) ----

    @Override
    public DomainName createDomainName(RequestContext context, CreateDomainNameRequest request) {
        return domainNames.create(context, request);
    }

    @Override
    public DomainName getDomainName(RequestContext context, GetDomainNameRequest request) {
        return domainNames.get(context, request.domainName());
    }

    @Override
    public DomainNames getDomainNames(RequestContext context, GetDomainNamesRequest request) {
        return domainNames.list(context, request.position(), request.limit());
    }

    @Override
    public DomainName updateDomainName(RequestContext context, UpdateDomainNameRequest request) {
        return domainNames.update(context, request);
    }

    @Override
    public void deleteDomainName(RequestContext context, DeleteDomainNameRequest request) {
        domainNames.delete(context, request.domainName());
    }

    @Override
    public BasePathMapping createBasePathMapping(RequestContext context, CreateBasePathMappingRequest request) {
        return domainNames.createMapping(context, request);
    }

    @Override
    public BasePathMapping getBasePathMapping(RequestContext context, GetBasePathMappingRequest request) {
        return domainNames.getMapping(context, request.domainName(), request.basePath());
    }

    @Override
    public BasePathMappings getBasePathMappings(RequestContext context, GetBasePathMappingsRequest request) {
        return domainNames.listMappings(context, request.domainName(), request.position(), request.limit());
    }

    @Override
    public BasePathMapping updateBasePathMapping(RequestContext context, UpdateBasePathMappingRequest request) {
        return domainNames.updateMapping(context, request);
    }

    @Override
    public void deleteBasePathMapping(RequestContext context, DeleteBasePathMappingRequest request) {
        domainNames.deleteMapping(context, request.domainName(), request.basePath());
    }

    /**
     * Requests to a deployed API (by host, by the {@code _user_request_} path, or by a custom domain named in
     * {@code Host}) are served here, unparsed.
     */
    @Override
    public HttpResponseData handleHttp(RequestContext context) {
        HttpRequestData request = context.request();
        String host = request.header("Host");
        CustomDomains.Domain domain = customDomains.forHost(host);
        if (domain != null) return serveCustomDomain(request, domain);
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

    /**
     * A request to a custom domain: the mapping with the longest matching base path names the API and stage, which serve
     * the rest of the path. No mapping: AWS's 403 {@code Forbidden}.
     */
    private HttpResponseData serveCustomDomain(HttpRequestData request, CustomDomains.Domain domain) {
        CustomDomains.Target target = CustomDomains.target(domain, request.path());
        if (target == null) return forbidden();
        String apiId = target.mapping().apiId();
        String stage = target.mapping().stage();
        ApiGatewayV2Provider v2 = httpApis.get();
        if (state(apiId) == null && v2 != null) {
            HttpResponseData answer = v2.serveStage(request, apiId, stage, target.path());
            if (answer != null) return answer;
        }
        if (stage == null) return forbidden();
        return serve(request, apiId, stage, target.path());
    }

    private static HttpResponseData forbidden() {
        HttpResponseData out = new HttpResponseData(403);
        out.header("Content-Type", "application/json");
        out.header("x-amzn-ErrorType", "ForbiddenException");
        return out.body("{\"message\":\"Forbidden\"}");
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
        ApiGatewaySnapshot.save(store, customDomains, out);
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        ApiGatewaySnapshot.load(store, customDomains, in);
    }

    @Override
    public void resetState() {
        store.clear();
        customDomains.clear();
    }

}
