package dev.polystack.protocol.model;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed {@code requestUri}: {@code /{Bucket}/{Key+}?uploads&x-id=Foo}. Path segments are literals or
 * labels (a label may have a literal prefix or suffix inside its segment; {@code +} marks a greedy label
 * spanning several segments); the query part lists literal keys (and values) the request must carry.
 */
public final class UriTemplate {
    private record Segment(String literal, String label, String prefix, String suffix, boolean greedy) {
    }

    private final String raw;
    private final Segment[] segments;
    private final String[] queryKeys;
    private final String[] queryValues;
    private final int greedyIndex;
    private final int literalChars;
    private final List<String> labels;

    private UriTemplate(String raw, Segment[] segments, String[] queryKeys, String[] queryValues) {
        this.raw = raw;
        this.segments = segments;
        this.queryKeys = queryKeys;
        this.queryValues = queryValues;
        int g = -1;
        int lit = 0;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < segments.length; i++) {
            Segment s = segments[i];
            if (s.greedy) g = i;
            if (s.label != null) {
                names.add(s.label);
                lit += s.prefix.length() + s.suffix.length();
            } else {
                lit += s.literal.length() + 1;
            }
        }
        this.greedyIndex = g;
        this.literalChars = lit;
        this.labels = List.copyOf(names);
    }

    public static UriTemplate parse(String requestUri) {
        String uri = requestUri == null || requestUri.isEmpty() ? "/" : requestUri;
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        if (q >= 0) {
            for (String part : uri.substring(q + 1).split("&")) {
                if (part.isEmpty()) continue;
                int eq = part.indexOf('=');
                keys.add(eq < 0 ? part : part.substring(0, eq));
                values.add(eq < 0 ? null : part.substring(eq + 1));
            }
        }
        List<Segment> segs = new ArrayList<>();
        for (String s : splitPath(path)) {
            int open = s.indexOf('{');
            int close = s.indexOf('}', open + 1);
            if (open < 0 || close < 0) {
                segs.add(new Segment(s, null, null, null, false));
            } else {
                String name = s.substring(open + 1, close);
                boolean greedy = name.endsWith("+");
                if (greedy) name = name.substring(0, name.length() - 1);
                segs.add(new Segment(null, name, s.substring(0, open), s.substring(close + 1), greedy));
            }
        }
        return new UriTemplate(uri, segs.toArray(new Segment[0]), keys.toArray(new String[0]), values.toArray(new String[0]));
    }

    /** Path segments of a path ({@code /a/b/} gives {@code a, b, ""}; {@code /} gives none). */
    public static List<String> splitPath(String path) {
        List<String> out = new ArrayList<>();
        int start = path.startsWith("/") ? 1 : 0;
        if (start >= path.length()) return out;
        int i;
        while ((i = path.indexOf('/', start)) >= 0) {
            out.add(path.substring(start, i));
            start = i + 1;
        }
        out.add(path.substring(start));
        return out;
    }

    public String raw() { return raw; }

    /** Label names in order. */
    public List<String> labels() { return labels; }

    /** Literal query keys the request must carry. */
    public String[] queryKeys() { return queryKeys.clone(); }

    /**
     * Orders candidate templates: more literal path characters first, then more required query keys,
     * then non-greedy before greedy. Higher is more specific.
     */
    public int specificity() {
        return literalChars * 64 + queryKeys.length * 4 + (greedyIndex < 0 ? 2 : 0) + (segments.length > 0 ? 1 : 0);
    }

    /**
     * Matches a request path (still percent-encoded, split with {@link #splitPath}) and its decoded query
     * parameters. Returns the decoded label values, or null when the template does not match.
     */
    public Map<String, String> match(List<String> pathSegments, Map<String, List<String>> query) {
        for (int i = 0; i < queryKeys.length; i++) {
            List<String> v = query.get(queryKeys[i]);
            if (v == null) return null;
            if (queryValues[i] != null && !v.contains(queryValues[i])) return null;
        }
        int n = pathSegments.size();
        // A trailing slash is tolerated where the template has none (and no greedy label).
        if (n > segments.length && greedyIndex < 0 && n == segments.length + 1 && pathSegments.get(n - 1).isEmpty()) n--;
        Map<String, String> out = labels.isEmpty() ? Map.of() : new HashMap<>(labels.size() * 2);
        if (greedyIndex < 0) {
            if (n != segments.length) return null;
            for (int i = 0; i < n; i++) if (!matchSegment(segments[i], pathSegments.get(i), out)) return null;
            return out;
        }
        int after = segments.length - greedyIndex - 1;
        if (n < segments.length) return null;
        for (int i = 0; i < greedyIndex; i++) if (!matchSegment(segments[i], pathSegments.get(i), out)) return null;
        for (int i = 0; i < after; i++) {
            if (!matchSegment(segments[greedyIndex + 1 + i], pathSegments.get(n - after + i), out)) return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = greedyIndex; i < n - after; i++) {
            if (i > greedyIndex) sb.append('/');
            sb.append(pathSegments.get(i));
        }
        Segment g = segments[greedyIndex];
        String joined = sb.toString();
        if (!joined.startsWith(g.prefix) || !joined.endsWith(g.suffix)
                || joined.length() <= g.prefix.length() + g.suffix.length()) return null;
        out.put(g.label, percentDecode(joined.substring(g.prefix.length(), joined.length() - g.suffix.length())));
        return out;
    }

    private static boolean matchSegment(Segment s, String value, Map<String, String> out) {
        if (s.label == null) return s.literal.equals(value) || s.literal.equals(percentDecode(value));
        if (value.length() <= s.prefix.length() + s.suffix.length()) return false;
        if (!value.startsWith(s.prefix) || !value.endsWith(s.suffix)) return false;
        out.put(s.label, percentDecode(value.substring(s.prefix.length(), value.length() - s.suffix.length())));
        return true;
    }

    /** Percent-decodes as UTF-8 ({@code +} stays a plus: this is a path, not a form). */
    public static String percentDecode(String s) {
        int i = s.indexOf('%');
        if (i < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int k = 0; k < bytes.length; k++) {
            byte b = bytes[k];
            if (b == '%' && k + 2 < bytes.length && hex(bytes[k + 1]) >= 0 && hex(bytes[k + 2]) >= 0) {
                out.write(hex(bytes[k + 1]) * 16 + hex(bytes[k + 2]));
                k += 2;
            } else {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    @Override
    public String toString() { return raw; }
}
