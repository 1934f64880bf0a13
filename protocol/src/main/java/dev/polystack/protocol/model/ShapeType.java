package dev.polystack.protocol.model;

/** Shape types: botocore's, plus Smithy's finer numeric kinds and documents (for the conformance models). */
public enum ShapeType {
    STRUCTURE, LIST, MAP, STRING, INTEGER, LONG, FLOAT, DOUBLE, BOOLEAN, BLOB, TIMESTAMP,
    /** Smithy only: byte, short, bigInteger, bigDecimal. Trees carry them as Integer / BigInteger / BigDecimal. */
    BYTE, SHORT, BIG_INTEGER, BIG_DECIMAL,
    /** An untyped JSON document (botocore: a structure with {@code "document": true}). */
    DOCUMENT;

    public boolean isNumber() {
        return switch (this) {
            case INTEGER, LONG, FLOAT, DOUBLE, BYTE, SHORT, BIG_INTEGER, BIG_DECIMAL -> true;
            default -> false;
        };
    }

    public boolean isScalar() {
        return this != STRUCTURE && this != LIST && this != MAP && this != DOCUMENT;
    }

    static ShapeType of(String botocoreType) {
        return switch (botocoreType) {
            case "structure" -> STRUCTURE;
            case "list" -> LIST;
            case "map" -> MAP;
            case "string" -> STRING;
            case "integer" -> INTEGER;
            case "long" -> LONG;
            case "float" -> FLOAT;
            case "double" -> DOUBLE;
            case "boolean" -> BOOLEAN;
            case "blob" -> BLOB;
            case "timestamp" -> TIMESTAMP;
            case "byte" -> BYTE;
            case "short" -> SHORT;
            case "bigInteger" -> BIG_INTEGER;
            case "bigDecimal" -> BIG_DECIMAL;
            case "document" -> DOCUMENT;
            default -> throw new IllegalArgumentException("unknown shape type " + botocoreType);
        };
    }
}
