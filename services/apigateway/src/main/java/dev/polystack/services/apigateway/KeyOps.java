package dev.polystack.services.apigateway;

import dev.polystack.api.model.TreeConverter;
import dev.polystack.services.apigateway.api.*;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.polystack.services.apigateway.Docs.str;

/** API keys, usage plans and the keys in usage plans (per account and region). */
final class KeyOps {
    private KeyOps() {
    }

    static Map<String, Object> createApiKey(ApiGatewayState state, CreateApiKeyRequest in) {
        String name = in.name();
        if (name != null && name.length() > 1024) throw ApiGatewayErrors.badRequest("Invalid API Key name, can be at most 1024 characters.");
        String description = in.description();
        if (description != null && description.length() > 125) throw ApiGatewayErrors.badRequest("Invalid API Key description specified.");
        String value = in.value();
        if (value != null && !value.isEmpty()) {
            if (value.length() < 20) throw ApiGatewayErrors.badRequest("API Key value should be at least 20 characters");
            if (value.length() > 128) throw ApiGatewayErrors.badRequest("API Key value exceeds maximum size of 128 characters");
        } else {
            value = Ids.apiKeyValue();
        }
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("id", Ids.apiId());
        key.put("value", value);
        if (name != null && !name.isEmpty()) key.put("name", name);
        Docs.putIfPresent(key, "customerId", in.customerId());
        Docs.putIfPresent(key, "description", description);
        key.put("enabled", java.util.Objects.requireNonNullElse(in.enabled(), false));
        long now = Docs.nowSeconds();
        key.put("createdDate", now);
        key.put("lastUpdatedDate", now);
        List<Object> stageKeys = new ArrayList<>();
        if (in.stageKeys() != null) {
            for (StageKey sk : in.stageKeys()) stageKeys.add(sk.restApiId() + "/" + sk.stageName());
        }
        key.put("stageKeys", stageKeys);
        Map<String, ?> tags = in.tags();
        if (tags != null && !tags.isEmpty()) key.put("tags", new LinkedHashMap<>(tags));
        synchronized (state) {
            state.apiKeys.put((String) key.get("id"), key);
        }
        return Docs.copy(key);
    }

    private static Map<String, Object> apiKey(ApiGatewayState state, String id) {
        Map<String, Object> key = id == null ? null : state.apiKeys.get(id);
        if (key == null) throw ApiGatewayErrors.notFound("Invalid API Key identifier specified");
        return key;
    }

    static Map<String, Object> getApiKey(ApiGatewayState state, GetApiKeyRequest in) {
        synchronized (state) {
            Map<String, Object> key = Docs.copy(apiKey(state, in.apiKey()));
            if (!java.util.Objects.requireNonNullElse(in.includeValue(), false)) key.remove("value");
            return key;
        }
    }

    static Map<String, Object> getApiKeys(ApiGatewayState state, GetApiKeysRequest in) {
        String nameQuery = in.nameQuery();
        boolean includeValues = java.util.Objects.requireNonNullElse(in.includeValues(), false);
        List<Map<String, Object>> all = new ArrayList<>();
        synchronized (state) {
            for (Map<String, Object> key : state.apiKeys.values()) {
                String name = str(key, "name");
                if (nameQuery != null && (name == null || !name.startsWith(nameQuery))) continue;
                Map<String, Object> copy = Docs.copy(key);
                if (!includeValues) copy.remove("value");
                all.add(copy);
            }
        }
        all.sort((a, b) -> String.valueOf(b.get("createdDate")).compareTo(String.valueOf(a.get("createdDate"))));
        return Paging.page(all, in.position(), in.limit());
    }

    static Map<String, Object> updateApiKey(ApiGatewayState state, UpdateApiKeyRequest in) {
        List<Patch.Op> ops = Patch.read(in.patchOperations(), "updateApiKeyInput", null);
        synchronized (state) {
            Map<String, Object> key = apiKey(state, in.apiKey());
            Map<String, Object> doc = Docs.copy(key);
            for (Patch.Op op : ops) {
                switch (op.path()) {
                    case "/description" -> {
                        if (op.value() != null && op.value().length() > 125) throw ApiGatewayErrors.badRequest("Invalid API Key description specified.");
                        doc.put("description", op.value());
                    }
                    case "/enabled" -> doc.put("enabled", "true".equalsIgnoreCase(op.value()));
                    case "/name", "/customerId" -> doc.put(op.member(), op.value());
                    default -> throw ApiGatewayErrors.badRequest("Invalid patch path  '" + op.path() + "' specified for op '" + op.op()
                            + "'. Must be one of: [/description, /enabled, /name, /customerId]");
                }
            }
            doc.put("lastUpdatedDate", Docs.nowSeconds());
            doc.putIfAbsent("tags", new LinkedHashMap<>());
            key.clear();
            key.putAll(doc);
            Map<String, Object> out = Docs.copy(key);
            out.remove("value");
            return out;
        }
    }

    static Map<String, Object> deleteApiKey(ApiGatewayState state, DeleteApiKeyRequest in) {
        synchronized (state) {
            apiKey(state, in.apiKey());
            state.apiKeys.remove(in.apiKey());
            for (Map<String, Map<String, Object>> keys : state.usagePlanKeys.values()) keys.remove(in.apiKey());
        }
        return Map.of();
    }

    // ---- usage plans ----

    static Map<String, Object> createUsagePlan(ApiGatewayState state, CreateUsagePlanRequest in) {
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("id", Ids.shortId());
        plan.put("name", in.name());
        Docs.putIfPresent(plan, "description", in.description());
        List<Object> stages = new ArrayList<>();
        if (in.apiStages() != null) {
            for (ApiStage s : in.apiStages()) {
                checkApiStage(state, plan, s.apiId(), s.stage());
                stages.add(TreeConverter.toTree(ApiStage.SHAPE, s));
            }
        }
        plan.put("apiStages", stages);
        if (in.throttle() != null) plan.put("throttle", throttleDoc(in.throttle()));
        if (in.quota() != null) plan.put("quota", quotaDoc(in.quota()));
        Map<String, ?> tags = in.tags();
        if (tags != null && !tags.isEmpty()) plan.put("tags", new LinkedHashMap<>(tags));
        synchronized (state) {
            state.usagePlans.put((String) plan.get("id"), plan);
        }
        return Docs.copy(plan);
    }

    private static void checkApiStage(ApiGatewayState state, Map<String, Object> plan, String apiId, String stage) {
        RestApi api = state.restApis.get(String.valueOf(apiId));
        if (api == null || !api.stages.containsKey(stage)) {
            throw ApiGatewayErrors.notFound("Invalid API Stage {api: " + apiId + ", stage: " + stage + "} specified for usageplan " + plan.get("id"));
        }
    }

    private static Map<String, Object> throttleDoc(ThrottleSettings t) {
        Map<String, Object> out = new LinkedHashMap<>();
        Docs.putIfPresent(out, "burstLimit", t.burstLimit());
        Docs.putIfPresent(out, "rateLimit", t.rateLimit());
        return out;
    }

    private static Map<String, Object> quotaDoc(QuotaSettings q) {
        Map<String, Object> out = new LinkedHashMap<>();
        Docs.putIfPresent(out, "limit", q.limit());
        out.put("offset", q.offset() != null ? q.offset() : 0);
        Docs.putIfPresent(out, "period", q.periodAsString());
        return out;
    }

    private static Map<String, Object> usagePlan(ApiGatewayState state, String id) {
        Map<String, Object> plan = id == null ? null : state.usagePlans.get(id);
        if (plan == null) throw ApiGatewayErrors.notFound("Invalid Usage Plan ID specified");
        return plan;
    }

    static Map<String, Object> getUsagePlan(ApiGatewayState state, GetUsagePlanRequest in) {
        synchronized (state) {
            Map<String, Object> plan = Docs.copy(usagePlan(state, in.usagePlanId()));
            plan.putIfAbsent("tags", new LinkedHashMap<>());
            return plan;
        }
    }

    static Map<String, Object> getUsagePlans(ApiGatewayState state, GetUsagePlansRequest in) {
        String keyId = in.keyId();
        List<Map<String, Object>> all = new ArrayList<>();
        synchronized (state) {
            for (Map<String, Object> plan : state.usagePlans.values()) {
                if (keyId != null && !state.usagePlanKeys.getOrDefault((String) plan.get("id"), Map.of()).containsKey(keyId)) continue;
                all.add(Docs.copy(plan));
            }
        }
        return Paging.page(all, in.position(), in.limit());
    }

    static Map<String, Object> updateUsagePlan(ApiGatewayState state, UpdateUsagePlanRequest in) {
        List<Patch.Op> ops = Patch.read(in.patchOperations(), "updateUsagePlanInput", null);
        synchronized (state) {
            Map<String, Object> plan = usagePlan(state, in.usagePlanId());
            Map<String, Object> doc = Docs.copy(plan);
            for (Patch.Op op : ops) {
                String path = op.path();
                switch (path) {
                    case "/name", "/description", "/productCode" -> doc.put(op.member(), op.value());
                    case "/throttle/burstLimit" -> Docs.mapOrNew(doc, "throttle").put("burstLimit", Integer.parseInt(op.value()));
                    case "/throttle/rateLimit" -> Docs.mapOrNew(doc, "throttle").put("rateLimit", Double.parseDouble(op.value()));
                    case "/quota/limit" -> Docs.mapOrNew(doc, "quota").put("limit", Integer.parseInt(op.value()));
                    case "/quota/offset" -> Docs.mapOrNew(doc, "quota").put("offset", Integer.parseInt(op.value()));
                    case "/quota/period" -> Docs.mapOrNew(doc, "quota").put("period", op.value());
                    case "/apiStages" -> {
                        String[] apiStage = op.value() == null ? new String[0] : op.value().split(":", 2);
                        if (apiStage.length != 2) throw ApiGatewayErrors.badRequest("Invalid API Stage specified");
                        List<Object> stages = Docs.list(doc, "apiStages");
                        if (op.op().equals("add")) {
                            checkApiStage(state, plan, apiStage[0], apiStage[1]);
                            Map<String, Object> s = new LinkedHashMap<>();
                            s.put("apiId", apiStage[0]);
                            s.put("stage", apiStage[1]);
                            stages.add(s);
                        } else if (op.op().equals("remove")) {
                            stages.removeIf(o -> o instanceof Map<?, ?> m && apiStage[0].equals(m.get("apiId")) && apiStage[1].equals(m.get("stage")));
                        }
                    }
                    default -> throw ApiGatewayErrors.badRequest("Invalid patch path " + path);
                }
            }
            doc.putIfAbsent("tags", new LinkedHashMap<>());
            plan.clear();
            plan.putAll(doc);
            return Docs.copy(plan);
        }
    }

    static Map<String, Object> deleteUsagePlan(ApiGatewayState state, DeleteUsagePlanRequest in) {
        synchronized (state) {
            usagePlan(state, in.usagePlanId());
            state.usagePlans.remove(in.usagePlanId());
            state.usagePlanKeys.remove(in.usagePlanId());
        }
        return Map.of();
    }

    static Map<String, Object> createUsagePlanKey(ApiGatewayState state, CreateUsagePlanKeyRequest in) {
        synchronized (state) {
            String planId = in.usagePlanId();
            usagePlan(state, planId);
            Map<String, Object> key = apiKey(state, in.keyId());
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("id", key.get("id"));
            doc.put("type", in.keyType() == null ? "API_KEY" : in.keyType());
            doc.put("value", key.get("value"));
            Docs.putIfPresent(doc, "name", key.get("name"));
            state.usagePlanKeys.computeIfAbsent(planId, k -> new LinkedHashMap<>()).put((String) key.get("id"), doc);
            return Docs.copy(doc);
        }
    }

    static Map<String, Object> getUsagePlanKey(ApiGatewayState state, GetUsagePlanKeyRequest in) {
        synchronized (state) {
            Map<String, Object> doc = state.usagePlanKeys.getOrDefault(in.usagePlanId(), Map.of()).get(in.keyId());
            if (doc == null) throw ApiGatewayErrors.notFound("Invalid Usage Plan Key identifier specified");
            return Docs.copy(doc);
        }
    }

    static Map<String, Object> getUsagePlanKeys(ApiGatewayState state, GetUsagePlanKeysRequest in) {
        List<Map<String, Object>> all = new ArrayList<>();
        String nameQuery = in.nameQuery();
        synchronized (state) {
            for (Map<String, Object> doc : state.usagePlanKeys.getOrDefault(in.usagePlanId(), Map.of()).values()) {
                if (nameQuery != null && (doc.get("name") == null || !doc.get("name").toString().startsWith(nameQuery))) continue;
                all.add(Docs.copy(doc));
            }
        }
        return Paging.page(all, in.position(), in.limit());
    }

    static Map<String, Object> deleteUsagePlanKey(ApiGatewayState state, DeleteUsagePlanKeyRequest in) {
        synchronized (state) {
            Map<String, Map<String, Object>> keys = state.usagePlanKeys.get(in.usagePlanId());
            if (keys == null || keys.remove(in.keyId()) == null) {
                throw ApiGatewayErrors.notFound("Invalid Usage Plan Key identifier specified");
            }
        }
        return Map.of();
    }

    /** Whether an enabled key with this value belongs to a usage plan of the API's stage (what a key-required method checks). */
    static boolean keyAllowed(ApiGatewayState state, String apiId, String stage, String value) {
        if (value == null) return false;
        synchronized (state) {
            for (Map.Entry<String, Map<String, Map<String, Object>>> e : state.usagePlanKeys.entrySet()) {
                Map<String, Object> plan = state.usagePlans.get(e.getKey());
                if (plan == null) continue;
                boolean covers = false;
                for (Object o : Docs.list(plan, "apiStages")) {
                    if (o instanceof Map<?, ?> m && apiId.equals(m.get("apiId")) && stage.equals(m.get("stage"))) covers = true;
                }
                if (!covers) continue;
                for (Map<String, Object> k : e.getValue().values()) {
                    Map<String, Object> key = state.apiKeys.get((String) k.get("id"));
                    if (key != null && value.equals(key.get("value")) && Docs.bool(key, "enabled", false)) return true;
                }
            }
        }
        return false;
    }
}
