package dev.polystack.services.apigateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.HttpResponseData;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The Lambda proxy integration's event (REST API format) and the mapping of the function's answer. */
final class ProxyEvents {
    private ProxyEvents() {
    }

    static ObjectNode restEvent(Invocation inv, String resourcePath) {
        ObjectNode e = Invocation.JSON.createObjectNode();
        e.put("resource", resourcePath);
        e.put("path", inv.path());
        e.put("httpMethod", inv.request().method().toUpperCase());
        ObjectNode headers = e.putObject("headers");
        ObjectNode multiHeaders = e.putObject("multiValueHeaders");
        inv.request().headers().forEach((name, values) -> {
            if (values.isEmpty()) return;
            headers.put(name, values.get(values.size() - 1));
            ArrayNode all = multiHeaders.putArray(name);
            values.forEach(all::add);
        });
        Map<String, List<String>> query = inv.request().queryParameters();
        if (query.isEmpty()) {
            e.putNull("queryStringParameters");
            e.putNull("multiValueQueryStringParameters");
        } else {
            ObjectNode single = e.putObject("queryStringParameters");
            ObjectNode multi = e.putObject("multiValueQueryStringParameters");
            query.forEach((k, v) -> {
                single.put(k, v.isEmpty() ? "" : v.get(v.size() - 1));
                ArrayNode all = multi.putArray(k);
                v.forEach(all::add);
            });
        }
        if (inv.pathParameters().isEmpty()) e.putNull("pathParameters");
        else inv.pathParameters().forEach(e.putObject("pathParameters")::put);
        if (inv.stageVariables().isEmpty()) e.putNull("stageVariables");
        else inv.stageVariables().forEach(e.putObject("stageVariables")::put);
        e.set("requestContext", Invocation.JSON.valueToTree(inv.context()));
        byte[] body = inv.request().bodyBytes();
        if (body.length == 0) {
            e.putNull("body");
            e.put("isBase64Encoded", false);
        } else if (isBinary(inv, body)) {
            e.put("body", Base64.getEncoder().encodeToString(body));
            e.put("isBase64Encoded", true);
        } else {
            e.put("body", new String(body, StandardCharsets.UTF_8));
            e.put("isBase64Encoded", false);
        }
        return e;
    }

    /** A body is passed base64-encoded when its content type is one of the API's binary media types. */
    private static boolean isBinary(Invocation inv, byte[] body) {
        return isBinaryType(inv, inv.headers().get("Content-Type"));
    }

    /** The first media type of the request's {@code Accept} is one of the API's binary media types. */
    private static boolean acceptsBinary(Invocation inv) {
        String accept = inv.headers().get("Accept");
        return accept != null && isBinaryType(inv, accept.split(",")[0]);
    }

    private static boolean isBinaryType(Invocation inv, String type) {
        List<Object> binary;
        synchronized (inv.api()) {
            binary = Docs.list(inv.api().doc, "binaryMediaTypes");
        }
        if (type == null || binary == null) return false;
        String bare = type.split(";")[0].trim();
        for (Object b : binary) {
            String t = String.valueOf(b).replace("~1", "/");
            if (t.equals("*/*") || t.equals(bare) || t.endsWith("/*") && bare.startsWith(t.substring(0, t.length() - 1))) return true;
        }
        return false;
    }

    /** statusCode, headers, multiValueHeaders, body, isBase64Encoded; anything else is AWS's 502. */
    static HttpResponseData restResponse(Invocation inv, byte[] payload) {
        JsonNode node;
        try {
            node = Invocation.JSON.readTree(payload);
        } catch (Exception e) {
            return malformed(inv);
        }
        if (node == null || !node.isObject()) return malformed(inv);
        int status = 200;
        JsonNode code = node.get("statusCode");
        if (code != null && !code.isNull()) {
            if (code.isInt()) status = code.asInt();
            else if (code.isTextual() && code.asText().matches("\\d{3}")) status = Integer.parseInt(code.asText());
            else return malformed(inv);
        }
        HttpResponseData out = new HttpResponseData(status);
        JsonNode headers = node.get("headers");
        if (headers != null && headers.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> h = it.next();
                out.header(h.getKey(), h.getValue().isValueNode() ? h.getValue().asText() : h.getValue().toString());
            }
        } else if (headers != null && !headers.isNull()) {
            return malformed(inv);
        }
        JsonNode multi = node.get("multiValueHeaders");
        if (multi != null && multi.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = multi.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> h = it.next();
                if (out.header(h.getKey()) != null) out.headers().keySet().removeIf(k -> k.equalsIgnoreCase(h.getKey()));
                if (h.getValue().isArray()) h.getValue().forEach(v -> out.addHeader(h.getKey(), v.asText()));
            }
        }
        JsonNode body = node.get("body");
        byte[] bytes = new byte[0];
        if (body != null && !body.isNull()) {
            String text = body.isTextual() ? body.asText() : body.toString();
            JsonNode b64 = node.get("isBase64Encoded");
            // AWS decodes a base64 body only for a client that accepts a binary media type; others get the text
            if (b64 != null && b64.asBoolean(false) && acceptsBinary(inv)) {
                try {
                    bytes = Base64.getDecoder().decode(text);
                } catch (IllegalArgumentException e) {
                    return malformed(inv);
                }
            } else {
                bytes = text.getBytes(StandardCharsets.UTF_8);
            }
        }
        if (out.header("Content-Type") == null) out.header("Content-Type", "application/json");
        return inv.withRequestHeaders(out.body(bytes));
    }

    private static HttpResponseData malformed(Invocation inv) {
        return inv.plain(502, "{\"message\": \"Internal server error\"}");
    }
}
