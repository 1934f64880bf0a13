package dev.polystack.services.apigateway;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.services.lambda.api.InvocationRequest;
import dev.polystack.services.lambda.api.InvocationResponse;
import dev.polystack.services.lambda.api.InvocationType;
import dev.polystack.services.lambda.api.LambdaApi;

import java.nio.charset.StandardCharsets;

/** Synchronous Lambda invocations from API Gateway, through whichever provider serves Lambda. */
final class LambdaCalls {
    private LambdaCalls() {
    }

    record Result(byte[] payload, String functionError) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /**
     * The function an integration or authorizer URI names: the ARN inside
     * {@code arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations}, or the URI itself
     * (HTTP and WebSocket APIs also take a function ARN as it is).
     */
    static String functionArn(String uri) {
        if (uri == null) return null;
        int start = uri.indexOf("/functions/");
        if (start < 0 || !uri.endsWith("/invocations")) return uri;
        return uri.substring(start + "/functions/".length(), uri.length() - "/invocations".length());
    }

    /** The integration's time ran out before the function answered (AWS: 504 on REST APIs, 503 on HTTP APIs). */
    static final class TimedOut extends RuntimeException {
        TimedOut() {
            super("integration timed out", null, false, false);
        }
    }

    /**
     * As {@link #invoke(ProviderEnvironment, String, String, String, byte[])}, waiting at most {@code timeout} (the
     * integration's {@code timeoutInMillis}); the function itself runs on, as on AWS.
     */
    static Result invoke(ProviderEnvironment env, String accountId, String region, String functionArn, byte[] payload,
                         java.time.Duration timeout) {
        java.util.concurrent.CompletableFuture<Result> call = new java.util.concurrent.CompletableFuture<>();
        Thread.ofVirtual().name("apigateway-lambda-call").start(() -> {
            try {
                call.complete(invoke(env, accountId, region, functionArn, payload));
            } catch (Throwable t) {
                call.completeExceptionally(t);
            }
        });
        try {
            return call.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimedOut();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimedOut();
        }
    }

    /** The function's account and region come from its ARN when it has them, else the API's. */
    static Result invoke(ProviderEnvironment env, String accountId, String region, String functionArn, byte[] payload) {
        String[] arn = functionArn.split(":");
        String fnRegion = arn.length > 3 && !arn[3].isEmpty() ? arn[3] : region;
        String fnAccount = arn.length > 4 && !arn[4].isEmpty() ? arn[4] : accountId;
        InvocationResponse out = LambdaApi.client(env).invoke(RequestContext.internal(fnAccount, fnRegion, "lambda"),
                InvocationRequest.builder().functionName(functionArn).invocationType(InvocationType.REQUEST_RESPONSE).payload(payload).build());
        return new Result(out.payload() == null ? new byte[0] : out.payload(), out.functionError());
    }
}
