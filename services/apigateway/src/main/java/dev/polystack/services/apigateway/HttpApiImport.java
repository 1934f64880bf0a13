package dev.polystack.services.apigateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.polystack.services.apigatewayv2.api.CreateApiRequest;
import dev.polystack.services.apigatewayv2.api.CreateAuthorizerRequest;
import dev.polystack.services.apigatewayv2.api.CreateIntegrationRequest;
import dev.polystack.services.apigatewayv2.api.CreateRouteRequest;
import dev.polystack.services.apigatewayv2.api.Cors;
import dev.polystack.services.apigatewayv2.api.JWTConfiguration;
import dev.polystack.services.apigatewayv2.api.UpdateApiRequest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ImportApi and ReimportApi for HTTP APIs: an OpenAPI 3 document (JSON or YAML) with the HTTP API extensions becomes
 * routes ({@code <METHOD> <path>}, {@code x-amazon-apigateway-any-method} as {@code ANY}, the path {@code $default}),
 * integrations ({@code x-amazon-apigateway-integration}, also by {@code $ref} to
 * {@code components/x-amazon-apigateway-integrations}), JWT and Lambda authorizers ({@code x-amazon-apigateway-authorizer}
 * on a security scheme, used by {@code security} requirements with their scopes), and CORS
 * ({@code x-amazon-apigateway-cors}). Everything is created through the same typed operations a client calls, so
 * validation and auto-deployment are the same.
 */
final class HttpApiImport {
    private static final Map<String, String> METHODS = Map.of("get", "GET", "put", "PUT", "post", "POST", "delete", "DELETE",
            "patch", "PATCH", "options", "OPTIONS", "head", "HEAD", "x-amazon-apigateway-any-method", "ANY");

    private final HttpApiOps ops;

    HttpApiImport(HttpApiOps ops) {
        this.ops = ops;
    }

    /** A new HTTP API from the document; the answer is the API as GetApi describes it. */
    Map<String, Object> importApi(HttpApiState state, Object body) {
        JsonNode spec = OpenApiImport.parse(body);
        JsonNode info = spec.path("info");
        Map<String, Object> created = ops.createApi(state, CreateApiRequest.builder()
                .name(info.path("title").asText("imported"))
                .protocolType("HTTP")
                .description(text(info, "description"))
                .version(text(info, "version"))
                .build());
        HttpApi api = state.api((String) created.get("ApiId"));
        synchronized (api) {
            apply(state, api, spec);
            return Docs.copy(api.doc);
        }
    }

    /** Replaces the API's routes, integrations and authorizers (and its info and CORS) by the document's; stages stay. */
    Map<String, Object> reimportApi(HttpApiState state, String apiId, Object body) {
        JsonNode spec = OpenApiImport.parse(body);
        HttpApi api = state.api(apiId);
        synchronized (api) {
            api.routes.clear();
            api.integrations.clear();
            api.authorizers.clear();
            api.doc.remove("CorsConfiguration");
            JsonNode info = spec.path("info");
            if (info.has("title")) api.doc.put("Name", info.get("title").asText());
            if (info.has("description")) api.doc.put("Description", info.get("description").asText());
            if (info.has("version")) api.doc.put("Version", info.get("version").asText());
            apply(state, api, spec);
            HttpApiOps.autoDeploy(api); // even when the new document has no routes, auto-deployed stages serve it
            return Docs.copy(api.doc);
        }
    }

    private void apply(HttpApiState state, HttpApi api, JsonNode spec) {
        JsonNode cors = spec.get("x-amazon-apigateway-cors");
        if (cors != null && cors.isObject()) {
            ops.updateApi(state, UpdateApiRequest.builder().apiId(api.id).corsConfiguration(cors(cors)).build());
        }
        Map<String, Authorizer> authorizers = authorizers(state, api, spec);
        JsonNode globalSecurity = spec.get("security");
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> operations = path.getValue().fields(); operations.hasNext(); ) {
                Map.Entry<String, JsonNode> operation = operations.next();
                String method = METHODS.get(operation.getKey());
                if (method == null) continue;
                String routeKey = path.getKey().equals("$default") ? "$default" : method + " " + path.getKey();
                JsonNode op = operation.getValue();
                JsonNode integration = resolve(spec, op.get("x-amazon-apigateway-integration"));
                String target = integration == null ? null
                        : "integrations/" + ops.createIntegration(state, integration(api.id, integration)).get("IntegrationId");
                CreateRouteRequest.Builder route = CreateRouteRequest.builder().apiId(api.id).routeKey(routeKey).target(target);
                if (op.has("operationId")) route.operationName(op.get("operationId").asText());
                JsonNode security = op.has("security") ? op.get("security") : globalSecurity;
                if (security != null && security.isArray() && !security.isEmpty()) {
                    Iterator<Map.Entry<String, JsonNode>> requirement = security.get(0).fields();
                    if (requirement.hasNext()) {
                        Map.Entry<String, JsonNode> use = requirement.next();
                        Authorizer authorizer = authorizers.get(use.getKey());
                        if (authorizer != null) {
                            route.authorizerId(authorizer.id()).authorizationType(authorizer.jwt() ? "JWT" : "CUSTOM");
                            List<String> scopes = strings(use.getValue());
                            if (authorizer.jwt() && !scopes.isEmpty()) route.authorizationScopes(scopes);
                        }
                    }
                }
                ops.createRoute(state, route.build());
            }
        }
    }

    private record Authorizer(String id, boolean jwt) {
    }

    /** The security schemes that carry {@code x-amazon-apigateway-authorizer}, created as the API's authorizers. */
    private Map<String, Authorizer> authorizers(HttpApiState state, HttpApi api, JsonNode spec) {
        Map<String, Authorizer> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> schemes = spec.path("components").path("securitySchemes").fields(); schemes.hasNext(); ) {
            Map.Entry<String, JsonNode> scheme = schemes.next();
            JsonNode a = scheme.getValue().get("x-amazon-apigateway-authorizer");
            if (a == null || !a.isObject()) continue;
            boolean jwt = a.path("type").asText("").equalsIgnoreCase("jwt");
            CreateAuthorizerRequest.Builder request = CreateAuthorizerRequest.builder().apiId(api.id).name(scheme.getKey())
                    .authorizerType(jwt ? "JWT" : "REQUEST")
                    .identitySource(identitySources(a.get("identitySource")));
            if (jwt) {
                JsonNode config = a.path("jwtConfiguration");
                request.jwtConfiguration(JWTConfiguration.builder().issuer(text(config, "issuer"))
                        .audience(strings(config.get("audience"))).build());
            } else {
                request.authorizerUri(text(a, "authorizerUri"))
                        .authorizerPayloadFormatVersion(text(a, "authorizerPayloadFormatVersion"))
                        .authorizerCredentialsArn(text(a, "authorizerCredentials"));
                if (a.has("enableSimpleResponses")) request.enableSimpleResponses(a.get("enableSimpleResponses").asBoolean());
                if (a.has("authorizerResultTtlInSeconds")) request.authorizerResultTtlInSeconds(a.get("authorizerResultTtlInSeconds").asInt());
            }
            String id = (String) ops.createAuthorizer(state, request.build()).get("AuthorizerId");
            out.put(scheme.getKey(), new Authorizer(id, jwt));
        }
        return out;
    }

    private static CreateIntegrationRequest integration(String apiId, JsonNode i) {
        CreateIntegrationRequest.Builder b = CreateIntegrationRequest.builder().apiId(apiId)
                .integrationType(i.path("type").asText("").toUpperCase())
                .integrationUri(text(i, "uri"))
                .integrationMethod(text(i, "httpMethod"))
                .integrationSubtype(text(i, "integrationSubtype"))
                .payloadFormatVersion(text(i, "payloadFormatVersion"))
                .connectionType(text(i, "connectionType"))
                .connectionId(text(i, "connectionId"))
                .credentialsArn(text(i, "credentials"))
                .description(text(i, "description"));
        if (i.has("timeoutInMillis")) b.timeoutInMillis(i.get("timeoutInMillis").asInt());
        Map<String, String> parameters = textMap(i.get("requestParameters"));
        if (!parameters.isEmpty()) b.requestParameters(parameters);
        JsonNode responses = i.get("responseParameters");
        if (responses != null && responses.isObject()) {
            Map<String, Map<String, String>> byStatus = new LinkedHashMap<>();
            responses.fields().forEachRemaining(e -> byStatus.put(e.getKey(), textMap(e.getValue())));
            b.responseParameters(byStatus);
        }
        return b.build();
    }

    /** {@code {"$ref": "#/components/x-amazon-apigateway-integrations/name"}} → that integration; else as given. */
    private static JsonNode resolve(JsonNode spec, JsonNode node) {
        if (node == null || !node.has("$ref")) return node;
        String ref = node.get("$ref").asText();
        if (!ref.startsWith("#/")) return null;
        JsonNode at = spec;
        for (String part : ref.substring(2).split("/")) at = at.path(part.replace("~1", "/").replace("~0", "~"));
        return at.isObject() ? at : null;
    }

    private static Cors cors(JsonNode c) {
        Cors.Builder b = Cors.builder();
        if (c.has("allowOrigins")) b.allowOrigins(strings(c.get("allowOrigins")));
        if (c.has("allowMethods")) b.allowMethods(strings(c.get("allowMethods")));
        if (c.has("allowHeaders")) b.allowHeaders(strings(c.get("allowHeaders")));
        if (c.has("exposeHeaders")) b.exposeHeaders(strings(c.get("exposeHeaders")));
        if (c.has("maxAge")) b.maxAge(c.get("maxAge").asInt());
        if (c.has("allowCredentials")) b.allowCredentials(c.get("allowCredentials").asBoolean());
        return b.build();
    }

    /** An identity source is one string (comma-separated) or a list. */
    private static List<String> identitySources(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null) return out;
        if (node.isArray()) return strings(node);
        for (String s : node.asText().split(",")) if (!s.isBlank()) out.add(s.trim());
        return out;
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null) return out;
        if (node.isArray()) node.forEach(n -> out.add(n.asText()));
        else if (!node.isNull()) out.add(node.asText());
        return out;
    }

    private static Map<String, String> textMap(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
