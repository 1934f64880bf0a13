package dev.polystack.services.lambda.executor;

import java.util.concurrent.CompletableFuture;

/**
 * One invocation travelling through an execution environment. It completes when the runtime has answered
 * (response or error) and its output has been read to the end marker the runtime client prints, so the log
 * of an invocation holds exactly what the function printed during it.
 */
final class Invocation {
    final String requestId;
    final byte[] payload;
    final String invokedArn;
    final String clientContext;
    final CompletableFuture<InvocationResult> result = new CompletableFuture<>();
    final StringBuilder log = new StringBuilder();
    long deliveredNanos;
    long deadlineMillis;
    private byte[] answer;
    private String errorType;
    private boolean answered;
    private boolean outputEnded;

    Invocation(String requestId, byte[] payload, String invokedArn, String clientContext) {
        this.requestId = requestId;
        this.payload = payload;
        this.invokedArn = invokedArn;
        this.clientContext = clientContext;
    }

    synchronized void appendLog(String line) {
        log.append(line).append('\n');
    }

    /** The runtime posted the response ({@code errorType} null) or an error. */
    synchronized boolean answer(byte[] body, String errorType) {
        if (answered) return false;
        answered = true;
        this.answer = body;
        this.errorType = errorType;
        return outputEnded;
    }

    /** The runtime client's end marker for this invocation was read from the output. */
    synchronized boolean outputEnded() {
        outputEnded = true;
        return answered;
    }

    synchronized boolean answered() {
        return answered;
    }

    synchronized byte[] answerBody() {
        return answer;
    }

    synchronized String answerErrorType() {
        return errorType;
    }

    synchronized String logText() {
        return log.toString();
    }
}
