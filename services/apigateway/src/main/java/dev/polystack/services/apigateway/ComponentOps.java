package dev.polystack.services.apigateway;

import dev.polystack.services.apigateway.api.*;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.polystack.services.apigateway.Docs.str;

/** Models, request validators, authorizers and gateway responses of a REST API. */
final class ComponentOps {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** AWS's default gateway responses: type → status (null: none, the DEFAULT_* families). */
    static final Map<String, String> DEFAULT_RESPONSES = new LinkedHashMap<>();

    static {
        String[][] defaults = {
                {"ACCESS_DENIED", "403"}, {"API_CONFIGURATION_ERROR", "500"}, {"AUTHORIZER_CONFIGURATION_ERROR", "500"},
                {"AUTHORIZER_FAILURE", "500"}, {"BAD_REQUEST_BODY", "400"}, {"BAD_REQUEST_PARAMETERS", "400"},
                {"DEFAULT_4XX", null}, {"DEFAULT_5XX", null}, {"EXPIRED_TOKEN", "403"}, {"INTEGRATION_FAILURE", "504"},
                {"INTEGRATION_TIMEOUT", "504"}, {"INVALID_API_KEY", "403"}, {"INVALID_SIGNATURE", "403"},
                {"MISSING_AUTHENTICATION_TOKEN", "403"}, {"QUOTA_EXCEEDED", "429"}, {"REQUEST_TOO_LARGE", "413"},
                {"RESOURCE_NOT_FOUND", "404"}, {"THROTTLED", "429"}, {"UNAUTHORIZED", "401"},
                {"UNSUPPORTED_MEDIA_TYPE", "415"}, {"WAF_FILTERED", "403"}};
        for (String[] d : defaults) DEFAULT_RESPONSES.put(d[0], d[1]);
    }

    private ComponentOps() {
    }

    // ---- models ----

    /** The two models every REST API starts with. */
    static void addDefaultModels(RestApi api) {
        Map<String, Object> empty = model(Ids.shortId(), "Empty", "application/json", "This is a default empty schema model",
                "{\n  \"$schema\": \"http://json-schema.org/draft-04/schema#\",\n  \"title\" : \"Empty Schema\",\n  \"type\" : \"object\"\n}");
        Map<String, Object> error = model(Ids.shortId(), "Error", "application/json", "This is a default error schema model",
                "{\n  \"$schema\" : \"http://json-schema.org/draft-04/schema#\",\n  \"title\" : \"Error Schema\",\n  \"type\" : \"object\",\n"
                        + "  \"properties\" : {\n    \"message\" : { \"type\" : \"string\" }\n  }\n}");
        api.models.put("Empty", empty);
        api.models.put("Error", error);
    }

    private static Map<String, Object> model(String id, String name, String contentType, String description, String schema) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        Docs.putIfPresent(m, "description", description);
        Docs.putIfPresent(m, "schema", schema);
        m.put("contentType", contentType);
        return m;
    }

    static Map<String, Object> createModel(ApiGatewayState state, CreateModelRequest in) {
        RestApi api = state.api(in.restApiId());
        String name = in.name();
        if (name == null || name.isEmpty()) throw ApiGatewayErrors.badRequest("Model name must be non-empty");
        String schema = in.schema();
        String contentType = in.contentType();
        if (schema == null || !hasPropertiesOrItems(schema)) {
            throw ApiGatewayErrors.badRequest("Model schema must have at least 1 property or array items defined");
        }
        synchronized (api) {
            if (api.models.containsKey(name)) throw ApiGatewayErrors.conflict("Model name already exists for this REST API");
            Map<String, Object> m = model(Ids.shortId(), name, contentType == null ? "application/json" : contentType, in.description(), schema);
            api.models.put(name, m);
            return Docs.copy(m);
        }
    }

    private static boolean hasPropertiesOrItems(String schema) {
        try {
            JsonNode node = JSON.readTree(schema);
            return node != null && node.isObject() && node.size() > 0
                    && (node.has("properties") || node.has("items") || node.has("type") || node.has("$ref"));
        } catch (Exception e) {
            return false;
        }
    }

    private static Map<String, Object> existingModel(RestApi api, String name) {
        Map<String, Object> m = name == null ? null : api.models.get(name);
        if (m == null) throw ApiGatewayErrors.notFound("Invalid model name specified: " + name);
        return m;
    }

    static Map<String, Object> getModel(ApiGatewayState state, GetModelRequest in) {
        RestApi api = state.api(in.restApiId());
        synchronized (api) {
            return Docs.copy(existingModel(api, in.modelName()));
        }
    }

    static Map<String, Object> getModels(ApiGatewayState state, GetModelsRequest in) {
        RestApi api = state.api(in.restApiId());
        List<Map<String, Object>> all = new ArrayList<>();
        synchronized (api) {
            api.models.values().forEach(m -> all.add(Docs.copy(m)));
        }
        return Paging.page(all, in.position(), in.limit());
    }

    static Map<String, Object> updateModel(ApiGatewayState state, UpdateModelRequest in) {
        List<Patch.Op> ops = Patch.read(in.patchOperations(), "updateModelInput", null);
        RestApi api = state.api(in.restApiId());
        synchronized (api) {
            Map<String, Object> m = existingModel(api, in.modelName());
            for (Patch.Op op : ops) {
                if (!op.path().equals("/description") && !op.path().equals("/schema")) {
                    throw ApiGatewayErrors.badRequest("Invalid patch path  '" + op.path() + "' specified for op '" + op.op() + "'. Must be one of: [/description, /schema]");
                }
                m.put(op.member(), op.value());
            }
            return Docs.copy(m);
        }
    }

    static Map<String, Object> deleteModel(ApiGatewayState state, DeleteModelRequest in) {
        RestApi api = state.api(in.restApiId());
        synchronized (api) {
            String name = in.modelName();
            existingModel(api, name);
            for (RestApi.Resource r : api.resources.values()) {
                for (Map.Entry<String, Map<String, Object>> m : r.methods.entrySet()) {
                    Map<String, Object> models = Docs.map(m.getValue(), "requestModels");
                    if (models != null && models.containsValue(name)) {
                        String path = api.pathOf(r);
                        throw ApiGatewayErrors.conflict("Cannot delete model '" + name + "', is referenced in method request: "
                                + (path.equals("/") ? "/" : path) + "/" + m.getKey());
                    }
                }
            }
            api.models.remove(name);
        }
        return Map.of();
    }

    // ---- request validators ----

    static Map<String, Object> createRequestValidator(ApiGatewayState state, CreateRequestValidatorRequest in) {
        RestApi api = state.restApis.get(String.valueOf(in.restApiId()));
        if (api == null) throw ApiGatewayErrors.badRequest("Invalid REST API identifier specified");
        synchronized (api) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", Ids.shortId());
            Docs.putIfPresent(v, "name", in.name());
            v.put("validateRequestBody", java.util.Objects.requireNonNullElse(in.validateRequestBody(), false));
            v.put("validateRequestParameters", java.util.Objects.requireNonNullElse(in.validateRequestParameters(), false));
            api.validators.put((String) v.get("id"), v);
            return Docs.copy(v);
        }
    }

    private static Map<String, Object> validator(RestApi api, String id) {
        Map<String, Object> v = id == null ? null : api.validators.get(id);
        if (v == null) throw ApiGatewayErrors.notFound("Invalid Request Validator identifier specified");
        return v;
    }

    static Map<String, Object> getRequestValidator(ApiGatewayState state, GetRequestValidatorRequest in) {
        RestApi api = state.api(in.restApiId());
        synchronized (api) {
            return Docs.copy(validator(api, in.requestValidatorId()));
        }
    }

    static Map<String, Object> getRequestValidators(ApiGatewayState state, GetRequestValidatorsRequest in) {
        RestApi api = state.api(in.restApiId());
        List<Map<String, Object>> all = new ArrayList<>();
        synchronized (api) {
            api.validators.values().forEach(v -> all.add(Docs.copy(v)));
        }
        return Paging.page(all, in.position(), in.limit());
    }

    static Map<String, Object> updateRequestValidator(ApiGatewayState state, UpdateRequestValidatorRequest in) {
        List<Patch.Op> ops = Patch.read(in.patchOperations(), "updateRequestValidatorInput", null);
        RestApi api = state.api(in.restApiId());
        synchronized (api) {
            Map<String, Object> v = validator(api, in.requestValidatorId());
            Map<String, Object> doc = Docs.copy(v);
            for (Patch.Op op : ops) {
                if (!op.op().equals("replace")) {
                    throw ApiGatewayErrors.badRequest("Invalid patch path  '" + op.path() + "' specified for op '" + op.op() + "'. Please choose supported operations");
                }
                switch (op.path()) {
                    case "/name" -> doc.put("name", op.value());
                    case "/validateRequestBody", "/validateRequestParameters" -> doc.put(op.member(), Boolean.parseBoolean(op.value()));
                    default -> throw ApiGatewayErrors.badRequest("Invalid patch path  '" + op.path()
                            + "' specified for op 'replace'. Must be one of: [/name, /validateRequestParameters, /validateRequestBody]");
                }
            }
            v.clear();
            v.putAll(doc);
            return Docs.copy(v);
        }
    }

    static Map<String, Object> deleteRequestValidator(ApiGatewayState state, DeleteRequestValidatorRequest in) {
        RestApi api = state.api(in.restApiId());
        synchronized (api) {
            validator(api, in.requestValidatorId());
            api.validators.remove(in.requestValidatorId());
        }
        return Map.of();
    }

    // ---- authorizers ----

    static Map<String, Object> createAuthorizer(ApiGatewayState state, CreateAuthorizerRequest in) {
        RestApi api = state.restApis.get(String.valueOf(in.restApiId()));
        if (api == null) throw ApiGatewayErrors.conflict("Unable to complete operation due to concurrent modification. Please try again later.");
        synchronized (api) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("id", Ids.shortId());
            Docs.putIfPresent(a, "name", in.name());
            Docs.putIfPresent(a, "type", in.typeAsString());
            if (in.providerARNs() != null) a.put("providerARNs", new ArrayList<>(in.providerARNs()));
            Docs.putIfPresent(a, "authType", in.authType());
            Docs.putIfPresent(a, "authorizerUri", in.authorizerUri());
            Docs.putIfPresent(a, "authorizerCredentials", in.authorizerCredentials());
            Docs.putIfPresent(a, "identitySource", in.identitySource());
            Docs.putIfPresent(a, "identityValidationExpression", in.identityValidationExpression());
            Docs.putIfPresent(a, "authorizerResultTtlInSeconds", in.authorizerResultTtlInSeconds());
            if ("TOKEN".equals(a.get("type")) || "REQUEST".equals(a.get("type"))) a.putIfAbsent("authorizerResultTtlInSeconds", 300);
            api.authorizers.put((String) a.get("id"), a);
            return Docs.copy(a);
        }
    }

    static Map<String, Object> authorizer(RestApi api, String id) {
        Map<String, Object> a = id == null ? null : api.authorizers.get(id);
        if (a == null) throw ApiGatewayErrors.notFound("Invalid Authorizer identifier specified");
        return a;
    }

    static Map<String, Object> getAuthorizer(ApiGatewayState state, GetAuthorizerRequest in) {
        RestApi api = state.api(in.restApiId());
        synchronized (api) {
            return Docs.copy(authorizer(api, in.authorizerId()));
        }
    }

    static Map<String, Object> getAuthorizers(ApiGatewayState state, GetAuthorizersRequest in) {
        RestApi api = state.api(in.restApiId());
        List<Map<String, Object>> all = new ArrayList<>();
        synchronized (api) {
            api.authorizers.values().forEach(a -> all.add(Docs.copy(a)));
        }
        return Paging.page(all, in.position(), in.limit());
    }

    static Map<String, Object> updateAuthorizer(ApiGatewayState state, UpdateAuthorizerRequest in) {
        List<Patch.Op> ops = Patch.read(in.patchOperations(), "updateAuthorizerInput", null);
        RestApi api = state.api(in.restApiId());
        synchronized (api) {
            Map<String, Object> a = authorizer(api, in.authorizerId());
            for (Patch.Op op : ops) {
                String member = op.member();
                if (member.equals("authorizerResultTtlInSeconds")) a.put(member, Integer.parseInt(op.value()));
                else if (op.op().equals("remove")) a.remove(member);
                else a.put(member, op.value());
            }
            return Docs.copy(a);
        }
    }

    static Map<String, Object> deleteAuthorizer(ApiGatewayState state, DeleteAuthorizerRequest in) {
        RestApi api = state.api(in.restApiId());
        synchronized (api) {
            authorizer(api, in.authorizerId());
            api.authorizers.remove(in.authorizerId());
        }
        return Map.of();
    }

    // ---- gateway responses ----

    private static String checkResponseType(String type) {
        if (type == null || !DEFAULT_RESPONSES.containsKey(type)) {
            throw ApiGatewayErrors.enumValue(type, "responseType", String.join(", ", DEFAULT_RESPONSES.keySet()));
        }
        return type;
    }

    static Map<String, Object> defaultGatewayResponse(String type) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("defaultResponse", true);
        r.put("responseParameters", new LinkedHashMap<>());
        Map<String, Object> templates = new LinkedHashMap<>();
        templates.put("application/json", "{\"message\":$context.error.messageString}");
        r.put("responseTemplates", templates);
        r.put("responseType", type);
        Docs.putIfPresent(r, "statusCode", DEFAULT_RESPONSES.get(type));
        return r;
    }

    /** The response in force for a type: the API's own, else AWS's default. */
    static Map<String, Object> gatewayResponse(RestApi api, String type) {
        Map<String, Object> own = api.gatewayResponses.get(type);
        return own != null ? own : defaultGatewayResponse(type);
    }

    static Map<String, Object> putGatewayResponse(ApiGatewayState state, PutGatewayResponseRequest in) {
        RestApi api = state.api(in.restApiId());
        String type = checkResponseType(in.responseTypeAsString());
        synchronized (api) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("defaultResponse", false);
            Map<String, ?> params = in.responseParameters();
            Map<String, ?> templates = in.responseTemplates();
            r.put("responseParameters", params == null ? new LinkedHashMap<>() : new LinkedHashMap<>(params));
            r.put("responseTemplates", templates == null ? new LinkedHashMap<>() : new LinkedHashMap<>(templates));
            r.put("responseType", type);
            String status = in.statusCode();
            if (status != null) MethodOps.checkStatusCode(status);
            Docs.putIfPresent(r, "statusCode", status != null ? status : DEFAULT_RESPONSES.get(type));
            api.gatewayResponses.put(type, r);
            return Docs.copy(r);
        }
    }

    static Map<String, Object> getGatewayResponse(ApiGatewayState state, GetGatewayResponseRequest in) {
        RestApi api = state.api(in.restApiId());
        String type = checkResponseType(in.responseTypeAsString());
        synchronized (api) {
            return Docs.copy(gatewayResponse(api, type));
        }
    }

    static Map<String, Object> getGatewayResponses(ApiGatewayState state, GetGatewayResponsesRequest in) {
        RestApi api = state.api(in.restApiId());
        List<Map<String, Object>> all = new ArrayList<>();
        synchronized (api) {
            for (String type : DEFAULT_RESPONSES.keySet()) all.add(Docs.copy(gatewayResponse(api, type)));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", all);
        return out;
    }

    static Map<String, Object> updateGatewayResponse(ApiGatewayState state, UpdateGatewayResponseRequest in) {
        List<Patch.Op> ops = Patch.read(in.patchOperations(), "updateGatewayResponseInput", null);
        RestApi api = state.api(in.restApiId());
        String type = checkResponseType(in.responseTypeAsString());
        synchronized (api) {
            Map<String, Object> r = Docs.copy(gatewayResponse(api, type));
            r.put("defaultResponse", false);
            for (Patch.Op op : ops) {
                String member = op.member();
                String key = op.key();
                switch (member) {
                    case "statusCode" -> r.put(member, op.value());
                    case "responseParameters", "responseTemplates" -> {
                        Map<String, Object> target = Docs.mapOrNew(r, member);
                        if (key == null) throw ApiGatewayErrors.badRequest("Invalid patch path " + op.path());
                        if (op.op().equals("remove")) target.remove(key);
                        else target.put(key, op.value());
                    }
                    default -> throw ApiGatewayErrors.badRequest("Invalid patch path " + op.path());
                }
            }
            api.gatewayResponses.put(type, r);
            return Docs.copy(r);
        }
    }

    static Map<String, Object> deleteGatewayResponse(ApiGatewayState state, DeleteGatewayResponseRequest in) {
        RestApi api = state.api(in.restApiId());
        String type = checkResponseType(in.responseTypeAsString());
        synchronized (api) {
            if (api.gatewayResponses.remove(type) == null) throw ApiGatewayErrors.notFound("Gateway response type not defined on api");
        }
        return Map.of();
    }
}
