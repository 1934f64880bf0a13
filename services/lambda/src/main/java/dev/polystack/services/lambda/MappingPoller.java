package dev.polystack.services.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.ServiceException;
import dev.polystack.services.lambda.executor.InvocationResult;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What every event source mapping's poller shares: one virtual thread that polls while the mapping exists and is
 * running, backs off after a failure of the source, invokes the mapping's function with an event, and reads the
 * {@code batchItemFailures} a function reports. {@link SqsPoller} and {@link StreamPoller} add how their source is
 * read and what a failure means for it.
 */
abstract class MappingPoller implements EventSourcePoller {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(MappingPoller.class.getName());
    /** How long the loop waits after a round that found nothing, and after the source failed. */
    static final long IDLE_POLL_MS = 250;
    private static final long FAILURE_BACKOFF_MS = 1000;

    final Supplier<EventSourceMapping> mapping;
    final Invoker invoker;
    final LambdaEngine engine;
    volatile boolean running = true;
    private Thread thread;

    MappingPoller(Supplier<EventSourceMapping> mapping, Invoker invoker, LambdaEngine engine) {
        this.mapping = mapping;
        this.invoker = invoker;
        this.engine = engine;
    }

    /** One round of polling; false when the source had nothing new (the loop then waits a little). */
    abstract boolean pollOnce(EventSourceMapping m);

    /** Called on the request that creates or enables the mapping, before the thread starts. */
    void beforeStart(EventSourceMapping m) {
    }

    /** The source answered an error: whatever the poller cached about it (a queue URL, shard iterators) is stale. */
    void sourceFailed() {
    }

    @Override
    public final void start() {
        EventSourceMapping m = mapping.get();
        beforeStart(m);
        thread = Thread.ofVirtual().name("lambda-esm-" + m.uuid()).start(this::loop);
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) thread.interrupt();
    }

    private void loop() {
        while (running) {
            EventSourceMapping m = mapping.get();
            if (m == null) return;
            boolean any = false;
            try {
                any = pollOnce(m);
            } catch (ServiceException e) {
                LOG.log(System.Logger.Level.DEBUG, "ESM " + m.uuid() + ": " + e.code() + " " + e.getMessage());
                sourceFailed();
                pause(FAILURE_BACKOFF_MS);
            } catch (RuntimeException e) {
                if (!running) return;
                LOG.log(System.Logger.Level.WARNING, "ESM " + m.uuid() + " failed", e);
                pause(FAILURE_BACKOFF_MS);
            }
            if (!any && running) pause(IDLE_POLL_MS);
        }
    }

    /** One invocation's outcome: the result (null when the function could not be run at all) and what ran. */
    record Invocation(InvocationResult result, String requestId, String executedVersion) {
        boolean succeeded() {
            return result != null && !result.failed();
        }
    }

    /** Invokes the mapping's function (its qualifier as mapped) synchronously with {@code event}. */
    Invocation invoke(EventSourceMapping m, ObjectNode event) {
        FunctionRef ref = FunctionRef.parse(m.functionArn(), null, m.account(), m.region());
        String requestId = UUID.randomUUID().toString();
        try {
            LambdaEngine.Found found = engine.resolveForInvoke(ref);
            InvocationResult r = invoker.run(found, ref, requestId, event.toString().getBytes(StandardCharsets.UTF_8), null, false);
            return new Invocation(r, requestId, found.version().version());
        } catch (ServiceException e) {
            LOG.log(System.Logger.Level.DEBUG, "ESM " + m.uuid() + " invoke failed: " + e.getMessage());
            return new Invocation(null, requestId, FunctionVersion.LATEST);
        }
    }

    /** The function (and version) a mapping invokes, null when it is gone. */
    LambdaEngine.Found target(EventSourceMapping m) {
        try {
            return engine.resolveForInvoke(FunctionRef.parse(m.functionArn(), null, m.account(), m.region()));
        } catch (ServiceException e) {
            return null;
        }
    }

    /**
     * The item identifiers a function listed in {@code batchItemFailures} (ReportBatchItemFailures): empty when it
     * reported none or answered something other than an object, null when the list is malformed (an entry without
     * an identifier, or not a list), which AWS treats as a failure of the whole batch.
     */
    static Set<String> reportedFailures(byte[] payload) {
        JsonNode answer;
        try {
            answer = payload == null || payload.length == 0 ? null : JSON.readTree(payload);
        } catch (Exception e) {
            return Set.of();
        }
        if (answer == null || !answer.isObject()) return Set.of();
        JsonNode failures = answer.get("batchItemFailures");
        if (failures == null || failures.isNull()) return Set.of();
        if (!failures.isArray()) return null;
        Set<String> out = new HashSet<>();
        for (JsonNode f : failures) {
            JsonNode id = f.get("itemIdentifier");
            if (id == null || !id.isTextual() || id.asText().isEmpty()) return null;
            out.add(id.asText());
        }
        return out;
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
