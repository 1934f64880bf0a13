package dev.polystack.protocol.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.polystack.api.StreamingBody;
import dev.polystack.protocol.Timestamps;
import dev.polystack.protocol.model.Member;
import dev.polystack.protocol.model.Shape;
import software.amazon.smithy.model.node.ArrayNode;
import software.amazon.smithy.model.node.Node;
import software.amazon.smithy.model.node.NumberNode;
import software.amazon.smithy.model.node.ObjectNode;
import software.amazon.smithy.model.node.StringNode;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** Test params (Smithy nodes) as parameter trees, and tree/JSON comparison with a readable first difference. */
final class Values {
    private Values() {
    }

    /** A Smithy params node as the tree a parser should produce for {@code shape}. */
    static Object tree(Shape shape, Node n) {
        if (n == null || n.isNullNode()) return null;
        switch (shape.type()) {
            case STRUCTURE -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (Map.Entry<StringNode, Node> e : n.expectObjectNode().getMembers().entrySet()) {
                    Member member = shape.member(e.getKey().getValue());
                    if (member == null) {
                        m.put(e.getKey().getValue(), plain(e.getValue()));
                        continue;
                    }
                    m.put(member.name(), tree(member.shape(), e.getValue()));
                }
                return m;
            }
            case LIST -> {
                List<Object> l = new ArrayList<>();
                for (Node x : n.expectArrayNode()) l.add(tree(shape.listMember().shape(), x));
                return l;
            }
            case MAP -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (Map.Entry<StringNode, Node> e : n.expectObjectNode().getMembers().entrySet()) {
                    m.put(e.getKey().getValue(), tree(shape.mapValue().shape(), e.getValue()));
                }
                return m;
            }
            case STRING -> { return n.expectStringNode().getValue(); }
            case BOOLEAN -> { return n.expectBooleanNode().getValue(); }
            case BYTE, SHORT, INTEGER -> { return n.expectNumberNode().getValue().intValue(); }
            case LONG -> { return n.expectNumberNode().getValue().longValue(); }
            case BIG_INTEGER -> { return new BigInteger(n.expectNumberNode().getValue().toString()); }
            case BIG_DECIMAL -> { return new BigDecimal(n.expectNumberNode().getValue().toString()); }
            case FLOAT, DOUBLE -> {
                if (n.isStringNode()) {
                    return switch (n.expectStringNode().getValue()) {
                        case "NaN" -> Double.NaN;
                        case "Infinity" -> Double.POSITIVE_INFINITY;
                        default -> Double.NEGATIVE_INFINITY;
                    };
                }
                return n.expectNumberNode().getValue().doubleValue();
            }
            case BLOB -> { return n.expectStringNode().getValue().getBytes(StandardCharsets.UTF_8); }
            case TIMESTAMP -> {
                if (n.isNumberNode()) return Timestamps.fromEpochSeconds(new BigDecimal(n.expectNumberNode().getValue().toString()));
                return Timestamps.toInstant(n.expectStringNode().getValue());
            }
            default -> { return plain(n); }
        }
    }

    static Object plain(Node n) {
        if (n == null || n.isNullNode()) return null;
        if (n instanceof StringNode s) return s.getValue();
        if (n.isBooleanNode()) return n.expectBooleanNode().getValue();
        if (n instanceof NumberNode num) {
            Number v = num.getValue();
            if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) return v.doubleValue();
            long l = v.longValue();
            if (l == (int) l) return (int) l;
            return l;
        }
        if (n instanceof ArrayNode a) {
            List<Object> l = new ArrayList<>();
            for (Node x : a) l.add(plain(x));
            return l;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<StringNode, Node> e : ((ObjectNode) n).getMembers().entrySet()) m.put(e.getKey().getValue(), plain(e.getValue()));
        return m;
    }

    /** The first difference between an expected and an actual tree, or null when equal. */
    static String diff(Object expected, Object actual, String path) {
        if (actual instanceof StreamingBody sb) actual = readAll(sb.stream());
        if (actual instanceof ByteBuffer bb) {
            byte[] b = new byte[bb.remaining()];
            bb.duplicate().get(b);
            actual = b;
        }
        if (expected == null || actual == null) {
            return expected == actual ? null : path + ": expected " + show(expected) + " but was " + show(actual);
        }
        if (expected instanceof Number e && actual instanceof Number a) {
            return numbersEqual(e, a) ? null : path + ": expected " + e + " but was " + a;
        }
        if (expected instanceof byte[] e && actual instanceof byte[] a) {
            return Arrays.equals(e, a) ? null : path + ": expected bytes " + show(e) + " but was " + show(a);
        }
        if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            TreeSet<String> keys = new TreeSet<>();
            e.keySet().forEach(k -> keys.add(String.valueOf(k)));
            a.keySet().forEach(k -> keys.add(String.valueOf(k)));
            for (String k : keys) {
                if (!e.containsKey(k)) return path + "/" + k + ": unexpected member " + show(a.get(k));
                // An empty list or map is not on the wire at all: to a server it is indistinguishable from absent.
                if (!a.containsKey(k) && isEmptyCollection(e.get(k))) continue;
                if (!a.containsKey(k)) return path + "/" + k + ": missing (expected " + show(e.get(k)) + ")";
                String d = diff(e.get(k), a.get(k), path + "/" + k);
                if (d != null) return d;
            }
            return null;
        }
        if (expected instanceof Collection<?> e && actual instanceof Collection<?> a) {
            if (e.size() != a.size()) return path + ": expected " + e.size() + " items " + show(e) + " but was " + a.size() + " " + show(a);
            Iterator<?> ie = e.iterator();
            Iterator<?> ia = a.iterator();
            for (int i = 0; ie.hasNext(); i++) {
                String d = diff(ie.next(), ia.next(), path + "/" + i);
                if (d != null) return d;
            }
            return null;
        }
        if (expected instanceof Instant e && actual instanceof Instant a) {
            return e.equals(a) ? null : path + ": expected " + e + " but was " + a;
        }
        return Objects.equals(expected, actual) ? null
                : path + ": expected " + show(expected) + " (" + expected.getClass().getSimpleName() + ") but was " + show(actual) + " (" + actual.getClass().getSimpleName() + ")";
    }

    static boolean numbersEqual(Number e, Number a) {
        double de = e.doubleValue();
        double da = a.doubleValue();
        if (Double.isNaN(de) || Double.isNaN(da)) return Double.isNaN(de) && Double.isNaN(da);
        if (de == da) return true;
        if (e instanceof Float || a instanceof Float) return (float) de == (float) da;
        try {
            return new BigDecimal(e.toString()).compareTo(new BigDecimal(a.toString())) == 0;
        } catch (NumberFormatException x) {
            return Math.abs(de - da) <= Math.ulp(de) * 4 || (float) de == (float) da;
        }
    }

    /** JSON trees equal, numbers compared by value. */
    static String jsonDiff(JsonNode e, JsonNode a, String path) {
        if (e == null || a == null) return e == a ? null : path + ": expected " + e + " but was " + a;
        if (e.isNumber() && a.isNumber()) return numbersEqual(e.numberValue(), a.numberValue()) ? null : path + ": expected " + e + " but was " + a;
        if (e.isObject() && a.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            e.fieldNames().forEachRemaining(keys::add);
            a.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                String d = jsonDiff(e.get(k), a.get(k), path + "/" + k);
                if (d != null) return d;
            }
            return null;
        }
        if (e.isArray() && a.isArray()) {
            if (e.size() != a.size()) return path + ": expected " + e + " but was " + a;
            for (int i = 0; i < e.size(); i++) {
                String d = jsonDiff(e.get(i), a.get(i), path + "/" + i);
                if (d != null) return d;
            }
            return null;
        }
        if (e.isBinary() || a.isBinary()) {
            try {
                return Arrays.equals(e.binaryValue(), a.binaryValue()) ? null : path + ": expected " + e + " but was " + a;
            } catch (IOException x) {
                return path + ": " + x;
            }
        }
        return e.equals(a) ? null : path + ": expected " + e + " but was " + a;
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String show(Object o) {
        if (o instanceof byte[] b) {
            String s = new String(b, StandardCharsets.UTF_8);
            return "\"" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "\"";
        }
        String s = String.valueOf(o);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static boolean isEmptyCollection(Object v) {
        return v instanceof java.util.Collection<?> c && c.isEmpty() || v instanceof Map<?, ?> m && m.isEmpty();
    }
}
