package dev.polystack.bridge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.polystack.api.StreamingBody;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameter trees (see {@link dev.polystack.api.ServiceProvider}) to JSON text and back, for the
 * Python side ({@code polystack_bridge/treecodec.py}). One string per direction is cheaper than
 * walking foreign objects value by value. Blobs travel as {@code {"$b": base64}}, timestamps as
 * {@code {"$t": epoch millis}}; integers come back as Integer when they fit, else Long.
 */
final class TreeCodec {
    private static final JsonFactory JSON = new JsonFactory();

    private TreeCodec() {
    }

    static String write(Object tree) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case List<?> l -> {
                g.writeStartArray();
                for (Object o : l) write(g, o);
                g.writeEndArray();
            }
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Double d -> g.writeNumber(d);
            case Float f -> g.writeNumber(f);
            case Number n -> g.writeNumber(n.toString());
            case byte[] bytes -> blob(g, bytes);
            case StreamingBody body -> {
                try (var in = body.stream()) {
                    blob(g, in.readAllBytes());
                }
            }
            case Instant t -> {
                g.writeStartObject();
                g.writeNumberField("$t", t.toEpochMilli());
                g.writeEndObject();
            }
            default -> g.writeString(v.toString());
        }
    }

    private static void blob(JsonGenerator g, byte[] bytes) throws IOException {
        g.writeStartObject();
        g.writeStringField("$b", Base64.getEncoder().encodeToString(bytes));
        g.writeEndObject();
    }

    static Object read(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            p.nextToken();
            return read(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object read(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, read(p));
                }
                if (m.size() == 1) {
                    if (m.get("$b") instanceof String b64) return Base64.getDecoder().decode(b64);
                    if (m.get("$t") instanceof Number millis) return Instant.ofEpochMilli(millis.longValue());
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) l.add(read(p));
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> p.getIntValue();
                    case LONG -> p.getLongValue();
                    default -> p.getBigIntegerValue().min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            default -> {
                return null;
            }
        }
    }
}
