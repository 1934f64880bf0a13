package dev.polystack.api.model;

import dev.polystack.api.ServiceException;
import dev.polystack.api.StreamingBody;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that turns a parameter tree (see {@link dev.polystack.api.ServiceProvider}) into a typed request
 * and a typed result back into a tree, driven by the generated {@link Shape}s. Values the protocol layer already
 * typed pass through; lists and maps of scalars are wrapped, not copied.
 */
public final class TreeConverter {
    private TreeConverter() {
    }

    /** The typed object of a tree (null for null). Members the shape does not have are ignored. */
    public static <T> T fromTree(Shape<T> shape, Map<String, Object> tree) {
        if (tree == null) return null;
        Object builder = shape.newBuilder();
        for (Map.Entry<String, Object> e : tree.entrySet()) {
            Object value = e.getValue();
            if (value == null) continue;
            Member m = shape.member(e.getKey());
            if (m != null) m.set(builder, fromValue(m.type(), value, m.name()));
        }
        return shape.build(builder);
    }

    /** The tree of a typed object (an empty map for null); absent members are absent keys. */
    public static <T> Map<String, Object> toTree(Shape<T> shape, T typed) {
        if (typed == null) return Map.of();
        Member[] members = shape.memberArray();
        // default capacity: a result sets few of its shape's members (S3's GetObjectOutput has about 60), and sizing
        // for all of them allocated a large empty table per answer
        Map<String, Object> out = new LinkedHashMap<>();
        for (Member m : members) {
            Object value = m.get(typed);
            if (value != null) out.put(m.name(), toValue(m.type(), value));
        }
        return out;
    }

    /**
     * A structure copied into another shape member by member: each member of {@code to} that {@code from} has under
     * the same name with a scalar value (or a list or map of scalars) of the same kind. For operations whose answers
     * are the same fields in two shapes (S3's HeadObjectOutput is GetObjectOutput without the body).
     */
    public static <F, T> T convert(Shape<F> from, F value, Shape<T> to) {
        Object builder = to.newBuilder();
        for (Member target : to.memberArray()) {
            Member source = from.member(target.name());
            if (source == null || !sameScalarKind(source.type(), target.type())) continue;
            Object v = source.get(value);
            if (v != null) target.set(builder, v);
        }
        return to.build(builder);
    }

    private static boolean sameScalarKind(Type a, Type b) {
        if (a.kind() != b.kind()) return false;
        return switch (a.kind()) {
            case STRUCTURE -> false;
            case LIST -> a.element().scalar() && b.element().scalar() && a.element().kind() == b.element().kind();
            case MAP -> a.value().scalar() && b.value().scalar() && a.value().kind() == b.value().kind();
            default -> true;
        };
    }

    @SuppressWarnings("unchecked")
    private static Object fromValue(Type type, Object v, String name) {
        switch (type.kind()) {
            case STRUCTURE:
                return fromTree(type.shape(), (Map<String, Object>) expect(v, Map.class, name));
            case LIST: {
                List<Object> list = (List<Object>) expect(v, List.class, name);
                if (type.element().scalar() && scalarsFit(type.element(), list)) return java.util.Collections.unmodifiableList(list);
                List<Object> out = new ArrayList<>(list.size());
                for (Object o : list) out.add(o == null ? null : fromValue(type.element(), o, name));
                return out;
            }
            case MAP: {
                Map<String, Object> map = (Map<String, Object>) expect(v, Map.class, name);
                if (type.value().scalar() && scalarsFit(type.value(), map.values())) return java.util.Collections.unmodifiableMap(map);
                Map<String, Object> out = new LinkedHashMap<>(map.size() * 2);
                for (Map.Entry<String, Object> e : map.entrySet()) {
                    out.put(String.valueOf(e.getKey()), e.getValue() == null ? null : fromValue(type.value(), e.getValue(), name));
                }
                return out;
            }
            default:
                return scalar(type.kind(), v, name);
        }
    }

    private static boolean scalarsFit(Type type, java.util.Collection<Object> values) {
        for (Object o : values) {
            if (o != null && scalar(type.kind(), o, null) != o) return false;
        }
        return true;
    }

    /** A scalar in the member's Java type: the value itself when it already is, else converted. */
    private static Object scalar(Type.Kind kind, Object v, String name) {
        try {
            return switch (kind) {
                case STRING -> v instanceof String ? v : v.toString();
                case INTEGER -> v instanceof Integer ? v : v instanceof Number n ? (Object) n.intValue() : Integer.valueOf(v.toString().trim());
                case LONG -> v instanceof Long ? v : v instanceof Number n ? (Object) n.longValue() : Long.valueOf(v.toString().trim());
                case DOUBLE -> v instanceof Double ? v : v instanceof Number n ? (Object) n.doubleValue() : Double.valueOf(v.toString().trim());
                case FLOAT -> v instanceof Float ? v : v instanceof Number n ? (Object) n.floatValue() : Float.valueOf(v.toString().trim());
                case BOOLEAN -> v instanceof Boolean ? v : Boolean.valueOf(v.toString().trim());
                case BLOB -> v instanceof byte[] ? v : Base64.getDecoder().decode(v.toString());
                // Numbers are epoch seconds, as JSON protocols write timestamps (and as documents keep them)
                case TIMESTAMP -> v instanceof Instant ? v : v instanceof Number n ? Instant.ofEpochMilli(Math.round(n.doubleValue() * 1000))
                        : Instant.parse(v.toString());
                case STREAM -> stream(v);
                case DOCUMENT -> v;
                default -> throw new IllegalStateException(kind.toString());
            };
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            if (name == null) return null; // only a fit check: "does not fit"
            throw invalid(name, v);
        }
    }

    /** A streaming payload: the protocol layer's StreamingBody, or bytes or text an in-process caller put there. */
    private static Object stream(Object v) {
        if (v instanceof byte[] b) return StreamingBody.of(b);
        if (v instanceof String s) return StreamingBody.of(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (v instanceof java.io.InputStream in) return new StreamingBody(in, -1);
        return v;
    }

    private static Object expect(Object v, Class<?> type, String name) {
        if (!type.isInstance(v)) throw invalid(name, v);
        return v;
    }

    private static ServiceException invalid(String name, Object v) {
        return new ServiceException("InvalidParameterValue", "Value " + v + " for parameter " + name + " is invalid.");
    }

    @SuppressWarnings("unchecked")
    private static Object toValue(Type type, Object v) {
        switch (type.kind()) {
            case STRUCTURE:
                return toTree((Shape<Object>) type.shape(), v);
            case LIST: {
                List<Object> list = (List<Object>) v;
                if (type.element().scalar()) return list;
                List<Object> out = new ArrayList<>(list.size());
                for (Object o : list) out.add(o == null ? null : toValue(type.element(), o));
                return out;
            }
            case MAP: {
                Map<String, Object> map = (Map<String, Object>) v;
                if (type.value().scalar()) return map;
                Map<String, Object> out = new LinkedHashMap<>(map.size() * 2);
                for (Map.Entry<String, Object> e : map.entrySet()) {
                    out.put(e.getKey(), e.getValue() == null ? null : toValue(type.value(), e.getValue()));
                }
                return out;
            }
            default:
                return v;
        }
    }
}
