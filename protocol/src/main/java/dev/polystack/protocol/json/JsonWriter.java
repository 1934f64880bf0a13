package dev.polystack.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.polystack.api.StreamingBody;
import dev.polystack.protocol.Timestamps;
import dev.polystack.protocol.model.Member;
import dev.polystack.protocol.model.Shape;
import dev.polystack.protocol.model.TimestampFormat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;

/**
 * Writes a botocore-shaped tree as JSON, driven by the shape: members in the shape's order under their wire
 * names, absent or null members left out, numbers from any {@link Number}. Thread-safe and stateless.
 */
public final class JsonWriter {
    private final TimestampFormat defaultTimestampFormat;
    private final com.fasterxml.jackson.core.JsonFactory factory;
    private final boolean cbor;

    public JsonWriter(TimestampFormat defaultTimestampFormat) {
        this(defaultTimestampFormat, JsonReader.FACTORY, false);
    }

    /** A writer for another Jackson format; {@code cbor}: blobs as byte strings, timestamps as tag 1 epoch seconds. */
    public JsonWriter(TimestampFormat defaultTimestampFormat, com.fasterxml.jackson.core.JsonFactory factory, boolean cbor) {
        this.defaultTimestampFormat = defaultTimestampFormat;
        this.factory = factory;
        this.cbor = cbor;
    }

    /** A generator of this writer's format over {@code out}. */
    public JsonGenerator generator(ByteArrayBuilder out) throws IOException {
        return factory.createGenerator(out);
    }

    /** The body members of {@code value} (a structure of {@code shape}) as a JSON object; {@code {}} when null. */
    public byte[] writeStructure(Shape shape, Map<String, Object> value) {
        ByteArrayBuilder buf = new ByteArrayBuilder(256);
        try (JsonGenerator g = factory.createGenerator(buf)) {
            if (shape == null || value == null) {
                g.writeStartObject();
                g.writeEndObject();
            } else {
                structure(g, shape, value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    /** One value (a rest-json payload member: structure, union, document, list...). */
    public byte[] writeValue(Shape shape, Object value) {
        ByteArrayBuilder buf = new ByteArrayBuilder(256);
        try (JsonGenerator g = factory.createGenerator(buf)) {
            value(g, shape, null, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    /** Writes the body members of a structure, plus extra leading fields (errors: {@code __type}, {@code message}). */
    public void structure(JsonGenerator g, Shape shape, Map<?, ?> value) throws IOException {
        g.writeStartObject();
        members(g, shape, value);
        g.writeEndObject();
    }

    /** Writes the body members of a structure as fields of the object being written. */
    public void members(JsonGenerator g, Shape shape, Map<?, ?> value) throws IOException {
        members(g, shape.bodyMembers(), value);
    }

    /** A REST response's top-level object: body members plus URI/query-bound ones (see {@link Shape#responseBodyMembers()}). */
    public void responseStructure(JsonGenerator g, Shape shape, Map<?, ?> value) throws IOException {
        g.writeStartObject();
        members(g, shape.responseBodyMembers(), value);
        g.writeEndObject();
    }

    private void members(JsonGenerator g, Member[] members, Map<?, ?> value) throws IOException {
        for (Member m : members) {
            Object v = value.get(m.name());
            if (v == null && (v = m.defaultValue()) == null) continue;
            g.writeFieldName(m.jsonName());
            value(g, m.shape(), m, v);
        }
    }

    void value(JsonGenerator g, Shape shape, Member ref, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
            return;
        }
        switch (shape.type()) {
            case STRUCTURE -> {
                if (v instanceof Map<?, ?> map) structure(g, shape, map);
                else throw new IllegalArgumentException(shape.name() + " expects a Map, got " + v.getClass().getName());
            }
            case LIST -> {
                g.writeStartArray();
                Member item = shape.listMember();
                if (v instanceof Collection<?> c) {
                    for (Object o : c) value(g, item.shape(), item, o);
                } else if (v instanceof Object[] arr) {
                    for (Object o : arr) value(g, item.shape(), item, o);
                } else {
                    throw new IllegalArgumentException(shape.name() + " expects a List, got " + v.getClass().getName());
                }
                g.writeEndArray();
            }
            case MAP -> {
                g.writeStartObject();
                Member val = shape.mapValue();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    if (e.getValue() == null && !shape.isSparse()) continue;
                    g.writeFieldName(String.valueOf(e.getKey()));
                    value(g, val.shape(), val, e.getValue());
                }
                g.writeEndObject();
            }
            case STRING -> g.writeString(v instanceof Enum<?> en ? en.name() : v.toString());
            case BOOLEAN -> g.writeBoolean(v instanceof Boolean b ? b : Boolean.parseBoolean(v.toString()));
            case BYTE, SHORT, INTEGER, LONG -> {
                if (v instanceof Integer || v instanceof Short || v instanceof Byte) g.writeNumber(((Number) v).intValue());
                else if (v instanceof BigInteger bi) g.writeNumber(bi);
                else if (v instanceof Number n) g.writeNumber(n.longValue());
                else g.writeNumber(Long.parseLong(v.toString()));
            }
            case BIG_INTEGER -> g.writeNumber(v instanceof BigInteger bi ? bi : new BigInteger(v.toString()));
            case BIG_DECIMAL -> g.writeNumber(v instanceof BigDecimal bd ? bd : new BigDecimal(v.toString()));
            case FLOAT, DOUBLE -> {
                double d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString());
                if (cbor) {
                    if (shape.type() == dev.polystack.protocol.model.ShapeType.FLOAT) g.writeNumber((float) d);
                    else g.writeNumber(d);
                } else if (Double.isNaN(d)) g.writeString("NaN");
                else if (Double.isInfinite(d)) g.writeString(d > 0 ? "Infinity" : "-Infinity");
                else if (v instanceof BigDecimal bd) g.writeNumber(bd);
                else if (v instanceof Float f) g.writeNumber(f);
                else g.writeNumber(d);
            }
            case BLOB -> {
                if (cbor) g.writeBinary(bytes(v));
                else g.writeString(Base64.getEncoder().encodeToString(bytes(v)));
            }
            case TIMESTAMP -> {
                Instant t = Timestamps.toInstant(v);
                if (cbor) {
                    ((com.fasterxml.jackson.dataformat.cbor.CBORGenerator) g).writeTag(1);
                    if (defaultTimestampFormat == TimestampFormat.UNIX_TIMESTAMP_MILLIS) g.writeNumber(t.toEpochMilli());
                    else if (t.getNano() < 1_000_000) g.writeNumber(t.getEpochSecond());
                    else g.writeNumber(t.getEpochSecond() + (t.getNano() / 1_000_000) / 1000.0);
                    return;
                }
                TimestampFormat f = ref != null ? ref.timestampFormat() : shape.timestampFormat();
                if (f == null) f = defaultTimestampFormat;
                switch (f) {
                    case UNIX_TIMESTAMP_MILLIS -> g.writeNumber(t.toEpochMilli());
                    case UNIX_TIMESTAMP -> {
                        if (t.getNano() < 1_000_000) g.writeNumber(t.getEpochSecond());
                        else g.writeNumber(Timestamps.epochSeconds(t));
                    }
                    case ISO8601 -> g.writeString(Timestamps.iso8601(t));
                    default -> g.writeString(Timestamps.httpDate(t));
                }
            }
            case DOCUMENT -> document(g, v);
            default -> throw new IllegalArgumentException("unsupported shape type " + shape.type());
        }
    }

    static void document(JsonGenerator g, Object v) throws IOException {
        if (v == null) g.writeNull();
        else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                document(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object o : c) document(g, o);
            g.writeEndArray();
        } else if (v instanceof String s) g.writeString(s);
        else if (v instanceof Boolean b) g.writeBoolean(b);
        else if (v instanceof Integer i) g.writeNumber(i);
        else if (v instanceof Long l) g.writeNumber(l);
        else if (v instanceof BigInteger bi) g.writeNumber(bi);
        else if (v instanceof BigDecimal bd) g.writeNumber(bd);
        else if (v instanceof Number n) g.writeNumber(n.doubleValue());
        else g.writeString(v.toString());
    }

    /** A blob value as bytes: byte[], ByteBuffer, StreamingBody (read fully), or a String (UTF-8). */
    public static byte[] bytes(Object v) {
        if (v instanceof byte[] b) return b;
        if (v instanceof ByteBuffer bb) {
            ByteBuffer d = bb.duplicate();
            byte[] out = new byte[d.remaining()];
            d.get(out);
            return out;
        }
        if (v instanceof StreamingBody sb) {
            try (InputStream in = sb.stream()) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (v instanceof InputStream in) {
            try (in) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return v.toString().getBytes(StandardCharsets.UTF_8);
    }
}
