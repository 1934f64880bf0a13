package dev.polystack.services.apigateway;

import dev.polystack.services.apigateway.api.*;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.polystack.services.apigateway.RestApi.FrozenResource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static dev.polystack.services.apigateway.Docs.str;

/**
 * GetExport: a stage's deployed API as an OpenAPI 3.0.1 ({@code oas30}) or Swagger 2.0 ({@code swagger}) document,
 * in JSON or YAML (the {@code Accept} header), in the form AWS answers (as recorded): paths from the deployment's
 * resources, method parameters, request bodies and responses with model references, the models as schemas, and
 * with {@code extensions=integrations|apigateway|authorizers} the {@code x-amazon-apigateway-*} extensions that
 * ImportRestApi reads back ({@link OpenApiImport}), so an export imports into the same API.
 */
final class OpenApiExport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    private static final String MODEL_URL = "https://apigateway.amazonaws.com/restapis/";
    private static final Set<String> TYPES = Set.of("oas30", "swagger");

    private OpenApiExport() {
    }

    static Map<String, Object> getExport(ApiGatewayState state, GetExportRequest in) {
        RestApi api = state.api(in.restApiId());
        String type = in.exportType();
        if (!TYPES.contains(type)) throw ApiGatewayErrors.badRequest("No API exporter for type '" + type + "'");
        String extensions = in.parameters() == null ? "" : String.valueOf(in.parameters().getOrDefault("extensions", ""));
        boolean integrations = extensions.contains("integrations") || extensions.contains("apigateway");
        boolean authorizers = extensions.contains("authorizers") || extensions.contains("apigateway");
        boolean yaml = String.valueOf(java.util.Objects.requireNonNullElse(in.accepts(), "")).contains("yaml");
        ObjectNode doc;
        String version;
        synchronized (api) {
            Map<String, Object> stage = StageOps.stage(api, in.stageName());
            RestApi.Deployment deployment = api.deployments.get(str(stage, "deploymentId"));
            version = str(api.doc, "version");
            if (version == null) version = Instant.ofEpochSecond(((Number) deployment.doc.getOrDefault("createdDate", 0L)).longValue()).toString();
            doc = new Writer(state, api, type.equals("oas30"), integrations, authorizers).document(str(stage, "stageName"), deployment, version);
        }
        byte[] body;
        try {
            body = (yaml ? YAML : JSON).writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("could not write the export of " + api.id, e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("body", body);
        out.put("contentType", yaml ? "application/yaml" : "application/octet-stream");
        out.put("contentDisposition", "attachment; filename=\"" + type + "_" + version + (yaml ? ".yaml" : ".json") + "\"");
        return out;
    }

    /** Writes one export; {@code oas} chooses OpenAPI 3 over Swagger 2 wherever their forms differ. */
    private record Writer(ApiGatewayState state, RestApi api, boolean oas, boolean integrations, boolean authorizers) {

        ObjectNode document(String stageName, RestApi.Deployment deployment, String version) {
            ObjectNode doc = JSON.createObjectNode();
            String host = api.id + ".execute-api." + state.region + ".amazonaws.com";
            ObjectNode info = JSON.createObjectNode();
            if (str(api.doc, "description") != null) info.put("description", str(api.doc, "description"));
            if (oas) {
                doc.put("openapi", "3.0.1");
                info.put("title", str(api.doc, "name"));
                info.put("version", version);
                doc.set("info", info);
                ObjectNode server = doc.putArray("servers").addObject();
                server.put("url", "https://" + host + "/{basePath}");
                server.putObject("variables").putObject("basePath").put("default", stageName);
            } else {
                doc.put("swagger", "2.0");
                info.put("version", version);
                info.put("title", str(api.doc, "name"));
                doc.set("info", info);
                doc.put("host", host);
                doc.put("basePath", "/" + stageName);
                doc.putArray("schemes").add("https");
            }
            ObjectNode paths = doc.putObject("paths");
            List<FrozenResource> resources = new ArrayList<>(deployment.resources.values());
            resources.sort(Comparator.comparing(FrozenResource::path));
            for (FrozenResource r : resources) {
                if (r.methods().isEmpty()) continue;
                ObjectNode path = paths.putObject(r.path());
                for (Map<String, Object> m : r.methods().values()) {
                    String method = str(m, "httpMethod");
                    path.set(method.equals("ANY") ? "x-amazon-apigateway-any-method" : method.toLowerCase(Locale.ROOT), operation(m));
                }
            }
            ObjectNode schemas = oas ? doc.putObject("components").putObject("schemas") : doc.putObject("definitions");
            for (Map.Entry<String, Map<String, Object>> e : api.models.entrySet()) schemas.set(e.getKey(), schema(e.getValue()));
            if (oas && schemas.isEmpty()) doc.set("components", JSON.createObjectNode());
            if (!oas && schemas.isEmpty()) doc.remove("definitions");
            if (authorizers && !api.authorizers.isEmpty()) {
                ObjectNode security = oas ? ((ObjectNode) doc.get("components")).putObject("securitySchemes") : doc.putObject("securityDefinitions");
                for (Map<String, Object> a : api.authorizers.values()) security.set(str(a, "name"), securityScheme(a));
            }
            if (integrations) {
                List<?> binary = Docs.list(api.doc, "binaryMediaTypes");
                if (binary != null && !binary.isEmpty()) doc.set("x-amazon-apigateway-binary-media-types", JSON.valueToTree(binary));
            }
            return doc;
        }

        private ObjectNode operation(Map<String, Object> m) {
            ObjectNode op = JSON.createObjectNode();
            if (str(m, "operationName") != null) op.put("operationId", str(m, "operationName"));
            Map<String, Object> requestModels = Docs.map(m, "requestModels");
            Map<String, Object> responses = Docs.map(m, "methodResponses");
            if (!oas) {
                if (requestModels != null && !requestModels.isEmpty()) op.set("consumes", JSON.valueToTree(new ArrayList<>(requestModels.keySet())));
                List<String> produces = new ArrayList<>();
                if (responses != null) {
                    for (Object r : responses.values()) {
                        Map<String, Object> models = Docs.map(asMap(r), "responseModels");
                        if (models != null) for (String ct : models.keySet()) if (!produces.contains(ct)) produces.add(ct);
                    }
                }
                if (!produces.isEmpty()) op.set("produces", JSON.valueToTree(produces));
            }
            var parameters = JSON.createArrayNode();
            Map<String, Object> requestParameters = Docs.map(m, "requestParameters");
            if (requestParameters != null) {
                for (Map.Entry<String, Object> e : requestParameters.entrySet()) {
                    String[] parts = e.getKey().split("\\.", 4); // method.request.<where>.<name>
                    if (parts.length < 4) continue;
                    String in = switch (parts[2]) {
                        case "path" -> "path";
                        case "querystring" -> "query";
                        case "header" -> "header";
                        default -> null;
                    };
                    if (in == null) continue;
                    ObjectNode p = parameters.addObject();
                    p.put("name", parts[3]);
                    p.put("in", in);
                    boolean required = in.equals("path") || Boolean.TRUE.equals(e.getValue());
                    if (!oas || required) p.put("required", required);
                    if (oas) p.putObject("schema").put("type", "string");
                    else p.put("type", "string");
                }
            }
            if (requestModels != null && !requestModels.isEmpty()) {
                if (oas) {
                    ObjectNode body = JSON.createObjectNode();
                    ObjectNode content = body.putObject("content");
                    requestModels.forEach((ct, model) -> content.putObject(ct).set("schema", ref(String.valueOf(model))));
                    body.put("required", true);
                    op.set("requestBody", body);
                } else {
                    String model = String.valueOf(requestModels.values().iterator().next());
                    ObjectNode p = parameters.addObject();
                    p.put("in", "body");
                    p.put("name", model);
                    p.put("required", true);
                    p.set("schema", ref(model));
                }
            }
            if (!parameters.isEmpty()) op.set("parameters", parameters);
            ObjectNode out = op.putObject("responses");
            if (responses != null) {
                for (Map.Entry<String, Object> e : responses.entrySet()) out.set(e.getKey(), response(e.getKey(), asMap(e.getValue())));
            }
            if (authorizers) {
                String authorizerId = str(m, "authorizerId");
                Map<String, Object> a = authorizerId == null ? null : api.authorizers.get(authorizerId);
                if (a != null) {
                    List<?> scopes = Docs.list(m, "authorizationScopes");
                    op.putArray("security").addObject().set(str(a, "name"), JSON.valueToTree(scopes == null ? List.of() : scopes));
                }
            }
            Map<String, Object> integration = Docs.map(m, "methodIntegration");
            if (integrations && integration != null) op.set("x-amazon-apigateway-integration", integration(integration));
            return op;
        }

        private ObjectNode response(String status, Map<String, Object> r) {
            ObjectNode out = JSON.createObjectNode();
            out.put("description", status + " response");
            Map<String, Object> models = Docs.map(r, "responseModels");
            if (!oas && models != null && !models.isEmpty()) out.set("schema", ref(String.valueOf(models.values().iterator().next())));
            Map<String, Object> params = Docs.map(r, "responseParameters");
            if (params != null && !params.isEmpty()) {
                ObjectNode headers = out.putObject("headers");
                for (String p : params.keySet()) {
                    if (!p.startsWith("method.response.header.")) continue;
                    ObjectNode h = headers.putObject(p.substring("method.response.header.".length()));
                    if (oas) h.putObject("schema").put("type", "string");
                    else h.put("type", "string");
                }
            }
            if (oas) {
                ObjectNode content = out.putObject("content");
                if (models != null) models.forEach((ct, model) -> content.putObject(ct).set("schema", ref(String.valueOf(model))));
            }
            return out;
        }

        private ObjectNode integration(Map<String, Object> i) {
            ObjectNode out = JSON.createObjectNode();
            out.put("type", str(i, "type").toLowerCase(Locale.ROOT));
            for (String k : List.of("httpMethod", "uri", "credentials", "connectionType", "connectionId")) {
                if (str(i, k) == null || k.equals("connectionType") && "INTERNET".equals(str(i, k))) continue;
                out.put(k, str(i, k));
            }
            Map<String, Object> integrationResponses = Docs.map(i, "integrationResponses");
            if (integrationResponses != null && !integrationResponses.isEmpty()) {
                ObjectNode responses = out.putObject("responses");
                for (Object v : integrationResponses.values()) {
                    Map<String, Object> r = asMap(v);
                    ObjectNode res = responses.putObject(str(r, "selectionPattern") == null ? "default" : str(r, "selectionPattern"));
                    res.put("statusCode", str(r, "statusCode"));
                    copyMap(r, "responseParameters", res);
                    copyMap(r, "responseTemplates", res);
                    if (str(r, "contentHandling") != null) res.put("contentHandling", str(r, "contentHandling"));
                }
            }
            copyMap(i, "requestParameters", out);
            copyMap(i, "requestTemplates", out);
            if (str(i, "passthroughBehavior") != null) out.put("passthroughBehavior", str(i, "passthroughBehavior").toLowerCase(Locale.ROOT));
            if (str(i, "contentHandling") != null) out.put("contentHandling", str(i, "contentHandling"));
            Object timeout = i.get("timeoutInMillis");
            if (timeout instanceof Number n && n.intValue() != 29000) out.put("timeoutInMillis", n.intValue());
            List<?> cacheKeys = Docs.list(i, "cacheKeyParameters");
            if (cacheKeys != null && !cacheKeys.isEmpty()) out.set("cacheKeyParameters", JSON.valueToTree(cacheKeys));
            return out;
        }

        private ObjectNode securityScheme(Map<String, Object> a) {
            ObjectNode s = JSON.createObjectNode();
            s.put("type", "apiKey");
            String source = str(a, "identitySource");
            String header = source != null && source.startsWith("method.request.header.") ? source.substring("method.request.header.".length()) : "Unused";
            s.put("name", header);
            s.put("in", "header");
            s.put("x-amazon-apigateway-authtype", str(a, "authType") != null ? str(a, "authType")
                    : "COGNITO_USER_POOLS".equals(str(a, "type")) ? "cognito_user_pools" : "custom");
            ObjectNode def = s.putObject("x-amazon-apigateway-authorizer");
            def.put("type", str(a, "type").toLowerCase(Locale.ROOT));
            for (String k : List.of("authorizerUri", "authorizerCredentials", "identityValidationExpression")) {
                if (str(a, k) != null) def.put(k, str(a, k));
            }
            if (!"TOKEN".equals(str(a, "type")) && source != null) def.put("identitySource", source);
            if (a.get("authorizerResultTtlInSeconds") instanceof Number n) def.put("authorizerResultTtlInSeconds", n.intValue());
            if (a.get("providerARNs") != null) def.set("providerARNs", JSON.valueToTree(a.get("providerARNs")));
            return s;
        }

        /** A model's schema with its model URLs turned back into the document's own references. */
        private JsonNode schema(Map<String, Object> model) {
            JsonNode schema;
            try {
                schema = JSON.readTree(String.valueOf(model.getOrDefault("schema", "{}")));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                schema = JSON.createObjectNode();
            }
            if (schema instanceof ObjectNode o) {
                o.remove("$schema");
                if (!oas) o.remove("title");
                localRefs(o);
            }
            return schema;
        }

        private void localRefs(JsonNode node) {
            if (node instanceof ObjectNode o) {
                JsonNode ref = o.get("$ref");
                if (ref != null && ref.isTextual() && ref.asText().startsWith(MODEL_URL)) {
                    String name = ref.asText().substring(ref.asText().lastIndexOf('/') + 1);
                    o.put("$ref", (oas ? "#/components/schemas/" : "#/definitions/") + name);
                }
                o.elements().forEachRemaining(this::localRefs);
            } else if (node != null && node.isArray()) {
                node.forEach(this::localRefs);
            }
        }

        private ObjectNode ref(String model) {
            return JSON.createObjectNode().put("$ref", (oas ? "#/components/schemas/" : "#/definitions/") + model);
        }

        private static void copyMap(Map<String, Object> from, String key, ObjectNode to) {
            Map<String, Object> m = Docs.map(from, key);
            if (m != null && !m.isEmpty()) to.set(key, JSON.valueToTree(m));
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> asMap(Object o) {
            return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        }
    }
}
