package dev.polystack.services.dynamodb;

import java.util.List;
import java.util.Map;

/** Reading members of the protocol's parameter trees (the thin provider layer only). */
final class Params {
    private Params() {
    }

    static String str(Map<String, Object> m, String k) {
        Object v = m == null ? null : m.get(k);
        return v == null ? null : v.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> m, String k) {
        Object v = m == null ? null : m.get(k);
        return v instanceof Map<?, ?> x ? (Map<String, Object>) x : null;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> m, String k) {
        Object v = m == null ? null : m.get(k);
        return v instanceof List<?> x ? (List<Object>) x : null;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> maps(Map<String, Object> m, String k) {
        Object v = m == null ? null : m.get(k);
        return v instanceof List<?> x ? (List<Map<String, Object>>) x : null;
    }

    static boolean bool(Map<String, Object> m, String k, boolean dflt) {
        Object v = m == null ? null : m.get(k);
        return v instanceof Boolean b ? b : dflt;
    }

    static Integer integer(Map<String, Object> m, String k) {
        Object v = m == null ? null : m.get(k);
        return v instanceof Number n ? n.intValue() : null;
    }

    static Long longValue(Map<String, Object> m, String k) {
        Object v = m == null ? null : m.get(k);
        return v instanceof Number n ? n.longValue() : null;
    }
}
