package dev.polystack.services.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.services.lambda.MappingProgress.Window;
import dev.polystack.services.lambda.StreamSource.StreamRecord;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A stream event source (Kinesis, DynamoDB Streams): reads each shard in order from the starting position (or
 * from its checkpoint), in batches of up to the batch size (waiting up to the batching window to fill one), drops
 * what the filter criteria reject, and invokes the function. A failed batch is retried in place, so a shard never
 * skips ahead: split in halves first with {@code BisectBatchOnFunctionError}, from the first reported item with
 * {@code ReportBatchItemFailures}; once the retry attempts are spent or its records are older than the maximum
 * record age, the batch is described to the on-failure destination and skipped, as on AWS.
 *
 * <p>With a {@code ParallelizationFactor} above 1 a batch is split by partition key over that many concurrent
 * invocations (one key always in the same one, so its records keep their order). With
 * {@code TumblingWindowInSeconds} records are grouped in windows of their arrival time: each invocation gets the
 * window and the state the previous one returned, and a last invocation ({@code isFinalInvokeForWindow}) closes it.
 */
final class StreamPoller extends MappingPoller {
    private static final System.Logger LOG = System.getLogger(StreamPoller.class.getName());
    /** How often the shard list is refreshed (a reshard adds shards). */
    private static final long SHARD_REFRESH_MS = 5_000;
    /** AWS's limit of a tumbling window's state per shard: beyond it the window is terminated early. */
    static final int MAX_WINDOW_STATE_BYTES = 1024 * 1024;
    private static final DateTimeFormatter S3_DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter S3_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH.mm.ss").withZone(ZoneOffset.UTC);

    private final StreamSource source;
    private final MappingProgress progress;
    private final Map<String, String> iterators = new LinkedHashMap<>();
    private final Map<String, Boolean> finished = new ConcurrentHashMap<>();
    private long shardsReadAt;

    StreamPoller(Supplier<EventSourceMapping> mapping, StreamSource source, Invoker invoker, LambdaEngine engine,
                 MappingProgress progress) {
        super(mapping, invoker, engine);
        this.source = source;
        this.progress = progress;
    }

    /** Takes the shard iterators now, so that LATEST means "after what the stream holds when the mapping is made". */
    @Override
    void beforeStart(EventSourceMapping m) {
        try {
            refreshShards(m);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "ESM " + m.uuid() + ": shards not read yet: " + e);
        }
    }

    @Override
    void sourceFailed() {
        shardsReadAt = 0; // the stream may be gone or resharded: list its shards again
    }

    @Override
    boolean pollOnce(EventSourceMapping m) {
        if (System.currentTimeMillis() - shardsReadAt > SHARD_REFRESH_MS) refreshShards(m);
        boolean any = false;
        for (String shard : new ArrayList<>(iterators.keySet())) {
            if (!running) return any;
            any |= pollShard(m, shard);
        }
        return any;
    }

    /** New shards start where the mapping starts (a resumed one after its checkpoint); the children of a split from their start. */
    private void refreshShards(EventSourceMapping m) {
        boolean first = shardsReadAt == 0 && iterators.isEmpty();
        for (String shard : source.shards()) {
            if (iterators.containsKey(shard) || finished.containsKey(shard)) continue;
            String checkpoint = progress.checkpoint(shard);
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
        if (batch.isEmpty()) {
            closeWindowIfOver(m, shard);
            if (it == null) shardDone(shard);
            return false;
        }
        List<StreamRecord> kept = m.filters().isEmpty() ? batch : batch.stream().filter(r -> passes(m, r)).toList();
        boolean settled = kept.isEmpty() || deliverInLanes(m, shard, kept);
        if (!settled) return true; // stopped mid-batch: the next poller starts again after the last checkpoint
        progress.checkpoint(shard, batch.get(batch.size() - 1).sequenceNumber());
        if (it == null) {
            shardDone(shard);
        } else {
            iterators.put(shard, it);
        }
        return true;
    }

    /** A closed shard read to its end. */
    private void shardDone(String shard) {
        iterators.remove(shard);
        finished.put(shard, true);
    }

    /**
     * Invokes until the batch succeeds or is given up (to the destination); true then, false when the mapping
     * stopped first. Bisects on error if asked.
     */
    private boolean deliver(EventSourceMapping m, String shard, List<StreamRecord> batch, String windowKey) {
        int attempts = 0;
        while (running) {
            List<StreamRecord> fresh = dropExpired(m, shard, batch, attempts);
            if (fresh.isEmpty()) return true;
            batch = fresh;
            attempts++;
            Attempt a = attempt(m, shard, batch, windowKey);
            if (a.retryFrom() < 0) {
                progress.lastProcessingResult(MappingProgress.OK);
                return true;
            }
            progress.lastProcessingResult(MappingProgress.FUNCTION_FAILED);
            if (a.retryFrom() > 0) batch = batch.subList(a.retryFrom(), batch.size());
            int maxRetries = m.maximumRetryAttempts() == null ? -1 : m.maximumRetryAttempts();
            if (maxRetries >= 0 && attempts > maxRetries) {
                onFailure(m, shard, batch, a.invocation(), attempts, "RetryAttemptsExhausted");
                return true;
            }
            if (m.bisectBatchOnFunctionError() && batch.size() > 1) {
                int half = batch.size() / 2;
                return deliver(m, shard, batch.subList(0, half), windowKey)
                        && deliver(m, shard, batch.subList(half, batch.size()), windowKey);
            }
            pause(Math.min(1000L * attempts, 5_000));
        }
        return false;
    }

    /**
     * Concurrent invocations for the batch's partition keys, {@code ParallelizationFactor} at most (one key always in
     * the same lane, so its records keep their order); true once all settled. With a tumbling window each lane keeps
     * a window and state of its own ({@code shard#lane}), as each of AWS's concurrent batches does.
     */
    private boolean deliverInLanes(EventSourceMapping m, String shard, List<StreamRecord> batch) {
        int factor = m.parallelizationFactor();
        if (factor <= 1) return deliverInLane(m, shard, shard, batch);
        List<List<StreamRecord>> lanes = new ArrayList<>();
        for (int i = 0; i < factor; i++) lanes.add(new ArrayList<>());
        for (StreamRecord r : batch) lanes.get(Math.floorMod(r.partitionKey().hashCode(), factor)).add(r);
        AtomicBoolean settled = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < factor; i++) {
            List<StreamRecord> lane = lanes.get(i);
            if (lane.isEmpty()) continue;
            String windowKey = shard + "#" + i;
            threads.add(Thread.ofVirtual().name("lambda-esm-" + m.uuid() + "-lane").start(() -> {
                if (!deliverInLane(m, shard, windowKey, lane)) settled.set(false);
            }));
        }
        try {
            for (Thread t : threads) t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return settled.get();
    }

    private boolean deliverInLane(EventSourceMapping m, String shard, String windowKey, List<StreamRecord> batch) {
        return m.tumblingWindowInSeconds() > 0 ? deliverInWindows(m, shard, windowKey, batch) : deliver(m, shard, batch, null);
    }

    // ------------------------------------------------------------------ tumbling windows

    /** Splits the batch by window of arrival; a record of a later window first closes the open one. */
    private boolean deliverInWindows(EventSourceMapping m, String shard, String windowKey, List<StreamRecord> batch) {
        int seconds = m.tumblingWindowInSeconds();
        int i = 0;
        while (i < batch.size()) {
            Instant start = windowStart(batch.get(i).arrival(), seconds);
            int j = i;
            while (j < batch.size() && windowStart(batch.get(j).arrival(), seconds).equals(start)) j++;
            Window open = progress.window(windowKey);
            if (open != null && !open.start().equals(start)) {
                finalInvoke(m, shard, windowKey, open, false);
                open = null;
            }
            if (open == null) progress.window(windowKey, new Window(start, start.plusSeconds(seconds), "{}"));
            if (!deliver(m, shard, batch.subList(i, j), windowKey)) return false;
            i = j;
        }
        return true;
    }

    private static Instant windowStart(Instant arrival, int seconds) {
        long s = arrival.getEpochSecond();
        return Instant.ofEpochSecond(s - Math.floorMod(s, seconds));
    }

    /** An idle shard whose windows have ended gets each window's last invocation now. */
    private void closeWindowIfOver(EventSourceMapping m, String shard) {
        progress.windowsOf(shard).forEach((key, open) -> {
            if (!Instant.now().isBefore(open.end())) finalInvoke(m, shard, key, open, false);
        });
    }

    /**
     * The window's last invocation: no records, its state, {@code isFinalInvokeForWindow}; its answer ends the window.
     * {@code terminatedEarly}: the state outgrew AWS's limit, so the window ends before its time (the records that
     * follow continue it with a fresh state).
     */
    private void finalInvoke(EventSourceMapping m, String shard, String windowKey, Window window, boolean terminatedEarly) {
        Invocation inv = invoke(m, event(m, shard, List.of(), window, true, terminatedEarly));
        if (!inv.succeeded()) LOG.log(System.Logger.Level.DEBUG, "ESM " + m.uuid() + ": final invocation of a window failed");
        progress.closeWindow(windowKey);
    }

    // ------------------------------------------------------------------ one invocation

    /**
     * One invocation's outcome: {@code retryFrom} -1 when it succeeded, else the index to retry from (AWS retries
     * from the lowest reported item with ReportBatchItemFailures; 0 retries the whole batch).
     */
    private record Attempt(int retryFrom, Invocation invocation) {
    }

    private Attempt attempt(EventSourceMapping m, String shard, List<StreamRecord> batch, String windowKey) {
        Invocation inv = invoke(m, event(m, shard, batch, windowKey == null ? null : progress.window(windowKey), false, false));
        if (!inv.succeeded()) return new Attempt(0, inv);
        byte[] answer = inv.result().payload();
        if (windowKey != null) keepWindowState(m, shard, windowKey, answer);
        if (!m.functionResponseTypes().contains("ReportBatchItemFailures")) return new Attempt(-1, inv);
        Set<String> failed = reportedFailures(answer);
        if (failed == null) return new Attempt(0, inv);
        if (failed.isEmpty()) return new Attempt(-1, inv);
        int lowest = Integer.MAX_VALUE;
        for (String id : failed) {
            int index = -1;
            for (int i = 0; i < batch.size(); i++) {
                if (batch.get(i).sequenceNumber().equals(id)) index = i;
            }
            if (index < 0) return new Attempt(0, inv); // an item not in the batch: AWS retries all of it
            lowest = Math.min(lowest, index);
        }
        return new Attempt(lowest, inv);
    }

    /** The event a function receives: the records, and with a tumbling window its bounds, state and shard. */
    private ObjectNode event(EventSourceMapping m, String shard, List<StreamRecord> batch, Window window, boolean last,
                             boolean terminatedEarly) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        batch.forEach(r -> records.add(r.event()));
        if (window != null) {
            ObjectNode w = event.putObject("window");
            w.put("start", window.start().toString());
            w.put("end", window.end().toString());
            event.set("state", parseOr(window.state(), JSON.createObjectNode()));
            event.put("shardId", shard);
            event.put("eventSourceARN", m.eventSourceArn());
            event.put("isFinalInvokeForWindow", last);
            event.put("isWindowTerminatedEarly", terminatedEarly);
        }
        return event;
    }

    /**
     * The {@code state} a function returned is what the next invocation in the window receives. A state over AWS's
     * 1 MB ends the window early: a final invocation gets it ({@code isWindowTerminatedEarly}), and the window goes on
     * with a fresh state.
     */
    private void keepWindowState(EventSourceMapping m, String shard, String windowKey, byte[] answer) {
        Window open = progress.window(windowKey);
        if (open == null) return;
        JsonNode parsed = parseOr(answer == null ? null : new String(answer, StandardCharsets.UTF_8), null);
        JsonNode state = parsed != null && parsed.isObject() ? parsed.get("state") : null;
        if (state == null || !state.isObject()) return;
        String text = state.toString();
        if (text.getBytes(StandardCharsets.UTF_8).length <= MAX_WINDOW_STATE_BYTES) {
            progress.window(windowKey, open.withState(text));
            return;
        }
        finalInvoke(m, shard, windowKey, open.withState(text), true);
        progress.window(windowKey, open.withState("{}"));
    }

    private static JsonNode parseOr(String json, JsonNode fallback) {
        try {
            return json == null || json.isEmpty() ? fallback : JSON.readTree(json);
        } catch (Exception e) {
            return fallback;
        }
    }

    // ------------------------------------------------------------------ giving a batch up

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
     * Describes a batch given up to the mapping's on-failure destination (the records stay in the stream); an S3
     * destination also gets the event itself ({@code payload}), under AWS's key.
     */
    private void onFailure(EventSourceMapping m, String shard, List<StreamRecord> batch, Invocation inv, int attempts,
                           String condition) {
        LOG.log(System.Logger.Level.DEBUG, "ESM " + m.uuid() + ": " + condition + ", " + batch.size() + " record(s) of "
                + shard + " skipped");
        if (m.onFailureDestination() == null) return;
        LambdaEngine.Found found = target(m);
        if (found == null) return;
        ObjectNode record = JSON.createObjectNode();
        ObjectNode rc = record.putObject("requestContext");
        rc.put("requestId", inv == null ? UUID.randomUUID().toString() : inv.requestId());
        rc.put("functionArn", m.functionArn());
        rc.put("condition", condition);
        rc.put("approximateInvokeCount", attempts);
        ObjectNode resp = record.putObject("responseContext");
        resp.put("statusCode", 200);
        resp.put("executedVersion", inv == null ? found.version().version() : inv.executedVersion());
        if (inv != null && inv.result() != null && inv.result().failed()) resp.put("functionError", inv.result().functionError());
        else resp.putNull("functionError");
        record.put("version", "1.0");
        Instant now = Instant.now();
        record.put("timestamp", now.truncatedTo(ChronoUnit.MILLIS).toString());
        ObjectNode info = record.putObject(source.batchInfoName());
        info.put("shardId", shard);
        info.put("startSequenceNumber", batch.get(0).sequenceNumber());
        info.put("endSequenceNumber", batch.get(batch.size() - 1).sequenceNumber());
        info.put("approximateArrivalOfFirstRecord", batch.get(0).arrival().toString());
        info.put("approximateArrivalOfLastRecord", batch.get(batch.size() - 1).arrival().toString());
        info.put("batchSize", batch.size());
        info.put("streamArn", m.eventSourceArn());
        if (m.onFailureDestination().startsWith("arn:") && m.onFailureDestination().split(":", 6)[2].equals("s3")) {
            record.set("payload", event(m, shard, batch, null, false, false));
            String key = "aws/lambda/" + m.uuid() + "/" + shard + "/" + S3_DAY.format(now) + "/" + S3_TIME.format(now)
                    + "-" + UUID.randomUUID();
            invoker.calls.putObject(found.function(), m.onFailureDestination(), key, record.toString());
        } else {
            invoker.calls.send(found.function(), m.onFailureDestination(), record.toString(), false);
        }
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
        LambdaEngine.Found found = target(m);
        return found == null ? null : found.version().config().role();
    }
}
