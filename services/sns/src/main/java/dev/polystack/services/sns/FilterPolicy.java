package dev.polystack.services.sns;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A compiled SNS subscription filter policy.
 *
 * <p>Parsing validates the way SNS does: it walks the JSON with a streaming parser and reports the
 * first problem with the parser's position at that moment ({@code at [Source: ...; line: 1, column: N]}),
 * because AWS's messages carry exactly that position. The policy is then flattened into a list of
 * alternatives (one per {@code $or} branch combination), each a map of dotted key path to the
 * conditions that path must satisfy; a message matches when any alternative matches.
 *
 * <p>Message values are flattened the same way (nested objects become dotted paths, arrays contribute
 * every element), so {@code {"a":{"b":..}}} and {@code {"a.b":..}} in a body both match policy key
 * {@code a.b}, as AWS does.
 */
public final class FilterPolicy {
    static final int MAX_KEYS = 5;
    static final int MAX_COMBINATIONS = 150;

    private static final JsonFactory JSON = new JsonFactory();

    /** One alternative: every path must be satisfied by at least one of its conditions. */
    private final List<Map<String, List<Condition>>> alternatives;
    private final boolean nested;

    private FilterPolicy(List<Map<String, List<Condition>>> alternatives, boolean nested) {
        this.alternatives = alternatives;
        this.nested = nested;
    }

    /** Whether the policy uses nested objects (only allowed with FilterPolicyScope MessageBody). */
    public boolean nested() {
        return nested;
    }

    /** A policy problem; the message is what follows {@code FilterPolicy: } in AWS's error text. */
    public static final class InvalidPolicy extends Exception {
        private final boolean jsonSyntax;

        InvalidPolicy(String message, boolean jsonSyntax) {
            super(message, null, false, false);
            this.jsonSyntax = jsonSyntax;
        }

        /** The policy is not JSON at all (AWS words these "failed to parse JSON. ..."). */
        public boolean jsonSyntax() {
            return jsonSyntax;
        }
    }

    // ---------------------------------------------------------------- parsing

    public static FilterPolicy parse(String policy) throws InvalidPolicy {
        try (JsonParser p = JSON.createParser(policy)) {
            Parser parser = new Parser(p, policy);
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw parser.error("Filter policy must be a JSON object");
            }
            List<Map<String, List<Condition>>> alternatives = parser.object("", 1, null);
            if (p.nextToken() != null) throw parser.error("Unexpected content after the filter policy");
            // AWS's limits: at most 5 keys (of a nested policy only the top-level ones count), and at most 150
            // combinations, each key contributing its number of values times its nesting depth
            int combinations = 0;
            for (Map<String, List<Condition>> alternative : alternatives) {
                Set<String> topLevelKeys = new HashSet<>();
                int product = 1;
                for (Map.Entry<String, List<Condition>> leaf : alternative.entrySet()) {
                    topLevelKeys.add(parser.roots.get(leaf.getKey()));
                    long weight = (long) leaf.getValue().size() * parser.depths.get(leaf.getKey());
                    product = (int) Math.min(product * weight, Integer.MAX_VALUE);
                }
                if (topLevelKeys.size() > MAX_KEYS) {
                    throw new InvalidPolicy("Filter policy can not have more than " + MAX_KEYS + " keys", false);
                }
                combinations = (int) Math.min((long) combinations + product, Integer.MAX_VALUE);
            }
            if (combinations > MAX_COMBINATIONS) throw new InvalidPolicy("Filter policy is too complex", false);
            return new FilterPolicy(alternatives, parser.nested);
        } catch (JsonProcessingException e) {
            throw new InvalidPolicy("failed to parse JSON. " + e.getMessage(), true);
        } catch (IOException e) {
            throw new InvalidPolicy("failed to parse JSON. " + e.getMessage(), true);
        }
    }

    private static final class Parser {
        private final JsonParser p;
        private final String source;
        boolean nested;
        /** Each leaf path's nesting depth (1 at the top) and its top-level key, for AWS's limits. */
        final Map<String, Integer> depths = new HashMap<>();
        final Map<String, String> roots = new HashMap<>();

        Parser(JsonParser p, String source) {
            this.p = p;
            this.source = source;
        }

        InvalidPolicy error(String message) {
            JsonLocation at = p.currentLocation();
            return new InvalidPolicy(message + "\n at [Source: (String)\"" + source + "\"; line: " + at.getLineNr()
                    + ", column: " + at.getColumnNr() + "]", false);
        }

        /** Parses an object whose START_OBJECT was just read; returns its alternatives. */
        List<Map<String, List<Condition>>> object(String prefix, int depth, String root) throws IOException, InvalidPolicy {
            List<Map<String, List<Condition>>> result = new ArrayList<>();
            result.add(new LinkedHashMap<>());
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                List<Map<String, List<Condition>>> part;
                if (key.equals("$or")) {
                    part = or(prefix, depth, root);
                } else {
                    String path = prefix.isEmpty() ? key : prefix + "." + key;
                    if (value == JsonToken.START_OBJECT) {
                        nested = true;
                        part = object(path, depth + 1, root == null ? key : root);
                    } else if (value == JsonToken.START_ARRAY) {
                        Map<String, List<Condition>> leaf = new LinkedHashMap<>();
                        leaf.put(path, conditions());
                        depths.put(path, depth);
                        roots.put(path, root == null ? key : root);
                        part = List.of(leaf);
                    } else {
                        throw error("\"" + key + "\" must be an object or an array");
                    }
                }
                result = cross(result, part);
            }
            return result;
        }

        private List<Map<String, List<Condition>>> or(String prefix, int depth, String root) throws IOException, InvalidPolicy {
            if (p.currentToken() != JsonToken.START_ARRAY) throw error("Or operator must be an array");
            List<Map<String, List<Condition>>> branches = new ArrayList<>();
            int count = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() != JsonToken.START_OBJECT) throw error("Or operator must contain objects");
                branches.addAll(object(prefix, depth, root));
                count++;
            }
            if (count < 2) throw error("Or operator must have at least two alternatives");
            return branches;
        }

        /** Every combination of one alternative from each side (AND of two ORs). */
        private static List<Map<String, List<Condition>>> cross(List<Map<String, List<Condition>>> left,
                                                               List<Map<String, List<Condition>>> right) {
            List<Map<String, List<Condition>>> out = new ArrayList<>(left.size() * right.size());
            for (Map<String, List<Condition>> l : left) {
                for (Map<String, List<Condition>> r : right) {
                    Map<String, List<Condition>> merged = new LinkedHashMap<>(l);
                    // the same path on both sides (a key inside an $or branch and outside it): both must hold
                    r.forEach((path, conditions) -> merged.merge(path, conditions,
                            (a, b) -> List.of(new Condition.All(List.copyOf(a), List.copyOf(b)))));
                    out.add(merged);
                }
            }
            return out;
        }

        /** The conditions of one key; START_ARRAY was just read. */
        private List<Condition> conditions() throws IOException, InvalidPolicy {
            List<Condition> out = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                switch (t) {
                    case VALUE_STRING -> out.add(new Condition.Exact(p.getText()));
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> out.add(new Condition.NumericEquals(p.getDoubleValue()));
                    case VALUE_TRUE -> out.add(new Condition.BooleanEquals(true));
                    case VALUE_FALSE -> out.add(new Condition.BooleanEquals(false));
                    case VALUE_NULL -> out.add(Condition.IsNull.INSTANCE);
                    case START_OBJECT -> out.add(matchExpression());
                    default -> throw error("Match value must be String, number, true, false, or null");
                }
            }
            if (out.isEmpty()) throw error("Empty arrays are not allowed");
            return out;
        }

        /** {@code {"prefix": "x"}} and friends; START_OBJECT was just read. */
        private Condition matchExpression() throws IOException, InvalidPolicy {
            Condition condition = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String operator = p.currentName();
                JsonToken value = p.nextToken();
                if (condition != null) throw error("Only one key allowed in match expression");
                condition = switch (operator) {
                    case "prefix" -> stringOrIgnoreCase(value, "prefix", Condition.Prefix::new, Condition.PrefixIgnoreCase::new);
                    case "suffix" -> stringOrIgnoreCase(value, "suffix", Condition.Suffix::new, Condition.SuffixIgnoreCase::new);
                    case "equals-ignore-case" -> new Condition.EqualsIgnoreCase(string(value, "equals-ignore-case"));
                    case "anything-but" -> anythingBut(value);
                    case "numeric" -> numeric(value);
                    case "exists" -> {
                        if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                            throw error("exists match pattern must be either true or false.");
                        }
                        yield new Condition.Exists(value == JsonToken.VALUE_TRUE);
                    }
                    case "cidr" -> cidr(string(value, "prefix"));
                    default -> throw error("Unrecognized match type " + operator);
                };
            }
            if (condition == null) throw error("Empty objects are not allowed");
            return condition;
        }

        private String string(JsonToken value, String what) throws IOException, InvalidPolicy {
            if (value != JsonToken.VALUE_STRING) throw error(what + " match pattern must be a string");
            return p.getText();
        }

        private Condition stringOrIgnoreCase(JsonToken value, String what,
                                             java.util.function.Function<String, Condition> plain,
                                             java.util.function.Function<String, Condition> ignoreCase)
                throws IOException, InvalidPolicy {
            if (value == JsonToken.START_OBJECT && p.nextToken() == JsonToken.FIELD_NAME
                    && p.currentName().equals("equals-ignore-case")) {
                JsonToken inner = p.nextToken();
                String text = string(inner, what);
                if (p.nextToken() != JsonToken.END_OBJECT) throw error("Only one key allowed in match expression");
                return ignoreCase.apply(text);
            }
            return plain.apply(string(value, what));
        }

        private Condition anythingBut(JsonToken value) throws IOException, InvalidPolicy {
            switch (value) {
                case VALUE_STRING:
                    return new Condition.AnythingBut(List.of(p.getText()));
                case VALUE_NUMBER_INT:
                case VALUE_NUMBER_FLOAT:
                    return new Condition.AnythingBut(List.of(p.getDoubleValue()));
                case START_ARRAY: {
                    List<Object> values = new ArrayList<>();
                    JsonToken t;
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (t == JsonToken.VALUE_STRING) values.add(p.getText());
                        else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) values.add(p.getDoubleValue());
                        else throw error("Inside anything but list, " + describe(t) + " is not supported.");
                    }
                    if (values.isEmpty()) throw error("Empty arrays are not allowed");
                    return new Condition.AnythingBut(values);
                }
                case START_OBJECT: {
                    Condition inner = null;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String operator = p.currentName();
                        JsonToken v = p.nextToken();
                        if (inner != null) throw error("Only one key allowed in match expression");
                        inner = switch (operator) {
                            case "prefix" -> new Condition.Prefix(string(v, "prefix"));
                            case "suffix" -> throw error("Unsupported anything-but pattern: " + operator);
                            case "equals-ignore-case" -> equalsIgnoreCaseList(v);
                            default -> throw error("Unsupported anything-but pattern: " + operator);
                        };
                    }
                    if (inner == null) throw error("Empty objects are not allowed");
                    return new Condition.Not(inner);
                }
                default:
                    throw error("Value of anything-but must be an array or single string/number value.");
            }
        }

        private Condition equalsIgnoreCaseList(JsonToken v) throws IOException, InvalidPolicy {
            if (v == JsonToken.START_ARRAY) {
                List<Condition> any = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    any.add(new Condition.EqualsIgnoreCase(string(p.currentToken(), "equals-ignore-case")));
                }
                return new Condition.Any(any);
            }
            return new Condition.EqualsIgnoreCase(string(v, "equals-ignore-case"));
        }

        private static String describe(JsonToken t) {
            return switch (t) {
                case START_ARRAY -> "start_array";
                case START_OBJECT -> "start_object";
                case VALUE_TRUE, VALUE_FALSE -> "boolean";
                case VALUE_NULL -> "null";
                default -> t.name().toLowerCase(Locale.ROOT);
            };
        }

        /** {@code "numeric": ["op", n]} or {@code [">", a, "<", b]}; the value token was just read. */
        private Condition numeric(JsonToken value) throws IOException, InvalidPolicy {
            if (value != JsonToken.START_ARRAY) throw error("Value of numeric must be an array.");
            JsonToken t = p.nextToken();
            if (t != JsonToken.VALUE_STRING) throw error("Invalid member in numeric match: " + p.getText());
            String first = p.getText();
            JsonToken v = p.nextToken();
            String firstName = switch (first) {
                case "=" -> "equals";
                case "<", "<=", ">", ">=" -> first;
                default -> throw error("Unrecognized numeric range operator: " + first);
            };
            if (!isNumber(v)) throw error("Value of " + firstName + " must be numeric");
            double firstValue = p.getDoubleValue();
            if (first.equals("=") || first.startsWith("<")) {
                if (p.nextToken() != JsonToken.END_ARRAY) throw error("Too many elements in numeric expression");
                return switch (first) {
                    case "=" -> new Condition.NumericEquals(firstValue);
                    case "<" -> new Condition.Range(Double.NEGATIVE_INFINITY, false, firstValue, true);
                    default -> new Condition.Range(Double.NEGATIVE_INFINITY, false, firstValue, false);
                };
            }
            boolean lowerOpen = first.equals(">");
            t = p.nextToken();
            if (t == JsonToken.END_ARRAY) return new Condition.Range(firstValue, lowerOpen, Double.POSITIVE_INFINITY, false);
            if (t != JsonToken.VALUE_STRING) throw error("Bad value in numeric range: " + p.getText());
            String second = p.getText();
            if (!second.equals("<") && !second.equals("<=")) throw error("Bad numeric range operator: " + second);
            v = p.nextToken();
            if (!isNumber(v)) throw error("Value of " + second + " must be numeric");
            double secondValue = p.getDoubleValue();
            if (p.nextToken() != JsonToken.END_ARRAY) throw error("Too many terms in numeric range expression");
            if (firstValue >= secondValue) throw error("Bottom must be less than top");
            return new Condition.Range(firstValue, lowerOpen, secondValue, second.equals("<"));
        }

        private static boolean isNumber(JsonToken t) {
            return t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT;
        }

        /** CIDR problems carry no position in AWS's messages. */
        private static Condition cidr(String text) throws InvalidPolicy {
            int slash = text.indexOf('/');
            if (slash < 0 || slash != text.lastIndexOf('/')) throw new InvalidPolicy("Malformed CIDR, one '/' required", false);
            String address = text.substring(0, slash);
            int bits;
            try {
                bits = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new InvalidPolicy("Malformed CIDR, mask bits must be an integer", false);
            }
            byte[] network = ipLiteral(address);
            if (network == null) throw new InvalidPolicy("Nonstandard IP address: " + address, false);
            if (bits < 0 || bits > network.length * 8) throw new InvalidPolicy("Malformed CIDR, mask bits must be an integer", false);
            return new Condition.Cidr(network, bits);
        }
    }

    /** Parses an IPv4 dotted quad or IPv6 literal without DNS; null when it is neither. */
    static byte[] ipLiteral(String text) {
        if (text.isEmpty()) return null;
        boolean v4 = text.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
        boolean v6 = text.indexOf(':') >= 0 && text.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
        if (v4) {
            String[] parts = text.split("\\.", -1);
            if (parts.length != 4) return null;
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (parts[i].isEmpty() || parts[i].length() > 3) return null;
                int n = Integer.parseInt(parts[i]);
                if (n > 255) return null;
                out[i] = (byte) n;
            }
            return out;
        }
        if (!v6) return null;
        try {
            return InetAddress.getByName(text).getAddress(); // a literal: no lookup happens
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- matching

    /** A message value seen by a condition: String, Double, Boolean, or {@link #NULL}. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    sealed interface Condition {
        /** Whether a single present value satisfies the condition. */
        boolean test(Object value);

        record Exact(String expected) implements Condition {
            public boolean test(Object v) { return expected.equals(v); }
        }

        record NumericEquals(double expected) implements Condition {
            public boolean test(Object v) { return v instanceof Double d && d == expected; }
        }

        record BooleanEquals(boolean expected) implements Condition {
            public boolean test(Object v) { return v instanceof Boolean b && b == expected; }
        }

        enum IsNull implements Condition {
            INSTANCE;
            public boolean test(Object v) { return v == NULL; }
        }

        record Prefix(String prefix) implements Condition {
            public boolean test(Object v) { return v instanceof String s && s.startsWith(prefix); }
        }

        record PrefixIgnoreCase(String prefix) implements Condition {
            public boolean test(Object v) { return v instanceof String s && s.regionMatches(true, 0, prefix, 0, prefix.length()); }
        }

        record Suffix(String suffix) implements Condition {
            public boolean test(Object v) { return v instanceof String s && s.endsWith(suffix); }
        }

        record SuffixIgnoreCase(String suffix) implements Condition {
            public boolean test(Object v) {
                return v instanceof String s && s.length() >= suffix.length()
                        && s.regionMatches(true, s.length() - suffix.length(), suffix, 0, suffix.length());
            }
        }

        record EqualsIgnoreCase(String expected) implements Condition {
            public boolean test(Object v) { return v instanceof String s && s.equalsIgnoreCase(expected); }
        }

        /** anything-but with values: a present value equal to none of them. */
        record AnythingBut(List<Object> excluded) implements Condition {
            public boolean test(Object v) {
                if (v == NULL) return false;
                for (Object e : excluded) {
                    if (e.equals(v)) return false;
                }
                return true;
            }
        }

        /** anything-but with an operator: a present string value the operator rejects. */
        record Not(Condition inner) implements Condition {
            public boolean test(Object v) { return v instanceof String && !inner.test(v); }
        }

        record Any(List<Condition> any) implements Condition {
            public boolean test(Object v) {
                for (Condition c : any) if (c.test(v)) return true;
                return false;
            }
        }

        /** Two condition lists on the same path (the same key in an {@code $or} branch and outside it). */
        record All(List<Condition> first, List<Condition> second) implements Condition {
            public boolean test(Object v) {
                return new Any(first).test(v) && new Any(second).test(v);
            }
        }

        record Range(double low, boolean lowOpen, double high, boolean highOpen) implements Condition {
            public boolean test(Object v) {
                if (!(v instanceof Double d)) return false;
                boolean aboveLow = lowOpen ? d > low : d >= low;
                boolean belowHigh = highOpen ? d < high : d <= high;
                return aboveLow && belowHigh;
            }
        }

        record Exists(boolean expected) implements Condition {
            public boolean test(Object v) { return expected && v != NULL; }
        }

        record Cidr(byte[] network, int bits) implements Condition {
            public boolean test(Object v) {
                if (!(v instanceof String s)) return false;
                byte[] address = ipLiteral(s);
                if (address == null || address.length != network.length) return false;
                int total = network.length * 8;
                BigInteger mask = bits == 0 ? BigInteger.ZERO
                        : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftLeft(total - bits);
                return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
            }
        }
    }

    /**
     * Matches flattened message values: dotted path → every value found there.
     *
     * @param requireSomeKey {@code exists: false} only matches when the message has at least one key
     *                       (AWS's rule for message attributes)
     */
    boolean matches(Map<String, List<Object>> values, boolean requireSomeKey) {
        for (Map<String, List<Condition>> alternative : alternatives) {
            if (matchesAll(alternative, values, requireSomeKey)) return true;
        }
        return false;
    }

    private static boolean matchesAll(Map<String, List<Condition>> alternative, Map<String, List<Object>> values,
                                      boolean requireSomeKey) {
        for (Map.Entry<String, List<Condition>> e : alternative.entrySet()) {
            List<Object> present = values.get(e.getKey());
            if (!matchesKey(e.getValue(), present, requireSomeKey && values.isEmpty())) return false;
        }
        return true;
    }

    private static boolean matchesKey(List<Condition> conditions, List<Object> present, boolean emptyMessage) {
        boolean absent = present == null || present.isEmpty();
        for (Condition c : conditions) {
            if (c instanceof Condition.Exists exists) {
                if (exists.expected()) {
                    if (!absent && present.stream().anyMatch(v -> v != NULL)) return true;
                } else if (absent && !emptyMessage) {
                    return true;
                }
                continue;
            }
            if (absent) continue;
            for (Object v : present) {
                if (c.test(v)) return true;
            }
        }
        return false;
    }

    /** Matches SNS message attributes (name → {DataType, StringValue, BinaryValue}). */
    public boolean matchesAttributes(Map<String, MessageAttribute> attributes) {
        Map<String, List<Object>> values = new HashMap<>();
        attributes.forEach((name, attr) -> {
            List<Object> list = attr.filterValues();
            if (list != null) values.put(name, list);
        });
        return matches(values, true);
    }

    /** Matches a message body; a body that is not a JSON object never matches. */
    public boolean matchesBody(JsonNode body) {
        if (body == null || !body.isObject()) return false;
        Map<String, List<Object>> values = new HashMap<>();
        flatten("", body, values);
        return matches(values, false);
    }

    static void flatten(String path, JsonNode node, Map<String, List<Object>> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> flatten(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out));
        } else if (node.isArray()) {
            out.computeIfAbsent(path, k -> new ArrayList<>());
            for (JsonNode element : node) flatten(path, element, out);
        } else {
            out.computeIfAbsent(path, k -> new ArrayList<>()).add(scalar(node));
        }
    }

    static Object scalar(JsonNode node) {
        if (node.isTextual()) return node.textValue();
        if (node.isNumber()) return node.doubleValue();
        if (node.isBoolean()) return node.booleanValue();
        return NULL;
    }
}
