package dev.polystack.services.cloudwatch;

import dev.polystack.api.ServiceException;

import java.util.function.Function;

/**
 * A composite alarm's rule: {@code ALARM(name)}, {@code OK(name)}, {@code INSUFFICIENT_DATA(name)} (names or ARNs,
 * quoted or not), {@code TRUE}, {@code FALSE}, {@code AND}, {@code OR}, {@code NOT} and parentheses.
 */
final class AlarmRule {
    private final String text;
    private final Function<String, String> stateOf;
    private int pos;

    private AlarmRule(String text, Function<String, String> stateOf) {
        this.text = text;
        this.stateOf = stateOf;
    }

    /** Whether the rule holds; {@code stateOf} gives an alarm's state by name or ARN (null: no such alarm). */
    static boolean evaluate(String rule, Function<String, String> stateOf) {
        AlarmRule r = new AlarmRule(rule, stateOf);
        boolean v = r.or();
        r.space();
        if (r.pos < r.text.length()) throw r.invalid();
        return v;
    }

    /** Checks the syntax, answering AWS's validation error for a rule that does not parse. */
    static void validate(String rule) {
        evaluate(rule, name -> "OK");
    }

    private ServiceException invalid() {
        return new ServiceException("ValidationError", "AlarmRule is invalid: syntax error at position " + pos + ".");
    }

    private void space() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    private boolean keyword(String k) {
        space();
        if (text.regionMatches(pos, k, 0, k.length())) {
            int after = pos + k.length();
            if (after == text.length() || !Character.isLetterOrDigit(text.charAt(after)) && text.charAt(after) != '_') {
                pos = after;
                return true;
            }
        }
        return false;
    }

    private boolean or() {
        boolean v = and();
        while (keyword("OR")) v = and() | v;
        return v;
    }

    private boolean and() {
        boolean v = not();
        while (keyword("AND")) v = not() & v;
        return v;
    }

    private boolean not() {
        if (keyword("NOT")) return !not();
        return atom();
    }

    private boolean atom() {
        space();
        if (pos < text.length() && text.charAt(pos) == '(') {
            pos++;
            boolean v = or();
            space();
            if (pos >= text.length() || text.charAt(pos) != ')') throw invalid();
            pos++;
            return v;
        }
        if (keyword("TRUE")) return true;
        if (keyword("FALSE")) return false;
        for (String state : new String[]{"ALARM", "OK", "INSUFFICIENT_DATA"}) {
            if (keyword(state)) return state.equals(stateOf.apply(argument()));
        }
        throw invalid();
    }

    private String argument() {
        space();
        if (pos >= text.length() || text.charAt(pos) != '(') throw invalid();
        pos++;
        space();
        String name;
        if (pos < text.length() && (text.charAt(pos) == '"' || text.charAt(pos) == '\'')) {
            char quote = text.charAt(pos++);
            int end = text.indexOf(quote, pos);
            if (end < 0) throw invalid();
            name = text.substring(pos, end);
            pos = end + 1;
        } else {
            int end = text.indexOf(')', pos);
            if (end < 0) throw invalid();
            name = text.substring(pos, end).trim();
            pos = end;
        }
        space();
        if (pos >= text.length() || text.charAt(pos) != ')') throw invalid();
        pos++;
        return name;
    }
}
