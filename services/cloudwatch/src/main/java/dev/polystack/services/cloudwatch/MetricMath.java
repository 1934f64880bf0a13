package dev.polystack.services.cloudwatch;

import dev.polystack.api.ServiceException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleBinaryOperator;

/**
 * CloudWatch metric math for the common cases: numbers, the ids of other queries, {@code + - * / ^}, parentheses,
 * arrays ({@code [m1, m2]}) and the functions SUM, AVG, MIN, MAX (over an array: one series; over one series: a
 * scalar), ABS, FILL(series, value) and METRICS() (every metric query's series). Series combine on the timestamps
 * they share.
 */
final class MetricMath {
    /** A value of an expression: a scalar, a time series (period start → value) or an array of series. */
    sealed interface Value permits Scalar, Series, Array {
    }

    record Scalar(double value) implements Value {
    }

    record Series(TreeMap<Long, Double> points) implements Value {
    }

    record Array(List<Series> series) implements Value {
    }

    private final String text;
    private final Map<String, Value> variables;
    private final List<Series> allMetrics;
    private int pos;

    private MetricMath(String text, Map<String, Value> variables, List<Series> allMetrics) {
        this.text = text;
        this.variables = variables;
        this.allMetrics = allMetrics;
    }

    /** Evaluates {@code expression} with the results of the other queries as its variables. */
    static Value evaluate(String id, String expression, Map<String, Value> variables, List<Series> allMetrics) {
        MetricMath m = new MetricMath(expression, variables, allMetrics);
        try {
            Value v = m.expr();
            m.skipSpace();
            if (m.pos < m.text.length()) throw m.error("Unexpected character '" + m.text.charAt(m.pos) + "'");
            return v;
        } catch (ParseError e) {
            throw new ServiceException("ValidationError", "Error in expression '" + id + "': " + e.getMessage());
        }
    }

    private static final class ParseError extends RuntimeException {
        ParseError(String message) {
            super(message, null, false, false);
        }
    }

    private ParseError error(String message) {
        return new ParseError(message);
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    private boolean eat(char c) {
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private Value expr() {
        Value v = term();
        while (true) {
            if (eat('+')) v = combine(v, term(), Double::sum);
            else if (eat('-')) v = combine(v, term(), (a, b) -> a - b);
            else return v;
        }
    }

    private Value term() {
        Value v = unary();
        while (true) {
            if (eat('*')) v = combine(v, unary(), (a, b) -> a * b);
            else if (eat('/')) v = combine(v, unary(), (a, b) -> a / b);
            else return v;
        }
    }

    private Value unary() {
        if (eat('-')) return combine(new Scalar(0), unary(), (a, b) -> a - b);
        Value base = primary();
        if (eat('^')) return combine(base, unary(), Math::pow);
        return base;
    }

    private Value primary() {
        skipSpace();
        if (pos >= text.length()) throw error("Unexpected end of expression");
        char c = text.charAt(pos);
        if (eat('(')) {
            Value v = expr();
            if (!eat(')')) throw error("Missing ')'");
            return v;
        }
        if (eat('[')) {
            List<Series> items = new ArrayList<>();
            if (!eat(']')) {
                do {
                    addSeries(items, expr());
                } while (eat(','));
                if (!eat(']')) throw error("Missing ']'");
            }
            return new Array(items);
        }
        if (Character.isDigit(c) || c == '.') {
            int start = pos;
            while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) pos++;
            try {
                return new Scalar(Double.parseDouble(text.substring(start, pos)));
            } catch (NumberFormatException e) {
                throw error("Invalid number " + text.substring(start, pos));
            }
        }
        if (Character.isLetter(c) || c == '_') {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
            String name = text.substring(start, pos);
            if (eat('(')) return function(name);
            Value v = variables.get(name);
            if (v == null) throw error("Unrecognized identifier " + name);
            return v;
        }
        throw error("Unexpected character '" + c + "'");
    }

    private static void addSeries(List<Series> into, Value v) {
        switch (v) {
            case Series s -> into.add(s);
            case Array a -> into.addAll(a.series());
            case Scalar s -> throw new ParseError("Arrays hold time series, not numbers");
        }
    }

    private Value function(String name) {
        List<Value> args = new ArrayList<>();
        if (!eat(')')) {
            do {
                args.add(expr());
            } while (eat(','));
            if (!eat(')')) throw error("Missing ')' after the arguments of " + name);
        }
        return switch (name) {
            case "SUM" -> reduce(name, args, Double::sum, false);
            case "AVG" -> reduce(name, args, Double::sum, true);
            case "MIN" -> reduce(name, args, Math::min, false);
            case "MAX" -> reduce(name, args, Math::max, false);
            case "ABS" -> {
                if (args.size() != 1) throw error("ABS takes one argument");
                yield combine(args.get(0), new Scalar(0), (a, b) -> Math.abs(a));
            }
            case "FILL" -> fill(args);
            case "METRICS" -> new Array(allMetrics);
            default -> throw error("Unknown function " + name);
        };
    }

    /** SUM/AVG/MIN/MAX: over an array, one series (per timestamp); over one series, a scalar. */
    private Value reduce(String name, List<Value> args, DoubleBinaryOperator op, boolean average) {
        if (args.size() != 1) throw error(name + " takes one argument");
        Value v = args.get(0);
        if (v instanceof Series s) {
            if (s.points().isEmpty()) return new Scalar(Double.NaN);
            double acc = Double.NaN;
            for (double d : s.points().values()) acc = Double.isNaN(acc) ? d : op.applyAsDouble(acc, d);
            return new Scalar(average ? sum(s.points().values()) / s.points().size() : acc);
        }
        if (v instanceof Array a) {
            TreeMap<Long, Double> acc = new TreeMap<>();
            TreeMap<Long, Integer> n = new TreeMap<>();
            for (Series s : a.series()) {
                s.points().forEach((t, d) -> {
                    acc.merge(t, d, op::applyAsDouble);
                    n.merge(t, 1, Integer::sum);
                });
            }
            if (average) acc.replaceAll((t, d) -> sum(a.series(), t) / n.get(t));
            return new Series(acc);
        }
        throw error(name + " takes a time series or an array of time series");
    }

    private static double sum(Iterable<Double> values) {
        double s = 0;
        for (double d : values) s += d;
        return s;
    }

    private static double sum(List<Series> series, long t) {
        double s = 0;
        for (Series x : series) {
            Double d = x.points().get(t);
            if (d != null) s += d;
        }
        return s;
    }

    /** FILL(series, value): the series over every period any metric has, missing periods filled with the value. */
    private Value fill(List<Value> args) {
        if (args.size() != 2 || !(args.get(1) instanceof Scalar fillValue)) throw error("FILL takes a time series and a number");
        TreeMap<Long, Double> out = new TreeMap<>();
        for (Series s : allMetrics) for (Long t : s.points().keySet()) out.put(t, fillValue.value());
        switch (args.get(0)) {
            case Series s -> out.putAll(s.points());
            default -> throw error("FILL takes a time series and a number");
        }
        return new Series(out);
    }

    /** A binary operation: numbers with numbers, series pointwise with numbers, series with series on shared timestamps. */
    private Value combine(Value a, Value b, DoubleBinaryOperator op) {
        if (a instanceof Scalar x && b instanceof Scalar y) return new Scalar(op.applyAsDouble(x.value(), y.value()));
        if (a instanceof Series x && b instanceof Scalar y) return map(x, d -> op.applyAsDouble(d, y.value()));
        if (a instanceof Scalar x && b instanceof Series y) return map(y, d -> op.applyAsDouble(x.value(), d));
        if (a instanceof Series x && b instanceof Series y) {
            TreeMap<Long, Double> out = new TreeMap<>();
            x.points().forEach((t, d) -> {
                Double e = y.points().get(t);
                if (e != null) out.put(t, op.applyAsDouble(d, e));
            });
            return new Series(out);
        }
        if (a instanceof Array x) {
            List<Series> out = new ArrayList<>();
            for (Series s : x.series()) out.add((Series) combine(s, b, op));
            return new Array(out);
        }
        if (b instanceof Array y) {
            List<Series> out = new ArrayList<>();
            for (Series s : y.series()) out.add((Series) combine(a, s, op));
            return new Array(out);
        }
        throw error("Unsupported operands");
    }

    private static Series map(Series s, java.util.function.DoubleUnaryOperator f) {
        TreeMap<Long, Double> out = new TreeMap<>();
        s.points().forEach((t, d) -> out.put(t, f.applyAsDouble(d)));
        return new Series(out);
    }
}
