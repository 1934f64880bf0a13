package dev.polystack.services.apigateway;

import dev.polystack.services.apigatewayv2.api.*;
import dev.polystack.api.model.Shape;
import dev.polystack.api.model.TreeConverter;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.Persistable;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceProvider;
import dev.polystack.api.WebSocketUpgrade;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Native API Gateway v2: HTTP APIs and WebSocket APIs, managed and served. Deployed APIs are served on the same
 * execute-api URLs as REST APIs; the REST provider hands their requests ({@link #serve}) and WebSocket upgrades
 * ({@link #openWebSocket}) over.
 */
public final class ApiGatewayV2Provider implements ApiGatewayV2Api, ServiceProvider, Persistable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProviderEnvironment env;
    private final WebSocketConnections connections;
    private final AccountRegionStore<HttpApiState> store = new AccountRegionStore<>(HttpApiState::new);
    private final HttpApiOps ops;
    private final ApiMappingOps domainNames;
    private final HttpApiImport imports;
    private final java.util.function.Supplier<ApiGatewayProvider> restApis;

    public ApiGatewayV2Provider(ProviderEnvironment env, WebSocketConnections connections, CustomDomains customDomains,
                                java.util.function.Supplier<ApiGatewayProvider> restApis) {
        this.env = env;
        this.connections = connections;
        this.ops = new HttpApiOps(env.config());
        this.imports = new HttpApiImport(ops);
        this.restApis = restApis;
        this.domainNames = new ApiMappingOps(customDomains, this::apiStages);
    }

    /** The stages of one of the caller's APIs: an HTTP or WebSocket API, else a REST API; null when there is none. */
    private java.util.Set<String> apiStages(RequestContext context, String apiId) {
        HttpApi api = store.get(context).apis.get(apiId);
        if (api != null) {
            synchronized (api) {
                return java.util.Set.copyOf(api.stages.keySet());
            }
        }
        ApiGatewayProvider rest = restApis.get();
        return rest == null ? null : rest.restApiStages(context, apiId);
    }

    @Override
    public ImportApiResponse importApi(RequestContext context, ImportApiRequest request) {
        return typed(ImportApiResponse.SHAPE, imports.importApi(store.get(context), request.body()));
    }

    @Override
    public ReimportApiResponse reimportApi(RequestContext context, ReimportApiRequest request) {
        return typed(ReimportApiResponse.SHAPE, imports.reimportApi(store.get(context), request.apiId(), request.body()));
    }

    // ---- custom domain names and API mappings (shared with v1: see CustomDomains) ----

    @Override
    public CreateDomainNameResponse createDomainName(RequestContext context, CreateDomainNameRequest request) {
        return ApiMappingOps.as(DomainName.SHAPE, domainNames.create(context, request), CreateDomainNameResponse.SHAPE);
    }

    @Override
    public GetDomainNameResponse getDomainName(RequestContext context, GetDomainNameRequest request) {
        return ApiMappingOps.as(DomainName.SHAPE, domainNames.get(context, request.domainName()), GetDomainNameResponse.SHAPE);
    }

    @Override
    public GetDomainNamesResponse getDomainNames(RequestContext context, GetDomainNamesRequest request) {
        return GetDomainNamesResponse.builder().items(domainNames.list(context)).build();
    }

    @Override
    public UpdateDomainNameResponse updateDomainName(RequestContext context, UpdateDomainNameRequest request) {
        return ApiMappingOps.as(DomainName.SHAPE, domainNames.update(context, request), UpdateDomainNameResponse.SHAPE);
    }

    @Override
    public void deleteDomainName(RequestContext context, DeleteDomainNameRequest request) {
        domainNames.delete(context, request.domainName());
    }

    @Override
    public CreateApiMappingResponse createApiMapping(RequestContext context, CreateApiMappingRequest request) {
        return ApiMappingOps.as(ApiMapping.SHAPE, domainNames.createMapping(context, request), CreateApiMappingResponse.SHAPE);
    }

    @Override
    public GetApiMappingResponse getApiMapping(RequestContext context, GetApiMappingRequest request) {
        return ApiMappingOps.as(ApiMapping.SHAPE, domainNames.getMapping(context, request.domainName(), request.apiMappingId()),
                GetApiMappingResponse.SHAPE);
    }

    @Override
    public GetApiMappingsResponse getApiMappings(RequestContext context, GetApiMappingsRequest request) {
        return GetApiMappingsResponse.builder().items(domainNames.listMappings(context, request.domainName())).build();
    }

    @Override
    public UpdateApiMappingResponse updateApiMapping(RequestContext context, UpdateApiMappingRequest request) {
        return ApiMappingOps.as(ApiMapping.SHAPE, domainNames.updateMapping(context, request), UpdateApiMappingResponse.SHAPE);
    }

    @Override
    public void deleteApiMapping(RequestContext context, DeleteApiMappingRequest request) {
        domainNames.deleteMapping(context, request.domainName(), request.apiMappingId());
    }

    @Override
    public String service() {
        return "apigatewayv2";
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
    public CreateApiResponse createApi(RequestContext context, CreateApiRequest request) {
        return typed(CreateApiResponse.SHAPE, ops.createApi(store.get(context), request));
    }

    @Override
    public GetApiResponse getApi(RequestContext context, GetApiRequest request) {
        return typed(GetApiResponse.SHAPE, ops.getApi(store.get(context), request));
    }

    @Override
    public GetApisResponse getApis(RequestContext context, GetApisRequest request) {
        return typed(GetApisResponse.SHAPE, ops.getApis(store.get(context), request));
    }

    @Override
    public UpdateApiResponse updateApi(RequestContext context, UpdateApiRequest request) {
        return typed(UpdateApiResponse.SHAPE, ops.updateApi(store.get(context), request));
    }

    @Override
    public void deleteApi(RequestContext context, DeleteApiRequest request) {
        ops.deleteApi(store.get(context), request);
    }

    @Override
    public void deleteCorsConfiguration(RequestContext context, DeleteCorsConfigurationRequest request) {
        ops.deleteCorsConfiguration(store.get(context), request);
    }

    @Override
    public CreateRouteResult createRoute(RequestContext context, CreateRouteRequest request) {
        return typed(CreateRouteResult.SHAPE, ops.createRoute(store.get(context), request));
    }

    @Override
    public GetRouteResult getRoute(RequestContext context, GetRouteRequest request) {
        return typed(GetRouteResult.SHAPE, ops.getRoute(store.get(context), request));
    }

    @Override
    public GetRoutesResponse getRoutes(RequestContext context, GetRoutesRequest request) {
        return typed(GetRoutesResponse.SHAPE, ops.getRoutes(store.get(context), request));
    }

    @Override
    public UpdateRouteResult updateRoute(RequestContext context, UpdateRouteRequest request) {
        return typed(UpdateRouteResult.SHAPE, ops.updateRoute(store.get(context), request));
    }

    @Override
    public void deleteRoute(RequestContext context, DeleteRouteRequest request) {
        ops.deleteRoute(store.get(context), request);
    }

    @Override
    public CreateIntegrationResult createIntegration(RequestContext context, CreateIntegrationRequest request) {
        return typed(CreateIntegrationResult.SHAPE, ops.createIntegration(store.get(context), request));
    }

    @Override
    public GetIntegrationResult getIntegration(RequestContext context, GetIntegrationRequest request) {
        return typed(GetIntegrationResult.SHAPE, ops.getIntegration(store.get(context), request));
    }

    @Override
    public GetIntegrationsResponse getIntegrations(RequestContext context, GetIntegrationsRequest request) {
        return typed(GetIntegrationsResponse.SHAPE, ops.getIntegrations(store.get(context), request));
    }

    @Override
    public UpdateIntegrationResult updateIntegration(RequestContext context, UpdateIntegrationRequest request) {
        return typed(UpdateIntegrationResult.SHAPE, ops.updateIntegration(store.get(context), request));
    }

    @Override
    public void deleteIntegration(RequestContext context, DeleteIntegrationRequest request) {
        ops.deleteIntegration(store.get(context), request);
    }

    @Override
    public CreateStageResponse createStage(RequestContext context, CreateStageRequest request) {
        return typed(CreateStageResponse.SHAPE, ops.createStage(store.get(context), request));
    }

    @Override
    public GetStageResponse getStage(RequestContext context, GetStageRequest request) {
        return typed(GetStageResponse.SHAPE, ops.getStage(store.get(context), request));
    }

    @Override
    public GetStagesResponse getStages(RequestContext context, GetStagesRequest request) {
        return typed(GetStagesResponse.SHAPE, ops.getStages(store.get(context), request));
    }

    @Override
    public UpdateStageResponse updateStage(RequestContext context, UpdateStageRequest request) {
        return typed(UpdateStageResponse.SHAPE, ops.updateStage(store.get(context), request));
    }

    @Override
    public void deleteStage(RequestContext context, DeleteStageRequest request) {
        ops.deleteStage(store.get(context), request);
    }

    @Override
    public CreateDeploymentResponse createDeployment(RequestContext context, CreateDeploymentRequest request) {
        return typed(CreateDeploymentResponse.SHAPE, ops.createDeployment(store.get(context), request));
    }

    @Override
    public GetDeploymentResponse getDeployment(RequestContext context, GetDeploymentRequest request) {
        return typed(GetDeploymentResponse.SHAPE, ops.getDeployment(store.get(context), request));
    }

    @Override
    public GetDeploymentsResponse getDeployments(RequestContext context, GetDeploymentsRequest request) {
        return typed(GetDeploymentsResponse.SHAPE, ops.getDeployments(store.get(context), request));
    }

    @Override
    public void deleteDeployment(RequestContext context, DeleteDeploymentRequest request) {
        ops.deleteDeployment(store.get(context), request);
    }

    @Override
    public CreateAuthorizerResponse createAuthorizer(RequestContext context, CreateAuthorizerRequest request) {
        return typed(CreateAuthorizerResponse.SHAPE, ops.createAuthorizer(store.get(context), request));
    }

    @Override
    public GetAuthorizerResponse getAuthorizer(RequestContext context, GetAuthorizerRequest request) {
        return typed(GetAuthorizerResponse.SHAPE, ops.getAuthorizer(store.get(context), request));
    }

    @Override
    public GetAuthorizersResponse getAuthorizers(RequestContext context, GetAuthorizersRequest request) {
        return typed(GetAuthorizersResponse.SHAPE, ops.getAuthorizers(store.get(context), request));
    }

    @Override
    public UpdateAuthorizerResponse updateAuthorizer(RequestContext context, UpdateAuthorizerRequest request) {
        return typed(UpdateAuthorizerResponse.SHAPE, ops.updateAuthorizer(store.get(context), request));
    }

    @Override
    public void deleteAuthorizer(RequestContext context, DeleteAuthorizerRequest request) {
        ops.deleteAuthorizer(store.get(context), request);
    }

    @Override
    public TagResourceResponse tagResource(RequestContext context, TagResourceRequest request) {
        return typed(TagResourceResponse.SHAPE, ops.tagResource(store.get(context), request));
    }

    @Override
    public void untagResource(RequestContext context, UntagResourceRequest request) {
        ops.untagResource(store.get(context), request);
    }

    @Override
    public GetTagsResponse getTags(RequestContext context, GetTagsRequest request) {
        return typed(GetTagsResponse.SHAPE, ops.getTags(store.get(context), request));
    }

    @Override
    public CreateRouteResponseResponse createRouteResponse(RequestContext context, CreateRouteResponseRequest request) {
        return typed(CreateRouteResponseResponse.SHAPE, WebSocketResponseOps.createRouteResponse(store.get(context), request));
    }

    @Override
    public GetRouteResponseResponse getRouteResponse(RequestContext context, GetRouteResponseRequest request) {
        return typed(GetRouteResponseResponse.SHAPE, WebSocketResponseOps.getRouteResponse(store.get(context), request));
    }

    @Override
    public GetRouteResponsesResponse getRouteResponses(RequestContext context, GetRouteResponsesRequest request) {
        return typed(GetRouteResponsesResponse.SHAPE, WebSocketResponseOps.getRouteResponses(store.get(context), request));
    }

    @Override
    public UpdateRouteResponseResponse updateRouteResponse(RequestContext context, UpdateRouteResponseRequest request) {
        return typed(UpdateRouteResponseResponse.SHAPE, WebSocketResponseOps.updateRouteResponse(store.get(context), request));
    }

    @Override
    public void deleteRouteResponse(RequestContext context, DeleteRouteResponseRequest request) {
        WebSocketResponseOps.deleteRouteResponse(store.get(context), request);
    }

    @Override
    public CreateIntegrationResponseResponse createIntegrationResponse(RequestContext context, CreateIntegrationResponseRequest request) {
        return typed(CreateIntegrationResponseResponse.SHAPE, WebSocketResponseOps.createIntegrationResponse(store.get(context), request));
    }

    @Override
    public GetIntegrationResponseResponse getIntegrationResponse(RequestContext context, GetIntegrationResponseRequest request) {
        return typed(GetIntegrationResponseResponse.SHAPE, WebSocketResponseOps.getIntegrationResponse(store.get(context), request));
    }

    @Override
    public GetIntegrationResponsesResponse getIntegrationResponses(RequestContext context, GetIntegrationResponsesRequest request) {
        return typed(GetIntegrationResponsesResponse.SHAPE, WebSocketResponseOps.getIntegrationResponses(store.get(context), request));
    }

    @Override
    public UpdateIntegrationResponseResponse updateIntegrationResponse(RequestContext context, UpdateIntegrationResponseRequest request) {
        return typed(UpdateIntegrationResponseResponse.SHAPE, WebSocketResponseOps.updateIntegrationResponse(store.get(context), request));
    }

    @Override
    public void deleteIntegrationResponse(RequestContext context, DeleteIntegrationResponseRequest request) {
        WebSocketResponseOps.deleteIntegrationResponse(store.get(context), request);
    }

    /**
     * Serves a request for an HTTP API with this id, or the {@code @connections} management API of a WebSocket API
     * with this id; null when no account has such an API.
     */
    HttpResponseData serve(HttpRequestData request, String apiId, String path) {
        for (Map<String, HttpApiState> regions : store.all().values()) {
            for (HttpApiState state : regions.values()) {
                HttpApi api = state.apis.get(apiId);
                if (api == null) continue;
                if (api.isHttp()) return new HttpApiInvocation(state, api, env, request).serve(path);
                if (WebSocketConnections.isManagement(path)) return connections.manage(request);
            }
        }
        return null;
    }

    /** A custom domain's request for an HTTP API's stage; null when no account has an HTTP API with this id. */
    HttpResponseData serveStage(HttpRequestData request, String apiId, String stage, String path) {
        for (Map<String, HttpApiState> regions : store.all().values()) {
            for (HttpApiState state : regions.values()) {
                HttpApi api = state.apis.get(apiId);
                if (api != null && api.isHttp()) return new HttpApiInvocation(state, api, env, request).serveStage(stage, path);
            }
        }
        return null;
    }

    /** A client connects to a WebSocket API at {@code /<stage>}; null when no account has a WebSocket API with this id. */
    WebSocketUpgrade openWebSocket(HttpRequestData request, String apiId, String path) {
        for (Map<String, HttpApiState> regions : store.all().values()) {
            for (HttpApiState state : regions.values()) {
                HttpApi api = state.apis.get(apiId);
                if (api == null || api.isHttp()) continue;
                String stage = path.startsWith("/") ? path.substring(1) : path;
                if (stage.endsWith("/")) stage = stage.substring(0, stage.length() - 1);
                return WebSocketConnection.open(connections, env, state, api, stage, request);
            }
        }
        return null;
    }

    // ---- persistence: every API with its parts and deployments, as JSON ----

    @Override
    public void saveState(OutputStream out) throws IOException {
        List<Map<String, Object>> regions = new ArrayList<>();
        store.all().forEach((account, byRegion) -> byRegion.forEach((region, state) -> {
            List<Map<String, Object>> apis = new ArrayList<>();
            for (HttpApi api : state.apis.values()) {
                synchronized (api) {
                    Map<String, Object> a = new LinkedHashMap<>();
                    a.put("doc", Docs.copy(api.doc));
                    a.put("routes", Docs.copy(api.routes));
                    a.put("integrations", Docs.copy(api.integrations));
                    a.put("stages", Docs.copy(api.stages));
                    a.put("authorizers", Docs.copy(api.authorizers));
                    a.put("routeResponses", Docs.copy(api.routeResponses));
                    a.put("integrationResponses", Docs.copy(api.integrationResponses));
                    List<Map<String, Object>> deployments = new ArrayList<>();
                    api.deployments.values().forEach(d -> deployments.add(Map.of("doc", Docs.copy(d.doc()),
                            "routes", Docs.copy(d.routes()), "integrations", Docs.copy(d.integrations()))));
                    a.put("deployments", deployments);
                    apis.add(a);
                }
            }
            regions.add(Map.of("account", account, "region", region, "apis", apis));
        }));
        JSON.writeValue(out, Map.of("regions", regions));
    }

    @Override
    @SuppressWarnings("unchecked")
    public void loadState(InputStream in, int version) throws IOException {
        Map<String, Object> root = JSON.readValue(in, new TypeReference<Map<String, Object>>() { });
        store.clear();
        for (Object o : (List<Object>) root.getOrDefault("regions", List.of())) {
            Map<String, Object> r = (Map<String, Object>) o;
            HttpApiState state = new HttpApiState((String) r.get("account"), (String) r.get("region"));
            for (Object ao : (List<Object>) r.get("apis")) {
                Map<String, Object> a = (Map<String, Object>) ao;
                Map<String, Object> doc = (Map<String, Object>) a.get("doc");
                HttpApi api = new HttpApi((String) doc.get("ApiId"), doc);
                api.routes.putAll((Map<String, Map<String, Object>>) a.get("routes"));
                api.integrations.putAll((Map<String, Map<String, Object>>) a.get("integrations"));
                api.stages.putAll((Map<String, Map<String, Object>>) a.get("stages"));
                api.authorizers.putAll((Map<String, Map<String, Object>>) a.get("authorizers"));
                api.routeResponses.putAll((Map<String, Map<String, Map<String, Object>>>) a.getOrDefault("routeResponses", Map.of()));
                api.integrationResponses.putAll((Map<String, Map<String, Map<String, Object>>>) a.getOrDefault("integrationResponses", Map.of()));
                for (Object d : (List<Object>) a.get("deployments")) {
                    Map<String, Object> dm = (Map<String, Object>) d;
                    Map<String, Object> ddoc = (Map<String, Object>) dm.get("doc");
                    api.deployments.put((String) ddoc.get("DeploymentId"), new HttpApi.Deployment(ddoc,
                            (Map<String, Map<String, Object>>) dm.get("routes"), (Map<String, Map<String, Object>>) dm.get("integrations")));
                }
                state.apis.put(api.id, api);
            }
            store.put(state.accountId, state.region, state);
        }
    }

    @Override
    public void resetState() {
        store.clear();
    }
}
