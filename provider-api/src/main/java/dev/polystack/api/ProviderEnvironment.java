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

    /** A shared scheduler for timers (visibility timeouts, delays, retries). Tasks must be short. */
    ScheduledExecutorService scheduler();

    /** This service's own folder under the data directory (created on demand), for on-disk storage. */
    Path dataDirectory(String service);
}
