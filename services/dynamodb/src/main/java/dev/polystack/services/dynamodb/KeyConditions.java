package dev.polystack.services.dynamodb;

import java.util.ArrayList;
import java.util.List;

/**
 * Reduces a KeyConditionExpression (or legacy KeyConditions) to the partition key value and one optional
 * sort-key condition, with DynamoDB's errors for what a key condition cannot express.
 */
final class KeyConditions {
    private KeyConditions() {
    }

    static DynamoEngine.KeyCondition analyze(Expr.Cond cond, Table.KeyAttr hash, Table.KeyAttr range) {
        List<Expr.Cond> parts = new ArrayList<>();
        flatten(cond, parts);
        if (parts.size() > 2) throw Errors.validation("Conditions can be of length 1 or 2 only");
        AttrValue hashValue = null;
        String op = null;
        AttrValue low = null, high = null;
        for (Expr.Cond c : parts) {
            String attr;
            switch (c) {
                case Expr.Compare cmp -> {
                    boolean pathLeft = cmp.left() instanceof Expr.PathOperand;
                    Expr.Operand path = pathLeft ? cmp.left() : cmp.right();
                    Expr.Operand value = pathLeft ? cmp.right() : cmp.left();
                    attr = name(path);
                    AttrValue v = value(value);
                    String o = pathLeft ? cmp.op() : flip(cmp.op());
                    if (o.equals("<>")) throw Errors.validation("Unsupported operator in KeyConditionExpression: <>");
                    if (attr.equals(hash.name())) {
                        if (!o.equals("=")) throw Errors.validation("Query key condition not supported");
                        if (hashValue != null) throw Errors.validation("Query key condition not supported");
                        checkType(v, hash);
                        hashValue = v;
                        continue;
                    }
                    requireRange(attr, range, hash);
                    checkType(v, range);
                    if (op != null) throw Errors.validation("Query key condition not supported");
                    op = o;
                    low = v;
                }
                case Expr.Between b -> {
                    attr = name(b.value());
                    requireRange(attr, range, hash);
                    if (op != null) throw Errors.validation("Query key condition not supported");
                    op = "BETWEEN";
                    low = value(b.low());
                    high = value(b.high());
                    checkType(low, range);
                    checkType(high, range);
                    if (Items.compare(low, high) > 0) {
                        throw Errors.validation("Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                                + "lower bound operand: AttributeValue: " + low.describe() + ", upper bound operand: AttributeValue: " + high.describe());
                    }
                }
                case Expr.BeginsWith bw -> {
                    attr = name(bw.value());
                    requireRange(attr, range, hash);
                    if (op != null) throw Errors.validation("Query key condition not supported");
                    op = "begins_with";
                    low = value(bw.prefix());
                    if (!(low instanceof AttrValue.S || low instanceof AttrValue.B) || !range.type().equals(low.type())) {
                        throw Errors.validation("Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: " + low.type());
                    }
                }
                case Expr.Or or -> throw Errors.validation("Invalid operator used in KeyConditionExpression: OR");
                case Expr.Not not -> throw Errors.validation("Invalid operator used in KeyConditionExpression: NOT");
                case Expr.In in -> throw Errors.validation("Invalid operator used in KeyConditionExpression: IN");
                case Expr.AttributeExists ae -> throw Errors.validation("Invalid operator used in KeyConditionExpression: "
                        + (ae.exists() ? "attribute_exists" : "attribute_not_exists"));
                case Expr.AttributeType at -> throw Errors.validation("Invalid operator used in KeyConditionExpression: attribute_type");
                case Expr.Contains ct -> throw Errors.validation("Invalid operator used in KeyConditionExpression: contains");
                case Expr.And and -> throw new IllegalStateException("flattened");
            }
        }
        if (hashValue == null) throw Errors.validation("Query condition missed key schema element: " + hash.name());
        return new DynamoEngine.KeyCondition(hashValue, op, low, high);
    }

    private static void flatten(Expr.Cond c, List<Expr.Cond> out) {
        if (c instanceof Expr.And and) {
            flatten(and.left(), out);
            flatten(and.right(), out);
        } else {
            out.add(c);
        }
    }

    private static void requireRange(String attr, Table.KeyAttr range, Table.KeyAttr hash) {
        if (range == null || !attr.equals(range.name())) {
            throw Errors.validation("Query condition missed key schema element: " + (range == null ? hash.name() : range.name()));
        }
    }

    private static String name(Expr.Operand o) {
        if (o instanceof Expr.PathOperand p && p.path().isTopLevel()) return p.path().head();
        throw Errors.validation("Query key condition not supported");
    }

    private static AttrValue value(Expr.Operand o) {
        if (o instanceof Expr.ValueOperand v) return v.value();
        throw Errors.validation("Query key condition not supported");
    }

    private static void checkType(AttrValue v, Table.KeyAttr k) {
        if (!v.type().equals(k.type())) throw Errors.invalidParams("Condition parameter type does not match schema type");
    }

    private static String flip(String op) {
        return switch (op) {
            case "<" -> ">";
            case "<=" -> ">=";
            case ">" -> "<";
            case ">=" -> "<=";
            default -> op;
        };
    }
}
