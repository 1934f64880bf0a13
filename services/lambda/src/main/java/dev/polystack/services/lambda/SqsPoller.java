package dev.polystack.services.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An SQS event source: receives up to the batch size (waiting up to the batching window), drops records the filter
 * criteria reject, invokes the function, then deletes what succeeded. A failed batch (or the items a function lists
 * in {@code batchItemFailures} with {@code ReportBatchItemFailures}) stays in the queue: it becomes visible again
 * after the visibility timeout and follows the queue's redrive policy, as on AWS.
 */
final class SqsPoller extends MappingPoller {
    private final ProviderEnvironment env;
    private String queueUrl;

    SqsPoller(Supplier<EventSourceMapping> mapping, ProviderEnvironment env, Invoker invoker, LambdaEngine engine) {
        super(mapping, invoker, engine);
        this.env = env;
    }

    @Override
    void sourceFailed() {
        queueUrl = null; // the queue may be gone, or recreated
    }

    @Override
    boolean pollOnce(EventSourceMapping m) {
        String[] arn = m.eventSourceArn().split(":", 6);
        RequestContext ctx = RequestContext.internal(arn[4], arn[3], "sqs");
        if (queueUrl == null) {
            queueUrl = String.valueOf(env.call(ctx, "sqs", "GetQueueUrl", Map.of("QueueName", arn[5],
                    "QueueOwnerAWSAccountId", arn[4])).get("QueueUrl"));
        }
        List<Map<String, Object>> batch = receive(ctx, queueUrl, m);
        if (!batch.isEmpty() && running) process(ctx, queueUrl, m, batch);
        return true; // the long poll did the waiting

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
        Invocation inv = invoke(m, event);
        if (!inv.succeeded()) return; // messages become visible again after their visibility timeout
        if (m.functionResponseTypes().contains("ReportBatchItemFailures")) {
            Set<String> failed = reportedFailures(inv.result().payload());
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
}
