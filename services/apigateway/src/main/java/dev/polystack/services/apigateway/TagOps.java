package dev.polystack.services.apigateway;

import dev.polystack.services.apigateway.api.*;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.polystack.services.apigateway.Docs.str;

/** Tags on REST APIs, stages, API keys and usage plans (by ARN), and the account's settings. */
final class TagOps {
    private TagOps() {
    }

    /** The document an ARN names: {@code arn:aws:apigateway:<region>::/restapis/<id>[/stages/<name>]}, /apikeys, /usageplans. */
    private static Map<String, Object> target(ApiGatewayState state, String arn) {
        int at = arn == null ? -1 : arn.indexOf("::/");
        if (at < 0) throw ApiGatewayErrors.badRequest("Invalid ARN. ARN is not well formed " + arn);
        String[] parts = arn.substring(at + 3).split("/");
        if (parts.length >= 2 && parts[0].equals("restapis")) {
            RestApi api = state.api(parts[1]);
            if (parts.length == 2) return api.doc;
            if (parts.length == 4 && parts[2].equals("stages")) return StageOps.stage(api, parts[3]);
        }
        if (parts.length == 2 && parts[0].equals("apikeys") && state.apiKeys.containsKey(parts[1])) return state.apiKeys.get(parts[1]);
        if (parts.length == 2 && parts[0].equals("usageplans") && state.usagePlans.containsKey(parts[1])) return state.usagePlans.get(parts[1]);
        throw ApiGatewayErrors.notFound("Invalid resource identifier specified");
    }

    static Map<String, Object> tagResource(ApiGatewayState state, TagResourceRequest in) {
        synchronized (state) {
            Map<String, Object> doc = target(state, in.resourceArn());
            Map<String, ?> tags = in.tags();
            if (tags != null) Docs.mapOrNew(doc, "tags").putAll(tags);
        }
        return Map.of();
    }

    static Map<String, Object> untagResource(ApiGatewayState state, UntagResourceRequest in) {
        synchronized (state) {
            Map<String, Object> doc = target(state, in.resourceArn());
            Map<String, Object> tags = Docs.map(doc, "tags");
            List<?> keys = in.tagKeys();
            if (tags != null && keys != null) keys.forEach(tags::remove);
        }
        return Map.of();
    }

    static Map<String, Object> getTags(ApiGatewayState state, GetTagsRequest in) {
        synchronized (state) {
            Map<String, Object> tags = Docs.map(target(state, in.resourceArn()), "tags");
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("tags", tags == null ? new LinkedHashMap<>() : Docs.copy(tags));
            return out;
        }
    }

    static Map<String, Object> getAccount(ApiGatewayState state, Object ignored) {
        Map<String, Object> out = new LinkedHashMap<>();
        synchronized (state) {
            Docs.putIfPresent(out, "cloudwatchRoleArn", state.account.get("cloudwatchRoleArn"));
        }
        Map<String, Object> throttle = new LinkedHashMap<>();
        throttle.put("burstLimit", 5000);
        throttle.put("rateLimit", 10000.0);
        out.put("throttleSettings", throttle);
        out.put("features", List.of("UsagePlans"));
        out.put("apiKeyVersion", "4");
        return out;
    }

    static Map<String, Object> updateAccount(ApiGatewayState state, UpdateAccountRequest in) {
        List<Patch.Op> ops = Patch.read(in.patchOperations(), "updateAccountInput", null);
        synchronized (state) {
            for (Patch.Op op : ops) {
                if (!op.path().equals("/cloudwatchRoleArn")) throw ApiGatewayErrors.badRequest("Invalid patch path " + op.path());
                if (op.op().equals("remove")) state.account.remove("cloudwatchRoleArn");
                else state.account.put("cloudwatchRoleArn", op.value());
            }
        }
        return getAccount(state, null);
    }
}
