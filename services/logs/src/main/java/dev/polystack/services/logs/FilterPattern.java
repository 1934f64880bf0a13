package dev.polystack.services.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.ServiceException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * CloudWatch Logs' filter pattern syntax, compiled once per filter:
 * <ul>
 *   <li>terms: {@code ERROR}, {@code "exact phrase"}, all must occur; {@code ?A ?B} any of them; {@code -DEBUG} none</li>
 *   <li>JSON: {@code { $.level = "error" && ($.latency > 100 || $.user.id IS NULL) }}, with {@code = != < > <= >=},
 *   {@code *} wildcards in strings, {@code IS NULL}, {@code NOT EXISTS}, {@code IS TRUE/FALSE}, array indexes</li>
 *   <li>space-delimited: {@code [ip, user, ..., status = 4*, size > 1000]}: fields split on spaces, {@code "..."}
 *   and {@code [...]} kept whole</li>
 *   <li>regular expressions: {@code %ERROR [0-9]+%}</li>
 * </ul>
 * A message that is not JSON never matches a JSON pattern, as in AWS.
 */
final class FilterPattern {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final FilterPattern ALL = new FilterPattern(m -> true, List.of());

    private interface Test {
        boolean test(Message m);
    }

    /** A message with its JSON and space-delimited fields parsed on first use. */
    static final class Message {
        final String text;
        private JsonNode json;
        private boolean jsonParsed;
        private List<String> fields;

        Message(String text) {
            this.text = text;
        }

        JsonNode json() {
            if (!jsonParsed) {
                jsonParsed = true;
                String t = text.trim();
                if (t.startsWith("{") || t.startsWith("[")) {
                    try {
                        json = JSON.readTree(t);
                    } catch (Exception e) {
                        json = null;
                    }
                }
            }
            return json;
        }

        List<String> fields() {
            if (fields == null) fields = splitFields(text);
            return fields;
        }
    }

    private final Test test;
    /** Space-delimited field names, for metric values such as {@code $size}. */
    final List<String> fieldNames;

    private FilterPattern(Test test, List<String> fieldNames) {
        this.test = test;
        this.fieldNames = fieldNames;
    }

    boolean matches(String message) {
        return test.test(new Message(message));
    }

    boolean matches(Message message) {
        return test.test(message);
    }

    /** A metric filter's value: {@code $.path} (JSON), {@code $name} (space-delimited field), or a number. */
    Double value(Message m, String expression) {
        if (expression == null) return 1.0;
        String e = expression.trim();
        String text = null;
        if (e.startsWith("$.")) {
            JsonNode node = select(m.json(), e);
            if (node != null && !node.isNull()) text = node.asText();
        } else if (e.startsWith("$")) {
            int i = fieldNames.indexOf(e.substring(1));
            if (i >= 0 && i < m.fields().size()) text = m.fields().get(i);
        } else {
            text = e;
        }
        if (text == null) return null;
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException ex) {
            return null;
        }
    }

    static ServiceException invalid() {
        return new ServiceException("InvalidParameterException", "Invalid filter pattern");
    }

    static FilterPattern compile(String pattern) {
        String p = pattern == null ? "" : pattern.trim();
        if (p.isEmpty() || p.equals("\"\"")) return ALL;
        if (p.startsWith("{")) {
            if (!p.endsWith("}")) throw invalid();
            Parser parser = new Parser(tokenize(p.substring(1, p.length() - 1)), null);
            Test t = parser.expression();
            parser.end();
            return new FilterPattern(t, List.of());
        }
        if (p.startsWith("[")) {
            if (!p.endsWith("]")) throw invalid();
            return spaceDelimited(p.substring(1, p.length() - 1));
        }
        if (p.length() > 1 && p.startsWith("%") && p.endsWith("%")) {
            try {
                Pattern regex = Pattern.compile(p.substring(1, p.length() - 1));
                return new FilterPattern(m -> regex.matcher(m.text).find(), List.of());
            } catch (PatternSyntaxException e) {
                throw invalid();
            }
        }
        return terms(p);
    }

    // ---------------------------------------------------------------- terms

    private static FilterPattern terms(String p) {
        List<String> all = new ArrayList<>();
        List<String> any = new ArrayList<>();
        List<String> none = new ArrayList<>();
        int i = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            List<String> into = all;
            if (c == '?') {
                into = any;
                i++;
            } else if (c == '-') {
                into = none;
                i++;
            }
            if (i >= p.length()) throw invalid();
            String term;
            if (p.charAt(i) == '"') {
                int end = p.indexOf('"', i + 1);
                if (end < 0) throw invalid();
                term = p.substring(i + 1, end);
                i = end + 1;
            } else {
                int end = i;
                while (end < p.length() && !Character.isWhitespace(p.charAt(end))) end++;
                term = p.substring(i, end);
                i = end;
            }
            into.add(term);
        }
        return new FilterPattern(m -> {
            for (String t : all) if (!m.text.contains(t)) return false;
            for (String t : none) if (m.text.contains(t)) return false;
            if (any.isEmpty()) return true;
            for (String t : any) if (m.text.contains(t)) return true;
            return false;
        }, List.of());
    }

    // ---------------------------------------------------------------- space-delimited

    private static FilterPattern spaceDelimited(String inside) {
        // fields separated by commas at the top level; each is a name, "...", or "name <op> value" (&& / || inside)
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        StringBuilder cur = new StringBuilder();
        for (char c : inside.toCharArray()) {
            if (c == '"') quoted = !quoted;
            if (!quoted && c == '(') depth++;
            if (!quoted && c == ')') depth--;
            if (!quoted && depth == 0 && c == ',') {
                parts.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.toString().isBlank() || !parts.isEmpty()) parts.add(cur.toString().trim());
        int count = parts.size();
        int ellipses = (int) parts.stream().filter("..."::equals).count();
        List<String> names = new ArrayList<>();
        List<Test> tests = new ArrayList<>();
        boolean afterEllipsis = false;
        for (int index = 0; index < count; index++) {
            String part = parts.get(index);
            if (part.equals("...")) {
                afterEllipsis = true;
                names.add("...");
                continue;
            }
            List<String> tokens = tokenize(part);
            if (tokens.isEmpty()) throw invalid();
            names.add(tokens.get(0));
            if (tokens.size() > 1) {
                // a field after "..." is counted from the end of the message
                Parser parser = new Parser(tokens, afterEllipsis ? index - count : index);
                Test t = parser.expression();
                parser.end();
                tests.add(t);
            }
        }
        final int fixed = count - ellipses;
        final boolean open = ellipses > 0;
        return new FilterPattern(m -> {
            int size = m.fields().size();
            if (open ? size < fixed : size != fixed) return false;
            for (Test t : tests) if (!t.test(m)) return false;
            return true;
        }, names);
    }

    /** Splits a message on spaces, keeping "quoted" and [bracketed] fields whole (without their delimiters). */
    static List<String> splitFields(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
                continue;
            }
            int end;
            if (c == '"' || c == '[') {
                char close = c == '"' ? '"' : ']';
                end = text.indexOf(close, i + 1);
                if (end < 0) end = text.length();
                out.add(text.substring(i + 1, end));
                i = end + 1;
            } else {
                end = i;
                while (end < text.length() && text.charAt(end) != ' ' && text.charAt(end) != '\t') end++;
                out.add(text.substring(i, end));
                i = end;
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- conditions (JSON and space-delimited)

    private static List<String> tokenize(String s) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')') {
                tokens.add(String.valueOf(c));
                i++;
            } else if (s.startsWith("&&", i) || s.startsWith("||", i) || s.startsWith("!=", i) || s.startsWith("<=", i)
                    || s.startsWith(">=", i)) {
                tokens.add(s.substring(i, i + 2));
                i += 2;
            } else if (c == '=' || c == '<' || c == '>') {
                tokens.add(String.valueOf(c));
                i++;
            } else if (c == '"') {
                int end = i + 1;
                while (end < s.length() && (s.charAt(end) != '"' || s.charAt(end - 1) == '\\')) end++;
                if (end >= s.length()) throw invalid();
                tokens.add(s.substring(i, end + 1));
                i = end + 1;
            } else {
                int end = i;
                while (end < s.length() && !Character.isWhitespace(s.charAt(end)) && "()=<>!&|\"".indexOf(s.charAt(end)) < 0) end++;
                if (end == i) throw invalid();
                tokens.add(s.substring(i, end));
                i = end;
            }
        }
        return tokens;
    }

    /** Recursive descent over {@code expr := and ('||' and)*; and := atom ('&&' atom)*; atom := '(' expr ')' | cmp}. */
    private static final class Parser {
        private final List<String> tokens;
        /** For space-delimited patterns: the field index every comparison tests; null for JSON. */
        private final Integer field;
        private int pos;

        Parser(List<String> tokens, Integer field) {
            this.tokens = tokens;
            this.field = field;
        }

        private String peek() {
            return pos < tokens.size() ? tokens.get(pos) : null;
        }

        private String next() {
            if (pos >= tokens.size()) throw invalid();
            return tokens.get(pos++);
        }

        void end() {
            if (pos != tokens.size()) throw invalid();
        }

        Test expression() {
            Test left = and();
            while ("||".equals(peek())) {
                pos++;
                Test l = left, r = and();
                left = m -> l.test(m) || r.test(m);
            }
            return left;
        }

        private Test and() {
            Test left = atom();
            while ("&&".equals(peek())) {
                pos++;
                Test l = left, r = atom();
                left = m -> l.test(m) && r.test(m);
            }
            return left;
        }

        private Test atom() {
            if ("(".equals(peek())) {
                pos++;
                Test inner = expression();
                if (!")".equals(next())) throw invalid();
                return inner;
            }
            String selector = next();
            if (field == null && !selector.startsWith("$")) throw invalid();
            String op = next();
            if (op.equalsIgnoreCase("IS")) {
                String what = next();
                return switch (what.toUpperCase()) {
                    case "NULL" -> m -> {
                        JsonNode n = value(m, selector);
                        return n != null && n.isNull();
                    };
                    case "TRUE" -> m -> {
                        JsonNode n = value(m, selector);
                        return n != null && n.isBoolean() && n.booleanValue();
                    };
                    case "FALSE" -> m -> {
                        JsonNode n = value(m, selector);
                        return n != null && n.isBoolean() && !n.booleanValue();
                    };
                    default -> throw invalid();
                };
            }
            if (op.equalsIgnoreCase("NOT")) {
                if (!"EXISTS".equalsIgnoreCase(next())) throw invalid();
                return m -> m.json() != null && value(m, selector) == null;
            }
            if (!List.of("=", "!=", "<", ">", "<=", ">=").contains(op)) throw invalid();
            String raw = next();
            boolean quoted = raw.startsWith("\"");
            String expected = quoted ? raw.substring(1, raw.length() - 1) : raw;
            Double number = quoted ? null : parseNumber(expected);
            if (!op.equals("=") && !op.equals("!=") && number == null) throw invalid();
            Pattern glob = expected.contains("*") ? Pattern.compile(globToRegex(expected), Pattern.DOTALL) : null;
            return m -> {
                JsonNode n = value(m, selector);
                if (n == null) return false;
                if (number != null && (op.length() > 1 || !op.equals("=") || n.isNumber() || parseNumber(n.asText()) != null)) {
                    Double actual = n.isNumber() ? (Double) n.doubleValue() : parseNumber(n.asText());
                    if (actual == null) return op.equals("!=");
                    int cmp = Double.compare(actual, number);
                    return switch (op) {
                        case "=" -> cmp == 0;
                        case "!=" -> cmp != 0;
                        case "<" -> cmp < 0;
                        case ">" -> cmp > 0;
                        case "<=" -> cmp <= 0;
                        default -> cmp >= 0;
                    };
                }
                if (n.isContainerNode()) return op.equals("!=");
                String text = n.isNull() ? "null" : n.asText();
                boolean equal = glob != null ? glob.matcher(text).matches() : text.equals(expected);
                return op.equals("=") == equal;
            };
        }

        private JsonNode value(Message m, String selector) {
            if (field != null) {
                List<String> f = m.fields();
                int at = field >= 0 ? field : f.size() + field;
                return at >= 0 && at < f.size() ? JSON.getNodeFactory().textNode(f.get(at)) : null;
            }
            return select(m.json(), selector);
        }
    }

    private static Double parseNumber(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String globToRegex(String glob) {
        StringBuilder b = new StringBuilder();
        String[] parts = glob.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) b.append(".*");
            if (!parts[i].isEmpty()) b.append(Pattern.quote(parts[i]));
        }
        return b.toString();
    }

    /** {@code $.a.b[0].c} in a JSON message; null when the message is not JSON or the path is absent. */
    static JsonNode select(JsonNode root, String selector) {
        if (root == null || !selector.startsWith("$")) return null;
        JsonNode node = root;
        int i = 1;
        String s = selector;
        while (i < s.length() && node != null) {
            char c = s.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < s.length() && s.charAt(end) != '.' && s.charAt(end) != '[') end++;
                node = node.get(s.substring(i + 1, end));
                i = end;
            } else if (c == '[') {
                int end = s.indexOf(']', i);
                if (end < 0) return null;
                try {
                    node = node.get(Integer.parseInt(s.substring(i + 1, end).trim()));
                } catch (NumberFormatException e) {
                    return null;
                }
                i = end + 1;
            } else {
                return null;
            }
        }
        return node == null || node.isMissingNode() ? null : node;
    }
}
