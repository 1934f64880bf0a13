package dev.polystack.services.dynamodb;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Items as the engine holds them ({@code Map<String, AttrValue>}), their conversion from and to the protocol's
 * parameter trees with DynamoDB's validation, their size, and the ordering of key values.
 */
final class Items {
    static final int MAX_ITEM_BYTES = 400 * 1024;
    static final int MAX_DEPTH = 32;

    private Items() {
    }

    // ---- from the wire ----------------------------------------------------------------------------------

    /** An item (or key, or expression values) from its protocol tree, validated as DynamoDB does. */
    static Map<String, AttrValue> fromWire(Map<String, Object> wire) {
        if (wire == null) return null;
        Map<String, AttrValue> out = new LinkedHashMap<>(Math.max(4, wire.size() * 2));
        for (Map.Entry<String, Object> e : wire.entrySet()) out.put(e.getKey(), value(e.getValue(), 1));
        return out;
    }

    @SuppressWarnings("unchecked")
    static AttrValue value(Object wire, int depth) {
        if (depth > MAX_DEPTH) throw Errors.validation("Nesting Levels have exceeded supported limits");
        if (!(wire instanceof Map<?, ?> m) || m.isEmpty()) {
            throw Errors.validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
        if (m.size() > 1) {
            throw Errors.validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        }
        Map.Entry<String, Object> e = ((Map<String, Object>) m).entrySet().iterator().next();
        Object v = e.getValue();
        return switch (e.getKey()) {
            case "S" -> new AttrValue.S((String) v);
            case "N" -> new AttrValue.N(Numbers.parse((String) v));
            case "B" -> new AttrValue.B((byte[]) v);
            case "BOOL" -> ((Boolean) v) ? AttrValue.TRUE : AttrValue.FALSE;
            case "NULL" -> {
                if (!Boolean.TRUE.equals(v)) throw Errors.invalidParams("Null attribute value types must have the value of true");
                yield AttrValue.NULL;
            }
            case "SS" -> {
                List<String> l = new ArrayList<>((List<String>) v);
                if (l.isEmpty()) throw Errors.invalidParams("An string set  may not be empty");
                if (new HashSet<>(l).size() != l.size()) throw Errors.invalidParams("Input collection " + l + " contains duplicates.");
                yield new AttrValue.SS(List.copyOf(l));
            }
            case "NS" -> {
                List<String> raw = (List<String>) v;
                if (raw.isEmpty()) throw Errors.invalidParams("An number set  may not be empty");
                List<BigDecimal> l = new ArrayList<>(raw.size());
                for (String s : raw) {
                    BigDecimal n = Numbers.parse(s);
                    for (BigDecimal x : l) {
                        if (x.compareTo(n) == 0) throw Errors.invalidParams("Input collection " + raw + " contains duplicates.");
                    }
                    l.add(n);
                }
                yield new AttrValue.NS(List.copyOf(l));
            }
            case "BS" -> {
                List<byte[]> raw = (List<byte[]>) v;
                if (raw.isEmpty()) throw Errors.invalidParams("Binary sets should not be empty");
                AttrValue.BS bs = new AttrValue.BS(List.copyOf(raw));
                for (int i = 0; i < raw.size(); i++) {
                    for (int j = i + 1; j < raw.size(); j++) {
                        if (Arrays.equals(raw.get(i), raw.get(j))) throw Errors.invalidParams("Input collection contains duplicates.");
                    }
                }
                yield bs;
            }
            case "M" -> {
                Map<String, Object> raw = (Map<String, Object>) v;
                Map<String, AttrValue> inner = new LinkedHashMap<>(Math.max(4, raw.size() * 2));
                for (Map.Entry<String, Object> x : raw.entrySet()) inner.put(x.getKey(), value(x.getValue(), depth + 1));
                yield new AttrValue.M(inner);
            }
            case "L" -> {
                List<Object> raw = (List<Object>) v;
                List<AttrValue> inner = new ArrayList<>(raw.size());
                for (Object x : raw) inner.add(value(x, depth + 1));
                yield new AttrValue.L(inner);
            }
            default -> throw Errors.validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        };
    }

    // ---- to the wire ------------------------------------------------------------------------------------

    static Map<String, Object> toWire(Map<String, AttrValue> item) {
        Map<String, Object> out = new LinkedHashMap<>(Math.max(4, item.size() * 2));
        for (Map.Entry<String, AttrValue> e : item.entrySet()) out.put(e.getKey(), e.getValue().toWire());
        return out;
    }

    static List<Object> toWire(List<Map<String, AttrValue>> items) {
        List<Object> out = new ArrayList<>(items.size());
        for (Map<String, AttrValue> i : items) out.add(toWire(i));
        return out;
    }

    // ---- size -------------------------------------------------------------------------------------------

    static int size(Map<String, AttrValue> item) {
        int s = 0;
        for (Map.Entry<String, AttrValue> e : item.entrySet()) s += AttrValue.utf8Length(e.getKey()) + e.getValue().size();
        return s;
    }

    static void checkSize(Map<String, AttrValue> item) {
        if (size(item) > MAX_ITEM_BYTES) throw Errors.validation("Item size has exceeded the maximum allowed size");
    }

    // ---- ordering ---------------------------------------------------------------------------------------

    /**
     * Orders two values of the same scalar type as DynamoDB does: strings by UTF-8 bytes (= code points),
     * numbers numerically, binaries as unsigned bytes. Values of different types order by type name (only
     * used to keep mixed key sets deterministic; DynamoDB keys have one type).
     */
    static int compare(AttrValue a, AttrValue b) {
        if (a instanceof AttrValue.S x && b instanceof AttrValue.S y) return compareCodePoints(x.value(), y.value());
        if (a instanceof AttrValue.N x && b instanceof AttrValue.N y) return x.value().compareTo(y.value());
        if (a instanceof AttrValue.B x && b instanceof AttrValue.B y) return Arrays.compareUnsigned(x.value(), y.value());
        return a.type().compareTo(b.type());
    }

    static int compareCodePoints(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i), y = b.charAt(i);
            if (x != y) {
                // Surrogates (code points above U+FFFF) sort after every other char in UTF-8 byte order.
                boolean sx = Character.isSurrogate(x), sy = Character.isSurrogate(y);
                if (sx != sy) return sx ? 1 : -1;
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    /** A copy of {@code item} with only the named top-level attributes. */
    static Map<String, AttrValue> only(Map<String, AttrValue> item, Set<String> names) {
        Map<String, AttrValue> out = new HashMap<>();
        for (String n : names) {
            AttrValue v = item.get(n);
            if (v != null) out.put(n, v);
        }
        return out;
    }
}
