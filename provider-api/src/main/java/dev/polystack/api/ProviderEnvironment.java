package dev.polystack.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/** What the gateway offers a provider: settings, shared executors, and calls to other services. */
public interface ProviderEnvironment {

    /** The configuration, read from the environment with LocalStack's variable names. */
    Config config();

    /**
     * Calls another service's operation in process, through whichever provider serves it
     * (SNS delivering to SQS, S3 notifications, ...). The context gives account and region.
     */
    Map<String, Object> call(RequestContext context, String service, String operation, Map<String, Object> input);

    /**
     * A typed call of another service's operation ({@code SqsApi.client(env).sendMessage(ctx, request)} comes here):
     * the request becomes a parameter tree, {@link #call(RequestContext, String, String, Map)} serves it through
     * whichever provider serves the service, and its answer becomes the typed result (null for no output). The
     * gateway's environment skips both conversions when the target implements the typed interface itself.
     */
    @SuppressWarnings("unchecked")
    default Object call(RequestContext context, dev.polystack.api.model.Operation<?> operation, Object request) {
        Map<String, Object> input = operation.input() == null ? Map.of()
                : dev.polystack.api.model.TreeConverter.toTree((dev.polystack.api.model.Shape<Object>) operation.input(), request);
        Map<String, Object> output = call(context, operation.service(), operation.name(), input);
        return operation.output() == null ? null : dev.polystack.api.model.TreeConverter.fromTree(operation.output(), output);
    }

    /** A shared scheduler for timers (visibility timeouts, delays, retries). Tasks must be short. */
    ScheduledExecutorService scheduler();

    /** This service's own folder under the data directory (created on demand), for on-disk storage. */
    Path dataDirectory(String service);

    /**
     * Routes every request whose {@code Host} header names {@code host} (any case, any port) to {@code service}, ahead
     * of the usual routing: API Gateway's custom domain names. {@code service} null releases the claim.
     */
    default void claimHost(String host, String service) {
    }

    /**
     * Tells persistence that {@code service}'s state changed outside a request (a timer, a retry queued by a
     * background delivery), so that {@code PERSISTENCE=1} saves it as it saves state a request changed.
     */
    default void stateChanged(String service) {
    }
}
