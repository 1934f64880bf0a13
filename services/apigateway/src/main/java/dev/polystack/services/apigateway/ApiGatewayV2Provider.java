package dev.polystack.services.apigateway;

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
import java.util.function.BiFunction;

/**
 * Native API Gateway v2: HTTP APIs and WebSocket APIs, managed and served. Deployed APIs are served on the same
 * execute-api URLs as REST APIs; the REST provider hands their requests ({@link #serve}) and WebSocket upgrades
 * ({@link #openWebSocket}) over.
 */
public final class ApiGatewayV2Provider implements ServiceProvider, Persistable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProviderEnvironment env;
    private final WebSocketConnections connections;
    private final AccountRegionStore<HttpApiState> store = new AccountRegionStore<>(HttpApiState::new);
    private final Map<String, BiFunction<HttpApiState, Map<String, Object>, Map<String, Object>>> operations = new HashMap<>();

    public ApiGatewayV2Provider(ProviderEnvironment env, WebSocketConnections connections) {
        this.env = env;
        this.connections = connections;
        HttpApiOps ops = new HttpApiOps(env.config());
        operations.put("CreateApi", ops::createApi);
        operations.put("GetApi", ops::getApi);
        operations.put("GetApis", ops::getApis);
        operations.put("UpdateApi", ops::updateApi);
        operations.put("DeleteApi", ops::deleteApi);
        operations.put("DeleteCorsConfiguration", ops::deleteCorsConfiguration);
        operations.put("CreateRoute", ops::createRoute);
        operations.put("GetRoute", ops::getRoute);
        operations.put("GetRoutes", ops::getRoutes);
        operations.put("UpdateRoute", ops::updateRoute);
        operations.put("DeleteRoute", ops::deleteRoute);
        operations.put("CreateIntegration", ops::createIntegration);
        operations.put("GetIntegration", ops::getIntegration);
        operations.put("GetIntegrations", ops::getIntegrations);
        operations.put("UpdateIntegration", ops::updateIntegration);
        operations.put("DeleteIntegration", ops::deleteIntegration);
        operations.put("CreateStage", ops::createStage);
        operations.put("GetStage", ops::getStage);
        operations.put("GetStages", ops::getStages);
        operations.put("UpdateStage", ops::updateStage);
        operations.put("DeleteStage", ops::deleteStage);
        operations.put("CreateDeployment", ops::createDeployment);
        operations.put("GetDeployment", ops::getDeployment);
        operations.put("GetDeployments", ops::getDeployments);
        operations.put("DeleteDeployment", ops::deleteDeployment);
        operations.put("CreateAuthorizer", ops::createAuthorizer);
        operations.put("GetAuthorizer", ops::getAuthorizer);
        operations.put("GetAuthorizers", ops::getAuthorizers);
        operations.put("UpdateAuthorizer", ops::updateAuthorizer);
        operations.put("DeleteAuthorizer", ops::deleteAuthorizer);
        operations.put("CreateRouteResponse", WebSocketResponseOps::createRouteResponse);
        operations.put("GetRouteResponse", WebSocketResponseOps::getRouteResponse);
        operations.put("GetRouteResponses", WebSocketResponseOps::getRouteResponses);
        operations.put("UpdateRouteResponse", WebSocketResponseOps::updateRouteResponse);
        operations.put("DeleteRouteResponse", WebSocketResponseOps::deleteRouteResponse);
        operations.put("CreateIntegrationResponse", WebSocketResponseOps::createIntegrationResponse);
        operations.put("GetIntegrationResponse", WebSocketResponseOps::getIntegrationResponse);
        operations.put("GetIntegrationResponses", WebSocketResponseOps::getIntegrationResponses);
        operations.put("UpdateIntegrationResponse", WebSocketResponseOps::updateIntegrationResponse);
        operations.put("DeleteIntegrationResponse", WebSocketResponseOps::deleteIntegrationResponse);
        operations.put("TagResource", ops::tagResource);
        operations.put("UntagResource", ops::untagResource);
        operations.put("GetTags", ops::getTags);
    }

    @Override
    public String service() {
        return "apigatewayv2";
    }

    @Override
    public Map<String, Object> invoke(RequestContext context, String operation, Map<String, Object> input) {
        BiFunction<HttpApiState, Map<String, Object>, Map<String, Object>> op = operations.get(operation);
        if (op == null) throw new UnsupportedOperationException(operation);
        return op.apply(store.get(context), input);
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
