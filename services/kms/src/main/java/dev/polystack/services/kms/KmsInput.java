package dev.polystack.services.kms;

import dev.polystack.api.ServiceException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading a KMS parameter tree and AWS's validation errors for it. AWS validates the input shape
 * before anything else and words its errors like
 * {@code 1 validation error detected: Value 'X' at 'keySpec' failed to satisfy constraint: ...};
 * the member path there is the member name with a lower-case first letter.
 */
final class KmsInput {
    private KmsInput() {
    }

    static String str(Map<String, Object> in, String member) {
        Object v = in.get(member);
        return v == null ? null : v.toString();
    }

    static String required(Map<String, Object> in, String member) {
        String v = str(in, member);
        if (v == null) throw validation("1 validation error detected: Value null at '" + path(member)
                + "' failed to satisfy constraint: Member must not be null");
        return v;
    }

    static byte[] blob(Map<String, Object> in, String member) {
        Object v = in.get(member);
        if (v == null) return null;
        if (v instanceof byte[] b) return b;
        if (v instanceof String s) return java.util.Base64.getDecoder().decode(s);
        throw validation("Invalid value for " + member);
    }

    static Integer integer(Map<String, Object> in, String member) {
        Object v = in.get(member);
        if (v == null) return null;
        if (v instanceof Number n) return n.intValue();
        try {
            return Integer.parseInt(v.toString());
        } catch (NumberFormatException e) {
            throw validation("Invalid value for " + member);
        }
    }

    static boolean bool(Map<String, Object> in, String member) {
        Object v = in.get(member);
        return v instanceof Boolean b ? b : v != null && Boolean.parseBoolean(v.toString());
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> stringMap(Map<String, Object> in, String member) {
        Object v = in.get(member);
        if (!(v instanceof Map<?, ?> m) || m.isEmpty()) return Map.of();
        Map<String, String> out = new LinkedHashMap<>();
        ((Map<String, Object>) m).forEach((k, x) -> out.put(k, x == null ? "" : x.toString()));
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> in, String member) {
        Object v = in.get(member);
        return v instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /** Checks an enum member; {@code allowed} is AWS's wording of the set, for example {@code [A, B]}. */
    static String enumValue(Map<String, Object> in, String member, List<String> values, String allowed) {
        String v = str(in, member);
        if (v != null && !values.contains(v)) {
            throw validation("1 validation error detected: Value '" + v + "' at '" + path(member)
                    + "' failed to satisfy constraint: Member must satisfy enum value set: " + allowed);
        }
        return v;
    }

    /** Checks an enum member whose set AWS words in {@code values}' order (the message is built only on error). */
    static String enumValue(Map<String, Object> in, String member, List<String> values) {
        String v = str(in, member);
        if (v != null && !values.contains(v)) enumValue(in, member, values, "[" + String.join(", ", values) + "]");
        return v;
    }

    static void range(String member, Integer value, int min, int max) {
        if (value == null) return;
        if (value < min) throw validation("1 validation error detected: Value '" + value + "' at '" + path(member)
                + "' failed to satisfy constraint: Member must have value greater than or equal to " + min);
        if (value > max) throw validation("1 validation error detected: Value '" + value + "' at '" + path(member)
                + "' failed to satisfy constraint: Member must have value less than or equal to " + max);
    }

    /** Length check of a blob member; AWS does not echo blob values. */
    static void blobLength(String member, byte[] value, int min, int max) {
        if (value == null) return;
        if (value.length < min) throw validation("1 validation error detected: Value at '" + path(member)
                + "' failed to satisfy constraint: Member must have length greater than or equal to " + min);
        if (value.length > max) throw validation("1 validation error detected: Value at '" + path(member)
                + "' failed to satisfy constraint: Member must have length less than or equal to " + max);
    }

    static void stringLength(String path, String value, int min, int max) {
        if (value == null) return;
        if (value.length() < min) throw validation("1 validation error detected: Value '" + value + "' at '" + path
                + "' failed to satisfy constraint: Member must have length greater than or equal to " + min);
        if (value.length() > max) throw validation("1 validation error detected: Value '" + value + "' at '" + path
                + "' failed to satisfy constraint: Member must have length less than or equal to " + max);
    }

    static void dryRun(Map<String, Object> in) {
        if (bool(in, "DryRun")) {
            throw new ServiceException("DryRunOperationException", "The request would have succeeded, but the DryRun option is set.");
        }
    }

    static String path(String member) {
        return Character.toLowerCase(member.charAt(0)) + member.substring(1);
    }

    static ServiceException validation(String message) {
        return new ServiceException("ValidationException", message);
    }
}
