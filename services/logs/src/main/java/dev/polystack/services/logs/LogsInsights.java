package dev.polystack.services.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.ServiceException;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Logs Insights for the commands tests use: {@code fields}, {@code filter} (comparisons, {@code like} with a
 * string or /regex/, {@code and}/{@code or}/{@code not}), {@code parse} (glob with {@code *} or a regex with
 * named groups), {@code stats} ({@code count sum avg min max count_distinct} ... {@code by} fields),
 * {@code sort} and {@code limit}. A query runs at once on StartQuery; GetQueryResults answers Complete.
 */
final class LogsInsights {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final Pattern STAT = Pattern.compile("(count_distinct|count|sum|avg|min|max)\\(\\s*([^)]*)\\s*\\)(?:\\s+as\\s+([A-Za-z0-9_@.]+))?",
            Pattern.CASE_INSENSITIVE);

    record Query(String id, String account, String region, String logGroups, String queryString, long createTime,
                         String status, List<List<Map<String, String>>> results, double matched, double scanned) {
    }

    private final CloudWatchLogs logs;
    private final Map<String, Query> queries = new ConcurrentHashMap<>();

    LogsInsights(CloudWatchLogs logs) {
        this.logs = logs;
    }

    String start(String account, String region, List<String> groupNames, long startSeconds, long endSeconds, String query,
                 Integer limit) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String groupName : groupNames) {
            LogGroup g;
            try {
                g = logs.group(account, region, groupName);
            } catch (ServiceException e) {
                throw new ServiceException("ResourceNotFoundException", "Log group '" + CloudWatchLogs.groupName(groupName)
                        + "' does not exist for account ID '" + account + "' (Service: AWSLogs; Status Code: 400; Error Code: "
                        + "ResourceNotFoundException; Request ID: " + UUID.randomUUID() + "; Proxy: null)");
            }
            for (LogStream s : g.streams.values()) {
                for (LogEvent e : s.snapshot()) {
                    if (e.timestamp() < startSeconds * 1000 || e.timestamp() > endSeconds * 1000 + 999) continue;
                    rows.add(row(account, g, s, e));
                }
            }
        }
        double scanned = rows.size();
        rows.sort(Comparator.comparing((Map<String, Object> m) -> (Long) m.get("@timestamp_ms")).reversed());
        boolean limited = false;
        List<String> fields = null;
        for (String command : splitCommands(query == null ? "" : query)) {
            String c = command.trim();
            String lower = c.toLowerCase();
            if (c.isEmpty()) continue;
            if (lower.startsWith("fields ")) {
                fields = parseList(c.substring(7));
                for (Map<String, Object> row : rows) for (String f : fields) computeField(row, f);
                fields = fields.stream().map(LogsInsights::alias).toList();
            } else if (lower.startsWith("filter ")) {
                Condition cond = new ConditionParser(c.substring(7)).parse();
                rows.removeIf(row -> !cond.test(row));
            } else if (lower.startsWith("parse ")) {
                parse(rows, c.substring(6).trim());
            } else if (lower.startsWith("stats ")) {
                rows = stats(rows, c.substring(6));
                fields = rows.isEmpty() ? List.of() : new ArrayList<>(rows.get(0).keySet());
            } else if (lower.startsWith("sort ")) {
                String[] parts = c.substring(5).trim().split("\\s+");
                boolean desc = parts.length < 2 || parts[1].equalsIgnoreCase("desc");
                String field = parts[0];
                Comparator<Map<String, Object>> cmp = (x, y) -> compareValues(x.get(field), y.get(field));
                rows.sort(desc ? cmp.reversed() : cmp);
            } else if (lower.startsWith("limit ")) {
                int n = Integer.parseInt(c.substring(6).trim());
                if (rows.size() > n) rows = new ArrayList<>(rows.subList(0, n));
                limited = true;
            } else if (lower.startsWith("display ")) {
                fields = parseList(c.substring(8));
            } else {
                throw new ServiceException("MalformedQueryException", "unexpected symbol found " + c.split("\\s+")[0] + " at line 1");
            }
        }
        int max = limit == null ? 10_000 : limit;
        if (!limited && rows.size() > max) rows = new ArrayList<>(rows.subList(0, max));
        List<List<Map<String, String>>> results = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            List<Map<String, String>> out = new ArrayList<>();
            Iterable<String> names = fields != null ? fields : List.of("@timestamp", "@message");
            for (String f : names) {
                Object v = row.get(f);
                if (v != null) out.add(Map.of("field", f, "value", text(v)));
            }
            if (row.containsKey("@ptr")) out.add(Map.of("field", "@ptr", "value", String.valueOf(row.get("@ptr"))));
            results.add(out);
        }
        String id = UUID.randomUUID().toString();
        queries.put(id, new Query(id, account, region, String.join(",", groupNames), query, System.currentTimeMillis(), "Complete",
                results, rows.size(), scanned));
        return id;
    }

    /** A query and its results (queries run to completion when started). */
    Query query(String id) {
        Query q = queries.get(id == null ? "" : id);
        if (q == null) throw new ServiceException("ResourceNotFoundException", "Query does not exist.");
        return q;
    }

    boolean stop(String id) {
        query(id);
        return false; // queries complete at once: nothing left to stop
    }

    /** The queries of one account and region, optionally only those in {@code status}. */
    List<Query> queries(String account, String region, String status) {
        List<Query> out = new ArrayList<>();
        for (Query q : queries.values()) {
            if (!q.account().equals(account) || !q.region().equals(region)) continue;
            if (status != null && !status.equals(q.status())) continue;
            out.add(q);
        }
        return out;
    }

    // ---------------------------------------------------------------- rows

    private static Map<String, Object> row(String account, LogGroup g, LogStream s, LogEvent e) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("@timestamp", TIME.format(Instant.ofEpochMilli(e.timestamp())));
        row.put("@timestamp_ms", e.timestamp());
        row.put("@message", e.message());
        row.put("@logStream", s.name);
        row.put("@log", account + ":" + g.name);
        row.put("@ingestionTime", TIME.format(Instant.ofEpochMilli(e.ingestionTime())));
        row.put("@ptr", e.id());
        String t = e.message().trim();
        if (t.startsWith("{")) {
            try {
                flatten("", JSON.readTree(t), row);
            } catch (Exception ignored) {
                // not JSON: only the @ fields
            }
        }
        return row;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Object> row) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), row);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) flatten(prefix + "." + i, node.get(i), row);
        } else if (!prefix.isEmpty()) {
            row.putIfAbsent(prefix, node.isNumber() ? (Object) node.numberValue() : node.isNull() ? null : node.asText());
        }
    }

    private static String alias(String field) {
        Matcher m = Pattern.compile("(?i).*\\s+as\\s+(\\S+)$").matcher(field.trim());
        return m.matches() ? m.group(1) : field.trim();
    }

    private static void computeField(Map<String, Object> row, String field) {
        String f = field.trim();
        Matcher m = Pattern.compile("(?i)(.*)\\s+as\\s+(\\S+)$").matcher(f);
        if (m.matches()) row.put(m.group(2), row.get(m.group(1).trim()));
    }

    private static List<String> parseList(String s) {
        List<String> out = new ArrayList<>();
        for (String p : s.split(",")) if (!p.isBlank()) out.add(p.trim());
        return out;
    }

    private static List<String> splitCommands(String query) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean regex = false;
        for (char c : query.toCharArray()) {
            if (c == '"' || c == '\'') quoted = !quoted;
            if (c == '/' && !quoted) regex = !regex;
            if (c == '|' && !quoted && !regex) {
                out.add(cur.toString());
                cur.setLength(0);
            } else if (c == '\n' || c == '\r') {
                cur.append(' ');
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static void parse(List<Map<String, Object>> rows, String spec) {
        // parse <field> "glob * with * stars" as a, b   |   parse <field> /(?<name>regex)/
        int space = spec.indexOf(' ');
        String field = space < 0 ? "@message" : spec.substring(0, space).trim();
        String rest = space < 0 ? spec : spec.substring(space).trim();
        if (rest.startsWith("/")) {
            int end = rest.lastIndexOf('/');
            Pattern p = Pattern.compile(rest.substring(1, end));
            List<String> names = new ArrayList<>();
            Matcher groups = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>").matcher(p.pattern());
            while (groups.find()) names.add(groups.group(1));
            for (Map<String, Object> row : rows) {
                Matcher m = p.matcher(text(row.get(field)));
                if (m.find()) for (String n : names) row.put(n, m.group(n));
            }
            return;
        }
        Matcher m = Pattern.compile("(?i)[\"'](.*)[\"']\\s+as\\s+(.*)").matcher(rest);
        if (!m.matches()) throw new ServiceException("MalformedQueryException", "unexpected symbol found parse at line 1");
        String[] globParts = m.group(1).split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < globParts.length; i++) {
            if (i > 0) regex.append("(.*?)");
            regex.append(Pattern.quote(globParts[i]));
        }
        if (m.group(1).endsWith("*")) regex.append("$");
        Pattern p = Pattern.compile(regex.toString(), Pattern.DOTALL);
        List<String> names = parseList(m.group(2));
        for (Map<String, Object> row : rows) {
            Matcher pm = p.matcher(text(row.get(field)));
            if (pm.find()) for (int i = 0; i < names.size() && i < pm.groupCount(); i++) row.put(names.get(i), pm.group(i + 1));
        }
    }

    private static List<Map<String, Object>> stats(List<Map<String, Object>> rows, String spec) {
        String lower = spec.toLowerCase();
        int by = lower.lastIndexOf(" by ");
        List<String> groupBy = by < 0 ? List.of() : parseList(spec.substring(by + 4));
        String aggregates = by < 0 ? spec : spec.substring(0, by);
        List<String[]> stats = new ArrayList<>();
        Matcher m = STAT.matcher(aggregates);
        while (m.find()) {
            String fn = m.group(1).toLowerCase();
            String arg = m.group(2).trim();
            String name = m.group(3) != null ? m.group(3) : m.group(1) + "(" + arg + ")";
            stats.add(new String[]{fn, arg, name});
        }
        if (stats.isEmpty()) throw new ServiceException("MalformedQueryException", "unexpected symbol found stats at line 1");
        Map<List<Object>, List<Map<String, Object>>> groups = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            List<Object> key = new ArrayList<>();
            for (String g : groupBy) key.add(row.get(g));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
        }
        if (groups.isEmpty() && groupBy.isEmpty()) groups.put(List.of(), List.of());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<List<Object>, List<Map<String, Object>>> g : groups.entrySet()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < groupBy.size(); i++) row.put(groupBy.get(i), g.getKey().get(i));
            for (String[] s : stats) row.put(s[2], aggregate(s[0], s[1], g.getValue()));
            out.add(row);
        }
        return out;
    }

    private static Object aggregate(String fn, String arg, List<Map<String, Object>> rows) {
        if (fn.equals("count")) {
            if (arg.isEmpty() || arg.equals("*")) return (long) rows.size();
            return rows.stream().filter(r -> r.get(arg) != null).count();
        }
        if (fn.equals("count_distinct")) {
            Set<Object> seen = new HashSet<>();
            for (Map<String, Object> r : rows) if (r.get(arg) != null) seen.add(r.get(arg));
            return (long) seen.size();
        }
        List<Double> values = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            Double d = number(r.get(arg));
            if (d != null) values.add(d);
        }
        if (values.isEmpty()) return null;
        return switch (fn) {
            case "sum" -> values.stream().mapToDouble(Double::doubleValue).sum();
            case "avg" -> values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            case "min" -> values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            default -> values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        };
    }

    private static Double number(Object v) {
        if (v instanceof Number n) return n.doubleValue();
        if (v == null) return null;
        try {
            return Double.parseDouble(v.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Sort order: missing values first, numbers by value, anything else by its text. */
    private static int compareValues(Object x, Object y) {
        if (x == null || y == null) return x == null ? (y == null ? 0 : -1) : 1;
        Double dx = number(x), dy = number(y);
        if (dx != null && dy != null) return Double.compare(dx, dy);
        return text(x).compareTo(text(y));
    }

    private static String text(Object v) {
        if (v == null) return "";
        if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) return String.valueOf(d.longValue());
        return v.toString();
    }

    // ---------------------------------------------------------------- filter conditions

    private interface Condition {
        boolean test(Map<String, Object> row);
    }

    /** {@code cond := and ('or' and)*; and := unary ('and' unary)*; unary := 'not' unary | '(' cond ')' | comparison}. */
    private static final class ConditionParser {
        private static final Pattern TOKEN = Pattern.compile("\\s*(/(?:[^/\\\\]|\\\\.)*/|\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'"
                + "|!=|<=|>=|=|<|>|\\(|\\)|[^\\s()=<>!]+)");
        private final List<String> tokens = new ArrayList<>();
        private int pos;

        ConditionParser(String text) {
            Matcher m = TOKEN.matcher(text);
            int at = 0;
            while (at < text.length() && m.find(at) && m.start() == at) {
                tokens.add(m.group(1));
                at = m.end();
                while (at < text.length() && Character.isWhitespace(text.charAt(at))) at++;
            }
        }

        Condition parse() {
            Condition c = or();
            if (pos != tokens.size()) throw malformed();
            return c;
        }

        private ServiceException malformed() {
            return new ServiceException("MalformedQueryException", "unexpected symbol found in filter at line 1");
        }

        private String peek() {
            return pos < tokens.size() ? tokens.get(pos) : null;
        }

        private String next() {
            if (pos >= tokens.size()) throw malformed();
            return tokens.get(pos++);
        }

        private Condition or() {
            Condition left = and();
            while (peek() != null && peek().equalsIgnoreCase("or")) {
                pos++;
                Condition l = left, r = and();
                left = row -> l.test(row) || r.test(row);
            }
            return left;
        }

        private Condition and() {
            Condition left = unary();
            while (peek() != null && peek().equalsIgnoreCase("and")) {
                pos++;
                Condition l = left, r = unary();
                left = row -> l.test(row) && r.test(row);
            }
            return left;
        }

        private Condition unary() {
            String t = peek();
            if (t != null && t.equalsIgnoreCase("not")) {
                pos++;
                Condition inner = unary();
                return row -> !inner.test(row);
            }
            if ("(".equals(t)) {
                pos++;
                Condition inner = or();
                if (!")".equals(next())) throw malformed();
                return inner;
            }
            String field = next();
            String op = next();
            boolean negate = false;
            if (op.equalsIgnoreCase("not")) {
                negate = true;
                op = next();
            }
            String raw = next();
            Condition c;
            if (op.equalsIgnoreCase("like") || op.equals("=~")) {
                if (raw.startsWith("/")) {
                    Pattern p = Pattern.compile(raw.substring(1, raw.length() - 1));
                    c = row -> row.get(field) != null && p.matcher(text(row.get(field))).find();
                } else {
                    String needle = unquote(raw);
                    c = row -> row.get(field) != null && text(row.get(field)).contains(needle);
                }
            } else if (op.equalsIgnoreCase("in")) {
                throw malformed();
            } else {
                String expected = unquote(raw);
                Double number = raw.startsWith("\"") || raw.startsWith("'") ? null : number(expected);
                String o = op;
                c = row -> {
                    Object v = row.get(field);
                    if (v == null) return false;
                    Double actual = number(v);
                    int cmp = number != null && actual != null ? Double.compare(actual, number) : text(v).compareTo(expected);
                    return switch (o) {
                        case "=" -> cmp == 0;
                        case "!=" -> cmp != 0;
                        case "<" -> cmp < 0;
                        case ">" -> cmp > 0;
                        case "<=" -> cmp <= 0;
                        case ">=" -> cmp >= 0;
                        default -> false;
                    };
                };
            }
            if (negate) {
                Condition inner = c;
                return row -> !inner.test(row);
            }
            return c;
        }

        private static String unquote(String s) {
            if (s.length() >= 2 && (s.startsWith("\"") || s.startsWith("'"))) return s.substring(1, s.length() - 1);
            return s;
        }
    }
}
