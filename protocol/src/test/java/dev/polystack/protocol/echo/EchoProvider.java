package dev.polystack.protocol.echo;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;
import dev.polystack.api.StreamingBody;
import dev.polystack.protocol.model.Member;
import dev.polystack.protocol.model.Operation;
import dev.polystack.protocol.model.ServiceModel;
import dev.polystack.protocol.model.Shape;
import dev.polystack.protocol.model.ShapeType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers an operation with its input poured into the output shape, driven by the service model:
 * <ul>
 *   <li>an output member takes the input value of the same name when the two have the same shape type
 *       (structures, lists and maps are conformed recursively, so nested members follow the same rule);</li>
 *   <li>an output structure the input has no member for is filled from the same input level (CreateX returning
 *       {@code X: {...}} echoes the request's fields), and so is a list of structures (one element);</li>
 *   <li>everything else stays absent. Nothing is invented, so what a client reads back is what it sent.</li>
 * </ul>
 * A top-level string input {@code "echo-error:<Code>"} makes it throw {@code ServiceException(<Code>)} instead, so
 * the tests also see each protocol's error shape (status from the model when the code is a modelled error).
 */
final class EchoProvider implements ServiceProvider {
    private static final int MAX_DEPTH = 12;
    private static final String ERROR_PREFIX = "echo-error:";

    private final String service;
    private final ServiceModel model;

    EchoProvider(String service, ServiceModel model) {
        this.service = service;
        this.model = model;
    }

    @Override
    public String service() {
        return service;
    }

    @Override
    public Map<String, Object> invoke(RequestContext context, String operation, Map<String, Object> input) {
        Operation op = model.operation(operation);
        if (op == null) throw new ServiceException("InvalidAction", "no operation " + operation, 400);
        for (Object value : input.values()) {
            if (value instanceof String s && s.startsWith(ERROR_PREFIX)) {
                throw new ServiceException(s.substring(ERROR_PREFIX.length()), "echoed error for " + operation);
            }
        }
        if (op.output() == null) return Map.of();
        Map<String, Object> out = fill(input, op.output(), 0);
        return out == null ? Map.of() : out;
    }

    /** The output structure's members found in {@code source}, or null when none is. */
    private Map<String, Object> fill(Map<String, Object> source, Shape structure, int depth) {
        if (depth > MAX_DEPTH) return null;
        Map<String, Object> out = new LinkedHashMap<>();
        for (Member m : structure.members().values()) {
            Object value = source.get(m.name());
            Object echoed = value != null
                    ? conform(value, m.shape(), depth + 1)
                    : fromSameLevel(source, m.shape(), depth + 1);
            if (echoed != null) out.put(m.name(), echoed);
        }
        return out.isEmpty() ? null : out;
    }

    private Object fromSameLevel(Map<String, Object> source, Shape shape, int depth) {
        if (shape.type() == ShapeType.STRUCTURE && !shape.isUnion()) return fill(source, shape, depth);
        if (shape.type() == ShapeType.LIST && shape.listMember().type() == ShapeType.STRUCTURE) {
            Map<String, Object> one = fill(source, shape.listMember().shape(), depth);
            return one == null ? null : List.of(one);
        }
        return null;
    }

    /** {@code value} as a tree of {@code shape}, or null when its type does not fit. */
    @SuppressWarnings("unchecked")
    private Object conform(Object value, Shape shape, int depth) {
        return switch (shape.type()) {
            case STRUCTURE -> value instanceof Map<?, ?> m ? fill((Map<String, Object>) m, shape, depth) : null;
            case LIST -> {
                if (!(value instanceof List<?> list)) yield null;
                List<Object> out = new ArrayList<>(list.size());
                for (Object item : list) {
                    Object c = item == null ? null : conform(item, shape.listMember().shape(), depth + 1);
                    if (c != null) out.add(c);
                }
                yield out;
            }
            case MAP -> {
                if (!(value instanceof Map<?, ?> map)) yield null;
                Map<Object, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    Object c = e.getValue() == null ? null : conform(e.getValue(), shape.mapValue().shape(), depth + 1);
                    if (c != null) out.put(e.getKey(), c);
                }
                yield out;
            }
            case STRING -> value instanceof String ? value : null;
            case BOOLEAN -> value instanceof Boolean ? value : null;
            case TIMESTAMP -> value instanceof java.time.Instant ? value : null;
            case BLOB -> value instanceof byte[] ? value
                    : value instanceof StreamingBody body ? (shape.isStreaming() ? body : readAll(body)) : null;
            case DOCUMENT -> value;
            default -> shape.type().isNumber() && value instanceof Number ? value : null;
        };
    }

    private static byte[] readAll(StreamingBody body) {
        try (var in = body.stream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
