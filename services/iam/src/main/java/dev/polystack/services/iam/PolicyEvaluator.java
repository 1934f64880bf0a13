package dev.polystack.services.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Evaluates identity policies as AWS does: an explicit Deny wins, else any Allow, else an implicit deny.
 * Action/NotAction, Resource/NotResource with {@code *} and {@code ?} wildcards (actions case-insensitive),
 * and conditions: String*, Numeric*, Date*, Bool, IpAddress/NotIpAddress, Arn*, Null, with {@code IfExists},
 * {@code ForAnyValue:} and {@code ForAllValues:}, over a context of keys (case-insensitive names) to values.
 */
public final class PolicyEvaluator {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One policy to evaluate, with an id for MatchedStatements. */
    public record Source(String id, String type, String document) {
    }

    public enum Decision { ALLOWED, EXPLICIT_DENY, IMPLICIT_DENY }

    /**
     * The outcome: the decision, the statements behind it (the Deny statements that matched for an explicit deny, else
     * the Allow statements that matched), and the condition keys those statements' conditions named that the context
     * did not supply (what the policy simulator reports as MissingContextValues).
     */
    public record Result(Decision decision, List<Matched> statements, List<String> missingContextKeys) {
        public String awsName() {
            return switch (decision) {
                case ALLOWED -> "allowed";
                case EXPLICIT_DENY -> "explicitDeny";
                case IMPLICIT_DENY -> "implicitDeny";
            };
        }

        /** The policies behind the decision, each once. */
        public List<Source> matched() {
            List<Source> out = new ArrayList<>();
            for (Matched m : statements) if (!out.contains(m.source())) out.add(m.source());
            return out;
        }
    }

    /** A statement that matched: its policy, and its place in the policy's {@code Statement} (0-based). */
    public record Matched(Source source, int index) {
        /**
         * Where the statement stands in its document as the policy simulator reports it: {start line, start column,
         * end line, end column}, lines 1-based, columns one past the statement's opening brace and one past its
         * closing brace (AWS's answers: {@code {"Version": "2012-10-17", "Statement": {...}}} gives 41 and 113).
         */
        public int[] position() {
            int[][] spans = statementSpans(source.document());
            return index < spans.length ? spans[index] : new int[]{1, 1, 1, 1};
        }
    }

    private PolicyEvaluator() {
    }

    /** Parses and checks a policy document; throws MalformedPolicyDocument with AWS's texts. */
    static JsonNode parse(String document) {
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (Exception e) {
            throw IamErrors.malformed("This policy contains invalid Json");
        }
        if (root == null || !root.isObject()) throw IamErrors.malformed("This policy contains invalid Json");
        JsonNode statements = root.get("Statement");
        if (statements == null) throw IamErrors.malformed("Syntax errors in policy.");
        for (JsonNode st : list(statements)) {
            String effect = st.path("Effect").asText("");
            if (!effect.equals("Allow") && !effect.equals("Deny")) throw IamErrors.malformed("Syntax errors in policy.");
        }
        return root;
    }

    public static Result evaluate(List<Source> policies, String action, String resource, Map<String, List<String>> context) {
        List<Matched> allows = new ArrayList<>();
        List<Matched> denies = new ArrayList<>();
        java.util.Set<String> missing = new java.util.LinkedHashSet<>();
        for (Source source : policies) {
            JsonNode root;
            try {
                root = JSON.readTree(source.document());
            } catch (Exception e) {
                continue;
            }
            List<JsonNode> statements = list(root.get("Statement"));
            for (int i = 0; i < statements.size(); i++) {
                JsonNode st = statements.get(i);
                if (!targets(st, action, resource)) continue;
                JsonNode condition = st.get("Condition");
                if (condition != null) missingKeys(condition, context, missing);
                if (condition != null && !conditionsHold(condition, context)) continue;
                Matched m = new Matched(source, i);
                if ("Deny".equals(st.path("Effect").asText())) denies.add(m);
                else if ("Allow".equals(st.path("Effect").asText())) allows.add(m);
            }
        }
        List<String> missingKeys = List.copyOf(missing);
        if (!denies.isEmpty()) return new Result(Decision.EXPLICIT_DENY, denies, missingKeys);
        if (!allows.isEmpty()) return new Result(Decision.ALLOWED, allows, missingKeys);
        return new Result(Decision.IMPLICIT_DENY, List.of(), missingKeys);
    }

    /** Whether a statement's Action/NotAction and Resource/NotResource cover the request (conditions aside). */
    private static boolean targets(JsonNode st, String action, String resource) {
        if (st.has("Action") && !anyMatches(st.get("Action"), action, true)) return false;
        if (st.has("NotAction") && anyMatches(st.get("NotAction"), action, true)) return false;
        if (!st.has("Action") && !st.has("NotAction")) return false;
        if (st.has("Resource") && !anyMatches(st.get("Resource"), resource, false)) return false;
        return !st.has("NotResource") || !anyMatches(st.get("NotResource"), resource, false);
    }

    /** The condition keys a condition block names that the context has no value for. */
    private static void missingKeys(JsonNode condition, Map<String, List<String>> context, java.util.Set<String> missing) {
        condition.fields().forEachRemaining(op -> op.getValue().fieldNames().forEachRemaining(key -> {
            List<String> values = lookup(context, key);
            if (values == null || values.isEmpty()) missing.add(key);
        }));
    }

    /**
     * Each statement's span in the document, in the order of {@code Statement} (one object or an array of them):
     * {start line, start column, end line, end column} as {@link Matched#position()} reports them. Jackson's
     * locations are 1-based, so one past a brace is its column plus one.
     */
    static int[][] statementSpans(String document) {
        List<int[]> spans = new ArrayList<>();
        try (com.fasterxml.jackson.core.JsonParser p = JSON.getFactory().createParser(document)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) return new int[0][];
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = p.currentName();
                com.fasterxml.jackson.core.JsonToken value = p.nextToken();
                if (!"Statement".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                if (value == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                    spans.add(span(p));
                } else if (value == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                    while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                        if (p.currentToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) spans.add(span(p));
                        else p.skipChildren();
                    }
                }
            }
        } catch (java.io.IOException e) {
            // a document that does not parse has no statements to point at
        }
        return spans.toArray(new int[0][]);
    }

    /** The span of the object the parser stands at the start of; leaves the parser at its end. */
    private static int[] span(com.fasterxml.jackson.core.JsonParser p) throws java.io.IOException {
        var start = p.currentTokenLocation();
        p.skipChildren();
        var end = p.currentTokenLocation();
        return new int[]{start.getLineNr(), start.getColumnNr() + 1, end.getLineNr(), end.getColumnNr() + 1};
    }

    private static boolean anyMatches(JsonNode patterns, String value, boolean ignoreCase) {
        for (JsonNode p : list(patterns)) if (wildcard(p.asText(), ignoreCase).matcher(value).matches()) return true;
        return false;
    }

    static Pattern wildcard(String pattern, boolean ignoreCase) {
        StringBuilder re = new StringBuilder();
        int literalStart = -1;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' || c == '?') {
                if (literalStart >= 0) {
                    re.append(Pattern.quote(pattern.substring(literalStart, i)));
                    literalStart = -1;
                }
                re.append(c == '*' ? ".*" : ".");
            } else if (literalStart < 0) {
                literalStart = i;
            }
        }
        if (literalStart >= 0) re.append(Pattern.quote(pattern.substring(literalStart)));
        return Pattern.compile(re.toString(), (ignoreCase ? Pattern.CASE_INSENSITIVE : 0) | Pattern.DOTALL);
    }

    // ---------------------------------------------------------------- conditions

    private static boolean conditionsHold(JsonNode condition, Map<String, List<String>> context) {
        Iterator<Map.Entry<String, JsonNode>> operators = condition.fields();
        while (operators.hasNext()) {
            var op = operators.next();
            Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields();
            while (keys.hasNext()) {
                var key = keys.next();
                List<String> expected = new ArrayList<>();
                for (JsonNode v : list(key.getValue())) expected.add(v.asText());
                if (!holds(op.getKey(), lookup(context, key.getKey()), expected)) return false;
            }
        }
        return true;
    }

    private static List<String> lookup(Map<String, List<String>> context, String key) {
        for (var e : context.entrySet()) if (e.getKey().equalsIgnoreCase(key)) return e.getValue();
        return null;
    }

    private static boolean holds(String operator, List<String> actual, List<String> expected) {
        String op = operator;
        String set = null;
        if (op.startsWith("ForAnyValue:")) {
            set = "any";
            op = op.substring("ForAnyValue:".length());
        } else if (op.startsWith("ForAllValues:")) {
            set = "all";
            op = op.substring("ForAllValues:".length());
        }
        boolean ifExists = op.endsWith("IfExists");
        if (ifExists) op = op.substring(0, op.length() - "IfExists".length());
        if (op.equals("Null")) {
            boolean isNull = actual == null || actual.isEmpty();
            return expected.stream().anyMatch(e -> Boolean.parseBoolean(e) == isNull);
        }
        if (actual == null || actual.isEmpty()) {
            if (ifExists) return true;
            // ForAllValues over no values is vacuously true; everything else needs a value
            return "all".equals(set) || isNegated(op);
        }
        if ("all".equals(set)) {
            for (String a : actual) if (!single(op, a, expected)) return false;
            return true;
        }
        if (isNegated(op)) {
            // a negated operator holds when no value matches the positive form
            String positive = positive(op);
            for (String a : actual) if (single(positive, a, expected)) return false;
            return true;
        }
        for (String a : actual) if (single(op, a, expected)) return true;
        return false;
    }

    private static boolean isNegated(String op) {
        return op.equals("StringNotEquals") || op.equals("StringNotEqualsIgnoreCase") || op.equals("StringNotLike")
                || op.equals("NumericNotEquals") || op.equals("DateNotEquals") || op.equals("NotIpAddress")
                || op.equals("ArnNotEquals") || op.equals("ArnNotLike");
    }

    private static String positive(String op) {
        return switch (op) {
            case "NotIpAddress" -> "IpAddress";
            default -> op.replace("Not", "");
        };
    }

    private static boolean single(String op, String actual, List<String> expected) {
        for (String e : expected) {
            boolean hit = switch (op) {
                case "StringEquals", "ArnEquals" -> op.equals("ArnEquals") ? wildcard(e, false).matcher(actual).matches() : actual.equals(e);
                case "StringEqualsIgnoreCase" -> actual.equalsIgnoreCase(e);
                case "StringLike", "ArnLike" -> wildcard(e, false).matcher(actual).matches();
                case "NumericEquals" -> compareNumbers(actual, e) == 0;
                case "NumericLessThan" -> compareNumbers(actual, e) < 0;
                case "NumericLessThanEquals" -> compareNumbers(actual, e) <= 0;
                case "NumericGreaterThan" -> compareNumbers(actual, e) > 0;
                case "NumericGreaterThanEquals" -> compareNumbers(actual, e) >= 0;
                case "DateEquals" -> compareDates(actual, e) == 0;
                case "DateLessThan" -> compareDates(actual, e) < 0;
                case "DateLessThanEquals" -> compareDates(actual, e) <= 0;
                case "DateGreaterThan" -> compareDates(actual, e) > 0;
                case "DateGreaterThanEquals" -> compareDates(actual, e) >= 0;
                case "Bool" -> actual.equalsIgnoreCase(e);
                case "BinaryEquals" -> actual.equals(e);
                case "IpAddress" -> inCidr(actual, e);
                default -> false;
            };
            if (hit) return true;
        }
        return false;
    }

    private static int compareNumbers(String a, String b) {
        try {
            return new BigDecimal(a).compareTo(new BigDecimal(b));
        } catch (NumberFormatException e) {
            return 2; // not a number: never equal, never less
        }
    }

    private static int compareDates(String a, String b) {
        try {
            return Long.compare(epochMillis(a), epochMillis(b));
        } catch (RuntimeException e) {
            return 2;
        }
    }

    private static long epochMillis(String value) {
        if (value.chars().allMatch(Character::isDigit)) return Long.parseLong(value) * 1000;
        try {
            return Instant.parse(value).toEpochMilli();
        } catch (RuntimeException e) {
            return OffsetDateTime.parse(value).toInstant().toEpochMilli();
        }
    }

    static boolean inCidr(String ip, String cidr) {
        try {
            String[] parts = cidr.split("/");
            byte[] address = InetAddress.getByName(ip).getAddress();
            byte[] network = InetAddress.getByName(parts[0]).getAddress();
            if (address.length != network.length) return false;
            int bits = parts.length > 1 ? Integer.parseInt(parts[1]) : address.length * 8;
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((address[i / 8] & mask) != (network[i / 8] & mask)) return false;
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static List<JsonNode> list(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node == null || node.isNull()) return out;
        if (node.isArray()) node.forEach(out::add);
        else out.add(node);
        return out;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
