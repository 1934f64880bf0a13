package dev.polystack.services.s3;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Typed reads from a botocore-shaped parameter tree (lenient: strings are accepted for any scalar). */
final class In {
    private In() {
    }

    static String str(Map<String, Object> in, String member) {
        Object v = in.get(member);
        if (v == null) return null;
        String s = v.toString();
        return s;
    }

    static Integer integer(Map<String, Object> in, String member) {
        Object v = in.get(member);
        if (v == null) return null;
        if (v instanceof Number n) return n.intValue();
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static boolean bool(Map<String, Object> in, String member) {
        Object v = in.get(member);
        if (v instanceof Boolean b) return b;
        return v != null && "true".equalsIgnoreCase(v.toString().trim());
    }

    static Instant instant(Map<String, Object> in, String member) {
        Object v = in.get(member);
        if (v == null) return null;
        if (v instanceof Instant i) return i;
        try {
            return HttpDates.parse(v.toString());
        } catch (RuntimeException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> in, String member) {
        Object v = in.get(member);
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> in, String member) {
        Object v = in.get(member);
        return v instanceof List<?> l ? (List<Object>) l : List.of();
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> stringMap(Map<String, Object> in, String member) {
        Object v = in.get(member);
        if (!(v instanceof Map<?, ?> m)) return Map.of();
        java.util.LinkedHashMap<String, String> out = new java.util.LinkedHashMap<>();
        ((Map<String, Object>) m).forEach((k, x) -> out.put(k, x == null ? "" : x.toString()));
        return out;
    }
}
