package dev.polystack.services.dynamodb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.polystack.services.dynamodb.Params.list;
import static dev.polystack.services.dynamodb.Params.map;
import static dev.polystack.services.dynamodb.Params.str;

/**
 * The expressions of one request (or one transaction item): parses each with the request's placeholders,
 * falls back to the legacy parameters, rejects mixing the two and placeholders no expression used.
 */
final class Expressions {
    private final Map<String, Object> in;
    private final ExpressionParser.Placeholders placeholders;
    private final List<String> expressionParams = new ArrayList<>();
    private final List<String> legacyParams = new ArrayList<>();

    Expressions(Map<String, Object> in) {
        this.in = in;
        Map<String, Object> rawNames = map(in, "ExpressionAttributeNames");
        Map<String, Object> rawValues = map(in, "ExpressionAttributeValues");
        if (rawNames != null && rawNames.isEmpty()) throw Errors.validation("ExpressionAttributeNames must not be empty");
        if (rawValues != null && rawValues.isEmpty()) throw Errors.validation("ExpressionAttributeValues must not be empty");
        Map<String, String> names = null;
        if (rawNames != null) {
            names = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : rawNames.entrySet()) names.put(e.getKey(), String.valueOf(e.getValue()));
        }
        Map<String, AttrValue> values = null;
        if (rawValues != null) {
            values = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : rawValues.entrySet()) {
                try {
                    values.put(e.getKey(), Items.value(e.getValue(), 1));
                } catch (dev.polystack.api.ServiceException ex) {
                    if (ex.getMessage().startsWith("Supplied AttributeValue is empty")) {
                        throw Errors.validation("ExpressionAttributeValues contains invalid value: " + ex.getMessage() + " for key " + e.getKey());
                    }
                    throw ex;
                }
            }
        }
        placeholders = new ExpressionParser.Placeholders(names, values);
    }

    private boolean has(String param) {
        return in.get(param) != null;
    }

    Expr.Cond condition(String param) {
        if (!has(param)) return null;
        expressionParams.add(param);
        return ExpressionParser.condition(param, str(in, param), placeholders);
    }

    /** ConditionExpression, else Expected (+ ConditionalOperator). */
    Expr.Cond writeCondition() {
        Expr.Cond c = condition("ConditionExpression");
        if (has("Expected")) {
            legacyParams.add("Expected");
            return Legacy.conditions(map(in, "Expected"), str(in, "ConditionalOperator"), true);
        }
        return c;
    }

    /** FilterExpression, else QueryFilter/ScanFilter. */
    Expr.Cond filter(String legacyParam) {
        Expr.Cond c = condition("FilterExpression");
        if (has(legacyParam)) {
            legacyParams.add(legacyParam);
            return Legacy.conditions(map(in, legacyParam), str(in, "ConditionalOperator"), false);
        }
        return c;
    }

    Expr.Cond keyCondition() {
        Expr.Cond c = condition("KeyConditionExpression");
        if (has("KeyConditions")) {
            legacyParams.add("KeyConditions");
            return Legacy.keyConditions(map(in, "KeyConditions"));
        }
        return c;
    }

    List<Expr.Path> projection() {
        List<Expr.Path> p = null;
        if (has("ProjectionExpression")) {
            expressionParams.add("ProjectionExpression");
            p = ExpressionParser.projection(str(in, "ProjectionExpression"), placeholders);
        }
        if (has("AttributesToGet")) {
            legacyParams.add("AttributesToGet");
            p = Legacy.attributesToGet(list(in, "AttributesToGet"));
        }
        return p;
    }

    Update update() {
        Update u = null;
        if (has("UpdateExpression")) {
            expressionParams.add("UpdateExpression");
            u = ExpressionParser.update(str(in, "UpdateExpression"), placeholders);
        }
        if (has("AttributeUpdates")) {
            legacyParams.add("AttributeUpdates");
            u = Legacy.attributeUpdates(map(in, "AttributeUpdates"));
        }
        return u;
    }

    /** Call after reading every expression of the request. */
    void finish() {
        if (!expressionParams.isEmpty() && !legacyParams.isEmpty()) {
            throw Errors.validation("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {"
                    + String.join(", ", legacyParams) + "} Expression parameters: {" + String.join(", ", expressionParams) + "}");
        }
        if (expressionParams.isEmpty()) {
            if (!placeholders.names.isEmpty()) throw Errors.validation("ExpressionAttributeNames can only be specified when using expressions");
            if (!placeholders.values.isEmpty()) throw Errors.validation("ExpressionAttributeValues can only be specified when using expressions");
            return;
        }
        placeholders.checkAllUsed();
    }
}
