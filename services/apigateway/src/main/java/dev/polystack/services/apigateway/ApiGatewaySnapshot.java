package dev.polystack.services.apigateway;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.AccountRegionStore;
import dev.polystack.services.apigateway.RestApi.Deployment;
import dev.polystack.services.apigateway.RestApi.FrozenResource;
import dev.polystack.services.apigateway.RestApi.Resource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** API Gateway's state as versioned JSON: every account and region, every API with its deployments. */
final class ApiGatewaySnapshot {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiGatewaySnapshot() {
    }

    static void save(AccountRegionStore<ApiGatewayState> store, CustomDomains domains, OutputStream out) throws IOException {
        List<Map<String, Object>> regions = new ArrayList<>();
        store.all().forEach((account, byRegion) -> byRegion.forEach((region, state) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("account", account);
            r.put("region", region);
            synchronized (state) {
                r.put("apiKeys", Docs.copy(state.apiKeys));
                r.put("usagePlans", Docs.copy(state.usagePlans));
                r.put("usagePlanKeys", Docs.copy(state.usagePlanKeys));
                r.put("account", account);
                r.put("settings", Docs.copy(state.account));
            }
            List<Map<String, Object>> apis = new ArrayList<>();
            for (RestApi api : state.restApis.values()) {
                synchronized (api) {
                    apis.add(saveApi(api));
                }
            }
            r.put("restApis", apis);
            regions.add(r);
        }));
        // custom domains are shared with v2 and saved here, with the REST APIs that serve them
        JSON.writeValue(out, Map.of("regions", regions, "customDomains", domains.all()));
    }

    private static Map<String, Object> saveApi(RestApi api) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("doc", Docs.copy(api.doc));
        List<Map<String, Object>> resources = new ArrayList<>();
        for (Resource r : api.resources.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id);
            m.put("parentId", r.parentId);
            m.put("pathPart", r.pathPart);
            m.put("methods", Docs.copy(r.methods));
            resources.add(m);
        }
        a.put("resources", resources);
        a.put("models", Docs.copy(api.models));
        a.put("validators", Docs.copy(api.validators));
        a.put("authorizers", Docs.copy(api.authorizers));
        a.put("stages", Docs.copy(api.stages));
        a.put("gatewayResponses", Docs.copy(api.gatewayResponses));
        List<Map<String, Object>> deployments = new ArrayList<>();
        for (Deployment d : api.deployments.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("doc", Docs.copy(d.doc));
            List<Map<String, Object>> frozen = new ArrayList<>();
            for (FrozenResource f : d.resources.values()) {
                Map<String, Object> fr = new LinkedHashMap<>();
                fr.put("id", f.id());
                fr.put("path", f.path());
                fr.put("methods", Docs.copy(f.methods()));
                frozen.add(fr);
            }
            m.put("resources", frozen);
            deployments.add(m);
        }
        a.put("deployments", deployments);
        return a;
    }

    @SuppressWarnings("unchecked")
    static void load(AccountRegionStore<ApiGatewayState> store, CustomDomains domains, InputStream in) throws IOException {
        Map<String, Object> root = JSON.readValue(in, new TypeReference<Map<String, Object>>() { });
        store.clear();
        domains.restore(JSON.convertValue(root.getOrDefault("customDomains", List.of()),
                new TypeReference<List<CustomDomains.Domain>>() { }));
        for (Object o : (List<Object>) root.getOrDefault("regions", List.of())) {
            Map<String, Object> r = (Map<String, Object>) o;
            String account = (String) r.get("account");
            String region = (String) r.get("region");
            ApiGatewayState state = new ApiGatewayState(account, region);
            state.apiKeys.putAll((Map<String, Map<String, Object>>) r.getOrDefault("apiKeys", Map.of()));
            state.usagePlans.putAll((Map<String, Map<String, Object>>) r.getOrDefault("usagePlans", Map.of()));
            state.usagePlanKeys.putAll((Map<String, Map<String, Map<String, Object>>>) r.getOrDefault("usagePlanKeys", Map.of()));
            state.account.putAll((Map<String, Object>) r.getOrDefault("settings", Map.of()));
            for (Object ao : (List<Object>) r.getOrDefault("restApis", List.of())) {
                RestApi api = loadApi((Map<String, Object>) ao);
                state.restApis.put(api.id, api);
            }
            store.put(account, region, state);
        }
    }

    @SuppressWarnings("unchecked")
    private static RestApi loadApi(Map<String, Object> a) {
        Map<String, Object> doc = (Map<String, Object>) a.get("doc");
        RestApi api = new RestApi((String) doc.get("id"), doc);
        for (Object o : (List<Object>) a.get("resources")) {
            Map<String, Object> m = (Map<String, Object>) o;
            Resource r = new Resource((String) m.get("id"), (String) m.get("parentId"), (String) m.get("pathPart"));
            r.methods.putAll((Map<String, Map<String, Object>>) m.get("methods"));
            api.resources.put(r.id, r);
        }
        api.models.putAll((Map<String, Map<String, Object>>) a.get("models"));
        api.validators.putAll((Map<String, Map<String, Object>>) a.get("validators"));
        api.authorizers.putAll((Map<String, Map<String, Object>>) a.get("authorizers"));
        api.stages.putAll((Map<String, Map<String, Object>>) a.get("stages"));
        api.gatewayResponses.putAll((Map<String, Map<String, Object>>) a.get("gatewayResponses"));
        for (Object o : (List<Object>) a.get("deployments")) {
            Map<String, Object> m = (Map<String, Object>) o;
            Map<String, FrozenResource> frozen = new LinkedHashMap<>();
            for (Object fo : (List<Object>) m.get("resources")) {
                Map<String, Object> f = (Map<String, Object>) fo;
                frozen.put((String) f.get("id"), new FrozenResource((String) f.get("id"), (String) f.get("path"),
                        (Map<String, Map<String, Object>>) f.get("methods")));
            }
            Map<String, Object> d = (Map<String, Object>) m.get("doc");
            api.deployments.put((String) d.get("id"), new Deployment(d, frozen));
        }
        return api;
    }
}
