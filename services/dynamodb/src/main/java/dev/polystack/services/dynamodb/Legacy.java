package dev.polystack.services.dynamodb;

import dev.polystack.services.dynamodb.api.AttributeValue;
import dev.polystack.services.dynamodb.api.AttributeValueUpdate;
import dev.polystack.services.dynamodb.api.Condition;
import dev.polystack.services.dynamodb.api.ExpectedAttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The legacy (pre-expression) parameters translated into the expression tree: Expected, QueryFilter and
 * ScanFilter into conditions, KeyConditions into a key condition, AttributeUpdates into an update,
 * AttributesToGet into a projection.
 */
final class Legacy {
    private Legacy() {
    }

    /** Expected with ConditionalOperator (AND by default); null when absent. */
    static Expr.Cond expected(Map<String, ExpectedAttributeValue> expected, String conditionalOperator) {
        if (expected == null || expected.isEmpty()) return null;
        boolean or = "OR".equals(conditionalOperator);
        Expr.Cond all = null;
        for (Map.Entry<String, ExpectedAttributeValue> e : expected.entrySet()) {
            ExpectedAttributeValue c = e.getValue();
            Expr.Cond one = condition(e.getKey(), c.comparisonOperatorAsString(), c.attributeValueList(), true, c.exists(), c.value());
            all = all == null ? one : or ? new Expr.Or(all, one) : new Expr.And(all, one);
        }
        return all;
    }

    /** QueryFilter / ScanFilter / KeyConditions with ConditionalOperator (AND by default); null when absent. */
    static Expr.Cond conditions(Map<String, Condition> conditions, String conditionalOperator) {
        if (conditions == null || conditions.isEmpty()) return null;
        boolean or = "OR".equals(conditionalOperator);
        Expr.Cond all = null;
        for (Map.Entry<String, Condition> e : conditions.entrySet()) {
            Condition c = e.getValue();
            Expr.Cond one = condition(e.getKey(), c.comparisonOperatorAsString(), c.attributeValueList(), false, null, null);
            all = all == null ? one : or ? new Expr.Or(all, one) : new Expr.And(all, one);
        }
        return all;
    }

    private static Expr.Cond condition(String name, String op, List<AttributeValue> valueList, boolean expected,
                                       Boolean exists, AttributeValue value) {
        Expr.Path path = new Expr.Path(List.of(name));
        Expr.PathOperand attr = new Expr.PathOperand(path);
        List<Expr.Operand> args = new ArrayList<>();
        if (valueList != null) for (AttributeValue v : valueList) args.add(new Expr.ValueOperand(Items.value(v, 1), null));
        if (op == null && expected) {
            if (Boolean.FALSE.equals(exists)) {
                if (value != null) throw Errors.invalidParams("Value cannot be used when Exists is false");
                return new Expr.AttributeExists(path, false);
            }
            if (value == null) throw Errors.invalidParams("Value must be provided when Exists is true");
            return new Expr.Compare("=", attr, new Expr.ValueOperand(Items.value(value, 1), null));
        }
        if (op == null) throw Errors.invalidParams("ComparisonOperator is required");
        return switch (op) {
            case "EQ" -> new Expr.Compare("=", attr, arg(args, 0, op));
            case "NE" -> new Expr.Compare("<>", attr, arg(args, 0, op));
            case "LT" -> new Expr.Compare("<", attr, arg(args, 0, op));
            case "LE" -> new Expr.Compare("<=", attr, arg(args, 0, op));
            case "GT" -> new Expr.Compare(">", attr, arg(args, 0, op));
            case "GE" -> new Expr.Compare(">=", attr, arg(args, 0, op));
            case "NOT_NULL" -> new Expr.AttributeExists(path, true);
            case "NULL" -> new Expr.AttributeExists(path, false);
            case "CONTAINS" -> new Expr.Contains(attr, arg(args, 0, op));
            case "NOT_CONTAINS" -> new Expr.And(new Expr.AttributeExists(path, true), new Expr.Not(new Expr.Contains(attr, arg(args, 0, op))));
            case "BEGINS_WITH" -> new Expr.BeginsWith(attr, arg(args, 0, op));
            case "IN" -> {
                if (args.isEmpty()) throw Errors.invalidParams("Invalid number of argument(s) for the IN ComparisonOperator");
                yield new Expr.In(attr, args);
            }
            case "BETWEEN" -> {
                if (args.size() != 2) throw Errors.invalidParams("Invalid number of argument(s) for the BETWEEN ComparisonOperator");
                yield new Expr.Between(attr, args.get(0), args.get(1));
            }
            default -> throw Errors.validation("1 validation error detected: Value '" + op
                    + "' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]");
        };
    }

    private static Expr.Operand arg(List<Expr.Operand> args, int i, String op) {
        if (args.size() != 1) throw Errors.invalidParams("Invalid number of argument(s) for the " + op + " ComparisonOperator");
        return args.get(i);
    }

    /** AttributeUpdates (PUT, ADD, DELETE per attribute) as an update. */
    static Update attributeUpdates(Map<String, AttributeValueUpdate> updates) {
        Update u = new Update();
        for (Map.Entry<String, AttributeValueUpdate> e : updates.entrySet()) {
            AttributeValueUpdate a = e.getValue();
            Expr.Path path = new Expr.Path(List.of(e.getKey()));
            String action = a.actionAsString() == null ? "PUT" : a.actionAsString();
            AttrValue value = a.value() == null ? null : Items.value(a.value(), 1);
            switch (action) {
                case "PUT" -> {
                    if (value == null) throw Errors.invalidParams("Only DELETE action is allowed when no attribute value is specified");
                    u.sets.add(new Update.Set(path, new Update.Operand(new Expr.ValueOperand(value, null))));
                }
                case "DELETE" -> {
                    if (value == null) u.removes.add(path);
                    else u.deletes.add(new Update.AddOrDelete(path, new Expr.ValueOperand(value, null)));
                }
                case "ADD" -> {
                    if (value == null) throw Errors.invalidParams("Only DELETE action is allowed when no attribute value is specified");
                    u.adds.add(new Update.AddOrDelete(path, new Expr.ValueOperand(value, null)));
                }
                default -> throw Errors.validation("1 validation error detected: Value '" + action
                        + "' at 'attributeUpdates' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]");
            }
        }
        return u;
    }

    static List<Expr.Path> attributesToGet(List<String> names) {
        if (names == null) return null;
        List<Expr.Path> paths = new ArrayList<>();
        for (String n : names) paths.add(new Expr.Path(List.of(n)));
        return paths;
    }
}
