package dev.polystack.services.apigateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * API Gateway's resources are JSON documents that {@code Update*} operations patch in place by path, so the stored
 * state keeps them in their output form (member name → value) and hands out copies, which the providers read into
 * their generated result types. These are the small accessors for those stored documents; requests never pass
 * through them (they arrive typed).
 */
final class Docs {
    private Docs() {
    }

    static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? null : v.toString();
    }

    static boolean bool(Map<String, Object> m, String key, boolean otherwise) {
        Object v = m.get(key);
        if (v instanceof Boolean b) return b;
        if (v instanceof String s) return Boolean.parseBoolean(s);
        return otherwise;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Map<?, ?> x ? (Map<String, Object>) x : null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> mapOrNew(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v instanceof Map<?, ?> x) return (Map<String, Object>) x;
        Map<String, Object> created = new LinkedHashMap<>();
        m.put(key, created);
        return created;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof List<?> x ? (List<Object>) x : null;
    }

    /** A deep copy of a document tree (maps and lists copied, leaves shared: they are immutable). */
    @SuppressWarnings("unchecked")
    static <T> T copy(T value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put((String) k, copy(v)));
            return (T) out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object v : l) out.add(copy(v));
            return (T) out;
        }
        return value;
    }

    /** Puts the value unless it is null. */
    static void putIfPresent(Map<String, Object> m, String key, Object value) {
        if (value != null) m.put(key, value);
    }

    static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }
}
