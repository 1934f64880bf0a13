package dev.polystack.services.lambda.executor;

/** The function's runtime cannot run on this machine (no {@code python3}, no {@code node}, an unsupported runtime). */
public final class RuntimeUnavailableException extends RuntimeException {
    public RuntimeUnavailableException(String message) {
        super(message, null, false, false);
    }
}
