package dev.polystack.services.dynamodb;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed UpdateExpression (SET, REMOVE, ADD, DELETE) and its application to an item. As in DynamoDB, every
 * right-hand side reads the item as it was before the update; the actions then apply in clause order.
 */
final class Update {
    static final String BAD_TYPE = "An operand in the update expression has an incorrect data type";
    static final String BAD_PATH = "The document path provided in the update expression is invalid for update";

    /** Value expressions allowed on the right of SET. */
    sealed interface Value {
        AttrValue eval(Map<String, AttrValue> item);
    }

    record Operand(Expr.Operand operand) implements Value {
        public AttrValue eval(Map<String, AttrValue> item) {
            AttrValue v = operand.eval(item);
            if (v == null) throw Errors.validation("The provided expression refers to an attribute that does not exist in the item");
            return v;
        }
    }

    record IfNotExists(Expr.Path path, Value fallback) implements Value {
        public AttrValue eval(Map<String, AttrValue> item) {
            AttrValue v = path.resolve(item);
            return v != null ? v : fallback.eval(item);
        }
    }

    record ListAppend(Value first, Value second) implements Value {
        public AttrValue eval(Map<String, AttrValue> item) {
            AttrValue a = first.eval(item), b = second.eval(item);
            if (!(a instanceof AttrValue.L x) || !(b instanceof AttrValue.L y)) throw Errors.validation(BAD_TYPE);
            List<AttrValue> l = new ArrayList<>(x.values().size() + y.values().size());
            l.addAll(x.values());
            l.addAll(y.values());
            return new AttrValue.L(l);
        }
    }

    record Arithmetic(Value left, boolean plus, Value right) implements Value {
        public AttrValue eval(Map<String, AttrValue> item) {
            AttrValue a = left.eval(item), b = right.eval(item);
            if (!(a instanceof AttrValue.N x) || !(b instanceof AttrValue.N y)) throw Errors.validation(BAD_TYPE);
            return new AttrValue.N(Numbers.check(plus ? x.value().add(y.value()) : x.value().subtract(y.value())));
        }
    }

    record Set(Expr.Path path, Value value) {
    }

    record AddOrDelete(Expr.Path path, Expr.ValueOperand value) {
    }

    final List<Set> sets = new ArrayList<>();
    final List<Expr.Path> removes = new ArrayList<>();
    final List<AddOrDelete> adds = new ArrayList<>();
    final List<AddOrDelete> deletes = new ArrayList<>();

    /** Every path the update writes, in clause order (for the overlap and key checks). */
    List<Expr.Path> targets() {
        List<Expr.Path> all = new ArrayList<>();
        sets.forEach(s -> all.add(s.path()));
        all.addAll(removes);
        adds.forEach(a -> all.add(a.path()));
        deletes.forEach(d -> all.add(d.path()));
        return all;
    }

    /** The updated copy of {@code item} (which is left untouched). */
    Map<String, AttrValue> apply(Map<String, AttrValue> item) {
        List<AttrValue> setValues = new ArrayList<>(sets.size());
        for (Set s : sets) setValues.add(s.value().eval(item));
        Map<String, AttrValue> out = new LinkedHashMap<>(item);
        for (int i = 0; i < sets.size(); i++) write(out, sets.get(i).path(), setValues.get(i));
        removeAll(out);
        for (AddOrDelete a : adds) write(out, a.path(), add(a.path().resolve(out), a.value().value()));
        for (AddOrDelete d : deletes) {
            AttrValue current = d.path().resolve(out);
            if (current == null) continue;
            AttrValue rest = delete(current, d.value().value());
            if (rest == null) remove(out, d.path()); else write(out, d.path(), rest);
        }
        return out;
    }

    private static AttrValue add(AttrValue current, AttrValue delta) {
        if (delta instanceof AttrValue.N n) {
            if (current == null) return n;
            if (!(current instanceof AttrValue.N c)) throw Errors.validation(BAD_TYPE);
            return new AttrValue.N(Numbers.check(c.value().add(n.value())));
        }
        if (current == null) return delta;
        if (!current.type().equals(delta.type())) throw Errors.validation(BAD_TYPE);
        return switch (current) {
            case AttrValue.SS c -> {
                java.util.LinkedHashSet<String> s = new java.util.LinkedHashSet<>(c.values());
                s.addAll(((AttrValue.SS) delta).values());
                yield new AttrValue.SS(List.copyOf(s));
            }
            case AttrValue.NS c -> {
                List<BigDecimal> l = new ArrayList<>(c.values());
                for (BigDecimal v : ((AttrValue.NS) delta).values()) if (!c.containsNumber(v)) l.add(v);
                yield new AttrValue.NS(List.copyOf(l));
            }
            case AttrValue.BS c -> {
                List<byte[]> l = new ArrayList<>(c.values());
                for (byte[] v : ((AttrValue.BS) delta).values()) if (!c.containsBytes(v)) l.add(v);
                yield new AttrValue.BS(List.copyOf(l));
            }
            default -> throw Errors.validation(BAD_TYPE);
        };
    }

    /** The set minus the given elements, or null when nothing is left (the attribute goes away). */
    private static AttrValue delete(AttrValue current, AttrValue remove) {
        if (!current.type().equals(remove.type())) throw Errors.validation(BAD_TYPE);
        return switch (current) {
            case AttrValue.SS c -> {
                List<String> l = new ArrayList<>(c.values());
                l.removeAll(((AttrValue.SS) remove).values());
                yield l.isEmpty() ? null : new AttrValue.SS(List.copyOf(l));
            }
            case AttrValue.NS c -> {
                AttrValue.NS r = (AttrValue.NS) remove;
                List<BigDecimal> l = new ArrayList<>();
                for (BigDecimal v : c.values()) if (!r.containsNumber(v)) l.add(v);
                yield l.isEmpty() ? null : new AttrValue.NS(List.copyOf(l));
            }
            case AttrValue.BS c -> {
                AttrValue.BS r = (AttrValue.BS) remove;
                List<byte[]> l = new ArrayList<>();
                for (byte[] v : c.values()) if (!r.containsBytes(v)) l.add(v);
                yield l.isEmpty() ? null : new AttrValue.BS(List.copyOf(l));
            }
            default -> throw Errors.validation(BAD_TYPE);
        };
    }

    /** REMOVE: list elements by descending index per list, so earlier indexes still mean the original elements. */
    private void removeAll(Map<String, AttrValue> out) {
        List<Expr.Path> ordered = new ArrayList<>(removes);
        ordered.sort((a, b) -> {
            Object x = a.elements().get(a.elements().size() - 1), y = b.elements().get(b.elements().size() - 1);
            if (x instanceof Integer i && y instanceof Integer j) return Integer.compare(j, i);
            return 0;
        });
        for (Expr.Path p : ordered) remove(out, p);
    }

    static void write(Map<String, AttrValue> item, Expr.Path path, AttrValue value) {
        List<Object> e = path.elements();
        if (e.size() == 1) {
            item.put(path.head(), value);
            return;
        }
        AttrValue root = item.get(path.head());
        if (root == null) throw Errors.validation(BAD_PATH);
        item.put(path.head(), writeIn(root, e, 1, value));
    }

    private static AttrValue writeIn(AttrValue container, List<Object> e, int i, AttrValue value) {
        Object step = e.get(i);
        boolean last = i == e.size() - 1;
        if (step instanceof String name) {
            if (!(container instanceof AttrValue.M m)) throw Errors.validation(BAD_PATH);
            Map<String, AttrValue> copy = new LinkedHashMap<>(m.values());
            if (last) {
                copy.put(name, value);
            } else {
                AttrValue child = copy.get(name);
                if (child == null) throw Errors.validation(BAD_PATH);
                copy.put(name, writeIn(child, e, i + 1, value));
            }
            return new AttrValue.M(copy);
        }
        int idx = (Integer) step;
        if (!(container instanceof AttrValue.L l)) throw Errors.validation(BAD_PATH);
        List<AttrValue> copy = new ArrayList<>(l.values());
        if (last) {
            if (idx >= copy.size()) copy.add(value); else copy.set(idx, value);
        } else {
            if (idx >= copy.size()) throw Errors.validation(BAD_PATH);
            copy.set(idx, writeIn(copy.get(idx), e, i + 1, value));
        }
        return new AttrValue.L(copy);
    }

    static void remove(Map<String, AttrValue> item, Expr.Path path) {
        List<Object> e = path.elements();
        if (e.size() == 1) {
            item.remove(path.head());
            return;
        }
        AttrValue root = item.get(path.head());
        if (root == null) return;
        AttrValue changed = removeIn(root, e, 1);
        if (changed != null) item.put(path.head(), changed);
    }

    /** The container without the element, or null when there was nothing to remove. */
    private static AttrValue removeIn(AttrValue container, List<Object> e, int i) {
        Object step = e.get(i);
        boolean last = i == e.size() - 1;
        if (step instanceof String name) {
            if (!(container instanceof AttrValue.M m) || !m.values().containsKey(name)) {
                if (container instanceof AttrValue.M) return null;
                throw Errors.validation(BAD_PATH);
            }
            Map<String, AttrValue> copy = new LinkedHashMap<>(m.values());
            if (last) {
                copy.remove(name);
            } else {
                AttrValue child = removeIn(copy.get(name), e, i + 1);
                if (child == null) return null;
                copy.put(name, child);
            }
            return new AttrValue.M(copy);
        }
        int idx = (Integer) step;
        if (!(container instanceof AttrValue.L l)) throw Errors.validation(BAD_PATH);
        if (idx >= l.values().size()) return null;
        List<AttrValue> copy = new ArrayList<>(l.values());
        if (last) {
            copy.remove(idx);
        } else {
            AttrValue child = removeIn(copy.get(idx), e, i + 1);
            if (child == null) return null;
            copy.set(idx, child);
        }
        return new AttrValue.L(copy);
    }

    /** Top-level names whose values differ between two versions of an item (ReturnValues UPDATED_*). */
    static java.util.Set<String> changedNames(Map<String, AttrValue> before, Map<String, AttrValue> after) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (Map.Entry<String, AttrValue> e : after.entrySet()) if (!e.getValue().equals(before.get(e.getKey()))) names.add(e.getKey());
        for (String n : before.keySet()) if (!after.containsKey(n)) names.add(n);
        return names;
    }

    /** The update's target top-level names (for UPDATED_OLD/UPDATED_NEW). */
    java.util.Set<String> targetNames() {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (Expr.Path p : targets()) names.add(p.head());
        return names;
    }
}
