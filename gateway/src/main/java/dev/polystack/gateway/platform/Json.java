package dev.polystack.gateway.platform;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.polystack.api.HttpResponseData;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;

/**
 * JSON responses for platform endpoints. Their bodies are small trees of maps, lists, strings, numbers and
 * booleans, written with Jackson's streaming generator: an {@code ObjectMapper} would load some 400 classes on
 * the first health check, which start-up waiters (Testcontainers, CI scripts) hit first.
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    public static HttpResponseData response(int status, Object value) {
        return new HttpResponseData(status).header("Content-Type", "application/json").body(bytes(value));
    }

    /** The value as JSON: {@link Map} → object, {@link Collection} → array, String/Number/Boolean/null as such, anything else as its text. */
    public static byte[] bytes(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Number n -> g.writeNumber(n.toString());
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case Collection<?> c -> {
                g.writeStartArray();
                for (Object item : c) write(g, item);
                g.writeEndArray();
            }
            default -> g.writeString(value.toString());
        }
    }
}
