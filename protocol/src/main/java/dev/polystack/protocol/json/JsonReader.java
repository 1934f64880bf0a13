package dev.polystack.protocol.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.polystack.protocol.MalformedInputException;
import dev.polystack.protocol.Timestamps;
import dev.polystack.protocol.model.Member;
import dev.polystack.protocol.model.Shape;
import dev.polystack.protocol.model.TimestampFormat;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON (or, with a CBOR factory, CBOR) body into a botocore-shaped tree, driven by the shape (Jackson
 * streaming, no intermediate tree). Type mismatches throw {@link MalformedInputException}. Thread-safe and
 * stateless. The CBOR dialect takes blobs as byte strings and timestamps as (tag 1) epoch seconds, or epoch
 * milliseconds with {@link TimestampFormat#UNIX_TIMESTAMP_MILLIS} as the default format.
 */
public final class JsonReader {
    static final JsonFactory FACTORY = new JsonFactory();

    private final TimestampFormat defaultTimestampFormat;
    private final JsonFactory factory;
    private final boolean cbor;
    private final boolean strict;

    /** @param defaultTimestampFormat format of timestamps without their own (JSON protocols: epoch seconds) */
    public JsonReader(TimestampFormat defaultTimestampFormat) {
        this(defaultTimestampFormat, FACTORY, false, false);
    }

    /** A reader over another Jackson format; {@code cbor} selects CBOR's blob and timestamp encodings. */
    public JsonReader(TimestampFormat defaultTimestampFormat, JsonFactory factory, boolean cbor) {
        this(defaultTimestampFormat, factory, cbor, false);
    }

    /**
     * @param strict reject what Smithy servers reject (ISO 8601 timestamps other than {@code ...THH:MM:SS[.f]Z},
     *               unions with unknown members set); real AWS clients never send those, so lenient otherwise
     */
    public JsonReader(TimestampFormat defaultTimestampFormat, JsonFactory factory, boolean cbor, boolean strict) {
        this.defaultTimestampFormat = defaultTimestampFormat;
        this.factory = factory;
        this.cbor = cbor;
        this.strict = strict;
    }

    /** Parses a body holding an object of {@code shape}; an empty body gives an empty map. */
    public Map<String, Object> readStructure(Shape shape, byte[] body) {
        if (body.length == 0 || !cbor && isBlank(body)) {
            Map<String, Object> empty = new LinkedHashMap<>();
            if (shape.hasDefaults()) applyDefaults(shape, empty);
            return empty;
        }
        try (JsonParser p = factory.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) throw new MalformedInputException("expected a JSON object");
            Map<String, Object> out = structure(shape, p);
            if (p.nextToken() != null) throw new MalformedInputException("trailing content after the JSON object");
            return out;
        } catch (IOException e) {
            throw new MalformedInputException("invalid JSON: " + (e instanceof com.fasterxml.jackson.core.JacksonException je ? je.getOriginalMessage() : e.getMessage()), e);
        }
    }

    /** Parses a body holding one value of {@code shape} (rest-json payload members), or null for an empty body. */
    public Object readValue(Shape shape, byte[] body) {
        if (body.length == 0 || !cbor && isBlank(body)) return null;
        try (JsonParser p = factory.createParser(body)) {
            p.nextToken();
            Object v = value(shape, null, p);
            if (p.nextToken() != null) throw new MalformedInputException("trailing content after the JSON value");
            return v;
        } catch (IOException e) {
            throw new MalformedInputException("invalid JSON: " + (e instanceof com.fasterxml.jackson.core.JacksonException je ? je.getOriginalMessage() : e.getMessage()), e);
        }
    }

    private static void applyDefaults(Shape shape, Map<String, Object> out) {
        for (Member m : shape.memberArray()) {
            if (m.defaultValue() != null && !out.containsKey(m.name())) out.put(m.name(), m.defaultValue());
        }
    }

    private static boolean isBlank(byte[] b) {
        for (byte x : b) if (x != ' ' && x != '\n' && x != '\r' && x != '\t') return false;
        return true;
    }

    /** The parser is on START_OBJECT. */
    private Map<String, Object> structure(Shape shape, JsonParser p) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Member> members = shape.bodyMembersByJsonName();
        JsonToken t;
        int unknown = 0;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken vt = p.nextToken();
            Member m = members.get(field);
            if (m == null) {
                p.skipChildren();
                if (vt != JsonToken.VALUE_NULL && !field.equals("__type")) unknown++;
                continue;
            }
            if (vt == JsonToken.VALUE_NULL) continue;
            out.put(m.name(), value(m.shape(), m, p));
        }
        if (t != JsonToken.END_OBJECT) throw new MalformedInputException("unterminated object");
        if (shape.hasDefaults()) applyDefaults(shape, out);
        if (shape.isUnion() && (out.size() != 1 || strict && unknown > 0)) {
            throw new MalformedInputException("union " + shape.name() + " must have exactly one member set, got " + out.size());
        }
        return out;
    }

    private Object value(Shape shape, Member ref, JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (shape.type()) {
            case STRUCTURE -> {
                if (t != JsonToken.START_OBJECT) throw mismatch(shape, p);
                return structure(shape, p);
            }
            case LIST -> {
                if (t != JsonToken.START_ARRAY) throw mismatch(shape, p);
                List<Object> list = new ArrayList<>();
                Member item = shape.listMember();
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) throw new MalformedInputException("unterminated array");
                    if (t == JsonToken.VALUE_NULL) {
                        if (shape.isSparse()) list.add(null);
                        else throw new MalformedInputException("null in a non-sparse list " + shape.name());
                        continue;
                    }
                    list.add(value(item.shape(), item, p));
                }
                return list;
            }
            case MAP -> {
                if (t != JsonToken.START_OBJECT) throw mismatch(shape, p);
                Map<String, Object> map = new LinkedHashMap<>();
                Member val = shape.mapValue();
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonToken vt = p.nextToken();
                    if (vt == JsonToken.VALUE_NULL) {
                        if (shape.isSparse()) map.put(key, null);
                        else throw new MalformedInputException("null in a non-sparse map " + shape.name());
                        continue;
                    }
                    map.put(key, value(val.shape(), val, p));
                }
                return map;
            }
            case STRING -> {
                if (t != JsonToken.VALUE_STRING) throw mismatch(shape, p);
                return p.getText();
            }
            case BOOLEAN -> {
                if (t == JsonToken.VALUE_TRUE) return Boolean.TRUE;
                if (t == JsonToken.VALUE_FALSE) return Boolean.FALSE;
                throw mismatch(shape, p);
            }
            case BYTE, SHORT, INTEGER -> {
                if (t != JsonToken.VALUE_NUMBER_INT) throw mismatch(shape, p);
                return integral(shape, p);
            }
            case LONG -> {
                if (t != JsonToken.VALUE_NUMBER_INT) throw mismatch(shape, p);
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) throw new MalformedInputException("out of range for long: " + p.getText());
                return p.getLongValue();
            }
            case BIG_INTEGER -> {
                if (t != JsonToken.VALUE_NUMBER_INT) throw mismatch(shape, p);
                return p.getBigIntegerValue();
            }
            case BIG_DECIMAL -> {
                if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) throw mismatch(shape, p);
                return p.getDecimalValue();
            }
            case FLOAT, DOUBLE -> {
                if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) return p.getDoubleValue();
                if (t == JsonToken.VALUE_STRING) return special(p.getText(), shape);
                throw mismatch(shape, p);
            }
            case BLOB -> {
                if (cbor) {
                    if (t == JsonToken.VALUE_EMBEDDED_OBJECT) return p.getBinaryValue();
                    if (t == JsonToken.VALUE_STRING) return p.getText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    throw mismatch(shape, p);
                }
                if (t != JsonToken.VALUE_STRING) throw mismatch(shape, p);
                return base64(p.getText());
            }
            case TIMESTAMP -> {
                return timestamp(ref, shape, p, t);
            }
            case DOCUMENT -> {
                return document(p);
            }
            default -> throw new MalformedInputException("unsupported shape type " + shape.type());
        }
    }

    private static Integer integral(Shape shape, JsonParser p) throws IOException {
        if (p.getNumberType() != JsonParser.NumberType.INT) throw new MalformedInputException("out of range: " + p.getText());
        int v = p.getIntValue();
        switch (shape.type()) {
            case BYTE -> { if (v < Byte.MIN_VALUE || v > Byte.MAX_VALUE) throw new MalformedInputException("out of range for byte: " + v); }
            case SHORT -> { if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) throw new MalformedInputException("out of range for short: " + v); }
            default -> { }
        }
        return v;
    }

    static Double special(String s, Shape shape) {
        return switch (s) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> throw new MalformedInputException("expected a number for " + shape.name() + ", got a string");
        };
    }

    static byte[] base64(String s) {
        if (s.length() % 4 != 0) throw new MalformedInputException("invalid base64 (length)");
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException("invalid base64");
        }
    }

    private Instant timestamp(Member ref, Shape shape, JsonParser p, JsonToken t) throws IOException {
        TimestampFormat f = ref != null ? ref.timestampFormat() : shape.timestampFormat();
        if (f == null || cbor) f = defaultTimestampFormat;
        try {
            switch (f) {
                case UNIX_TIMESTAMP_MILLIS -> {
                    if (t == JsonToken.VALUE_NUMBER_INT) return Instant.ofEpochMilli(p.getLongValue());
                    if (t == JsonToken.VALUE_NUMBER_FLOAT) return Timestamps.fromEpochSeconds(p.getDecimalValue().movePointLeft(3));
                    throw mismatch(shape, p);
                }
                case UNIX_TIMESTAMP -> {
                    if (t == JsonToken.VALUE_NUMBER_INT) return Instant.ofEpochSecond(p.getLongValue());
                    if (t == JsonToken.VALUE_NUMBER_FLOAT) return Timestamps.fromEpochSeconds(p.getDecimalValue());
                    throw mismatch(shape, p);
                }
                case ISO8601 -> {
                    if (t != JsonToken.VALUE_STRING) throw mismatch(shape, p);
                    return strict ? Timestamps.parseIso8601Strict(p.getText()) : Timestamps.parseIso8601(p.getText());
                }
                default -> {
                    if (t != JsonToken.VALUE_STRING) throw mismatch(shape, p);
                    return Timestamps.parseHttpDate(p.getText());
                }
            }
        } catch (java.time.DateTimeException | NumberFormatException e) {
            throw new MalformedInputException("invalid timestamp: " + p.getText());
        }
    }

    private static Object document(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    p.nextToken();
                    m.put(k, document(p));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) l.add(document(p));
                return l;
            }
            case VALUE_STRING -> { return p.getText(); }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> p.getIntValue();
                    case LONG -> p.getLongValue();
                    default -> p.getBigIntegerValue();
                };
            }
            case VALUE_NUMBER_FLOAT -> { return p.getDoubleValue(); }
            case VALUE_TRUE -> { return Boolean.TRUE; }
            case VALUE_FALSE -> { return Boolean.FALSE; }
            default -> { return null; }
        }
    }

    private static MalformedInputException mismatch(Shape shape, JsonParser p) {
        return new MalformedInputException("expected " + shape.type().name().toLowerCase() + " for " + shape.name()
                + ", got " + (p.currentToken() == null ? "end of input" : p.currentToken().asString() == null ? p.currentToken().name() : p.currentToken().asString()));
    }
}
