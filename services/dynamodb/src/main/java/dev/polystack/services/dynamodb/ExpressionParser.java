package dev.polystack.services.dynamodb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses DynamoDB's expression language (condition, filter, key condition, projection and update expressions)
 * into {@link Expr} and {@link Update} trees, resolving {@code #name} and {@code :value} placeholders and
 * reporting errors with AWS's texts ({@code Invalid ConditionExpression: Syntax error; token: ...}).
 * One parser instance reads one expression; a shared {@link Placeholders} tracks which placeholders a request
 * used, so the request can reject unused ones.
 */
final class ExpressionParser {
    /** DynamoDB's reserved words (AWS's published list), upper case. */
    static final Set<String> RESERVED = loadReserved();
    private static final Set<String> GRAMMAR = Set.of("AND", "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE");
    private static final Set<String> TYPES = Set.of("S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M");

    /** The request's ExpressionAttributeNames/Values and which of them expressions used. */
    static final class Placeholders {
        final Map<String, String> names;
        final Map<String, AttrValue> values;
        final Set<String> usedNames = new HashSet<>();
        final Set<String> usedValues = new HashSet<>();

        Placeholders(Map<String, String> names, Map<String, AttrValue> values) {
            this.names = names == null ? Map.of() : names;
            this.values = values == null ? Map.of() : values;
        }

        /** AWS rejects placeholders that no expression used (checked after all of a request's expressions). */
        void checkAllUsed() {
            List<String> unusedNames = new ArrayList<>();
            for (String n : names.keySet()) if (!usedNames.contains(n)) unusedNames.add(n);
            if (!unusedNames.isEmpty()) {
                throw Errors.validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {"
                        + String.join(", ", unusedNames) + "}");
            }
            List<String> unusedValues = new ArrayList<>();
            for (String n : values.keySet()) if (!usedValues.contains(n)) unusedValues.add(n);
            if (!unusedValues.isEmpty()) {
                throw Errors.validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {"
                        + String.join(", ", unusedValues) + "}");
            }
        }
    }

    private enum T { NAME, HASH, COLON, NUMBER, LPAREN, RPAREN, LBRACK, RBRACK, COMMA, DOT, CMP, PLUS, MINUS, BAD, EOF }

    private record Token(T type, String text, int start, int end) {
    }

    private final String kind;
    private final String source;
    private final Placeholders placeholders;
    private final List<Token> tokens;
    private int pos;

    private ExpressionParser(String kind, String source, Placeholders placeholders) {
        this.kind = kind;
        this.source = source;
        this.placeholders = placeholders;
        if (source.isBlank()) throw error("The expression can not be empty;");
        this.tokens = lex(source);
    }

    // ---- entry points -------------------------------------------------------------------------------------

    static Expr.Cond condition(String kind, String text, Placeholders placeholders) {
        ExpressionParser p = new ExpressionParser(kind, text, placeholders);
        Expr.Cond c = p.parseOr();
        p.expectEnd();
        return c;
    }

    static List<Expr.Path> projection(String text, Placeholders placeholders) {
        ExpressionParser p = new ExpressionParser("ProjectionExpression", text, placeholders);
        List<Expr.Path> paths = new ArrayList<>();
        paths.add(p.parsePath());
        while (p.peek().type == T.COMMA) {
            p.pos++;
            paths.add(p.parsePath());
        }
        p.expectEnd();
        for (int i = 0; i < paths.size(); i++) {
            for (int j = i + 1; j < paths.size(); j++) p.checkOverlap(paths.get(i), paths.get(j));
        }
        return paths;
    }

    static Update update(String text, Placeholders placeholders) {
        ExpressionParser p = new ExpressionParser("UpdateExpression", text, placeholders);
        Update u = p.parseUpdate();
        List<Expr.Path> targets = u.targets();
        for (int i = 0; i < targets.size(); i++) {
            for (int j = i + 1; j < targets.size(); j++) p.checkOverlap(targets.get(i), targets.get(j));
        }
        return u;
    }

    // ---- conditions -----------------------------------------------------------------------------------------

    private Expr.Cond parseOr() {
        Expr.Cond left = parseAnd();
        while (isKeyword(peek(), "OR")) {
            pos++;
            left = new Expr.Or(left, parseAnd());
        }
        return left;
    }

    private Expr.Cond parseAnd() {
        Expr.Cond left = parseNot();
        while (isKeyword(peek(), "AND")) {
            pos++;
            left = new Expr.And(left, parseNot());
        }
        return left;
    }

    private Expr.Cond parseNot() {
        if (isKeyword(peek(), "NOT")) {
            pos++;
            return new Expr.Not(parseNot());
        }
        return parsePrimary();
    }

    private Expr.Cond parsePrimary() {
        Token t = peek();
        if (t.type == T.LPAREN) {
            pos++;
            Expr.Cond c = parseOr();
            expect(T.RPAREN);
            return c;
        }
        if (t.type == T.NAME && peekAt(1).type == T.LPAREN && !t.text.equals("size")) return parseFunction();
        Expr.Operand left = parseOperand();
        Token op = peek();
        if (op.type == T.CMP) {
            pos++;
            return new Expr.Compare(op.text, left, parseOperand());
        }
        if (isKeyword(op, "BETWEEN")) {
            pos++;
            Expr.Operand low = parseOperand();
            if (!isKeyword(peek(), "AND")) throw syntax(peek());
            pos++;
            Expr.Operand high = parseOperand();
            if (low instanceof Expr.ValueOperand lo && high instanceof Expr.ValueOperand hi
                    && Expr.comparable(lo.value(), hi.value()) && Items.compare(lo.value(), hi.value()) > 0) {
                throw error("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                        + "lower bound operand: AttributeValue: " + lo.value().describe()
                        + ", upper bound operand: AttributeValue: " + hi.value().describe());
            }
            return new Expr.Between(left, low, high);
        }
        if (isKeyword(op, "IN")) {
            pos++;
            expect(T.LPAREN);
            List<Expr.Operand> candidates = new ArrayList<>();
            candidates.add(parseOperand());
            while (peek().type == T.COMMA) {
                pos++;
                candidates.add(parseOperand());
            }
            expect(T.RPAREN);
            if (candidates.size() > 100) {
                throw error("The IN operator is provided with too many operands; number of operands: " + candidates.size());
            }
            return new Expr.In(left, candidates);
        }
        if (left instanceof Expr.SizeOperand) throw error("The function is not allowed to be used this way in an expression; function: size");
        throw syntax(op);
    }

    private Expr.Cond parseFunction() {
        Token name = next();
        List<Expr.Operand> args = arguments();
        String fn = name.text;
        switch (fn) {
            case "attribute_exists", "attribute_not_exists" -> {
                arity(fn, args, 1);
                return new Expr.AttributeExists(pathArg(fn, args.get(0)), fn.equals("attribute_exists"));
            }
            case "attribute_type" -> {
                arity(fn, args, 2);
                Expr.Path path = pathArg(fn, args.get(0));
                if (args.get(1) instanceof Expr.ValueOperand v) {
                    if (!(v.value() instanceof AttrValue.S s)) throw operandType(fn, v.value());
                    if (!TYPES.contains(s.value())) {
                        throw error("Invalid attribute type name found; type: " + s.value() + ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
                    }
                }
                return new Expr.AttributeType(path, args.get(1));
            }
            case "begins_with" -> {
                arity(fn, args, 2);
                for (Expr.Operand a : args) {
                    if (a instanceof Expr.ValueOperand v && !(v.value() instanceof AttrValue.S || v.value() instanceof AttrValue.B)) {
                        throw operandType(fn, v.value());
                    }
                }
                return new Expr.BeginsWith(args.get(0), args.get(1));
            }
            case "contains" -> {
                arity(fn, args, 2);
                return new Expr.Contains(args.get(0), args.get(1));
            }
            case "if_not_exists", "list_append" ->
                    throw error("The function is not allowed in a condition expression; function: " + fn);
            default -> throw error("Invalid function name; function: " + fn);
        }
    }

    private List<Expr.Operand> arguments() {
        expect(T.LPAREN);
        List<Expr.Operand> args = new ArrayList<>();
        if (peek().type != T.RPAREN) {
            args.add(parseOperand());
            while (peek().type == T.COMMA) {
                pos++;
                args.add(parseOperand());
            }
        }
        expect(T.RPAREN);
        return args;
    }

    private void arity(String fn, List<?> args, int n) {
        if (args.size() != n) {
            throw error("Incorrect number of operands for operator or function; operator or function: " + fn
                    + ", number of operands: " + args.size());
        }
    }

    private Expr.Path pathArg(String fn, Expr.Operand arg) {
        if (arg instanceof Expr.PathOperand p) return p.path();
        throw error("Operator or function requires a document path; operator or function: " + fn);
    }

    private Expr.Operand parseOperand() {
        Token t = peek();
        if (t.type == T.COLON) {
            pos++;
            return new Expr.ValueOperand(value(t), t.text);
        }
        if (t.type == T.NAME && peekAt(1).type == T.LPAREN) {
            if (!t.text.equals("size")) {
                if (Set.of("attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains").contains(t.text)) {
                    throw error("The function is not allowed to be used this way in an expression; function: " + t.text);
                }
                throw error("Invalid function name; function: " + t.text);
            }
            pos++;
            List<Expr.Operand> args = arguments();
            arity("size", args, 1);
            return new Expr.SizeOperand(pathArg("size", args.get(0)));
        }
        return new Expr.PathOperand(parsePath());
    }

    // ---- paths ----------------------------------------------------------------------------------------------

    private Expr.Path parsePath() {
        List<Object> elements = new ArrayList<>();
        elements.add(pathName(next()));
        while (true) {
            Token t = peek();
            if (t.type == T.DOT) {
                pos++;
                elements.add(pathName(next()));
            } else if (t.type == T.LBRACK) {
                pos++;
                Token n = next();
                if (n.type != T.NUMBER) throw syntax(n);
                int index;
                try {
                    index = Integer.parseInt(n.text);
                } catch (NumberFormatException e) {
                    throw syntax(n);
                }
                expect(T.RBRACK);
                elements.add(index);
            } else {
                return new Expr.Path(elements);
            }
        }
    }

    private String pathName(Token t) {
        if (t.type == T.HASH) {
            String name = placeholders.names.get(t.text);
            if (name == null) throw error("An expression attribute name used in the document path is not defined; attribute name: " + t.text);
            placeholders.usedNames.add(t.text);
            return name;
        }
        if (t.type != T.NAME) throw syntax(t);
        String upper = t.text.toUpperCase(Locale.ROOT);
        if (GRAMMAR.contains(upper)) throw syntax(t);
        if (RESERVED.contains(upper)) throw error("Attribute name is a reserved keyword; reserved keyword: " + t.text);
        return t.text;
    }

    private AttrValue value(Token t) {
        AttrValue v = placeholders.values.get(t.text);
        if (v == null) throw error("An expression attribute value used in expression is not defined; attribute value: " + t.text);
        placeholders.usedValues.add(t.text);
        return v;
    }

    private void checkOverlap(Expr.Path a, Expr.Path b) {
        if (!a.overlaps(b)) return;
        String verb = a.elements().size() == b.elements().size() ? "conflict" : "overlap";
        throw error("Two document paths " + verb + " with each other; must remove or rewrite one of these paths; path one: "
                + a.display() + ", path two: " + b.display());
    }

    // ---- update expressions ---------------------------------------------------------------------------------

    private Update parseUpdate() {
        Update u = new Update();
        Set<String> seen = new HashSet<>();
        do {
            Token clause = next();
            String word = clause.type == T.NAME ? clause.text.toUpperCase(Locale.ROOT) : "";
            if (!Set.of("SET", "REMOVE", "ADD", "DELETE").contains(word)) throw syntax(clause);
            if (!seen.add(word)) throw error("The \"" + word + "\" section can only be used once in an update expression;");
            do {
                switch (word) {
                    case "SET" -> {
                        Expr.Path path = parsePath();
                        Token eq = next();
                        if (eq.type != T.CMP || !eq.text.equals("=")) throw syntax(eq);
                        u.sets.add(new Update.Set(path, parseSetValue()));
                    }
                    case "REMOVE" -> u.removes.add(parsePath());
                    case "ADD", "DELETE" -> {
                        Expr.Path path = parsePath();
                        Token v = next();
                        if (v.type != T.COLON) throw syntax(v);
                        AttrValue value = value(v);
                        boolean set = value instanceof AttrValue.SS || value instanceof AttrValue.NS || value instanceof AttrValue.BS;
                        if (!(set || word.equals("ADD") && value instanceof AttrValue.N)) {
                            throw error("Incorrect operand type for operator or function; operator: " + word + ", operand type: " + typeName(value));
                        }
                        (word.equals("ADD") ? u.adds : u.deletes).add(new Update.AddOrDelete(path, new Expr.ValueOperand(value, v.text)));
                    }
                    default -> throw syntax(clause);
                }
            } while (peek().type == T.COMMA && ++pos > 0);
        } while (peek().type != T.EOF);
        return u;
    }

    private Update.Value parseSetValue() {
        Update.Value left = parseSetOperand();
        Token t = peek();
        if (t.type == T.PLUS || t.type == T.MINUS) {
            pos++;
            return new Update.Arithmetic(left, t.type == T.PLUS, parseSetOperand());
        }
        return left;
    }

    private Update.Value parseSetOperand() {
        Token t = peek();
        if (t.type == T.NAME && peekAt(1).type == T.LPAREN) {
            pos++;
            expect(T.LPAREN);
            List<Update.Value> args = new ArrayList<>();
            if (peek().type != T.RPAREN) {
                args.add(parseSetValue());
                while (peek().type == T.COMMA) {
                    pos++;
                    args.add(parseSetValue());
                }
            }
            expect(T.RPAREN);
            switch (t.text) {
                case "if_not_exists" -> {
                    arity(t.text, args, 2);
                    if (!(args.get(0) instanceof Update.Operand o && o.operand() instanceof Expr.PathOperand p)) {
                        throw error("Operator or function requires a document path; operator or function: if_not_exists");
                    }
                    return new Update.IfNotExists(p.path(), args.get(1));
                }
                case "list_append" -> {
                    arity(t.text, args, 2);
                    for (Update.Value a : args) {
                        if (a instanceof Update.Operand o && o.operand() instanceof Expr.ValueOperand v && !(v.value() instanceof AttrValue.L)) {
                            throw operandType("list_append", v.value());
                        }
                    }
                    return new Update.ListAppend(args.get(0), args.get(1));
                }
                case "attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains", "size" ->
                        throw error("The function is not allowed in an update expression; function: " + t.text);
                default -> throw error("Invalid function name; function: " + t.text);
            }
        }
        if (t.type == T.COLON) {
            pos++;
            return new Update.Operand(new Expr.ValueOperand(value(t), t.text));
        }
        return new Update.Operand(new Expr.PathOperand(parsePath()));
    }

    // ---- errors ---------------------------------------------------------------------------------------------

    private RuntimeException error(String detail) {
        return Errors.validation("Invalid " + kind + ": " + detail);
    }

    private RuntimeException operandType(String fn, AttrValue v) {
        return error("Incorrect operand type for operator or function; operator or function: " + fn + ", operand type: " + v.type());
    }

    /** AWS's syntax error: the offending token and the text around it (previous token to next token). */
    private RuntimeException syntax(Token t) {
        int i = tokens.indexOf(t);
        int from = i > 0 ? tokens.get(i - 1).start : t.start;
        Token after = i + 1 < tokens.size() ? tokens.get(i + 1) : t;
        int to = t.type == T.EOF ? source.length() : (after.type == T.EOF ? t.end : after.end);
        String token = t.type == T.EOF ? "<EOF>" : t.text;
        return error("Syntax error; token: \"" + token + "\", near: \"" + source.substring(from, Math.max(from, to)).strip() + "\"");
    }

    static String typeName(AttrValue v) {
        return switch (v.type()) {
            case "S" -> "STRING";
            case "N" -> "NUMBER";
            case "B" -> "BINARY";
            case "BOOL" -> "BOOLEAN";
            case "NULL" -> "NULL";
            case "M" -> "MAP";
            case "L" -> "LIST";
            default -> v.type();
        };
    }

    // ---- tokens ---------------------------------------------------------------------------------------------

    private Token peek() {
        return tokens.get(pos);
    }

    private Token peekAt(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.type != T.EOF) pos++;
        return t;
    }

    private void expect(T type) {
        Token t = next();
        if (t.type != type) throw syntax(t);
    }

    private void expectEnd() {
        if (peek().type != T.EOF) throw syntax(peek());
    }

    private static boolean isKeyword(Token t, String word) {
        return t.type == T.NAME && t.text.equalsIgnoreCase(word);
    }

    private static List<Token> lex(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0, n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            if (c == '#' || c == ':') {
                i++;
                while (i < n && isNameChar(s.charAt(i))) i++;
                out.add(new Token(c == '#' ? T.HASH : T.COLON, s.substring(start, i), start, i));
            } else if (Character.isDigit(c)) {
                while (i < n && Character.isDigit(s.charAt(i))) i++;
                out.add(new Token(T.NUMBER, s.substring(start, i), start, i));
            } else if (Character.isLetter(c) || c == '_') {
                while (i < n && isNameChar(s.charAt(i))) i++;
                out.add(new Token(T.NAME, s.substring(start, i), start, i));
            } else if (c == '<' || c == '>') {
                i++;
                if (i < n && (s.charAt(i) == '=' || c == '<' && s.charAt(i) == '>')) i++;
                out.add(new Token(T.CMP, s.substring(start, i), start, i));
            } else {
                i++;
                T type = switch (c) {
                    case '(' -> T.LPAREN;
                    case ')' -> T.RPAREN;
                    case '[' -> T.LBRACK;
                    case ']' -> T.RBRACK;
                    case ',' -> T.COMMA;
                    case '.' -> T.DOT;
                    case '=' -> T.CMP;
                    case '+' -> T.PLUS;
                    case '-' -> T.MINUS;
                    default -> T.BAD;
                };
                out.add(new Token(type, s.substring(start, i), start, i));
            }
        }
        out.add(new Token(T.EOF, "", n, n));
        return out;
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static Set<String> loadReserved() {
        Set<String> words = new HashSet<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                ExpressionParser.class.getResourceAsStream("reserved-words.txt"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) if (!line.isBlank()) words.add(line.strip().toUpperCase(Locale.ROOT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(words);
    }
}
