package dev.polystack.services.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.lambda.executor.InvocationResult;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * An SQS event source: receives up to the batch size (waiting up to the batching window), drops records the filter
 * criteria reject, invokes the function, then deletes what succeeded. A failed batch (or the items a function lists
 * in {@code batchItemFailures} with {@code ReportBatchItemFailures}) stays in the queue: it becomes visible again
 * after the visibility timeout and follows the queue's redrive policy, as on AWS.
 */
final class SqsPoller implements EventSourcePoller {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(SqsPoller.class.getName());

    private final Supplier<EventSourceMapping> mapping;
    private final ProviderEnvironment env;
    private final Invoker invoker;
    private final LambdaEngine engine;
    private volatile boolean running = true;
    private Thread thread;

    SqsPoller(Supplier<EventSourceMapping> mapping, ProviderEnvironment env, Invoker invoker, LambdaEngine engine) {
        this.mapping = mapping;
        this.env = env;
        this.invoker = invoker;
        this.engine = engine;
    }

    @Override
    public void start() {
        EventSourceMapping m = mapping.get();
        thread = Thread.ofVirtual().name("lambda-esm-" + m.uuid()).start(this::loop);
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) thread.interrupt();
    }

    private void loop() {
        String queueUrl = null;
        while (running) {
            EventSourceMapping m = mapping.get();
            if (m == null) return;
            String[] arn = m.eventSourceArn().split(":", 6);
            RequestContext ctx = RequestContext.internal(arn[4], arn[3], "sqs");
            try {
                if (queueUrl == null) {
                    queueUrl = String.valueOf(env.call(ctx, "sqs", "GetQueueUrl", Map.of("QueueName", arn[5],
                            "QueueOwnerAWSAccountId", arn[4])).get("QueueUrl"));
                }
                List<Map<String, Object>> batch = receive(ctx, queueUrl, m);
                if (batch.isEmpty() || !running) continue;
                process(ctx, queueUrl, m, batch);
            } catch (ServiceException e) {
                LOG.log(System.Logger.Level.DEBUG, "ESM " + m.uuid() + ": " + e.code() + " " + e.getMessage());
                queueUrl = null;
                pause(1000);
            } catch (RuntimeException e) {
                if (!running) return;
                LOG.log(System.Logger.Level.WARNING, "ESM " + m.uuid() + " failed", e);
                pause(1000);
            }
        }
    }

    /** Up to the batch size, waiting at most the batching window (a long poll of up to one second at a time). */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> receive(RequestContext ctx, String queueUrl, EventSourceMapping m) {
        List<Map<String, Object>> batch = new ArrayList<>();
        long deadline = System.nanoTime() + m.maximumBatchingWindowInSeconds() * 1_000_000_000L;
        do {
            int want = Math.min(10, m.batchSize() - batch.size());
            Map<String, Object> out = env.call(ctx, "sqs", "ReceiveMessage", Map.of("QueueUrl", queueUrl,
                    "MaxNumberOfMessages", want, "WaitTimeSeconds", 1,
                    "MessageSystemAttributeNames", List.of("All"), "MessageAttributeNames", List.of("All")));
            Object msgs = out.get("Messages");
            if (msgs instanceof List<?> l) l.forEach(x -> batch.add((Map<String, Object>) x));
            if (batch.isEmpty() && m.maximumBatchingWindowInSeconds() == 0) return batch;
        } while (running && batch.size() < m.batchSize() && System.nanoTime() < deadline);
        return batch;
    }

    private void process(RequestContext ctx, String queueUrl, EventSourceMapping m, List<Map<String, Object>> batch) {
        ArrayNode records = JSON.createArrayNode();
        List<Map<String, Object>> kept = new ArrayList<>();
        for (Map<String, Object> msg : batch) {
            ObjectNode record = record(msg, m);
            if (!m.filters().isEmpty() && !passes(m, record)) {
                delete(ctx, queueUrl, List.of(msg)); // AWS deletes SQS messages that no filter matches
                continue;
            }
            records.add(record);
            kept.add(msg);
        }
        if (kept.isEmpty()) return;
        ObjectNode event = JSON.createObjectNode();
        event.set("Records", records);
        FunctionRef ref = FunctionRef.parse(m.functionArn(), null, m.account(), m.region());
        InvocationResult r;
        try {
            LambdaEngine.Found found = engine.resolveForInvoke(ref);
            r = invoker.run(found, ref, UUID.randomUUID().toString(), event.toString().getBytes(StandardCharsets.UTF_8), null, false);
        } catch (ServiceException e) {
            LOG.log(System.Logger.Level.DEBUG, "ESM " + m.uuid() + " invoke failed: " + e.getMessage());
            return; // messages become visible again after their visibility timeout
        }
        if (r.failed()) return;
        if (m.functionResponseTypes().contains("ReportBatchItemFailures")) {
            Set<String> failed = batchItemFailures(r.payload());
            if (failed == null) return; // an unreadable answer counts as a failure of the whole batch
            List<Map<String, Object>> done = new ArrayList<>();
            for (Map<String, Object> msg : kept) {
                if (!failed.contains(String.valueOf(msg.get("MessageId")))) done.add(msg);
            }
            delete(ctx, queueUrl, done);
        } else {
            delete(ctx, queueUrl, kept);
        }
    }

    /** The ids a function reported as failed; null when the answer is malformed (then the whole batch failed). */
    private static Set<String> batchItemFailures(byte[] payload) {
        Set<String> out = new HashSet<>();
        try {
            JsonNode answer = JSON.readTree(payload);
            if (answer == null || answer.isNull() || !answer.isObject()) return out;
            JsonNode failures = answer.get("batchItemFailures");
            if (failures == null || failures.isNull()) return out;
            if (!failures.isArray()) return null;
            for (JsonNode f : failures) {
                JsonNode id = f.get("itemIdentifier");
                if (id == null || !id.isTextual() || id.asText().isEmpty()) return null;
                out.add(id.asText());
            }
            return out;
        } catch (Exception e) {
            return out;
        }
    }

    private void delete(RequestContext ctx, String queueUrl, List<Map<String, Object>> msgs) {
        for (int i = 0; i < msgs.size(); i += 10) {
            List<Object> entries = new ArrayList<>();
            List<Map<String, Object>> chunk = msgs.subList(i, Math.min(msgs.size(), i + 10));
            for (int j = 0; j < chunk.size(); j++) {
                entries.add(Map.of("Id", Integer.toString(j), "ReceiptHandle", chunk.get(j).get("ReceiptHandle")));
            }
            env.call(ctx, "sqs", "DeleteMessageBatch", Map.of("QueueUrl", queueUrl, "Entries", entries));
        }
    }

    private static boolean passes(EventSourceMapping m, ObjectNode record) {
        ObjectNode subject = record.deepCopy();
        try {
            JsonNode body = JSON.readTree(record.get("body").asText());
            if (body != null && body.isObject()) subject.set("body", body);
        } catch (Exception ignored) {
            // a body that is not JSON is matched as a string
        }
        return m.anyFilterMatches(subject);
    }

    @SuppressWarnings("unchecked")
    private static ObjectNode record(Map<String, Object> msg, EventSourceMapping m) {
        ObjectNode r = JSON.createObjectNode();
        r.put("messageId", String.valueOf(msg.get("MessageId")));
        r.put("receiptHandle", String.valueOf(msg.get("ReceiptHandle")));
        r.put("body", String.valueOf(msg.get("Body")));
        ObjectNode attrs = r.putObject("attributes");
        Object a = msg.get("Attributes");
        if (a instanceof Map<?, ?> am) am.forEach((k, v) -> attrs.put(String.valueOf(k), String.valueOf(v)));
        ObjectNode mattrs = r.putObject("messageAttributes");
        Object ma = msg.get("MessageAttributes");
        if (ma instanceof Map<?, ?> mam) {
            mam.forEach((k, v) -> {
                Map<String, Object> val = (Map<String, Object>) v;
                ObjectNode o = mattrs.putObject(String.valueOf(k));
                if (val.get("StringValue") != null) o.put("stringValue", String.valueOf(val.get("StringValue")));
                if (val.get("BinaryValue") instanceof byte[] b) o.put("binaryValue", Base64.getEncoder().encodeToString(b));
                o.putArray("stringListValues");
                o.putArray("binaryListValues");
                o.put("dataType", String.valueOf(val.get("DataType")));
            });
        }
        r.put("md5OfBody", String.valueOf(msg.get("MD5OfBody")));
        if (msg.get("MD5OfMessageAttributes") != null) r.put("md5OfMessageAttributes", String.valueOf(msg.get("MD5OfMessageAttributes")));
        r.put("eventSource", "aws:sqs");
        r.put("eventSourceARN", m.eventSourceArn());
        r.put("awsRegion", m.eventSourceArn().split(":")[3]);
        return r;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
