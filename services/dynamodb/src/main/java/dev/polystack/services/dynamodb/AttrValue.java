package dev.polystack.services.dynamodb;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One DynamoDB attribute value, typed: the engine never sees the protocol's {@code {"S": "..."}} maps.
 * Values are immutable; numbers are {@link BigDecimal}s normalised as DynamoDB stores them (38 significant
 * digits, no trailing zeros), never doubles.
 */
public sealed interface AttrValue {

    /** DynamoDB's type descriptor: S, N, B, SS, NS, BS, M, L, NULL, BOOL. */
    String type();

    /** Size in bytes as DynamoDB counts it for the 400 KB item limit and stream records. */
    int size();

    record S(String value) implements AttrValue {
        public String type() { return "S"; }
        public int size() { return utf8Length(value); }
    }

    /** A number, normalised once here (no trailing zeros; zero is {@code 0}) so size, text and hash need no stripping. */
    record N(BigDecimal value) implements AttrValue {
        public N {
            value = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        }
        public String type() { return "N"; }
        public int size() { return value.signum() == 0 ? 1 : (value.precision() + 1) / 2 + 1; }
        /** The canonical text DynamoDB answers with: {@code 1.50} → {@code 1.5}, {@code 1E+2} → {@code 100}. */
        public String text() { return value.toPlainString(); }
        @Override public boolean equals(Object o) { return o instanceof N n && n.value.compareTo(value) == 0; }
        @Override public int hashCode() { return value.hashCode(); }
    }

    record B(byte[] value) implements AttrValue {
        public String type() { return "B"; }
        public int size() { return value.length; }
        @Override public boolean equals(Object o) { return o instanceof B b && Arrays.equals(b.value, value); }
        @Override public int hashCode() { return Arrays.hashCode(value); }
    }

    /** String set, in the order given (no duplicates). */
    record SS(List<String> values) implements AttrValue {
        public String type() { return "SS"; }
        public int size() { int s = 0; for (String v : values) s += utf8Length(v); return s; }
        @Override public boolean equals(Object o) { return o instanceof SS x && new java.util.HashSet<>(x.values).equals(new java.util.HashSet<>(values)); }
        @Override public int hashCode() { return new java.util.HashSet<>(values).hashCode(); }
    }

    record NS(List<BigDecimal> values) implements AttrValue {
        public String type() { return "NS"; }
        public int size() { int s = 0; for (BigDecimal v : values) s += numberSize(v); return s; }
        @Override public boolean equals(Object o) {
            if (!(o instanceof NS x) || x.values.size() != values.size()) return false;
            for (BigDecimal v : values) if (!x.containsNumber(v)) return false;
            return true;
        }
        @Override public int hashCode() { int h = 0; for (BigDecimal v : values) h += v.stripTrailingZeros().hashCode(); return h; }
        boolean containsNumber(BigDecimal n) {
            for (BigDecimal v : values) if (v.compareTo(n) == 0) return true;
            return false;
        }
    }

    record BS(List<byte[]> values) implements AttrValue {
        public String type() { return "BS"; }
        public int size() { int s = 0; for (byte[] v : values) s += v.length; return s; }
        @Override public boolean equals(Object o) {
            if (!(o instanceof BS x) || x.values.size() != values.size()) return false;
            for (byte[] v : values) if (!x.containsBytes(v)) return false;
            return true;
        }
        @Override public int hashCode() { int h = 0; for (byte[] v : values) h += Arrays.hashCode(v); return h; }
        boolean containsBytes(byte[] b) {
            for (byte[] v : values) if (Arrays.equals(v, b)) return true;
            return false;
        }
    }

    record M(Map<String, AttrValue> values) implements AttrValue {
        public String type() { return "M"; }
        public int size() { return 3 + Items.size(values); }
    }

    record L(List<AttrValue> values) implements AttrValue {
        public String type() { return "L"; }
        public int size() { int s = 3; for (AttrValue v : values) s += 1 + v.size(); return s; }
    }

    record Bool(boolean value) implements AttrValue {
        public String type() { return "BOOL"; }
        public int size() { return 1; }
    }

    record Null() implements AttrValue {
        public String type() { return "NULL"; }
        public int size() { return 1; }
    }

    Null NULL = new Null();
    Bool TRUE = new Bool(true);
    Bool FALSE = new Bool(false);

    static S s(String v) { return new S(v); }

    static N n(String v) { return new N(Numbers.parse(v)); }

    static N n(BigDecimal v) { return new N(v); }

    // ---- size ------------------------------------------------------------------------------------

    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) { n += 4; i++; }
            else n += 3;
        }
        return n;
    }

    /** AWS: one byte per two significant digits, plus one. */
    static int numberSize(BigDecimal v) {
        if (v.signum() == 0) return 1;
        int digits = v.stripTrailingZeros().precision();
        return (digits + 1) / 2 + 1;
    }

    // ---- wire form (the protocol's parameter tree) --------------------------------------------------

    /** The protocol tree of this value: {@code {"S": "x"}}, {@code {"N": "1"}}, {@code {"B": byte[]}} ... */
    default Map<String, Object> toWire() {
        Map<String, Object> m = new LinkedHashMap<>(2);
        switch (this) {
            case S x -> m.put("S", x.value);
            case N x -> m.put("N", x.text());
            case B x -> m.put("B", x.value);
            case SS x -> m.put("SS", new ArrayList<Object>(x.values));
            case NS x -> {
                List<Object> l = new ArrayList<>(x.values.size());
                for (BigDecimal v : x.values) l.add(new N(v).text());
                m.put("NS", l);
            }
            case BS x -> m.put("BS", new ArrayList<Object>(x.values));
            case M x -> m.put("M", Items.toWire(x.values));
            case L x -> {
                List<Object> l = new ArrayList<>(x.values.size());
                for (AttrValue v : x.values) l.add(v.toWire());
                m.put("L", l);
            }
            case Bool x -> m.put("BOOL", x.value);
            case Null x -> m.put("NULL", Boolean.TRUE);
        }
        return m;
    }

    /** The short form AWS puts in messages: {@code {N:5}}, {@code {S:abc}}. */
    default String describe() {
        return switch (this) {
            case S x -> "{S:" + x.value + "}";
            case N x -> "{N:" + x.text() + "}";
            case B x -> "{B:" + java.util.Base64.getEncoder().encodeToString(x.value) + "}";
            case Bool x -> "{BOOL:" + x.value + "}";
            case Null x -> "{NULL:true}";
            default -> "{" + type() + ":" + this + "}";
        };
    }

    static List<AttrValue> unmodifiable(List<AttrValue> l) {
        return Collections.unmodifiableList(l);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
