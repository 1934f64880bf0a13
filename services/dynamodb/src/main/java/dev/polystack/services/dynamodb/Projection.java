package dev.polystack.services.dynamodb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ProjectionExpression: the parts of an item its document paths select, nested as in the item. Elements of a
 * list selected by index come back as a shorter list in index order, as DynamoDB returns them.
 */
final class Projection {
    private Projection() {
    }

    /** A selection tree: which names/indexes to descend into, or the whole value. */
    private static final class Node {
        boolean whole;
        final Map<String, Node> names = new LinkedHashMap<>();
        final TreeMap<Integer, Node> indexes = new TreeMap<>();
    }

    static Map<String, AttrValue> apply(Map<String, AttrValue> item, List<Expr.Path> paths) {
        if (paths == null) return item;
        Node root = new Node();
        for (Expr.Path p : paths) {
            Node n = root;
            for (Object e : p.elements()) {
                n = e instanceof String s ? n.names.computeIfAbsent(s, k -> new Node()) : n.indexes.computeIfAbsent((Integer) e, k -> new Node());
            }
            n.whole = true;
        }
        Map<String, AttrValue> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : root.names.entrySet()) {
            AttrValue v = item.get(e.getKey());
            if (v == null) continue;
            AttrValue projected = select(v, e.getValue());
            if (projected != null) out.put(e.getKey(), projected);
        }
        return out;
    }

    private static AttrValue select(AttrValue v, Node n) {
        if (n.whole) return v;
        if (v instanceof AttrValue.M m && !n.names.isEmpty()) {
            Map<String, AttrValue> out = new LinkedHashMap<>();
            for (Map.Entry<String, Node> e : n.names.entrySet()) {
                AttrValue child = m.values().get(e.getKey());
                AttrValue projected = child == null ? null : select(child, e.getValue());
                if (projected != null) out.put(e.getKey(), projected);
            }
            return out.isEmpty() ? null : new AttrValue.M(out);
        }
        if (v instanceof AttrValue.L l && !n.indexes.isEmpty()) {
            List<AttrValue> out = new ArrayList<>();
            for (Map.Entry<Integer, Node> e : n.indexes.entrySet()) {
                if (e.getKey() >= l.values().size()) continue;
                AttrValue projected = select(l.values().get(e.getKey()), e.getValue());
                if (projected != null) out.add(projected);
            }
            return out.isEmpty() ? null : new AttrValue.L(out);
        }
        return null;
    }
}
