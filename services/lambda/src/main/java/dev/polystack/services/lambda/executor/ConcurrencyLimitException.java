package dev.polystack.services.lambda.executor;

/** Every environment the function may have is busy (its reserved concurrency is reached). */
public final class ConcurrencyLimitException extends RuntimeException {
    public ConcurrencyLimitException() {
        super("concurrency limit reached", null, false, false);
    }
}
