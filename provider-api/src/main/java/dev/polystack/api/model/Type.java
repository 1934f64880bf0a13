package dev.polystack.api.model;

import java.util.function.Supplier;

/**
 * The type of a member of a typed shape, as botocore shapes it: what {@link TreeConverter} converts a
 * parameter-tree value from and to. Enums are {@link Kind#STRING}: their values travel as AWS sent them, so a value
 * AWS does not know still reaches the provider (which answers AWS's own validation error).
 */
public final class Type {
    /** The botocore shape types. */
    public enum Kind { STRING, INTEGER, LONG, FLOAT, DOUBLE, BOOLEAN, BLOB, STREAM, TIMESTAMP, DOCUMENT, STRUCTURE, LIST, MAP }

    public static final Type STRING = new Type(Kind.STRING, null, null, null);
    public static final Type INTEGER = new Type(Kind.INTEGER, null, null, null);
    public static final Type LONG = new Type(Kind.LONG, null, null, null);
    public static final Type FLOAT = new Type(Kind.FLOAT, null, null, null);
    public static final Type DOUBLE = new Type(Kind.DOUBLE, null, null, null);
    public static final Type BOOLEAN = new Type(Kind.BOOLEAN, null, null, null);
    /** {@code byte[]}. */
    public static final Type BLOB = new Type(Kind.BLOB, null, null, null);
    /** A streaming payload: {@link dev.polystack.api.StreamingBody}. */
    public static final Type STREAM = new Type(Kind.STREAM, null, null, null);
    /** {@link java.time.Instant}. */
    public static final Type TIMESTAMP = new Type(Kind.TIMESTAMP, null, null, null);
    /** A document: plain Java values (Map, List, String, Number, Boolean). */
    public static final Type DOCUMENT = new Type(Kind.DOCUMENT, null, null, null);

    private final Kind kind;
    private final Supplier<Shape<?>> structure;
    private final Type element;
    private final Type value;
    private volatile Shape<?> resolved;

    private Type(Kind kind, Supplier<Shape<?>> structure, Type element, Type value) {
        this.kind = kind;
        this.structure = structure;
        this.element = element;
        this.value = value;
    }

    /** A structure; the supplier is read on first use, so shapes may refer to themselves or each other. */
    public static Type structure(Supplier<Shape<?>> shape) {
        return new Type(Kind.STRUCTURE, shape, null, null);
    }

    public static Type list(Type element) {
        return new Type(Kind.LIST, null, element, null);
    }

    /** A map; keys are strings (enum keys travel as their string values). */
    public static Type map(Type value) {
        return new Type(Kind.MAP, null, null, value);
    }

    public Kind kind() {
        return kind;
    }

    /** The structure's shape (STRUCTURE only). */
    public Shape<?> shape() {
        Shape<?> s = resolved;
        if (s == null) resolved = s = structure.get();
        return s;
    }

    /** The element type (LIST only). */
    public Type element() {
        return element;
    }

    /** The value type (MAP only). */
    public Type value() {
        return value;
    }

    /** Whether a value of this type is a scalar (nothing inside it to convert). */
    boolean scalar() {
        return kind != Kind.STRUCTURE && kind != Kind.LIST && kind != Kind.MAP;
    }
}
