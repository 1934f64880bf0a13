package dev.polystack.services.dynamodb;

import dev.polystack.services.dynamodb.api.AttributeValue;

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
 * Items as the engine holds them ({@code Map<String, AttrValue>}): their conversion from and to the typed API's
 * {@link AttributeValue} with DynamoDB's validation (requests and answers), from and to plain JSON trees (the
 * snapshot and Kinesis records), their size, and the ordering of key values.
 *
 * <p>Why the engine keeps its own {@link AttrValue} rather than the generated {@code AttributeValue}: a stored
 * value must compare and hash by value (numbers numerically with 38 digits, sets regardless of order, binaries by
 * content), keys are map keys, and sizes are computed on every write. The generated type holds numbers as text,
 * binaries as arrays compared by identity and one nullable field per type, so each comparison would re-parse.
 * Converting once at the edge (a request's values on the way in, an answer's on the way out) keeps the engine's
 * hot paths on normalised values; the conversion is a walk over the few values of one request.
 */
final class Items {
    static final int MAX_ITEM_BYTES = 400 * 1024;
    static final int MAX_DEPTH = 32;

    private Items() {
    }

    // ---- from and to the typed API -------------------------------------------------------------------------

    /** An item (or key, or expression values) of a request, validated as DynamoDB does; null for null. */
    static Map<String, AttrValue> fromApi(Map<String, AttributeValue> item) {
        if (item == null) return null;
        Map<String, AttrValue> out = new LinkedHashMap<>(Math.max(4, item.size() * 2));
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) out.put(e.getKey(), value(e.getValue(), 1));
        return out;
    }

    /** One value of a request: exactly one of its types must be set. */
    static AttrValue value(AttributeValue v, int depth) {
        if (depth > MAX_DEPTH) throw Errors.validation("Nesting Levels have exceeded supported limits");
        if (v == null) throw Errors.validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        int set = (v.s() != null ? 1 : 0) + (v.n() != null ? 1 : 0) + (v.b() != null ? 1 : 0) + (v.ss() != null ? 1 : 0)
                + (v.ns() != null ? 1 : 0) + (v.bs() != null ? 1 : 0) + (v.m() != null ? 1 : 0) + (v.l() != null ? 1 : 0)
                + (v.nullValue() != null ? 1 : 0) + (v.bool() != null ? 1 : 0);
        if (set == 0) throw Errors.validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        if (set > 1) {
            throw Errors.validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        }
        if (v.s() != null) return new AttrValue.S(v.s());
        if (v.n() != null) return new AttrValue.N(Numbers.parse(v.n()));
        if (v.b() != null) return new AttrValue.B(v.b());
        if (v.bool() != null) return v.bool() ? AttrValue.TRUE : AttrValue.FALSE;
        if (v.nullValue() != null) {
            if (!v.nullValue()) throw Errors.invalidParams("Null attribute value types must have the value of true");
            return AttrValue.NULL;
        }
        if (v.ss() != null) return stringSet(v.ss());
        if (v.ns() != null) return numberSet(v.ns());
        if (v.bs() != null) return binarySet(v.bs());
        if (v.m() != null) {
            Map<String, AttrValue> inner = new LinkedHashMap<>(Math.max(4, v.m().size() * 2));
            for (Map.Entry<String, AttributeValue> x : v.m().entrySet()) inner.put(x.getKey(), value(x.getValue(), depth + 1));
            return new AttrValue.M(inner);
        }
        List<AttrValue> inner = new ArrayList<>(v.l().size());
        for (AttributeValue x : v.l()) inner.add(value(x, depth + 1));
        return new AttrValue.L(inner);
    }

    /** A list of request values (PartiQL parameters, legacy AttributeValueList). */
    static List<AttrValue> values(List<AttributeValue> values) {
        List<AttrValue> out = new ArrayList<>(values.size());
        for (AttributeValue v : values) out.add(value(v, 1));
        return out;
    }

    /** An item of an answer. */
    static Map<String, AttributeValue> toApi(Map<String, AttrValue> item) {
        Map<String, AttributeValue> out = new LinkedHashMap<>(Math.max(4, item.size() * 2));
        for (Map.Entry<String, AttrValue> e : item.entrySet()) out.put(e.getKey(), toApi(e.getValue()));
        return out;
    }

    static List<Map<String, AttributeValue>> toApi(List<Map<String, AttrValue>> items) {
        List<Map<String, AttributeValue>> out = new ArrayList<>(items.size());
        for (Map<String, AttrValue> i : items) out.add(toApi(i));
        return out;
    }

    static AttributeValue toApi(AttrValue v) {
        AttributeValue.Builder b = AttributeValue.builder();
        switch (v) {
            case AttrValue.S x -> b.s(x.value());
            case AttrValue.N x -> b.n(x.text());
            case AttrValue.B x -> b.b(x.value());
            case AttrValue.SS x -> b.ss(x.values());
            case AttrValue.NS x -> {
                List<String> l = new ArrayList<>(x.values().size());
                for (BigDecimal n : x.values()) l.add(new AttrValue.N(n).text());
                b.ns(l);
            }
            case AttrValue.BS x -> b.bs(x.values());
            case AttrValue.M x -> b.m(toApi(x.values()));
            case AttrValue.L x -> {
                List<AttributeValue> l = new ArrayList<>(x.values().size());
                for (AttrValue e : x.values()) l.add(toApi(e));
                b.l(l);
            }
            case AttrValue.Bool x -> b.bool(x.value());
            case AttrValue.Null x -> b.nullValue(true);
        }
        return b.build();
    }

    /** An item (or key) of a stream record, in the streams API's own AttributeValue type. */
    static Map<String, dev.polystack.services.dynamodbstreams.api.AttributeValue> toStreamsApi(Map<String, AttrValue> item) {
        Map<String, dev.polystack.services.dynamodbstreams.api.AttributeValue> out = new LinkedHashMap<>(Math.max(4, item.size() * 2));
        for (Map.Entry<String, AttrValue> e : item.entrySet()) out.put(e.getKey(), toStreamsApi(e.getValue()));
        return out;
    }

    static dev.polystack.services.dynamodbstreams.api.AttributeValue toStreamsApi(AttrValue v) {
        var b = dev.polystack.services.dynamodbstreams.api.AttributeValue.builder();
        switch (v) {
            case AttrValue.S x -> b.s(x.value());
            case AttrValue.N x -> b.n(x.text());
            case AttrValue.B x -> b.b(x.value());
            case AttrValue.SS x -> b.ss(x.values());
            case AttrValue.NS x -> {
                List<String> l = new ArrayList<>(x.values().size());
                for (BigDecimal n : x.values()) l.add(new AttrValue.N(n).text());
                b.ns(l);
            }
            case AttrValue.BS x -> b.bs(x.values());
            case AttrValue.M x -> b.m(toStreamsApi(x.values()));
            case AttrValue.L x -> {
                List<dev.polystack.services.dynamodbstreams.api.AttributeValue> l = new ArrayList<>(x.values().size());
                for (AttrValue e : x.values()) l.add(toStreamsApi(e));
                b.l(l);
            }
            case AttrValue.Bool x -> b.bool(x.value());
            case AttrValue.Null x -> b.nullValue(true);
        }
        return b.build();
    }

    private static AttrValue stringSet(List<String> raw) {
        if (raw.isEmpty()) throw Errors.invalidParams("An string set  may not be empty");
        if (new HashSet<>(raw).size() != raw.size()) throw Errors.invalidParams("Input collection " + raw + " contains duplicates.");
        return new AttrValue.SS(List.copyOf(raw));
    }

    private static AttrValue numberSet(List<String> raw) {
        if (raw.isEmpty()) throw Errors.invalidParams("An number set  may not be empty");
        List<BigDecimal> l = new ArrayList<>(raw.size());
        for (String s : raw) {
            BigDecimal n = Numbers.parse(s);
            for (BigDecimal x : l) {
                if (x.compareTo(n) == 0) throw Errors.invalidParams("Input collection " + raw + " contains duplicates.");
            }
            l.add(n);
        }
        return new AttrValue.NS(List.copyOf(l));
    }

    private static AttrValue binarySet(List<byte[]> raw) {
        if (raw.isEmpty()) throw Errors.invalidParams("Binary sets should not be empty");
        for (int i = 0; i < raw.size(); i++) {
            for (int j = i + 1; j < raw.size(); j++) {
                if (Arrays.equals(raw.get(i), raw.get(j))) throw Errors.invalidParams("Input collection contains duplicates.");
            }
        }
        return new AttrValue.BS(List.copyOf(raw));
    }

    // ---- from and to plain JSON trees (the snapshot, Kinesis records) -----------------------------------------------------------------------------------------------------------------------

    /** An item from its JSON tree ({@code {"S": "x"}}, binaries already decoded). */
    static Map<String, AttrValue> fromWire(Map<String, Object> wire) {
        if (wire == null) return null;
        Map<String, AttrValue> out = new LinkedHashMap<>(Math.max(4, wire.size() * 2));
        for (Map.Entry<String, Object> e : wire.entrySet()) out.put(e.getKey(), wireValue(e.getValue(), 1));
        return out;
    }

    @SuppressWarnings("unchecked")
    static AttrValue wireValue(Object wire, int depth) {
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
            case "SS" -> stringSet((List<String>) v);
            case "NS" -> numberSet((List<String>) v);
            case "BS" -> binarySet((List<byte[]>) v);
            case "M" -> {
                Map<String, Object> raw = (Map<String, Object>) v;
                Map<String, AttrValue> inner = new LinkedHashMap<>(Math.max(4, raw.size() * 2));
                for (Map.Entry<String, Object> x : raw.entrySet()) inner.put(x.getKey(), wireValue(x.getValue(), depth + 1));
                yield new AttrValue.M(inner);
            }
            case "L" -> {
                List<Object> raw = (List<Object>) v;
                List<AttrValue> inner = new ArrayList<>(raw.size());
                for (Object x : raw) inner.add(wireValue(x, depth + 1));
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

    /** The item's size, checked against the 400 KB limit (AWS's text); returned so a write computes it once. */
    static int checkSize(Map<String, AttrValue> item) {
        int size = size(item);
        if (size > MAX_ITEM_BYTES) throw Errors.validation("Item size has exceeded the maximum allowed size");
        return size;
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
