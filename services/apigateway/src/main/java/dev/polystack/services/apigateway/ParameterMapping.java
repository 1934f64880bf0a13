package dev.polystack.services.apigateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.HttpRequestData;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP API parameter mapping value ({@code RequestParameters} of an AWS service integration), as AWS documents it:
 * a static value, a whole-value selection ({@code $request.header.name}, {@code $request.querystring.name},
 * {@code $request.path.name}, {@code $request.body}, {@code $request.body.a.b} (JSONPath-like member path),
 * {@code $context.name}, {@code $stageVariables.name}), or text with {@code ${...}} selections inside
 * ({@code order-${request.path.id}}).
 */
final class ParameterMapping {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EMBEDDED = Pattern.compile("\\$\\{([^}]+)}");

    private ParameterMapping() {
    }

    /** The value, or null when a whole-value selection finds nothing (the parameter is then left out). */
    static String resolve(String expression, HttpRequestData request, Map<String, String> pathParameters,
                          Map<String, Object> stageVariables, Map<String, String> context) {
        if (expression.startsWith("$") && !expression.startsWith("${")) {
            return select(expression.substring(1), request, pathParameters, stageVariables, context);
        }
        Matcher m = EMBEDDED.matcher(expression);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = select(m.group(1), request, pathParameters, stageVariables, context);
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** One selection without its {@code $}: {@code request.header.x}, {@code context.requestId}, ... */
    private static String select(String selection, HttpRequestData request, Map<String, String> pathParameters,
                                 Map<String, Object> stageVariables, Map<String, String> context) {
        if (selection.startsWith("request.header.")) return request.header(selection.substring("request.header.".length()));
        if (selection.startsWith("request.querystring.")) return request.queryParameter(selection.substring("request.querystring.".length()));
        if (selection.startsWith("request.path.")) return pathParameters.get(selection.substring("request.path.".length()));
        if (selection.equals("request.body")) return new String(request.bodyBytes(), StandardCharsets.UTF_8);
        if (selection.startsWith("request.body.")) return bodyMember(request, selection.substring("request.body.".length()));
        if (selection.startsWith("context.")) return context.get(selection.substring("context.".length()));
        if (selection.startsWith("stageVariables.")) {
            Object v = stageVariables == null ? null : stageVariables.get(selection.substring("stageVariables.".length()));
            return v == null ? null : v.toString();
        }
        return null;
    }

    /** A member of a JSON body by dotted path ({@code a.b}, {@code items[0].name}); objects come back as JSON text. */
    private static String bodyMember(HttpRequestData request, String path) {
        JsonNode node;
        try {
            node = JSON.readTree(request.bodyBytes());
        } catch (java.io.IOException e) {
            return null;
        }
        for (String part : path.split("\\.")) {
            if (node == null) return null;
            int bracket = part.indexOf('[');
            String name = bracket < 0 ? part : part.substring(0, bracket);
            if (!name.isEmpty()) node = node.get(name);
            while (bracket >= 0 && node != null) {
                int close = part.indexOf(']', bracket);
                if (close < 0) return null;
                try {
                    node = node.get(Integer.parseInt(part.substring(bracket + 1, close)));
                } catch (NumberFormatException e) {
                    return null;
                }
                bracket = part.indexOf('[', close);
            }
        }
        if (node == null || node.isNull() || node.isMissingNode()) return null;
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
