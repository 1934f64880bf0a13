package dev.polystack.services.dynamodb;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The expression language's syntax tree (conditions, operands, document paths) and its evaluation against
 * an item. Built by {@link ExpressionParser}; placeholders are already resolved to names and values.
 */
final class Expr {
    private Expr() {
    }

    // ---- document paths -----------------------------------------------------------------------------------

    /** A document path: names ({@code String}) and list indexes ({@code Integer}). */
    record Path(List<Object> elements) {
        String head() { return (String) elements.get(0); }

        boolean isTopLevel() { return elements.size() == 1; }

        /** The value at this path in {@code item}, or null when any step is missing. */
        AttrValue resolve(Map<String, AttrValue> item) {
            AttrValue v = item.get(head());
            for (int i = 1; i < elements.size() && v != null; i++) {
                Object e = elements.get(i);
                if (e instanceof String name) {
                    v = v instanceof AttrValue.M m ? m.values().get(name) : null;
                } else {
                    int idx = (Integer) e;
                    v = v instanceof AttrValue.L l && idx < l.values().size() ? l.values().get(idx) : null;
                }
            }
            return v;
        }

        /** AWS's rendering in overlap messages: {@code [a, b, [0]]}. */
        String display() {
            List<String> parts = new ArrayList<>();
            for (Object e : elements) parts.add(e instanceof Integer i ? "[" + i + "]" : (String) e);
            return parts.toString();
        }

        /** Whether one path is a prefix of (or equal to) the other. */
        boolean overlaps(Path other) {
            int n = Math.min(elements.size(), other.elements.size());
            for (int i = 0; i < n; i++) if (!elements.get(i).equals(other.elements.get(i))) return false;
            return true;
        }
    }

    // ---- operands -------------------------------------------------------------------------------------------

    sealed interface Operand {
        /** The operand's value for {@code item}; null when it refers to a missing attribute. */
        AttrValue eval(Map<String, AttrValue> item);
    }

    record PathOperand(Path path) implements Operand {
        public AttrValue eval(Map<String, AttrValue> item) { return path.resolve(item); }
    }

    record ValueOperand(AttrValue value, String placeholder) implements Operand {
        public AttrValue eval(Map<String, AttrValue> item) { return value; }
    }

    /** {@code size(path)}: a number, or null (condition false) for a missing attribute or a type without size. */
    record SizeOperand(Path path) implements Operand {
        public AttrValue eval(Map<String, AttrValue> item) {
            AttrValue v = path.resolve(item);
            if (v == null) return null;
            int n = switch (v) {
                case AttrValue.S s -> s.value().codePointCount(0, s.value().length());
                case AttrValue.B b -> b.value().length;
                case AttrValue.SS s -> s.values().size();
                case AttrValue.NS s -> s.values().size();
                case AttrValue.BS s -> s.values().size();
                case AttrValue.L l -> l.values().size();
                case AttrValue.M m -> m.values().size();
                default -> -1;
            };
            return n < 0 ? null : new AttrValue.N(BigDecimal.valueOf(n));
        }
    }

    // ---- conditions -----------------------------------------------------------------------------------------

    sealed interface Cond {
        boolean test(Map<String, AttrValue> item);
    }

    record Compare(String op, Operand left, Operand right) implements Cond {
        public boolean test(Map<String, AttrValue> item) {
            AttrValue a = left.eval(item), b = right.eval(item);
            return switch (op) {
                case "=" -> a != null && a.equals(b);
                case "<>" -> a == null || b == null || !a.equals(b);
                default -> {
                    if (!comparable(a, b)) yield false;
                    int c = Items.compare(a, b);
                    yield switch (op) {
                        case "<" -> c < 0;
                        case "<=" -> c <= 0;
                        case ">" -> c > 0;
                        default -> c >= 0;
                    };
                }
            };
        }
    }

    record Between(Operand value, Operand low, Operand high) implements Cond {
        public boolean test(Map<String, AttrValue> item) {
            AttrValue v = value.eval(item), lo = low.eval(item), hi = high.eval(item);
            return comparable(v, lo) && comparable(v, hi) && Items.compare(v, lo) >= 0 && Items.compare(v, hi) <= 0;
        }
    }

    record In(Operand value, List<Operand> candidates) implements Cond {
        public boolean test(Map<String, AttrValue> item) {
            AttrValue v = value.eval(item);
            if (v == null) return false;
            for (Operand c : candidates) if (v.equals(c.eval(item))) return true;
            return false;
        }
    }

    record And(Cond left, Cond right) implements Cond {
        public boolean test(Map<String, AttrValue> item) { return left.test(item) && right.test(item); }
    }

    record Or(Cond left, Cond right) implements Cond {
        public boolean test(Map<String, AttrValue> item) { return left.test(item) || right.test(item); }
    }

    record Not(Cond inner) implements Cond {
        public boolean test(Map<String, AttrValue> item) { return !inner.test(item); }
    }

    record AttributeExists(Path path, boolean exists) implements Cond {
        public boolean test(Map<String, AttrValue> item) { return (path.resolve(item) != null) == exists; }
    }

    record AttributeType(Path path, Operand type) implements Cond {
        public boolean test(Map<String, AttrValue> item) {
            AttrValue v = path.resolve(item), t = type.eval(item);
            return v != null && t instanceof AttrValue.S s && v.type().equals(s.value());
        }
    }

    record BeginsWith(Operand value, Operand prefix) implements Cond {
        public boolean test(Map<String, AttrValue> item) {
            AttrValue v = value.eval(item), p = prefix.eval(item);
            if (v instanceof AttrValue.S s && p instanceof AttrValue.S x) return s.value().startsWith(x.value());
            if (v instanceof AttrValue.B b && p instanceof AttrValue.B x) {
                return b.value().length >= x.value().length
                        && Arrays.equals(b.value(), 0, x.value().length, x.value(), 0, x.value().length);
            }
            return false;
        }
    }

    record Contains(Operand value, Operand element) implements Cond {
        public boolean test(Map<String, AttrValue> item) {
            AttrValue v = value.eval(item), e = element.eval(item);
            if (v == null || e == null) return false;
            return switch (v) {
                case AttrValue.S s -> e instanceof AttrValue.S x && s.value().contains(x.value());
                case AttrValue.B b -> e instanceof AttrValue.B x && indexOf(b.value(), x.value()) >= 0;
                case AttrValue.SS s -> e instanceof AttrValue.S x && s.values().contains(x.value());
                case AttrValue.NS s -> e instanceof AttrValue.N x && s.containsNumber(x.value());
                case AttrValue.BS s -> e instanceof AttrValue.B x && s.containsBytes(x.value());
                case AttrValue.L l -> l.values().contains(e);
                default -> false;
            };
        }
    }

    static boolean comparable(AttrValue a, AttrValue b) {
        if (a == null || b == null || !a.type().equals(b.type())) return false;
        return a instanceof AttrValue.S || a instanceof AttrValue.N || a instanceof AttrValue.B;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
