package dev.polystack.services.apigateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A method's request validator, applied before its integration as AWS does: required request parameters
 * ({@code method.request.{header,path,querystring}.<name>: true}) must be present, else 400
 * {@code Missing required request parameters: [a, b]} (BAD_REQUEST_PARAMETERS); the body must satisfy the model the
 * method names for its content type (JSON Schema draft 4), else 400 {@code Invalid request body} (BAD_REQUEST_BODY).
 */
final class RequestValidation {
    private static final SchemaRegistry DRAFT_4 = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
    /** Compiled schemas by their text: models change rarely, requests come often. */
    private static final Map<String, Schema> COMPILED = new ConcurrentHashMap<>();
    private static final int MAX_COMPILED = 1024;

    private RequestValidation() {
    }

    /** Null when the request passes (or the method has no validator), else the gateway's error answer. */
    static dev.polystack.api.HttpResponseData check(Invocation inv, Map<String, Object> method) {
        String validatorId = Docs.str(method, "requestValidatorId");
        if (validatorId == null) return null;
        Map<String, Object> validator;
        Map<String, Object> model = null;
        synchronized (inv.api()) {
            validator = Docs.copy(inv.api().validators.get(validatorId));
            String modelName = modelName(Docs.map(method, "requestModels"), inv.headers().get("Content-Type"));
            if (modelName != null) model = Docs.copy(inv.api().models.get(modelName));
            if (model != null) model.put("schema", withReferencedModels(Docs.str(model, "schema"), inv.api().models));
        }
        if (validator == null) return null;
        if (Docs.bool(validator, "validateRequestParameters", false)) {
            List<String> missing = missingParameters(inv, Docs.map(method, "requestParameters"));
            if (!missing.isEmpty()) {
                return inv.gatewayError("BAD_REQUEST_PARAMETERS", "Missing required request parameters: [" + String.join(", ", missing) + "]");
            }
        }
        if (Docs.bool(validator, "validateRequestBody", false) && model != null && !valid(Docs.str(model, "schema"), inv.bodyText())) {
            return inv.gatewayError("BAD_REQUEST_BODY", "Invalid request body");
        }
        return null;
    }

    /** The model for the request's content type, else the one for {@code application/json}, else the only one. */
    private static String modelName(Map<String, Object> models, String contentType) {
        if (models == null || models.isEmpty()) return null;
        String type = contentType == null ? null : contentType.split(";")[0].trim().toLowerCase();
        Object name = type == null ? null : models.get(type);
        if (name == null) name = models.get("application/json");
        if (name == null && models.size() == 1) name = models.values().iterator().next();
        return name == null ? null : name.toString();
    }

    private static List<String> missingParameters(Invocation inv, Map<String, Object> declared) {
        List<String> missing = new ArrayList<>();
        if (declared == null) return missing;
        declared.forEach((key, required) -> {
            if (!Boolean.TRUE.equals(required) && !"true".equals(String.valueOf(required))) return;
            String[] parts = key.split("\\.", 4); // method.request.<where>.<name>
            if (parts.length < 4) return;
            String name = parts[3];
            String value = switch (parts[2]) {
                case "header" -> headerValue(inv.headers(), name);
                case "querystring" -> inv.query().get(name);
                case "path" -> inv.pathParameters().get(name);
                default -> "";
            };
            if (value == null || (value.isEmpty() && !parts[2].equals("querystring"))) missing.add(name);
        });
        return missing;
    }

    private static String headerValue(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
        }
        return null;
    }

    /**
     * The schema with the models it refers to ({@code "$ref": "https://apigateway.amazonaws.com/restapis/<id>/models/<name>"},
     * the form AWS requires) carried along as local definitions, transitively, so the validator resolves them without
     * fetching anything. Caller holds the API's monitor. A schema that is not JSON is returned as it is.
     */
    static String withReferencedModels(String schemaText, Map<String, Map<String, Object>> models) {
        if (schemaText == null || !schemaText.contains("/models/")) return schemaText;
        JsonNode root;
        try {
            root = Invocation.JSON.readTree(schemaText);
        } catch (Exception e) {
            return schemaText;
        }
        if (!(root instanceof com.fasterxml.jackson.databind.node.ObjectNode rootObject)) return schemaText;
        java.util.Deque<String> pending = new java.util.ArrayDeque<>();
        localiseModelRefs(root, pending);
        com.fasterxml.jackson.databind.node.ObjectNode definitions = Invocation.JSON.createObjectNode();
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (definitions.has(MODEL_PREFIX + name)) continue;
            Map<String, Object> model = models.get(name);
            JsonNode schema;
            try {
                schema = model == null ? Invocation.JSON.createObjectNode() : Invocation.JSON.readTree(Docs.str(model, "schema"));
            } catch (Exception e) {
                schema = Invocation.JSON.createObjectNode();
            }
            if (schema instanceof com.fasterxml.jackson.databind.node.ObjectNode o) o.remove("$schema");
            localiseModelRefs(schema, pending);
            definitions.set(MODEL_PREFIX + name, schema);
        }
        if (definitions.isEmpty()) return schemaText;
        JsonNode existing = rootObject.get("definitions");
        if (existing instanceof com.fasterxml.jackson.databind.node.ObjectNode e) definitions.setAll(e);
        rootObject.set("definitions", definitions);
        return root.toString();
    }

    /** Local definitions' names for referenced models, apart from any definitions the model has itself. */
    private static final String MODEL_PREFIX = "apigateway-model-";

    private static void localiseModelRefs(JsonNode node, java.util.Deque<String> pending) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            JsonNode ref = o.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("https://apigateway.amazonaws.com/restapis/")
                    && ref.asText().contains("/models/")) {
                String name = ref.asText().substring(ref.asText().lastIndexOf('/') + 1);
                o.put("$ref", "#/definitions/" + MODEL_PREFIX + name);
                pending.add(name);
            }
            o.elements().forEachRemaining(child -> localiseModelRefs(child, pending));
        } else if (node != null && node.isArray()) {
            node.forEach(child -> localiseModelRefs(child, pending));
        }
    }

    /** Whether the body is JSON satisfying the schema; a schema that does not compile lets every body through. */
    static boolean valid(String schemaText, String body) {
        if (schemaText == null || schemaText.isBlank()) return true;
        Schema schema;
        try {
            schema = COMPILED.get(schemaText);
            if (schema == null) {
                schema = DRAFT_4.getSchema(Invocation.JSON.readTree(schemaText));
                if (COMPILED.size() >= MAX_COMPILED) COMPILED.clear();
                COMPILED.put(schemaText, schema);
            }
        } catch (Exception e) {
            return true;
        }
        JsonNode document;
        try {
            document = Invocation.JSON.readTree(body.isBlank() ? "null" : body);
        } catch (Exception e) {
            return false;
        }
        return schema.validate(document).isEmpty();
    }
}
