package dev.polystack.services.apigateway;

import dev.polystack.services.apigateway.api.*;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.polystack.services.apigateway.RestApi.Resource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.polystack.services.apigateway.Docs.str;

/**
 * ImportRestApi and PutRestApi: an OpenAPI 3 or Swagger 2 document (JSON or YAML) with API Gateway's
 * {@code x-amazon-apigateway-*} extensions becomes resources, methods, integrations, models, authorizers,
 * request validators and gateway responses.
 */
final class OpenApiImport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, String> METHODS = Map.of("get", "GET", "put", "PUT", "post", "POST", "delete", "DELETE",
            "patch", "PATCH", "options", "OPTIONS", "head", "HEAD", "x-amazon-apigateway-any-method", "ANY");

    private OpenApiImport() {
    }

    static Map<String, Object> importRestApi(ApiGatewayState state, ImportRestApiRequest in) {
        JsonNode spec = parse(in.body());
        CreateRestApiRequest create = CreateRestApiRequest.builder()
                .name(spec.path("info").path("title").asText("imported"))
                .description(spec.path("info").has("description") ? spec.path("info").path("description").asText() : null)
                .build();
        Map<String, Object> api = RestApiOps.createRestApi(state, create);
        RestApi restApi = state.api((String) api.get("id"));
        synchronized (restApi) {
            restApi.models.clear();
            apply(restApi, spec, parameters(in.parameters()), true);
            return Docs.copy(restApi.doc);
        }
    }

    static Map<String, Object> putRestApi(ApiGatewayState state, PutRestApiRequest in) {
        JsonNode spec = parse(in.body());
        RestApi restApi = state.api(in.restApiId());
        boolean overwrite = "overwrite".equals(in.modeAsString());
        synchronized (restApi) {
            if (overwrite) {
                Resource root = restApi.root();
                root.methods.clear();
                restApi.resources.keySet().removeIf(id -> !id.equals(root.id));
                restApi.models.clear();
                restApi.authorizers.clear();
                restApi.validators.clear();
                restApi.gatewayResponses.clear();
                restApi.doc.remove("binaryMediaTypes");
            }
            apply(restApi, spec, parameters(in.parameters()), overwrite);
            return Docs.copy(restApi.doc);
        }
    }

    private static Map<String, String> parameters(Map<String, String> given) {
        return given == null ? Map.of() : given;
    }

    static JsonNode parse(Object body) {
        String text = body instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : body == null ? "" : body.toString();
        JsonNode node = null;
        try {
            node = text.trim().startsWith("{") ? JSON.readTree(text) : YAML.readTree(text);
        } catch (Exception e) {
            node = null;
        }
        if (node == null || !node.isObject() || !(node.has("swagger") || node.has("openapi")) || !node.path("paths").isObject()) {
            throw ApiGatewayErrors.badRequest("Invalid OpenAPI input.");
        }
        return node;
    }

    private static void apply(RestApi api, JsonNode spec, Map<String, String> parameters, boolean replaceInfo) {
        JsonNode info = spec.path("info");
        if (replaceInfo || info.has("title")) {
            if (info.has("title")) api.doc.put("name", info.get("title").asText());
            if (info.has("description")) api.doc.put("description", info.get("description").asText());
            if (info.has("version")) api.doc.put("version", info.get("version").asText());
        }
        JsonNode binary = spec.get("x-amazon-apigateway-binary-media-types");
        if (binary != null && binary.isArray()) {
            List<Object> types = Docs.list(api.doc, "binaryMediaTypes");
            if (types == null) {
                types = new ArrayList<>();
                api.doc.put("binaryMediaTypes", types);
            }
            for (JsonNode t : binary) if (!types.contains(t.asText())) types.add(t.asText());
        }
        if (spec.has("x-amazon-apigateway-api-key-source")) api.doc.put("apiKeySource", spec.get("x-amazon-apigateway-api-key-source").asText());

        JsonNode schemas = spec.has("definitions") ? spec.get("definitions") : spec.path("components").path("schemas");
        for (Iterator<Map.Entry<String, JsonNode>> it = schemas.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("id", Ids.shortId());
            model.put("name", e.getKey());
            model.put("schema", rewriteRefs(e.getValue(), api.id).toString());
            model.put("contentType", "application/json");
            api.models.put(e.getKey(), model);
        }

        Map<String, String> authorizerIds = new LinkedHashMap<>();
        Map<String, String> authorizerTypes = new LinkedHashMap<>();
        JsonNode security = spec.has("securityDefinitions") ? spec.get("securityDefinitions") : spec.path("components").path("securitySchemes");
        List<String> apiKeySchemes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = security.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode def = e.getValue().get("x-amazon-apigateway-authorizer");
            if (def == null) {
                if ("apiKey".equals(e.getValue().path("type").asText())) apiKeySchemes.add(e.getKey());
                continue;
            }
            Map<String, Object> a = new LinkedHashMap<>();
            String id = Ids.shortId();
            a.put("id", id);
            a.put("name", e.getKey());
            String type = def.path("type").asText("token").toUpperCase(Locale.ROOT);
            a.put("type", type);
            if (def.has("providerARNs")) a.put("providerARNs", JSON.convertValue(def.get("providerARNs"), List.class));
            if (e.getValue().has("x-amazon-apigateway-authtype")) a.put("authType", e.getValue().get("x-amazon-apigateway-authtype").asText());
            for (String k : List.of("authorizerUri", "authorizerCredentials", "identityValidationExpression")) {
                if (def.has(k)) a.put(k, def.get(k).asText());
            }
            if (def.has("identitySource")) a.put("identitySource", def.get("identitySource").asText());
            else if (type.equals("TOKEN") || type.equals("COGNITO_USER_POOLS")) {
                a.put("identitySource", "method.request.header." + e.getValue().path("name").asText("Authorization"));
            }
            if (def.has("authorizerResultTtlInSeconds")) a.put("authorizerResultTtlInSeconds", def.get("authorizerResultTtlInSeconds").asInt());
            api.authorizers.put(id, a);
            authorizerIds.put(e.getKey(), id);
            authorizerTypes.put(e.getKey(), type);
        }

        Map<String, String> validatorIds = new LinkedHashMap<>();
        JsonNode validators = spec.path("x-amazon-apigateway-request-validators");
        for (Iterator<Map.Entry<String, JsonNode>> it = validators.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Map<String, Object> v = new LinkedHashMap<>();
            String id = Ids.shortId();
            v.put("id", id);
            v.put("name", e.getKey());
            v.put("validateRequestBody", e.getValue().path("validateRequestBody").asBoolean(false));
            v.put("validateRequestParameters", e.getValue().path("validateRequestParameters").asBoolean(false));
            api.validators.put(id, v);
            validatorIds.put(e.getKey(), id);
        }
        String defaultValidator = spec.path("x-amazon-apigateway-request-validator").asText(null);

        JsonNode responses = spec.path("x-amazon-apigateway-gateway-responses");
        for (Iterator<Map.Entry<String, JsonNode>> it = responses.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!ComponentOps.DEFAULT_RESPONSES.containsKey(e.getKey())) continue;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("defaultResponse", false);
            r.put("responseParameters", JSON.convertValue(e.getValue().path("responseParameters"), Map.class));
            r.put("responseTemplates", JSON.convertValue(e.getValue().path("responseTemplates"), Map.class));
            r.put("responseType", e.getKey());
            r.put("statusCode", e.getValue().has("statusCode") ? e.getValue().get("statusCode").asText() : ComponentOps.DEFAULT_RESPONSES.get(e.getKey()));
            r.values().removeIf(v -> v == null);
            api.gatewayResponses.put(e.getKey(), r);
        }

        String basePath = basePath(spec);
        String mode = parameters.getOrDefault("basepath", "ignore");
        JsonNode globalSecurity = spec.get("security");
        for (Iterator<Map.Entry<String, JsonNode>> it = spec.get("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            String fullPath = path.getKey();
            if (mode.equals("prepend") && !basePath.isEmpty()) fullPath = basePath + fullPath;
            else if (mode.equals("split") && !basePath.isEmpty()) {
                String[] parts = basePath.substring(1).split("/", 2);
                fullPath = (parts.length > 1 ? "/" + parts[1] : "") + fullPath;
            }
            Resource resource = resourceFor(api, fullPath);
            JsonNode pathParameters = path.getValue().path("parameters");
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String httpMethod = METHODS.get(op.getKey());
                if (httpMethod == null) continue;
                resource.methods.put(httpMethod, method(api, resource, httpMethod, op.getValue(), pathParameters, globalSecurity,
                        authorizerIds, authorizerTypes, apiKeySchemes, validatorIds, defaultValidator));
            }
        }
    }

    private static String basePath(JsonNode spec) {
        if (spec.has("basePath")) return trimSlash(spec.get("basePath").asText());
        JsonNode servers = spec.path("servers");
        if (servers.isArray() && !servers.isEmpty()) {
            JsonNode server = servers.get(0);
            String url = server.path("url").asText("");
            for (Iterator<Map.Entry<String, JsonNode>> it = server.path("variables").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> v = it.next();
                url = url.replace("{" + v.getKey() + "}", v.getValue().path("default").asText(""));
            }
            int scheme = url.indexOf("://");
            if (scheme >= 0) {
                int slash = url.indexOf('/', scheme + 3);
                url = slash < 0 ? "" : url.substring(slash);
            }
            return trimSlash(url);
        }
        return "";
    }

    private static String trimSlash(String p) {
        if (p == null || p.isEmpty() || p.equals("/")) return "";
        String out = p.startsWith("/") ? p : "/" + p;
        return out.endsWith("/") ? out.substring(0, out.length() - 1) : out;
    }

    /** The resource for a path, creating the missing ones along it. */
    private static Resource resourceFor(RestApi api, String path) {
        Resource at = api.root();
        for (String part : path.split("/")) {
            if (part.isEmpty()) continue;
            Resource next = null;
            for (Resource child : api.childrenOf(at.id)) {
                if (child.pathPart.equals(part)) next = child;
            }
            if (next == null) {
                next = new Resource(Ids.shortId(), at.id, part);
                api.resources.put(next.id, next);
            }
            at = next;
        }
        return at;
    }

    private static Map<String, Object> method(RestApi api, Resource resource, String httpMethod, JsonNode op, JsonNode pathParameters,
                                              JsonNode globalSecurity, Map<String, String> authorizerIds, Map<String, String> authorizerTypes,
                                              List<String> apiKeySchemes, Map<String, String> validatorIds, String defaultValidator) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("httpMethod", httpMethod);
        String authorizationType = "NONE";
        boolean apiKeyRequired = false;
        JsonNode security = op.has("security") ? op.get("security") : globalSecurity;
        if (security != null && security.isArray()) {
            for (JsonNode requirement : security) {
                for (Iterator<Map.Entry<String, JsonNode>> it = requirement.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (apiKeySchemes.contains(e.getKey())) apiKeyRequired = true;
                    String authorizer = authorizerIds.get(e.getKey());
                    if (authorizer == null) continue;
                    authorizationType = authorizerTypes.get(e.getKey()).equals("COGNITO_USER_POOLS") ? "COGNITO_USER_POOLS" : "CUSTOM";
                    m.put("authorizerId", authorizer);
                    if (e.getValue().isArray() && !e.getValue().isEmpty()) m.put("authorizationScopes", JSON.convertValue(e.getValue(), List.class));
                }
            }
        }
        m.put("authorizationType", authorizationType);
        m.put("apiKeyRequired", apiKeyRequired);
        if (op.has("operationId")) m.put("operationName", op.get("operationId").asText());
        String validator = op.path("x-amazon-apigateway-request-validator").asText(defaultValidator);
        if (validator != null && validatorIds.containsKey(validator)) m.put("requestValidatorId", validatorIds.get(validator));

        Map<String, Object> requestParameters = new LinkedHashMap<>();
        Map<String, Object> requestModels = new LinkedHashMap<>();
        for (JsonNode parameters : List.of(pathParameters, op.path("parameters"))) {
            if (!parameters.isArray()) continue;
            for (JsonNode p : parameters) {
                String in = p.path("in").asText();
                String where = switch (in) {
                    case "path" -> "path";
                    case "query" -> "querystring";
                    case "header" -> "header";
                    default -> null;
                };
                if (where != null) requestParameters.put("method.request." + where + "." + p.path("name").asText(), p.path("required").asBoolean(false));
                if (in.equals("body") && p.path("schema").has("$ref")) requestModels.put("application/json", refName(p.path("schema").get("$ref").asText()));
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = op.path("requestBody").path("content").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().path("schema").has("$ref")) requestModels.put(e.getKey(), refName(e.getValue().path("schema").get("$ref").asText()));
        }
        if (!requestParameters.isEmpty()) m.put("requestParameters", requestParameters);
        if (!requestModels.isEmpty()) m.put("requestModels", requestModels);

        Map<String, Object> methodResponses = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = op.path("responses").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().matches("[1-5]\\d\\d")) continue;
            Map<String, Object> r = new LinkedHashMap<>();
            Map<String, Object> headers = new LinkedHashMap<>();
            e.getValue().path("headers").fieldNames().forEachRemaining(h -> headers.put("method.response.header." + h, false));
            if (!headers.isEmpty()) r.put("responseParameters", headers);
            Map<String, Object> models = new LinkedHashMap<>();
            if (e.getValue().path("schema").has("$ref")) models.put("application/json", refName(e.getValue().path("schema").get("$ref").asText()));
            e.getValue().path("content").fields().forEachRemaining(c -> {
                if (c.getValue().path("schema").has("$ref")) models.put(c.getKey(), refName(c.getValue().path("schema").get("$ref").asText()));
            });
            if (!models.isEmpty()) r.put("responseModels", models);
            r.put("statusCode", e.getKey());
            methodResponses.put(e.getKey(), r);
        }
        if (!methodResponses.isEmpty()) m.put("methodResponses", methodResponses);

        JsonNode integration = op.get("x-amazon-apigateway-integration");
        if (integration != null) m.put("methodIntegration", integration(resource, integration));
        return m;
    }

    private static Map<String, Object> integration(Resource resource, JsonNode spec) {
        Map<String, Object> i = new LinkedHashMap<>();
        String type = spec.path("type").asText("mock").toUpperCase(Locale.ROOT);
        i.put("type", type);
        if (spec.has("httpMethod")) i.put("httpMethod", spec.get("httpMethod").asText().toUpperCase(Locale.ROOT));
        if (spec.has("uri")) i.put("uri", spec.get("uri").asText());
        if (spec.has("connectionType")) i.put("connectionType", spec.get("connectionType").asText());
        else if (type.startsWith("HTTP")) i.put("connectionType", "INTERNET");
        if (spec.has("connectionId")) i.put("connectionId", spec.get("connectionId").asText());
        if (spec.has("credentials")) i.put("credentials", spec.get("credentials").asText());
        if (spec.path("requestParameters").isObject()) i.put("requestParameters", JSON.convertValue(spec.get("requestParameters"), Map.class));
        if (spec.path("requestTemplates").isObject()) i.put("requestTemplates", templates(spec.get("requestTemplates")));
        i.put("passthroughBehavior", spec.path("passthroughBehavior").asText("when_no_match").toUpperCase(Locale.ROOT));
        if (spec.has("contentHandling")) i.put("contentHandling", spec.get("contentHandling").asText());
        i.put("timeoutInMillis", spec.path("timeoutInMillis").asInt(29000));
        i.put("cacheNamespace", spec.path("cacheNamespace").asText(resource.id));
        i.put("cacheKeyParameters", spec.has("cacheKeyParameters") ? JSON.convertValue(spec.get("cacheKeyParameters"), List.class) : new ArrayList<>());
        Map<String, Object> responses = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = spec.path("responses").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Map<String, Object> r = new LinkedHashMap<>();
            JsonNode v = e.getValue();
            String status = v.path("statusCode").asText("200");
            if (v.path("responseParameters").isObject()) r.put("responseParameters", JSON.convertValue(v.get("responseParameters"), Map.class));
            if (v.path("responseTemplates").isObject()) r.put("responseTemplates", templates(v.get("responseTemplates")));
            if (!e.getKey().equals("default")) r.put("selectionPattern", e.getKey());
            if (v.has("contentHandling")) r.put("contentHandling", v.get("contentHandling").asText());
            r.put("statusCode", status);
            responses.put(status, r);
        }
        if (!responses.isEmpty()) i.put("integrationResponses", responses);
        return i;
    }

    /** Templates are strings; a JSON object given inline is kept as its JSON text. */
    private static Map<String, Object> templates(JsonNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
        return out;
    }

    private static String refName(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    /** {@code #/definitions/X} and {@code #/components/schemas/X} become the model URLs AWS stores. */
    private static JsonNode rewriteRefs(JsonNode node, String apiId) {
        JsonNode copy = node.deepCopy();
        rewrite(copy, apiId);
        return copy;
    }

    private static void rewrite(JsonNode node, String apiId) {
        if (node instanceof ObjectNode o) {
            JsonNode ref = o.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#/")) {
                o.put("$ref", "https://apigateway.amazonaws.com/restapis/" + apiId + "/models/" + refName(ref.asText()));
            }
            o.elements().forEachRemaining(child -> rewrite(child, apiId));
        } else if (node != null && node.isArray()) {
            node.forEach(child -> rewrite(child, apiId));
        }
    }
}
