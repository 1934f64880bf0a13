package dev.polystack.protocol;

import dev.polystack.protocol.model.Member;
import dev.polystack.protocol.model.Shape;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Validates a parsed parameter tree against its input shape: required members always; with {@code strict},
 * also lengths, ranges, patterns, enums and unique items (what Smithy servers check; botocore specs are
 * validated leniently, as LocalStack does, because providers answer such cases with AWS's own messages).
 */
public final class Validator {

    /** One failed constraint; {@code path} is a list of member names / indexes / map keys from the root. */
    public record Violation(List<String> path, String constraint, Object value, Shape shape, boolean nullValue) {
    }

    private final boolean strict;
    private final List<Violation> out = new ArrayList<>();

    private Validator(boolean strict) {
        this.strict = strict;
    }

    /** All violations (empty when valid). */
    public static List<Violation> validate(Shape input, Map<String, Object> params, boolean strict) {
        if (input == null) return List.of();
        Validator v = new Validator(strict);
        v.structure(input, params, new ArrayList<>());
        return v.out;
    }

    private void structure(Shape shape, Map<?, ?> value, List<String> path) {
        for (Member m : shape.memberArray()) {
            Object v = value.get(m.name());
            if (v == null) {
                if (m.isRequired()) {
                    path.add(m.name());
                    out.add(new Violation(List.copyOf(path), "Member must not be null", null, m.shape(), true));
                    path.remove(path.size() - 1);
                }
                continue;
            }
            if (!strict && m.shape().type().isScalar()) continue;
            path.add(m.name());
            value(m.shape(), v, path);
            path.remove(path.size() - 1);
        }
    }

    private void value(Shape shape, Object v, List<String> path) {
        switch (shape.type()) {
            case STRUCTURE -> {
                if (v instanceof Map<?, ?> map) structure(shape, map, path);
            }
            case LIST -> {
                if (!(v instanceof List<?> list)) return;
                if (strict) {
                    length(shape, list.size(), v, path);
                    if (shape.isUniqueItems() && new HashSet<>(normalize(list)).size() != list.size()) {
                        out.add(new Violation(List.copyOf(path), "Member must have unique values", v, shape, false));
                    }
                }
                Shape member = shape.listMember().shape();
                for (int i = 0; i < list.size(); i++) {
                    Object item = list.get(i);
                    if (item == null || (!strict && member.type().isScalar())) continue;
                    path.add(Integer.toString(i));
                    value(member, item, path);
                    path.remove(path.size() - 1);
                }
            }
            case MAP -> {
                if (!(v instanceof Map<?, ?> map)) return;
                if (strict) length(shape, map.size(), v, path);
                Shape key = shape.mapKey().shape();
                Shape val = shape.mapValue().shape();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (strict) value(key, e.getKey(), path); // a key's violation is reported at the map
                    path.add(String.valueOf(e.getKey()));
                    if (e.getValue() != null && (strict || !val.type().isScalar())) value(val, e.getValue(), path);
                    path.remove(path.size() - 1);
                }
            }
            case STRING -> {
                if (!strict || !(v instanceof String s)) return;
                if (shape.enumValues() != null && !shape.isEnumValue(s)) {
                    out.add(new Violation(List.copyOf(path), "Member must satisfy enum value set: " + shape.enumValues(), v, shape, false));
                }
                if (shape.min() != null || shape.max() != null) length(shape, s.codePointCount(0, s.length()), v, path);
                if (shape.pattern() != null && !shape.compiledPattern().matcher(s).find()) {
                    out.add(new Violation(List.copyOf(path), "Member must satisfy regular expression pattern: " + shape.pattern(), v, shape, false));
                }
            }
            case BLOB -> {
                if (strict && v instanceof byte[] b) length(shape, b.length, v, path);
            }
            default -> {
                if (!strict || !(v instanceof Number n) || !shape.type().isNumber()) return;
                if (shape.enumValues() != null && !shape.isEnumValue(n.toString())) {
                    out.add(new Violation(List.copyOf(path), "Member must satisfy enum value set: " + shape.enumValues(), v, shape, false));
                }
                range(shape, n, v, path);
            }
        }
    }

    private static List<Object> normalize(List<?> list) {
        List<Object> out = new ArrayList<>(list.size());
        for (Object o : list) out.add(o instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : o);
        return out;
    }

    private void length(Shape shape, long length, Object v, List<String> path) {
        BigDecimal min = shape.min();
        BigDecimal max = shape.max();
        if (min == null && max == null) return;
        boolean tooShort = min != null && length < min.longValue();
        boolean tooLong = max != null && length > max.longValue();
        if (!tooShort && !tooLong) return;
        String c;
        if (min != null && max != null) c = "Member must have length between " + min.longValue() + " and " + max.longValue() + ", inclusive";
        else if (min != null) c = "Member must have length greater than or equal to " + min.longValue();
        else c = "Member must have length less than or equal to " + max.longValue();
        out.add(new Violation(List.copyOf(path), c, length, shape, false));
    }

    private void range(Shape shape, Number n, Object v, List<String> path) {
        BigDecimal min = shape.min();
        BigDecimal max = shape.max();
        if (min == null && max == null) return;
        BigDecimal d;
        if (n instanceof BigDecimal b) d = b;
        else if (n instanceof BigInteger b) d = new BigDecimal(b);
        else if (n instanceof Double || n instanceof Float) {
            double x = n.doubleValue();
            if (Double.isNaN(x) || Double.isInfinite(x)) return;
            d = BigDecimal.valueOf(x);
        } else d = BigDecimal.valueOf(n.longValue());
        boolean low = min != null && d.compareTo(min) < 0;
        boolean high = max != null && d.compareTo(max) > 0;
        if (!low && !high) return;
        String c;
        if (min != null && max != null) c = "Member must be between " + plain(min) + " and " + plain(max) + ", inclusive";
        else if (min != null) c = "Member must be greater than or equal to " + plain(min);
        else c = "Member must be less than or equal to " + plain(max);
        out.add(new Violation(List.copyOf(path), c, v, shape, false));
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    // ---- messages ----

    /**
     * AWS (Coral) style: {@code 1 validation error detected: Value null at 'tableName' failed to satisfy
     * constraint: Member must not be null}; paths lower-camel-case member names, list items {@code member.N}.
     */
    public static String coralMessage(List<Violation> violations) {
        StringBuilder sb = new StringBuilder();
        sb.append(violations.size()).append(violations.size() == 1 ? " validation error detected: " : " validation errors detected: ");
        for (int i = 0; i < violations.size(); i++) {
            if (i > 0) sb.append("; ");
            Violation v = violations.get(i);
            sb.append("Value ").append(v.nullValue() ? "null" : coralValue(v)).append(" at '").append(coralPath(v.path()))
                    .append("' failed to satisfy constraint: ").append(v.constraint());
        }
        return sb.toString();
    }

    private static String coralValue(Violation v) {
        Object o = v.value();
        if (o instanceof String s) return "'" + s + "'";
        return String.valueOf(o);
    }

    private static String coralPath(List<String> path) {
        StringBuilder sb = new StringBuilder();
        for (String p : path) {
            if (sb.length() > 0) sb.append('.');
            if (!p.isEmpty() && Character.isDigit(p.charAt(0)) && isIndex(p)) {
                sb.append("member.").append(Integer.parseInt(p) + 1);
            } else {
                sb.append(Character.toLowerCase(p.charAt(0))).append(p, 1, p.length());
            }
        }
        return sb.toString();
    }

    private static boolean isIndex(String s) {
        for (int i = 0; i < s.length(); i++) if (!Character.isDigit(s.charAt(i))) return false;
        return true;
    }

    /** Smithy server style: the message of one field ({@code Value with length 1 at '/string' failed ...}). */
    public static String smithyFieldMessage(Violation v) {
        String at = " at '" + smithyPath(v) + "' failed to satisfy constraint: " + v.constraint();
        if (v.nullValue()) return "Value" + at;
        if (v.constraint().startsWith("Member must have length")) return "Value with length " + v.value() + at;
        return "Value" + at;
    }

    public static String smithyPath(Violation v) {
        StringBuilder sb = new StringBuilder();
        for (String p : v.path()) sb.append('/').append(p);
        return sb.toString();
    }

    /** Smithy server style: {@code N validation error(s) detected. <first field message>; ...}. */
    public static String smithyMessage(List<Violation> violations) {
        StringBuilder sb = new StringBuilder();
        sb.append(violations.size()).append(violations.size() == 1 ? " validation error detected. " : " validation errors detected. ");
        for (int i = 0; i < violations.size(); i++) {
            if (i > 0) sb.append("; ");
            sb.append(smithyFieldMessage(violations.get(i)));
        }
        return sb.toString();
    }
}
