package dev.polystack.services.apigateway;

import dev.polystack.api.model.TreeConverter;
import dev.polystack.services.apigateway.api.*;
import dev.polystack.services.apigateway.RestApi.Deployment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.polystack.services.apigateway.Docs.str;

/** Deployments (frozen copies of the resource tree) and the stages that serve them. */
final class StageOps {
    private static final String STAGE_PATHS = "[/deploymentId, /description, /cacheClusterEnabled, /cacheClusterSize, /clientCertificateId, "
            + "/accessLogSettings, /accessLogSettings/destinationArn, /accessLogSettings/format, /{resourcePath}/{httpMethod}/metrics/enabled, "
            + "/{resourcePath}/{httpMethod}/logging/dataTrace, /{resourcePath}/{httpMethod}/logging/loglevel, "
            + "/{resourcePath}/{httpMethod}/throttling/burstLimit /{resourcePath}/{httpMethod}/throttling/rateLimit "
            + "/{resourcePath}/{httpMethod}/caching/ttlInSeconds, /{resourcePath}/{httpMethod}/caching/enabled, "
            + "/{resourcePath}/{httpMethod}/caching/dataEncrypted, /{resourcePath}/{httpMethod}/caching/requireAuthorizationForCacheControl, "
            + "/{resourcePath}/{httpMethod}/caching/unauthorizedCacheControlHeaderStrategy, /*/*/metrics/enabled, /*/*/logging/dataTrace, "
            + "/*/*/logging/loglevel, /*/*/throttling/burstLimit /*/*/throttling/rateLimit /*/*/caching/ttlInSeconds, /*/*/caching/enabled, "
            + "/*/*/caching/dataEncrypted, /*/*/caching/requireAuthorizationForCacheControl, /*/*/caching/unauthorizedCacheControlHeaderStrategy, "
            + "/variables/{variable_name}, /tracingEnabled]";

    private StageOps() {
    }

    static Map<String, Object> createDeployment(ApiGatewayState state, CreateDeploymentRequest in) {
        RestApi api = state.api(in.restApiId());
        synchronized (api) {
            boolean anyMethod = false;
            for (RestApi.Resource r : api.resources.values()) {
                for (Map<String, Object> m : r.methods.values()) {
                    anyMethod = true;
                    if (Docs.map(m, "methodIntegration") == null) throw ApiGatewayErrors.badRequest("No integration defined for method");
                }
            }
            if (!anyMethod) throw ApiGatewayErrors.badRequest("The REST API doesn't contain any methods");
            String stageName = in.stageName();
            if (in.canarySettings() != null) {
                if (stageName == null || stageName.isEmpty()) {
                    throw ApiGatewayErrors.badRequest("Invalid deployment content specified.Non null and non empty stageName must be provided for canary deployment. Provided value is " + (stageName == null ? "null" : ""));
                }
                if (!api.stages.containsKey(stageName)) {
                    throw ApiGatewayErrors.badRequest("Invalid deployment content specified.Stage " + stageName + " must already be created before making a canary release deployment");
                }
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            String id = Ids.shortId();
            doc.put("id", id);
            Docs.putIfPresent(doc, "description", in.description());
            doc.put("createdDate", Docs.nowSeconds());
            api.deployments.put(id, new Deployment(doc, api.freeze()));
            if (stageName != null && !stageName.isEmpty()) {
                Map<String, Object> stage = api.stages.get(stageName);
                if (stage == null) {
                    stage = newStage(stageName, id, in.stageDescription(), in.variables());
                    api.stages.put(stageName, stage);
                } else if (in.canarySettings() != null) {
                    Map<String, Object> canary = TreeConverter.toTree(DeploymentCanarySettings.SHAPE, in.canarySettings());
                    canary.put("deploymentId", id);
                    stage.put("canarySettings", canary);
                } else {
                    stage.put("deploymentId", id);
                    Map<String, ?> variables = in.variables();
                    if (variables != null) stage.put("variables", new LinkedHashMap<>(variables));
                }
                stage.put("lastUpdatedDate", Docs.nowSeconds());
            }
            return Docs.copy(doc);
        }
    }

    private static Map<String, Object> newStage(String name, String deploymentId, String description, Map<String, ?> variables) {
        Map<String, Object> stage = new LinkedHashMap<>();
        stage.put("deploymentId", deploymentId);
        stage.put("stageName", name);
        Docs.putIfPresent(stage, "description", description);
        stage.put("cacheClusterEnabled", false);
        stage.put("cacheClusterStatus", "NOT_AVAILABLE");
        stage.put("methodSettings", new LinkedHashMap<>());
        if (variables != null && !variables.isEmpty()) stage.put("variables", new LinkedHashMap<>(variables));
        stage.put("tracingEnabled", false);
        long now = Docs.nowSeconds();
        stage.put("createdDate", now);
        stage.put("lastUpdatedDate", now);
        return stage;
    }

    static Map<String, Object> getDeployment(ApiGatewayState state, GetDeploymentRequest in) {
        RestApi api = state.api(in.restApiId());
        synchronized (api) {
            Deployment d = api.deployments.get(in.deploymentId());
            if (d == null) throw ApiGatewayErrors.deploymentNotFound();
            return Docs.copy(d.doc);
        }
    }

    static Map<String, Object> getDeployments(ApiGatewayState state, GetDeploymentsRequest in) {
        RestApi api = state.api(in.restApiId());
        List<Map<String, Object>> all = new ArrayList<>();
        synchronized (api) {
            for (Deployment d : api.deployments.values()) all.add(Docs.copy(d.doc));
        }
        return Paging.page(all, in.position(), in.limit());
    }

    static Map<String, Object> updateDeployment(ApiGatewayState state, UpdateDeploymentRequest in) {
        List<Patch.Op> ops = Patch.read(in.patchOperations(), "updateDeploymentInput", null);
        RestApi api = state.api(in.restApiId());
        synchronized (api) {
            Deployment d = api.deployments.get(in.deploymentId());
            if (d == null) throw ApiGatewayErrors.deploymentNotFound();
            for (Patch.Op op : ops) {
                if (!op.path().equals("/description")) throw ApiGatewayErrors.badRequest("Invalid patch path " + op.path());
                if (op.op().equals("remove")) d.doc.remove("description");
                else d.doc.put("description", op.value());
            }
            return Docs.copy(d.doc);
        }
    }

    static Map<String, Object> deleteDeployment(ApiGatewayState state, DeleteDeploymentRequest in) {
        RestApi api = state.api(in.restApiId());
        synchronized (api) {
            String id = in.deploymentId();
            if (!api.deployments.containsKey(id)) throw ApiGatewayErrors.deploymentNotFound();
            for (Map<String, Object> stage : api.stages.values()) {
                if (id.equals(stage.get("deploymentId"))) {
                    throw ApiGatewayErrors.badRequest("Active stages pointing to this deployment must be moved or deleted");
                }
            }
            api.deployments.remove(id);
        }
        return Map.of();
    }

    // ---- stages ----

    static Map<String, Object> createStage(ApiGatewayState state, CreateStageRequest in) {
        RestApi api = state.api(in.restApiId());
        synchronized (api) {
            String name = in.stageName();
            String deploymentId = in.deploymentId();
            if (!api.deployments.containsKey(deploymentId)) throw ApiGatewayErrors.badRequest("Deployment id does not exist");
            if (api.stages.containsKey(name)) throw ApiGatewayErrors.conflict("Stage already exists");
            Map<String, Object> stage = newStage(name, deploymentId, in.description(), in.variables());
            Docs.putIfPresent(stage, "documentationVersion", in.documentationVersion());
            if (java.util.Objects.requireNonNullElse(in.tracingEnabled(), false)) stage.put("tracingEnabled", true);
            CanarySettings canary = in.canarySettings();
            if (canary != null) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("deploymentId", canary.deploymentId() != null ? canary.deploymentId() : deploymentId);
                c.put("percentTraffic", canary.percentTraffic() != null ? canary.percentTraffic() : 0.0);
                if (canary.stageVariableOverrides() != null) c.put("stageVariableOverrides", new LinkedHashMap<>(canary.stageVariableOverrides()));
                c.put("useStageCache", Boolean.TRUE.equals(canary.useStageCache()));
                stage.put("canarySettings", c);
            }
            Map<String, ?> tags = in.tags();
            if (tags != null && !tags.isEmpty()) stage.put("tags", new LinkedHashMap<>(tags));
            api.stages.put(name, stage);
            return Docs.copy(stage);
        }
    }

    static Map<String, Object> stage(RestApi api, String name) {
        Map<String, Object> stage = name == null ? null : api.stages.get(name);
        if (stage == null) throw ApiGatewayErrors.stageNotFound();
        return stage;
    }

    static Map<String, Object> getStage(ApiGatewayState state, GetStageRequest in) {
        RestApi api = state.api(in.restApiId());
        synchronized (api) {
            return Docs.copy(stage(api, in.stageName()));
        }
    }

    static Map<String, Object> getStages(ApiGatewayState state, GetStagesRequest in) {
        RestApi api = state.api(in.restApiId());
        List<Object> items = new ArrayList<>();
        synchronized (api) {
            String deploymentId = in.deploymentId();
            for (Map<String, Object> stage : api.stages.values()) {
                if (deploymentId == null || deploymentId.equals(stage.get("deploymentId"))) items.add(Docs.copy(stage));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("item", items);
        return out;
    }

    static Map<String, Object> deleteStage(ApiGatewayState state, DeleteStageRequest in) {
        RestApi api = state.api(in.restApiId());
        synchronized (api) {
            stage(api, in.stageName());
            api.stages.remove(in.stageName());
        }
        return Map.of();
    }

    static Map<String, Object> updateStage(ApiGatewayState state, UpdateStageRequest in) {
        List<Patch.Op> ops = Patch.read(in.patchOperations(), "updateStageInput", null);
        RestApi api = state.api(in.restApiId());
        synchronized (api) {
            Map<String, Object> live = stage(api, in.stageName());
            Map<String, Object> doc = Docs.copy(live);
            for (Patch.Op op : ops) applyStagePatch(api, doc, op);
            doc.put("lastUpdatedDate", Docs.nowSeconds());
            live.clear();
            live.putAll(doc);
            return Docs.copy(live);
        }
    }

    private static void applyStagePatch(RestApi api, Map<String, Object> doc, Patch.Op op) {
        String path = op.path();
        String member = op.member();
        switch (member) {
            case "deploymentId" -> {
                if (!api.deployments.containsKey(op.value())) throw ApiGatewayErrors.badRequest("Deployment id does not exist");
                doc.put(member, op.value());
            }
            case "description", "clientCertificateId", "cacheClusterSize", "documentationVersion" -> {
                if (op.op().equals("remove")) doc.remove(member);
                else doc.put(member, op.value());
            }
            case "cacheClusterEnabled", "tracingEnabled" -> doc.put(member, Boolean.parseBoolean(op.value()));
            case "variables" -> {
                String key = op.key();
                if (key == null) throw ApiGatewayErrors.badRequest("Invalid method setting path: " + path + ". Must be one of: " + STAGE_PATHS);
                Map<String, Object> variables = Docs.mapOrNew(doc, member);
                if (op.op().equals("remove")) variables.remove(key);
                else variables.put(key, op.value());
                if (variables.isEmpty()) doc.remove(member);
            }
            case "accessLogSettings" -> {
                String key = op.key();
                if (op.op().equals("remove") && key == null) {
                    doc.remove(member);
                    return;
                }
                if (!"destinationArn".equals(key) && !"format".equals(key)) {
                    throw ApiGatewayErrors.badRequest("Invalid accessLogSettings path. Must be one of : [/accessLogSettings/destinationArn, /accessLogSettings/format]");
                }
                if (op.value() == null || op.value().isEmpty()) throw ApiGatewayErrors.badRequest("Access Log value must not be empty");
                Docs.mapOrNew(doc, member).put(key, op.value());
            }
            case "canarySettings" -> {
                String key = op.key();
                if (op.op().equals("remove") && key == null) {
                    doc.remove(member);
                    return;
                }
                Map<String, Object> canary = Docs.mapOrNew(doc, member);
                if ("percentTraffic".equals(key)) canary.put(key, Double.parseDouble(op.value()));
                else if ("deploymentId".equals(key)) canary.put(key, op.value());
                else if ("useStageCache".equals(key)) canary.put(key, Boolean.parseBoolean(op.value()));
                else if (key != null && key.startsWith("stageVariableOverrides/")) {
                    Docs.mapOrNew(canary, "stageVariableOverrides").put(key.substring("stageVariableOverrides/".length()), op.value());
                } else {
                    throw ApiGatewayErrors.badRequest("Invalid method setting path: " + path + ". Must be one of: " + STAGE_PATHS);
                }
            }
            default -> {
                // /{resourcePath}/{httpMethod}/{section}/{setting}: method settings; "*/*" stands for every method.
                String[] parts = path.substring(1).split("/");
                if (parts.length != 4) throw ApiGatewayErrors.badRequest("Invalid method setting path: " + path + ". Must be one of: " + STAGE_PATHS);
                String key = Patch.unescape(parts[0]) + "/" + parts[1];
                Map<String, Object> settings = Docs.mapOrNew(doc, "methodSettings");
                @SuppressWarnings("unchecked") Map<String, Object> setting = (Map<String, Object>) settings.computeIfAbsent(key, k -> defaultMethodSetting());
                String name = switch (parts[2] + "/" + parts[3]) {
                    case "metrics/enabled" -> "metricsEnabled";
                    case "logging/dataTrace" -> "dataTraceEnabled";
                    case "logging/loglevel" -> "loggingLevel";
                    case "throttling/burstLimit" -> "throttlingBurstLimit";
                    case "throttling/rateLimit" -> "throttlingRateLimit";
                    case "caching/ttlInSeconds" -> "cacheTtlInSeconds";
                    case "caching/enabled" -> "cachingEnabled";
                    case "caching/dataEncrypted" -> "cacheDataEncrypted";
                    case "caching/requireAuthorizationForCacheControl" -> "requireAuthorizationForCacheControl";
                    case "caching/unauthorizedCacheControlHeaderStrategy" -> "unauthorizedCacheControlHeaderStrategy";
                    default -> throw ApiGatewayErrors.badRequest("Invalid method setting path: " + path + ". Must be one of: " + STAGE_PATHS);
                };
                Object current = setting.get(name);
                Object value = switch (name) {
                    case "throttlingRateLimit" -> Double.parseDouble(op.value());
                    case "throttlingBurstLimit", "cacheTtlInSeconds" -> Integer.parseInt(op.value());
                    case "loggingLevel", "unauthorizedCacheControlHeaderStrategy" -> op.value();
                    default -> current instanceof Boolean || current == null ? (Object) Boolean.parseBoolean(op.value()) : op.value();
                };
                setting.put(name, value);
            }
        }
    }

    private static Map<String, Object> defaultMethodSetting() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("cacheDataEncrypted", false);
        s.put("cacheTtlInSeconds", 300);
        s.put("cachingEnabled", false);
        s.put("dataTraceEnabled", false);
        s.put("metricsEnabled", false);
        s.put("requireAuthorizationForCacheControl", true);
        s.put("throttlingBurstLimit", 5000);
        s.put("throttlingRateLimit", 10000.0);
        s.put("unauthorizedCacheControlHeaderStrategy", "SUCCEED_WITH_RESPONSE_HEADER");
        return s;
    }
}
