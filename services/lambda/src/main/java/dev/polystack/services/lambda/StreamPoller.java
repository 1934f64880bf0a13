package dev.polystack.services.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.ServiceException;
import dev.polystack.services.lambda.StreamSource.StreamRecord;
import dev.polystack.services.lambda.executor.InvocationResult;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A stream event source (Kinesis, DynamoDB Streams): reads each shard in order from the starting position, in
 * batches of up to the batch size (waiting up to the batching window to fill one), drops what the filter criteria
 * reject, and invokes the function. A failed batch is retried in place, so a shard never skips ahead: split in
 * halves first with {@code BisectBatchOnFunctionError}, from the first reported item with
 * {@code ReportBatchItemFailures}; once the retry attempts are spent or its records are older than the maximum
 * record age, the batch is described to the on-failure destination and skipped, as on AWS.
 */
final class StreamPoller implements EventSourcePoller {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(StreamPoller.class.getName());
    /** How often an idle shard is read again, and how often the shard list is refreshed. */
    private static final long IDLE_POLL_MS = 250;
    private static final long SHARD_REFRESH_MS = 5_000;

    private final Supplier<EventSourceMapping> mapping;
    private final StreamSource source;
    private final Invoker invoker;
    private final LambdaEngine engine;
    /** The last sequence number handled per shard; it outlives the poller, so an updated mapping resumes there. */
    private final Map<String, String> checkpoints;
    private final Map<String, String> iterators = new LinkedHashMap<>();
    private final Map<String, Boolean> finished = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private Thread thread;
    private long shardsReadAt;

    StreamPoller(Supplier<EventSourceMapping> mapping, StreamSource source, Invoker invoker, LambdaEngine engine,
                 Map<String, String> checkpoints) {
        this.mapping = mapping;
        this.source = source;
        this.invoker = invoker;
        this.engine = engine;
        this.checkpoints = checkpoints;
    }

    /** Takes the shard iterators now, so that LATEST means "after what the stream holds when the mapping is made". */
    @Override
    public void start() {
        EventSourceMapping m = mapping.get();
        try {
            refreshShards(m);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "ESM " + m.uuid() + ": shards not read yet: " + e);
        }
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
                if (System.currentTimeMillis() - shardsReadAt > SHARD_REFRESH_MS) refreshShards(m);
                for (String shard : new ArrayList<>(iterators.keySet())) {
                    if (!running) return;
                    any |= pollShard(m, shard);
                }
            } catch (ServiceException e) {
                LOG.log(System.Logger.Level.DEBUG, "ESM " + m.uuid() + ": " + e.code() + " " + e.getMessage());
                shardsReadAt = 0; // the stream may be gone or resharded: list its shards again
                pause(1000);
            } catch (RuntimeException e) {
                if (!running) return;
                LOG.log(System.Logger.Level.WARNING, "ESM " + m.uuid() + " failed", e);
                pause(1000);
            }
            if (!any) pause(IDLE_POLL_MS);
        }
    }

    /** New shards start where the mapping starts (a resumed one after its checkpoint); the children of a split from their start. */
    private void refreshShards(EventSourceMapping m) {
        boolean first = shardsReadAt == 0 && iterators.isEmpty();
        for (String shard : source.shards()) {
            if (iterators.containsKey(shard) || finished.containsKey(shard)) continue;
            String checkpoint = checkpoints.get(shard);
            String it;
            if (checkpoint != null) {
                it = source.iterator(shard, "AFTER_SEQUENCE_NUMBER", checkpoint, null);
            } else if (first || m.startingPosition() == null) {
                String position = m.startingPosition() == null ? "TRIM_HORIZON" : m.startingPosition();
                it = source.iterator(shard, position, null, position.equals("AT_TIMESTAMP") ? m.startingPositionTimestamp() : null);
            } else {
                it = source.iterator(shard, "TRIM_HORIZON", null, null);
            }
            iterators.put(shard, it);
        }
        shardsReadAt = System.currentTimeMillis();
    }

    /** Reads one batch of a shard and hands it to the function; false when the shard had nothing new. */
    private boolean pollShard(EventSourceMapping m, String shard) {
        List<StreamRecord> batch = new ArrayList<>();
        String it = iterators.get(shard);
        String role = role(m);
        long deadline = System.nanoTime() + m.maximumBatchingWindowInSeconds() * 1_000_000_000L;
        while (it != null && running) {
            StreamSource.Batch b = source.read(shard, it, m.batchSize() - batch.size(), role);
            batch.addAll(b.records());
            it = b.nextIterator();
            if (batch.size() >= m.batchSize() || System.nanoTime() >= deadline) break;
            pause(Math.min(IDLE_POLL_MS, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
        if (it == null) {
            iterators.remove(shard);
            finished.put(shard, true); // a closed shard read to its end
        } else {
            iterators.put(shard, it);
        }
        if (batch.isEmpty()) return false;
        List<StreamRecord> kept = m.filters().isEmpty() ? batch : batch.stream().filter(r -> passes(m, r)).toList();
        if (!kept.isEmpty()) deliver(m, shard, kept);
        checkpoints.put(shard, batch.get(batch.size() - 1).sequenceNumber());
        return true;
    }

    /** Invokes until the batch succeeds, is given up (destination) or the mapping stops; bisects on error if asked. */
    private void deliver(EventSourceMapping m, String shard, List<StreamRecord> batch) {
        int attempts = 0;
        while (running) {
            List<StreamRecord> fresh = dropExpired(m, shard, batch, attempts);
            if (fresh.isEmpty()) return;
            batch = fresh;
            attempts++;
            Attempt a = invoke(m, batch);
            if (a.succeeded()) return;
            if (a.retryFrom() > 0) batch = batch.subList(a.retryFrom(), batch.size());
            int maxRetries = m.maximumRetryAttempts() == null ? -1 : m.maximumRetryAttempts();
            if (maxRetries >= 0 && attempts > maxRetries) {
                onFailure(m, shard, batch, a, attempts, "RetryAttemptsExhausted");
                return;
            }
            if (m.bisectBatchOnFunctionError() && batch.size() > 1) {
                int half = batch.size() / 2;
                deliver(m, shard, batch.subList(0, half));
                deliver(m, shard, batch.subList(half, batch.size()));
                return;
            }
            pause(Math.min(1000L * attempts, 5_000));
        }
    }

    /** Records past the maximum record age are not sent again: they go to the destination as AWS reports them. */
    private List<StreamRecord> dropExpired(EventSourceMapping m, String shard, List<StreamRecord> batch, int attempts) {
        Integer maxAge = m.maximumRecordAgeInSeconds();
        if (maxAge == null || maxAge < 0) return batch;
        Instant limit = Instant.now().minusSeconds(maxAge);
        List<StreamRecord> expired = batch.stream().filter(r -> r.arrival().isBefore(limit)).toList();
        if (expired.isEmpty()) return batch;
        onFailure(m, shard, expired, null, attempts, "RecordAgeExceeded");
        return batch.stream().filter(r -> !r.arrival().isBefore(limit)).toList();
    }

    /**
     * One invocation's outcome: success, or a failure with the index to retry from (AWS retries from the lowest
     * reported item with ReportBatchItemFailures; 0 retries the whole batch).
     */
    private record Attempt(boolean succeeded, int retryFrom, InvocationResult result, String requestId, String version) {
    }

    private Attempt invoke(EventSourceMapping m, List<StreamRecord> batch) {
        ArrayNode records = JSON.createArrayNode();
        batch.forEach(r -> records.add(r.event()));
        ObjectNode event = JSON.createObjectNode();
        event.set("Records", records);
        FunctionRef ref = FunctionRef.parse(m.functionArn(), null, m.account(), m.region());
        String requestId = UUID.randomUUID().toString();
        LambdaEngine.Found found;
        InvocationResult r;
        try {
            found = engine.resolveForInvoke(ref);
            r = invoker.run(found, ref, requestId, event.toString().getBytes(StandardCharsets.UTF_8), null, false);
        } catch (ServiceException e) {
            LOG.log(System.Logger.Level.DEBUG, "ESM " + m.uuid() + " invoke failed: " + e.getMessage());
            return new Attempt(false, 0, null, requestId, FunctionVersion.LATEST);
        }
        String version = found.version().version();
        if (r.failed()) return new Attempt(false, 0, r, requestId, version);
        if (!m.functionResponseTypes().contains("ReportBatchItemFailures")) return new Attempt(true, 0, r, requestId, version);
        int from = firstFailure(r.payload(), batch);
        return from < 0 ? new Attempt(true, 0, r, requestId, version) : new Attempt(false, from, r, requestId, version);
    }

    /**
     * The index of the first record the function reported as failed, -1 when none; 0 (the whole batch) when the
     * answer names an item that is not in the batch or is malformed, as AWS treats it.
     */
    private static int firstFailure(byte[] payload, List<StreamRecord> batch) {
        JsonNode answer;
        try {
            answer = payload == null || payload.length == 0 ? null : JSON.readTree(payload);
        } catch (Exception e) {
            return -1;
        }
        if (answer == null || !answer.isObject()) return -1;
        JsonNode failures = answer.get("batchItemFailures");
        if (failures == null || failures.isNull() || (failures.isArray() && failures.isEmpty())) return -1;
        if (!failures.isArray()) return 0;
        int lowest = Integer.MAX_VALUE;
        for (JsonNode f : failures) {
            JsonNode id = f.get("itemIdentifier");
            if (id == null || !id.isTextual() || id.asText().isEmpty()) return 0;
            int index = -1;
            for (int i = 0; i < batch.size(); i++) {
                if (batch.get(i).sequenceNumber().equals(id.asText())) index = i;
            }
            if (index < 0) return 0;
            lowest = Math.min(lowest, index);
        }
        return lowest;
    }

    /** Describes a batch given up to the mapping's on-failure destination (the records stay in the stream). */
    private void onFailure(EventSourceMapping m, String shard, List<StreamRecord> batch, Attempt a, int attempts,
                           String condition) {
        LOG.log(System.Logger.Level.DEBUG, "ESM " + m.uuid() + ": " + condition + ", " + batch.size() + " record(s) of "
                + shard + " skipped");
        if (m.onFailureDestination() == null) return;
        LambdaEngine.Found found;
        try {
            found = engine.resolveForInvoke(FunctionRef.parse(m.functionArn(), null, m.account(), m.region()));
        } catch (ServiceException e) {
            return;
        }
        ObjectNode record = JSON.createObjectNode();
        ObjectNode rc = record.putObject("requestContext");
        rc.put("requestId", a == null ? UUID.randomUUID().toString() : a.requestId());
        rc.put("functionArn", m.functionArn());
        rc.put("condition", condition);
        rc.put("approximateInvokeCount", attempts);
        ObjectNode resp = record.putObject("responseContext");
        resp.put("statusCode", 200);
        resp.put("executedVersion", a == null ? found.version().version() : a.version());
        if (a != null && a.result() != null && a.result().failed()) resp.put("functionError", a.result().functionError());
        else resp.putNull("functionError");
        record.put("version", "1.0");
        record.put("timestamp", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
        ObjectNode info = record.putObject(source.batchInfoName());
        info.put("shardId", shard);
        info.put("startSequenceNumber", batch.get(0).sequenceNumber());
        info.put("endSequenceNumber", batch.get(batch.size() - 1).sequenceNumber());
        info.put("approximateArrivalOfFirstRecord", batch.get(0).arrival().toString());
        info.put("approximateArrivalOfLastRecord", batch.get(batch.size() - 1).arrival().toString());
        info.put("batchSize", batch.size());
        info.put("streamArn", m.eventSourceArn());
        invoker.send(found.function(), m.onFailureDestination(), record.toString(), false);
    }

    private boolean passes(EventSourceMapping m, StreamRecord r) {
        // Kinesis filters see the record's kinesis fields with data decoded (when it is JSON); DynamoDB's the record
        ObjectNode subject = r.event().deepCopy();
        if (source.decodesData() && subject.get("kinesis") instanceof ObjectNode k) {
            subject = k;
            try {
                JsonNode data = JSON.readTree(Base64.getDecoder().decode(k.get("data").asText()));
                if (data != null && data.isObject()) subject.set("data", data);
            } catch (Exception ignored) {
                // data that is not JSON is matched as the base64 string
            }
        }
        return m.anyFilterMatches(subject);
    }

    private String role(EventSourceMapping m) {
        try {
            return engine.resolveForInvoke(FunctionRef.parse(m.functionArn(), null, m.account(), m.region()))
                    .version().config().role();
        } catch (ServiceException e) {
            return null;
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
