package dev.polystack.protocol.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.StreamingBody;
import dev.polystack.protocol.MalformedInputException;
import dev.polystack.protocol.Timestamps;
import dev.polystack.protocol.model.Location;
import dev.polystack.protocol.model.Member;
import dev.polystack.protocol.model.Shape;
import dev.polystack.protocol.model.ShapeType;
import dev.polystack.protocol.model.TimestampFormat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP bindings shared by rest-json and rest-xml: URI labels (greedy too), query parameters (single,
 * lists, {@code httpQueryParams} maps), headers (lists, timestamps, base64 JSON values), prefix headers and
 * the response status code; payload members as bytes, strings or streams. Body formats are the codec's.
 */
public final class RestBinding {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RestBinding() {
    }

    // ---------------------------------------------------------------- requests

    /** Reads the input members bound to the URI, query string and headers into {@code params}. */
    public static void readNonBody(Shape input, HttpRequestData request, Map<String, String> labels, Map<String, Object> params) {
        Member[] members = input.nonBodyMembers();
        for (Member m : members) {
            switch (m.location()) {
                case URI -> {
                    String v = labels.get(m.wireName());
                    if (v != null) params.put(m.name(), scalar(m, v, TimestampFormat.ISO8601));
                }
                case QUERYSTRING -> readQuery(m, members, request, params);
                case HEADER -> {
                    List<String> values = request.headers().get(m.wireName());
                    if (values == null || values.isEmpty()) continue;
                    Object v = header(m, values);
                    if (v != null) params.put(m.name(), v);
                }
                case HEADERS -> {
                    Map<String, Object> map = prefixHeaders(m, request);
                    if (!map.isEmpty()) params.put(m.name(), map);
                }
                default -> { }
            }
        }
    }

    private static void readQuery(Member m, Member[] all, HttpRequestData request, Map<String, Object> params) {
        Map<String, List<String>> query = request.queryParameters();
        if (m.type() == ShapeType.MAP) {
            // httpQueryParams: every query parameter (Smithy: named ones keep precedence in their own member).
            Member value = m.shape().mapValue();
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> e : query.entrySet()) {
                if (value.type() == ShapeType.LIST) {
                    Member item = value.shape().listMember();
                    List<Object> list = new ArrayList<>();
                    for (String s : e.getValue()) list.add(scalar(item, s, TimestampFormat.ISO8601));
                    map.put(e.getKey(), list);
                } else {
                    map.put(e.getKey(), scalar(value, e.getValue().get(0), TimestampFormat.ISO8601));
                }
            }
            if (!map.isEmpty()) params.put(m.name(), map);
            return;
        }
        List<String> values = query.get(m.wireName());
        if (values == null || values.isEmpty()) return;
        if (m.type() == ShapeType.LIST) {
            Member item = m.shape().listMember();
            List<Object> list = new ArrayList<>(values.size());
            for (String s : values) list.add(scalar(item, s, TimestampFormat.ISO8601));
            params.put(m.name(), list);
        } else {
            params.put(m.name(), scalar(m, values.get(0), TimestampFormat.ISO8601));
        }
    }

    /** Puts the default of every member with one that is absent (Smithy {@code @default}; botocore specs have none). */
    public static void applyDefaults(Shape shape, Map<String, Object> params) {
        if (!shape.hasDefaults()) return;
        for (Member m : shape.memberArray()) {
            if (m.defaultValue() != null && !params.containsKey(m.name())) params.put(m.name(), m.defaultValue());
        }
    }

    /** {@code values} with the defaults of absent members added (a copy when any is added). */
    public static Map<String, Object> withDefaults(Shape shape, Map<String, Object> values) {
        Map<String, Object> out = null;
        for (Member m : shape.memberArray()) {
            if (m.defaultValue() != null && !values.containsKey(m.name())) {
                if (out == null) out = new LinkedHashMap<>(values);
                out.put(m.name(), m.defaultValue());
            }
        }
        return out == null ? values : out;
    }

    private static Object header(Member m, List<String> values) {
        if (m.type() == ShapeType.LIST) {
            Member item = m.shape().listMember();
            List<String> parts = new ArrayList<>();
            for (String v : values) {
                if (item.type() == ShapeType.TIMESTAMP && effectiveFormat(item, TimestampFormat.RFC822) == TimestampFormat.RFC822) {
                    splitHttpDates(v, parts);
                } else {
                    splitHeaderList(v, parts);
                }
            }
            List<Object> list = new ArrayList<>(parts.size());
            for (String p : parts) list.add(scalar(item, p, TimestampFormat.RFC822));
            return list;
        }
        String v = values.get(0);
        if (m.isJsonValue()) {
            String json = new String(base64(v), StandardCharsets.UTF_8);
            try {
                return plain(JSON.readTree(json));
            } catch (IOException e) {
                throw new MalformedInputException("invalid JSON value in header " + m.wireName());
            }
        }
        if (m.type() == ShapeType.STRING && m.shape().mediaType() != null) {
            return new String(base64(v), StandardCharsets.UTF_8);
        }
        return scalar(m, v.trim(), TimestampFormat.RFC822);
    }

    private static Map<String, Object> prefixHeaders(Member m, HttpRequestData request) {
        String prefix = m.locationName() == null ? "" : m.locationName();
        Map<String, Object> map = new LinkedHashMap<>();
        Member value = m.shape().mapValue();
        for (Map.Entry<String, List<String>> e : request.headers().entrySet()) {
            String name = e.getKey();
            if (name.length() < prefix.length() || !name.regionMatches(true, 0, prefix, 0, prefix.length())) continue;
            if (e.getValue().isEmpty()) continue;
            String key = name.substring(prefix.length());
            if (value.type() == ShapeType.LIST) {
                List<String> parts = new ArrayList<>();
                for (String v : e.getValue()) splitHeaderList(v, parts);
                map.put(key, new ArrayList<Object>(parts));
            } else {
                map.put(key, String.join(",", e.getValue()));
            }
        }
        return map;
    }

    /** Splits a comma-separated header value; double-quoted items may hold commas and escaped quotes. */
    public static void splitHeaderList(String v, List<String> out) {
        int i = 0;
        int n = v.length();
        while (i < n) {
            while (i < n && (v.charAt(i) == ' ' || v.charAt(i) == '\t')) i++;
            if (i >= n) break;
            if (v.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < n && v.charAt(i) != '"') {
                    char c = v.charAt(i);
                    if (c == '\\' && i + 1 < n) c = v.charAt(++i);
                    sb.append(c);
                    i++;
                }
                i++;
                out.add(sb.toString());
                while (i < n && v.charAt(i) != ',') i++;
                i++;
            } else {
                int comma = v.indexOf(',', i);
                int end = comma < 0 ? n : comma;
                out.add(v.substring(i, end).trim());
                i = end + 1;
            }
        }
    }

    /** HTTP dates contain a comma themselves: {@code Mon, 16 Dec 2019 23:48:18 GMT, Mon, ...}. */
    public static void splitHttpDates(String v, List<String> out) {
        String[] parts = v.split(",");
        for (int i = 0; i + 1 < parts.length; i += 2) out.add((parts[i].trim() + ", " + parts[i + 1].trim()));
        if (parts.length % 2 == 1) out.add(parts[parts.length - 1].trim());
    }

    /** A value from a label, query parameter or header, converted to the member's type. */
    public static Object scalar(Member m, String s, TimestampFormat locationDefault) {
        Shape shape = m.shape();
        try {
            return switch (shape.type()) {
                case STRING -> s;
                case BYTE, SHORT, INTEGER -> {
                    int v = Integer.parseInt(s);
                    if (shape.type() == ShapeType.BYTE && (v < Byte.MIN_VALUE || v > Byte.MAX_VALUE)) throw new NumberFormatException();
                    if (shape.type() == ShapeType.SHORT && (v < Short.MIN_VALUE || v > Short.MAX_VALUE)) throw new NumberFormatException();
                    yield v;
                }
                case LONG -> Long.parseLong(s);
                case BIG_INTEGER -> new BigInteger(s);
                case BIG_DECIMAL -> new BigDecimal(s);
                case FLOAT, DOUBLE -> switch (s) {
                    case "NaN" -> Double.NaN;
                    case "Infinity" -> Double.POSITIVE_INFINITY;
                    case "-Infinity" -> Double.NEGATIVE_INFINITY;
                    default -> {
                        if (s.isEmpty() || !(Character.isDigit(s.charAt(s.length() - 1)) || s.charAt(s.length() - 1) == '.')) throw new NumberFormatException();
                        yield Double.parseDouble(s);
                    }
                };
                case BOOLEAN -> switch (s) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> throw new MalformedInputException("expected a boolean for " + m.name() + ": " + s);
                };
                case BLOB -> base64(s);
                case TIMESTAMP -> timestamp(s, effectiveFormat(m, locationDefault));
                default -> throw new MalformedInputException("cannot bind " + shape.type() + " member " + m.name() + " to HTTP");
            };
        } catch (NumberFormatException e) {
            throw new MalformedInputException("expected a number for " + m.name() + ": " + s);
        }
    }

    private static TimestampFormat effectiveFormat(Member m, TimestampFormat locationDefault) {
        TimestampFormat f = m.timestampFormat();
        return f != null ? f : locationDefault;
    }

    private static Instant timestamp(String s, TimestampFormat f) {
        try {
            return switch (f) {
                case ISO8601 -> Timestamps.parseIso8601Strict(s);
                case RFC822 -> Timestamps.parseHttpDate(s);
                case UNIX_TIMESTAMP_MILLIS -> Instant.ofEpochMilli(Long.parseLong(s));
                case UNIX_TIMESTAMP -> {
                    for (int i = 0; i < s.length(); i++) {
                        char c = s.charAt(i);
                        if (!(Character.isDigit(c) || c == '.' || (c == '-' && i == 0))) throw new NumberFormatException();
                    }
                    yield Timestamps.parseEpochSeconds(s);
                }
            };
        } catch (DateTimeException | ArithmeticException e) {
            throw new MalformedInputException("invalid timestamp: " + s);
        }
    }

    private static byte[] base64(String s) {
        String v = s.trim();
        if (v.length() % 4 != 0) throw new MalformedInputException("invalid base64 (length)");
        try {
            return Base64.getDecoder().decode(v);
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException("invalid base64");
        }
    }

    /**
     * A payload member's value from the body: a streaming blob stays a stream; a blob becomes bytes; a string
     * text. Returns null for an empty non-streaming body. Structures/unions/documents are the codec's.
     */
    public static Object readRawPayload(Member payload, HttpRequestData request) {
        if (payload.isStreaming()) {
            long length = request.contentLength();
            String decoded = request.header("x-amz-decoded-content-length");
            if (length == 0 || length < 0 && decoded == null && request.header("Transfer-Encoding") == null) return null;
            return new StreamingBody(request.body(), length);
        }
        byte[] body = request.bodyBytes();
        if (body.length == 0) return null;
        return payload.type() == ShapeType.STRING ? new String(body, StandardCharsets.UTF_8) : body;
    }

    // ---------------------------------------------------------------- responses

    /**
     * Writes members bound to headers and the status code (output or error shapes).
     * Returns the status from a {@code statusCode} member, or 0 when none is set.
     */
    public static int writeNonBody(Shape shape, Map<?, ?> values, HttpResponseData response) {
        int status = 0;
        for (Member m : shape.nonBodyMembers()) {
            Object v = values.get(m.name());
            if (v == null) continue;
            switch (m.location()) {
                case HEADER -> {
                    String h = headerValue(m, v);
                    if (h != null) response.header(m.wireName(), h);
                }
                case HEADERS -> {
                    String prefix = m.locationName() == null ? "" : m.locationName();
                    for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                        if (e.getValue() == null) continue;
                        response.header(prefix + e.getKey(), e.getValue() instanceof Collection<?> c ? join(m.shape().mapValue(), c) : e.getValue().toString());
                    }
                }
                case STATUS_CODE -> status = ((Number) v).intValue();
                default -> { }
            }
        }
        return status;
    }

    /** A header's text for a member value (lists joined with {@code ", "}, items quoted when needed). */
    public static String headerValue(Member m, Object v) {
        if (m.type() == ShapeType.LIST) {
            if (!(v instanceof Collection<?> c)) return v.toString();
            if (c.isEmpty()) return "";
            return join(m.shape().listMember(), c);
        }
        if (m.isJsonValue()) {
            String json = v instanceof String s ? s : toJson(v);
            return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        }
        if (m.type() == ShapeType.STRING && m.shape().mediaType() != null) {
            return Base64.getEncoder().encodeToString(v.toString().getBytes(StandardCharsets.UTF_8));
        }
        return text(m, v, TimestampFormat.RFC822);
    }

    private static String join(Member item, Collection<?> c) {
        StringBuilder sb = new StringBuilder();
        for (Object o : c) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(headerListItem(item, text(item, o, TimestampFormat.RFC822)));
        }
        return sb.toString();
    }

    /** One item of a comma-separated header list: a string holding a comma or quote is quoted (and escaped). */
    public static String headerListItem(Member item, String s) {
        if (item.type() != ShapeType.STRING || s.indexOf(',') < 0 && s.indexOf('"') < 0) return s;
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** A scalar as text for a header, label or query parameter ({@code locationDefault} for timestamps). */
    public static String text(Member m, Object v, TimestampFormat locationDefault) {
        Shape shape = m.shape();
        return switch (shape.type()) {
            case TIMESTAMP -> {
                Instant t = Timestamps.toInstant(v);
                yield switch (effectiveFormat(m, locationDefault)) {
                    case ISO8601 -> Timestamps.iso8601(t);
                    case RFC822 -> Timestamps.httpDate(t);
                    case UNIX_TIMESTAMP -> Timestamps.epochSecondsText(t);
                    case UNIX_TIMESTAMP_MILLIS -> Long.toString(t.toEpochMilli());
                };
            }
            case BLOB -> Base64.getEncoder().encodeToString(v instanceof byte[] b ? b : v.toString().getBytes(StandardCharsets.UTF_8));
            case FLOAT, DOUBLE -> {
                double d = ((Number) v).doubleValue();
                if (Double.isNaN(d)) yield "NaN";
                if (Double.isInfinite(d)) yield d > 0 ? "Infinity" : "-Infinity";
                yield v instanceof Float f ? f.toString() : v instanceof BigDecimal bd ? bd.toPlainString() : Double.toString(d);
            }
            default -> v instanceof Enum<?> e ? e.name() : v.toString();
        };
    }

    /**
     * Sets a payload member's value as the body: bytes, text or a stream (StreamingBody / InputStream stay
     * streams). Returns false when the value is a structure (the codec writes it).
     */
    public static boolean writeRawPayload(Member payload, Object v, HttpResponseData response) {
        if (v instanceof StreamingBody sb) {
            response.body(sb.stream(), sb.length());
            return true;
        }
        if (v instanceof InputStream in) {
            response.body(in, -1);
            return true;
        }
        switch (payload.type()) {
            case BLOB -> {
                response.body(v instanceof byte[] b ? b : v.toString().getBytes(StandardCharsets.UTF_8));
                return true;
            }
            case STRING -> {
                response.body(v.toString().getBytes(StandardCharsets.UTF_8));
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** Content type of a raw payload: the shape's media type, else octet-stream for blobs, text/plain for strings. */
    public static String payloadContentType(Member payload) {
        String mt = payload.shape().mediaType();
        if (mt != null) return mt;
        return payload.type() == ShapeType.STRING ? "text/plain" : "application/octet-stream";
    }

    private static String toJson(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object plain(com.fasterxml.jackson.databind.JsonNode n) {
        return JSON.convertValue(n, Object.class);
    }
}
