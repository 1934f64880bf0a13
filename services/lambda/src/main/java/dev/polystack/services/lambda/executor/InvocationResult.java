package dev.polystack.services.lambda.executor;

/**
 * What an invocation produced.
 *
 * @param payload       the function's response, or the error object when {@code functionError} is set
 * @param functionError null on success, else {@code Unhandled} (as AWS reports every function error today)
 * @param errorType     the error's type ({@code Sandbox.Timedout}, {@code Runtime.ExitError}, the exception's), or null
 * @param log           the invocation's log: START, the function's output, END, REPORT
 */
public record InvocationResult(byte[] payload, String functionError, String errorType, String log) {
    public boolean failed() {
        return functionError != null;
    }
}
