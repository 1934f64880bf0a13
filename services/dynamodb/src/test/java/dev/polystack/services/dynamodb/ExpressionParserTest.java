package dev.polystack.services.dynamodb;

import dev.polystack.api.ServiceException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The expression parser and evaluator on their own: precedence, functions, paths, updates, AWS's error texts. */
class ExpressionParserTest {

    private static final Map<String, AttrValue> ITEM = Map.of(
            "a", AttrValue.n("5"),
            "s", AttrValue.s("hello world"),
            "tagset", new AttrValue.SS(List.of("x", "y")),
            "m", new AttrValue.M(Map.of("l", new AttrValue.L(List.of(AttrValue.n("1"), AttrValue.s("two"))))));

    private static ExpressionParser.Placeholders ph(Map<String, AttrValue> values) {
        return new ExpressionParser.Placeholders(Map.of("#n", "s"), values);
    }

    private static boolean eval(String expr, Map<String, AttrValue> values) {
        return ExpressionParser.condition("ConditionExpression", expr, ph(values)).test(ITEM);
    }

    private static String error(Runnable r) {
        return assertThrows(ServiceException.class, r::run).getMessage();
    }

    @Test
    void precedenceAndOrNot() {
        Map<String, AttrValue> v = Map.of(":five", AttrValue.n("5"), ":one", AttrValue.n("1"));
        assertTrue(eval("a = :one OR a = :five AND NOT a = :one", v));
        assertFalse(eval("(a = :one OR a = :five) AND a = :one", v));
        assertTrue(eval("NOT NOT a = :five", v));
    }

    @Test
    void comparisonsAreTypedAndNumeric() {
        assertTrue(eval("a < :big", Map.of(":big", AttrValue.n("10.0"))));
        assertTrue(eval("a = :same", Map.of(":same", AttrValue.n("5.000"))));
        assertFalse(eval("a < :str", Map.of(":str", AttrValue.s("9"))));
        assertTrue(eval("absent <> :v", Map.of(":v", AttrValue.n("1"))));
        assertFalse(eval("absent = :v", Map.of(":v", AttrValue.n("1"))));
    }

    @Test
    void functionsAndNestedPaths() {
        Map<String, AttrValue> v = Map.of(":p", AttrValue.s("hello"), ":x", AttrValue.s("x"), ":two", AttrValue.n("2"),
                ":t", AttrValue.s("SS"), ":w", AttrValue.s("two"));
        assertTrue(eval("begins_with(#n, :p) AND contains(tagset, :x) AND size(m.l) = :two AND attribute_type(tagset, :t)", v));
        assertTrue(eval("m.l[1] = :w AND attribute_exists(m.l[0]) AND attribute_not_exists(m.l[2])", v));
        assertTrue(eval("size(#n) > :two", v));
    }

    @Test
    void errorTexts() {
        assertEquals("Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\"",
                error(() -> eval("a =", Map.of())));
        assertEquals("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name",
                error(() -> eval("name = :v", Map.of(":v", AttrValue.s("x")))));
        assertEquals("Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope",
                error(() -> eval("a = :nope", Map.of())));
        assertEquals("Invalid ConditionExpression: Invalid function name; function: nope",
                error(() -> eval("nope(a)", Map.of())));
        assertEquals("Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
                error(() -> eval("begins_with(a, :n)", Map.of(":n", AttrValue.n("1")))));
        assertEquals("Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                        + "lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:3}",
                error(() -> eval("a BETWEEN :hi AND :lo", Map.of(":hi", AttrValue.n("5"), ":lo", AttrValue.n("3")))));
        ExpressionParser.Placeholders p = new ExpressionParser.Placeholders(Map.of("#unused", "x"), Map.of(":v", AttrValue.n("1")));
        ExpressionParser.condition("ConditionExpression", "a = :v", p);
        assertEquals("Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}", error(p::checkAllUsed));
    }

    @Test
    void updateAppliesAgainstTheOldItem() {
        Map<String, AttrValue> values = Map.of(":one", AttrValue.n("1"), ":l", new AttrValue.L(List.of(AttrValue.s("z"))),
                ":s", new AttrValue.SS(List.of("y", "q")));
        Update u = ExpressionParser.update("SET a = a + :one, b = a, m.l = list_append(m.l, :l), c = if_not_exists(c, :one) "
                + "REMOVE s ADD tagset :s", ph(values));
        Map<String, AttrValue> out = u.apply(new LinkedHashMap<>(ITEM));
        assertEquals(AttrValue.n("6"), out.get("a"));
        assertEquals(AttrValue.n("5"), out.get("b"), "right-hand sides read the item before the update");
        assertEquals(3, ((AttrValue.L) ((AttrValue.M) out.get("m")).values().get("l")).values().size());
        assertEquals(new AttrValue.SS(List.of("x", "y", "q")), out.get("tagset"));
        assertFalse(out.containsKey("s"));
        assertEquals(AttrValue.n("5"), ITEM.get("a"), "the stored item is untouched");
    }

    @Test
    void updateErrors() {
        assertEquals("Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m], path two: [m, l]",
                error(() -> ExpressionParser.update("SET m = :v REMOVE m.l", ph(Map.of(":v", AttrValue.n("1"))))));
        assertEquals("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER",
                error(() -> ExpressionParser.update("DELETE tagset :v", ph(Map.of(":v", AttrValue.n("1"))))));
        Update bad = ExpressionParser.update("SET s = s + :v", ph(Map.of(":v", AttrValue.n("1"))));
        assertEquals("An operand in the update expression has an incorrect data type", error(() -> bad.apply(new LinkedHashMap<>(ITEM))));
    }

    @Test
    void projectionKeepsNestingAndCompactsLists() {
        List<Expr.Path> paths = ExpressionParser.projection("m.l[1], a, nothing", ph(Map.of()));
        Map<String, AttrValue> out = Projection.apply(ITEM, paths);
        assertEquals(Map.of("a", AttrValue.n("5"), "m", new AttrValue.M(Map.of("l", new AttrValue.L(List.of(AttrValue.s("two")))))), out);
    }

    @Test
    void numbersKeep38DigitsAndNormalise() {
        assertEquals("100", AttrValue.n("1E+2").text());
        assertEquals("1.5", AttrValue.n("1.50").text());
        assertEquals("12345678901234567890123456789012345678", AttrValue.n("12345678901234567890123456789012345678").text());
        assertEquals("Attempting to store more than 38 significant digits in a Number", error(() -> Numbers.parse("1".repeat(39))));
        assertEquals(0, new BigDecimal("0.3").compareTo(Numbers.check(new BigDecimal("0.1").add(new BigDecimal("0.2")))));
    }

    @Test
    void itemSizeCountsNamesAndValuesAsAws() {
        // {"id": "my-item-id"} is 12 bytes; numbers take one byte per two digits plus one.
        assertEquals(12, Items.size(Map.of("id", AttrValue.s("my-item-id"))));
        assertEquals(2 + 3, Items.size(Map.of("n", AttrValue.n("12345"))));
    }
}
