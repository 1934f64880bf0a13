package dev.polystack.services.dynamodb;

import dev.polystack.services.dynamodb.api.AttributeValue;
import dev.polystack.services.dynamodb.api.AttributeValueUpdate;
import dev.polystack.services.dynamodb.api.Condition;
import dev.polystack.services.dynamodb.api.ExpectedAttributeValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The expressions of one request (or one transaction item): parses each with the request's placeholders,
 * falls back to the legacy parameters, rejects mixing the two and placeholders no expression used. Each method
 * takes the request's member for it (null when absent) and the member's name as AWS's messages spell it.
 */
final class Expressions {
    private final ExpressionParser.Placeholders placeholders;
    private final List<String> expressionParams = new ArrayList<>();
    private final List<String> legacyParams = new ArrayList<>();

    Expressions(Map<String, String> names, Map<String, AttributeValue> rawValues) {
        if (names != null && names.isEmpty()) throw Errors.validation("ExpressionAttributeNames must not be empty");
        if (rawValues != null && rawValues.isEmpty()) throw Errors.validation("ExpressionAttributeValues must not be empty");
        Map<String, AttrValue> values = null;
        if (rawValues != null) {
            values = new LinkedHashMap<>();
            for (Map.Entry<String, AttributeValue> e : rawValues.entrySet()) {
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

    /** A request that has ExpressionAttributeNames only (no values: projections). */
    Expressions(Map<String, String> names) {
        this(names, null);
    }

    /** A condition expression ({@code param} names it in messages: ConditionExpression, FilterExpression ...). */
    Expr.Cond condition(String param, String expression) {
        if (expression == null) return null;
        expressionParams.add(param);
        return ExpressionParser.condition(param, expression, placeholders);
    }

    /** ConditionExpression, else Expected (+ ConditionalOperator). */
    Expr.Cond writeCondition(String conditionExpression, Map<String, ExpectedAttributeValue> expected, String conditionalOperator) {
        Expr.Cond c = condition("ConditionExpression", conditionExpression);
        if (expected != null) {
            legacyParams.add("Expected");
            return Legacy.expected(expected, conditionalOperator);
        }
        return c;
    }

    /** FilterExpression, else QueryFilter/ScanFilter ({@code legacyParam} names the latter). */
    Expr.Cond filter(String filterExpression, String legacyParam, Map<String, Condition> legacy, String conditionalOperator) {
        Expr.Cond c = condition("FilterExpression", filterExpression);
        if (legacy != null) {
            legacyParams.add(legacyParam);
            return Legacy.conditions(legacy, conditionalOperator);
        }
        return c;
    }

    Expr.Cond keyCondition(String keyConditionExpression, Map<String, Condition> keyConditions) {
        Expr.Cond c = condition("KeyConditionExpression", keyConditionExpression);
        if (keyConditions != null) {
            legacyParams.add("KeyConditions");
            return Legacy.conditions(keyConditions, "AND");
        }
        return c;
    }

    List<Expr.Path> projection(String projectionExpression, List<String> attributesToGet) {
        List<Expr.Path> p = null;
        if (projectionExpression != null) {
            expressionParams.add("ProjectionExpression");
            p = ExpressionParser.projection(projectionExpression, placeholders);
        }
        if (attributesToGet != null) {
            legacyParams.add("AttributesToGet");
            p = Legacy.attributesToGet(attributesToGet);
        }
        return p;
    }

    Update update(String updateExpression, Map<String, AttributeValueUpdate> attributeUpdates) {
        Update u = null;
        if (updateExpression != null) {
            expressionParams.add("UpdateExpression");
            u = ExpressionParser.update(updateExpression, placeholders);
        }
        if (attributeUpdates != null) {
            legacyParams.add("AttributeUpdates");
            u = Legacy.attributeUpdates(attributeUpdates);
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
