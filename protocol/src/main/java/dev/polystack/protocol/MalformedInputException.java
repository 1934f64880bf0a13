package dev.polystack.protocol;

/**
 * A request that cannot be deserialized (bad JSON, a string where a number belongs, an unparsable
 * timestamp). Parsers throw it; each codec answers with its protocol's error (JSON: SerializationException).
 */
public final class MalformedInputException extends RuntimeException {
    public MalformedInputException(String message) {
        super(message, null, false, false);
    }

    public MalformedInputException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
