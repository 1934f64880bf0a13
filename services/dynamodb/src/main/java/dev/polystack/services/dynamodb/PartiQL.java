package dev.polystack.services.dynamodb;

import dev.polystack.api.ServiceException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * DynamoDB's PartiQL subset: {@code SELECT ... FROM "t" [WHERE ...]}, {@code INSERT INTO "t" VALUE {...}},
 * {@code UPDATE "t" SET a = ... [REMOVE b] WHERE key}, {@code DELETE FROM "t" WHERE key}, with {@code ?}
 * parameters. WHERE and SET clauses are rewritten into the expression language (literals and parameters become
 * placeholders) and parsed by {@link ExpressionParser}, so conditions evaluate exactly as expressions do.
 */
final class PartiQL {

    /** A statement reduced to the engine's terms. */
    record Statement(String kind, String table, String index, List<Expr.Path> projection, Expr.Cond where,
                     Map<String, AttrValue> item, Update update, String returning) {
    }

    private record Tok(String type, String text) {
    }

    private final String source;
    private final List<Tok> toks = new ArrayList<>();
    private final List<AttrValue> parameters;
    private int pos;
    private int nextParameter;
    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, AttrValue> values = new LinkedHashMap<>();

    private PartiQL(String source, List<AttrValue> parameters) {
        this.source = source;
        this.parameters = parameters == null ? List.of() : parameters;
        lex();
    }

    static Statement parse(String statement, List<AttrValue> parameters) {
        PartiQL p = new PartiQL(statement, parameters);
        Statement s = p.statement();
        if (p.nextParameter != p.parameters.size()) {
            throw Errors.validation("Number of parameters in request and statement don't match.");
        }
        return s;
    }

    private Statement statement() {
        String verb = word();
        switch (verb) {
            case "SELECT" -> {
                List<Expr.Path> projection = null;
                if (peekIs("*")) {
                    pos++;
                } else {
                    StringBuilder p = new StringBuilder();
                    do {
                        if (p.length() > 0) p.append(", ");
                        p.append(path());
                    } while (accept(","));
                    projection = ExpressionParser.projection(p.toString(), placeholders());
                }
                keyword("FROM");
                String table = identifier();
                String index = accept(".") ? identifier() : null; // SELECT ... FROM "table"."index"
                Expr.Cond where = null;
                if (acceptWord("WHERE")) where = condition();
                end();
                return new Statement("SELECT", table, index, projection, where, null, null, null);
            }
            case "EXISTS" -> {
                // A transaction's condition check: EXISTS(SELECT * FROM "table" WHERE key = ... [AND condition])
                if (!accept("(")) throw syntax();
                keyword("SELECT");
                if (!accept("*")) throw syntax();
                keyword("FROM");
                String table = identifier();
                keyword("WHERE");
                int close = toks.size() - 1;
                if (close <= pos || !toks.get(close).text.equals(")")) throw syntax();
                Expr.Cond where = conditionUntil(close);
                pos = close + 1;
                end();
                return new Statement("EXISTS", table, null, null, where, null, null, null);
            }
            case "INSERT" -> {
                keyword("INTO");
                String table = identifier();
                keyword("VALUE");
                AttrValue v = literal();
                if (!(v instanceof AttrValue.M m)) throw syntax();
                end();
                return new Statement("INSERT", table, null, null, null, m.values(), null, null);
            }
            case "UPDATE" -> {
                String table = identifier();
                StringBuilder sets = new StringBuilder(), removes = new StringBuilder(), adds = new StringBuilder(), deletes = new StringBuilder();
                while (true) {
                    if (acceptWord("SET")) {
                        do {
                            String target = path();
                            if (!accept("=")) throw syntax();
                            // SET a = set_add(a, <<...>>) and set_delete(a, <<...>>) are the expression language's ADD and DELETE.
                            Tok fn = pos < toks.size() ? toks.get(pos) : null;
                            if (fn != null && fn.type.equals("word") && (fn.text.equalsIgnoreCase("set_add") || fn.text.equalsIgnoreCase("set_delete"))
                                    && pos + 1 < toks.size() && toks.get(pos + 1).text.equals("(")) {
                                pos += 2;
                                String of = path();
                                if (!of.equals(target) || !accept(",")) throw syntax();
                                String v = value();
                                if (!accept(")")) throw syntax();
                                StringBuilder into = fn.text.equalsIgnoreCase("set_add") ? adds : deletes;
                                if (into.length() > 0) into.append(", ");
                                into.append(target).append(' ').append(v);
                                continue;
                            }
                            if (sets.length() > 0) sets.append(", ");
                            sets.append(target).append(" = ").append(operand());
                            if (peekIs("+") || peekIs("-")) sets.append(' ').append(next().text).append(' ').append(operand());
                        } while (accept(","));
                    } else if (acceptWord("REMOVE")) {
                        do {
                            if (removes.length() > 0) removes.append(", ");
                            removes.append(path());
                        } while (accept(","));
                    } else {
                        break;
                    }
                }
                keyword("WHERE");
                String returning = returningClause();
                Expr.Cond where = condition();
                end();
                String text = (sets.length() > 0 ? "SET " + sets : "") + (removes.length() > 0 ? " REMOVE " + removes : "")
                        + (adds.length() > 0 ? " ADD " + adds : "") + (deletes.length() > 0 ? " DELETE " + deletes : "");
                if (text.isBlank()) throw syntax();
                return new Statement("UPDATE", table, null, null, where, null, ExpressionParser.update(text, placeholders()), returning);
            }
            case "DELETE" -> {
                keyword("FROM");
                String table = identifier();
                keyword("WHERE");
                String returning = returningClause();
                if (returning != null && !returning.equals("ALL_OLD")) throw syntax();
                Expr.Cond where = condition();
                end();
                return new Statement("DELETE", table, null, null, where, null, null, returning);
            }
            default -> throw Errors.validation("Statement wasn't well formed, can't be processed: unsupported statement");
        }
    }

    private ExpressionParser.Placeholders placeholders() {
        return new ExpressionParser.Placeholders(names, values);
    }

    /**
     * A trailing {@code RETURNING (ALL|MODIFIED) (OLD|NEW) *} (ReturnValues for UPDATE and DELETE): found at the end
     * of the statement and cut off it, so the WHERE clause before it parses alone. Null when there is none.
     */
    private String returningClause() {
        int n = toks.size();
        for (int i = pos; i < n; i++) {
            Tok t = toks.get(i);
            if (!t.type.equals("word") || !t.text.equalsIgnoreCase("RETURNING")) continue;
            if (i + 4 != n || !toks.get(i + 3).text.equals("*")) throw syntax();
            String which = toks.get(i + 1).text.toUpperCase(Locale.ROOT), image = toks.get(i + 2).text.toUpperCase(Locale.ROOT);
            if (!List.of("ALL", "MODIFIED").contains(which) || !List.of("OLD", "NEW").contains(image)) throw syntax();
            toks.subList(i, n).clear();
            return (which.equals("ALL") ? "ALL_" : "UPDATED_") + image;
        }
        return null;
    }

    private Expr.Cond condition() {
        return conditionUntil(toks.size());
    }

    /** The WHERE clause up to token {@code end}, rewritten into expression syntax (keywords and operators kept, values bound). */
    private Expr.Cond conditionUntil(int end) {
        StringBuilder b = new StringBuilder();
        while (pos < end) {
            Tok t = toks.get(pos);
            if (t.type.equals("word") && t.text.equalsIgnoreCase("IS")) {
                pos++;
                boolean not = acceptWord("NOT");
                String what = word();
                String fn = what.equals("MISSING") ? (not ? "attribute_exists" : "attribute_not_exists") : null;
                if (fn == null) throw syntax();
                int cut = b.lastIndexOf(" ", b.length() - 2);
                String subject = b.substring(cut + 1).strip();
                b.setLength(cut + 1);
                b.append(fn).append('(').append(subject).append(") ");
                continue;
            }
            if (t.type.equals("word") || t.type.equals("quoted")) {
                String w = t.text.toUpperCase(Locale.ROOT);
                if (t.type.equals("word") && List.of("AND", "OR", "NOT", "BETWEEN", "IN").contains(w)) {
                    b.append(w).append(' ');
                    pos++;
                    continue;
                }
                if (t.type.equals("word") && pos + 1 < toks.size() && toks.get(pos + 1).text.equals("(")) {
                    b.append(t.text);
                    pos++;
                    continue;
                }
                b.append(path()).append(' ');
                continue;
            }
            if (t.type.equals("string") || t.type.equals("number") || t.text.equals("?")
                    || t.text.equals("{") || t.text.equals("[") || t.text.equals("<<")) {
                b.append(value()).append(' ');
                continue;
            }
            if (t.text.equals("!=")) {
                b.append("<> ");
            } else {
                b.append(t.text).append(' ');
            }
            pos++;
        }
        return ExpressionParser.condition("Statement", b.toString(), placeholders());
    }

    /** A SET operand: a document path or a literal/parameter. */
    private String operand() {
        Tok t = toks.get(Math.min(pos, toks.size() - 1));
        boolean literalWord = t.type.equals("word") && List.of("TRUE", "FALSE", "NULL").contains(t.text.toUpperCase(Locale.ROOT));
        return (t.type.equals("word") && !literalWord) || t.type.equals("quoted") ? path() : value();
    }

    /** A document path: identifiers become #name placeholders (PartiQL names are not reserved words). */
    private String path() {
        StringBuilder b = new StringBuilder(name(identifier()));
        while (true) {
            if (accept(".")) {
                b.append('.').append(name(identifier()));
            } else if (peekIs("[")) {
                pos++;
                Tok n = next();
                if (!n.type.equals("number")) throw syntax();
                b.append('[').append(n.text).append(']');
                if (!accept("]")) throw syntax();
            } else {
                return b.toString();
            }
        }
    }

    private String name(String n) {
        String key = "#n" + names.size();
        for (Map.Entry<String, String> e : names.entrySet()) if (e.getValue().equals(n)) return e.getKey();
        names.put(key, n);
        return key;
    }

    /** A literal or parameter, bound to a fresh :value placeholder. */
    private String value() {
        AttrValue v = literal();
        String key = ":v" + values.size();
        values.put(key, v);
        return key;
    }

    private AttrValue literal() {
        Tok t = next();
        switch (t.type) {
            case "string" -> { return AttrValue.s(t.text); }
            case "number" -> { return AttrValue.n(t.text); }
            default -> { }
        }
        switch (t.text) {
            case "?" -> {
                if (nextParameter >= parameters.size()) throw Errors.validation("Number of parameters in request and statement don't match.");
                return parameters.get(nextParameter++);
            }
            case "{" -> {
                Map<String, AttrValue> m = new LinkedHashMap<>();
                if (!accept("}")) {
                    do {
                        Tok k = next();
                        if (!k.type.equals("string") && !k.type.equals("quoted")) throw syntax();
                        if (!accept(":")) throw syntax();
                        m.put(k.text, literal());
                    } while (accept(","));
                    if (!accept("}")) throw syntax();
                }
                return new AttrValue.M(m);
            }
            case "[" -> {
                List<AttrValue> l = new ArrayList<>();
                if (!accept("]")) {
                    do {
                        l.add(literal());
                    } while (accept(","));
                    if (!accept("]")) throw syntax();
                }
                return new AttrValue.L(l);
            }
            case "<<" -> {
                List<AttrValue> l = new ArrayList<>();
                do {
                    l.add(literal());
                } while (accept(","));
                if (!accept(">>")) throw syntax();
                if (l.stream().allMatch(x -> x instanceof AttrValue.S)) {
                    return new AttrValue.SS(l.stream().map(x -> ((AttrValue.S) x).value()).toList());
                }
                if (l.stream().allMatch(x -> x instanceof AttrValue.N)) {
                    return new AttrValue.NS(l.stream().map(x -> ((AttrValue.N) x).value()).toList());
                }
                throw syntax();
            }
            default -> {
                if (t.type.equals("word")) {
                    switch (t.text.toUpperCase(Locale.ROOT)) {
                        case "TRUE" -> { return AttrValue.TRUE; }
                        case "FALSE" -> { return AttrValue.FALSE; }
                        case "NULL" -> { return AttrValue.NULL; }
                        default -> { }
                    }
                }
                throw syntax();
            }
        }
    }

    // ---- tokens -------------------------------------------------------------------------------------------

    private void lex() {
        int i = 0, n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'' || c == '"') {
                StringBuilder b = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) throw syntax();
                    char x = source.charAt(i);
                    if (x == c) {
                        if (i + 1 < n && source.charAt(i + 1) == c) {
                            b.append(c);
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    b.append(x);
                    i++;
                }
                toks.add(new Tok(c == '\'' ? "string" : "quoted", b.toString()));
            } else if (Character.isDigit(c) || (c == '-' && i + 1 < n && Character.isDigit(source.charAt(i + 1)))) {
                int s = i++;
                while (i < n && (Character.isLetterOrDigit(source.charAt(i)) || source.charAt(i) == '.'
                        || (source.charAt(i) == '-' || source.charAt(i) == '+') && Character.toLowerCase(source.charAt(i - 1)) == 'e')) i++;
                toks.add(new Tok("number", source.substring(s, i)));
            } else if (Character.isLetter(c) || c == '_') {
                int s = i;
                while (i < n && (Character.isLetterOrDigit(source.charAt(i)) || source.charAt(i) == '_')) i++;
                toks.add(new Tok("word", source.substring(s, i)));
            } else {
                String two = i + 1 < n ? source.substring(i, i + 2) : "";
                if (List.of("<=", ">=", "<>", "!=", "<<", ">>").contains(two)) {
                    toks.add(new Tok("op", two));
                    i += 2;
                } else {
                    toks.add(new Tok("op", String.valueOf(c)));
                    i++;
                }
            }
        }
    }

    private Tok next() {
        if (pos >= toks.size()) throw syntax();
        return toks.get(pos++);
    }

    private boolean peekIs(String text) {
        return pos < toks.size() && toks.get(pos).text.equals(text) && !toks.get(pos).type.equals("string");
    }

    private boolean accept(String text) {
        if (peekIs(text)) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean acceptWord(String w) {
        if (pos < toks.size() && toks.get(pos).type.equals("word") && toks.get(pos).text.equalsIgnoreCase(w)) {
            pos++;
            return true;
        }
        return false;
    }

    private String word() {
        Tok t = next();
        if (!t.type.equals("word")) throw syntax();
        return t.text.toUpperCase(Locale.ROOT);
    }

    private void keyword(String w) {
        if (!acceptWord(w)) throw syntax();
    }

    private String identifier() {
        Tok t = next();
        if (!t.type.equals("word") && !t.type.equals("quoted")) throw syntax();
        return t.text;
    }

    private void end() {
        if (pos != toks.size()) throw syntax();
    }

    private ServiceException syntax() {
        return Errors.validation("Statement wasn't well formed, can't be processed: Unexpected token in statement");
    }
}
