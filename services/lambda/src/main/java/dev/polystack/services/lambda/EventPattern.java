package dev.polystack.services.lambda;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/**
 * Lambda's filter criteria: EventBridge-style patterns matched against an event record. Supported: exact values,
 * {@code prefix}, {@code suffix}, {@code exists}, {@code anything-but}, {@code numeric} and {@code null}.
 */
final class EventPattern {
    private EventPattern() {
    }

    static boolean matches(JsonNode pattern, JsonNode event) {
        if (pattern == null || !pattern.isObject()) return false;
        Iterator<Map.Entry<String, JsonNode>> fields = pattern.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode value = event == null ? null : event.get(f.getKey());
            JsonNode rule = f.getValue();
            if (rule.isObject()) {
                if (value == null || !value.isObject() || !matches(rule, value)) return false;
            } else if (rule.isArray()) {
                if (!anyMatches(rule, value)) return false;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean anyMatches(JsonNode alternatives, JsonNode value) {
        for (JsonNode alt : alternatives) {
            if (value != null && value.isArray()) {
                for (JsonNode v : value) {
                    if (matchesOne(alt, v)) return true;
                }
            } else if (matchesOne(alt, value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesOne(JsonNode alt, JsonNode value) {
        if (alt.isObject()) {
            if (alt.has("exists")) return alt.get("exists").asBoolean() == (value != null && !value.isNull());
            if (value == null) return false;
            if (alt.has("prefix")) return value.isTextual() && value.asText().startsWith(alt.get("prefix").asText());
            if (alt.has("suffix")) return value.isTextual() && value.asText().endsWith(alt.get("suffix").asText());
            if (alt.has("anything-but")) {
                JsonNode but = alt.get("anything-but");
                if (but.isArray()) {
                    for (JsonNode b : but) {
                        if (equal(b, value)) return false;
                    }
                    return true;
                }
                return !equal(but, value);
            }
            if (alt.has("numeric")) return value.isNumber() && numeric(alt.get("numeric"), value.asDouble());
            return false;
        }
        if (alt.isNull()) return value != null && value.isNull();
        return value != null && equal(alt, value);
    }

    private static boolean equal(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) return a.asDouble() == b.asDouble();
        return a.equals(b);
    }

    private static boolean numeric(JsonNode ops, double v) {
        for (int i = 0; i + 1 < ops.size(); i += 2) {
            String op = ops.get(i).asText();
            double n = ops.get(i + 1).asDouble();
            boolean ok = switch (op) {
                case "=" -> v == n;
                case ">" -> v > n;
                case ">=" -> v >= n;
                case "<" -> v < n;
                case "<=" -> v <= n;
                default -> false;
            };
            if (!ok) return false;
        }
        return true;
    }
}
