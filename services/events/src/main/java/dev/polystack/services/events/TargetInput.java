package dev.polystack.services.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.ServiceException;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a target receives: the whole event, the constant {@code Input}, the part {@code InputPath} selects,
 * or the {@code InputTransformer}'s template filled in. In a template a placeholder inside a JSON string
 * takes the value's plain text (objects as {@code {k:v}}, lists as {@code [a,b]}, as AWS writes them),
 * outside a string its JSON.
 */
final class TargetInput {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("<([^<>\\s]+)>");
    private static final Set<String> PREDEFINED = Set.of("aws.events.rule-arn", "aws.events.rule-name",
            "aws.events.event.ingestion-time", "aws.events.event", "aws.events.event.json");

    private TargetInput() {
    }

    /** PutTargets' checks on one target's input members. */
    static void validate(Target target) {
        int given = (target.input() != null ? 1 : 0) + (target.inputPath() != null ? 1 : 0)
                + (target.inputTransformer() != null ? 1 : 0);
        if (given > 1) {
            throw new ServiceException("ValidationException",
                    "Only one of Input, InputPath, or InputTransformer must be provided for target " + target.id() + ".");
        }
        Target.InputTransformer t = target.inputTransformer();
        if (t == null) return;
        Map<String, String> paths = t.inputPathsMap() == null ? Map.of() : t.inputPathsMap();
        Matcher m = PLACEHOLDER.matcher(t.inputTemplate() == null ? "" : t.inputTemplate());
        while (m.find()) {
            String name = m.group(1);
            if (!paths.containsKey(name) && !PREDEFINED.contains(name)) {
                throw new ServiceException("ValidationException",
                        "InputTemplate for target " + target.id() + " contains invalid placeholder " + name + ".");
            }
        }
    }

    /** The payload for a target; {@code eventJson} is the event as sent to targets without input settings. */
    static String render(Target target, JsonNode event, String eventJson, Rule rule, String ingestionTime) {
        if (target.input() != null) return target.input();
        if (target.inputPath() != null) {
            JsonNode selected = select(event, target.inputPath());
            return selected == null ? "" : selected.toString();
        }
        Target.InputTransformer t = target.inputTransformer();
        if (t == null) return eventJson;
        String template = t.inputTemplate() == null ? "" : t.inputTemplate();
        StringBuilder out = new StringBuilder(template.length() + 64);
        boolean inString = false;
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '"' && (i == 0 || template.charAt(i - 1) != '\\')) {
                inString = !inString;
            } else if (c == '<') {
                int end = template.indexOf('>', i);
                if (end > i) {
                    String name = template.substring(i + 1, end);
                    JsonNode value = valueOf(name, t.inputPathsMap(), event, eventJson, rule, ingestionTime);
                    if (value != null || isKnown(name, t.inputPathsMap())) {
                        out.append(inString ? plain(value) : (value == null ? "null" : value.toString()));
                        i = end + 1;
                        continue;
                    }
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static boolean isKnown(String name, Map<String, String> paths) {
        return PREDEFINED.contains(name) || (paths != null && paths.containsKey(name));
    }

    private static JsonNode valueOf(String name, Map<String, String> paths, JsonNode event, String eventJson,
                                    Rule rule, String ingestionTime) {
        switch (name) {
            case "aws.events.rule-arn":
                return JSON.getNodeFactory().textNode(rule.arn);
            case "aws.events.rule-name":
                return JSON.getNodeFactory().textNode(rule.name);
            case "aws.events.event.ingestion-time":
                return JSON.getNodeFactory().textNode(ingestionTime);
            case "aws.events.event.json":
                return event;
            case "aws.events.event": {
                // AWS's rendering: the envelope without detail, detail-type spelled detailType
                ObjectNode copy = JSON.createObjectNode();
                for (Iterator<Map.Entry<String, JsonNode>> it = event.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    if (f.getKey().equals("detail")) continue;
                    copy.set(f.getKey().equals("detail-type") ? "detailType" : f.getKey(), f.getValue());
                }
                return copy;
            }
            default:
                return paths == null || !paths.containsKey(name) ? null : select(event, paths.get(name));
        }
    }

    /** A value's text inside a JSON string: strings as they are, objects and lists without quotes. */
    private static String plain(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) return "";
        if (value.isTextual()) return value.textValue();
        if (value.isObject()) {
            StringBuilder b = new StringBuilder("{");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                b.append(f.getKey()).append(':').append(plain(f.getValue()));
                if (it.hasNext()) b.append(',');
            }
            return b.append('}').toString();
        }
        if (value.isArray()) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < value.size(); i++) {
                if (i > 0) b.append(',');
                b.append(plain(value.get(i)));
            }
            return b.append(']').toString();
        }
        return value.asText();
    }

    /** A JSONPath of the simple kind EventBridge takes: {@code $}, {@code $.a.b}, {@code $.a[0]}, {@code $['a']}. */
    static JsonNode select(JsonNode root, String path) {
        if (path == null) return null;
        String p = path.trim();
        if (!p.startsWith("$")) return null;
        JsonNode node = root;
        int i = 1;
        while (i < p.length() && node != null) {
            char c = p.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') end++;
                node = node.get(p.substring(i + 1, end));
                i = end;
            } else if (c == '[') {
                int end = p.indexOf(']', i);
                if (end < 0) return null;
                String key = p.substring(i + 1, end).trim();
                if (key.startsWith("'") || key.startsWith("\"")) node = node.get(key.substring(1, key.length() - 1));
                else {
                    try {
                        node = node.get(Integer.parseInt(key));
                    } catch (NumberFormatException e) {
                        return null;
                    }
                }
                i = end + 1;
            } else {
                return null;
            }
        }
        return node == null || node.isMissingNode() ? null : node;
    }
}
