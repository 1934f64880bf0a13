package dev.polystack.services.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.RequestContext;
import dev.polystack.services.sqs.api.DeleteMessageBatchRequest;
import dev.polystack.services.sqs.api.DeleteMessageBatchRequestEntry;
import dev.polystack.services.sqs.api.GetQueueUrlRequest;
import dev.polystack.services.sqs.api.Message;
import dev.polystack.services.sqs.api.ReceiveMessageRequest;
import dev.polystack.services.sqs.api.ReceiveMessageResult;
import dev.polystack.services.sqs.api.SqsApi;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An SQS event source: receives up to the batch size (waiting up to the batching window), drops records the filter
 * criteria reject, invokes the function, then deletes what succeeded. A failed batch (or the items a function lists
 * in {@code batchItemFailures} with {@code ReportBatchItemFailures}) stays in the queue: it becomes visible again
 * after the visibility timeout and follows the queue's redrive policy, as on AWS.
 */
final class SqsPoller extends MappingPoller {
    private final SqsApi sqs;
    private String queueUrl;

    SqsPoller(Supplier<EventSourceMapping> mapping, SqsApi sqs, Invoker invoker, LambdaEngine engine) {
        super(mapping, invoker, engine);
        this.sqs = sqs;
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
            queueUrl = sqs.getQueueUrl(ctx, GetQueueUrlRequest.builder().queueName(arn[5]).queueOwnerAWSAccountId(arn[4])
                    .build()).queueUrl();
        }
        List<Message> batch = receive(ctx, queueUrl, m);
        if (!batch.isEmpty() && running) process(ctx, queueUrl, m, batch);
        return true; // the long poll did the waiting
    }

    /** Up to the batch size, waiting at most the batching window (a long poll of up to one second at a time). */
    private List<Message> receive(RequestContext ctx, String queueUrl, EventSourceMapping m) {
        List<Message> batch = new ArrayList<>();
        long deadline = System.nanoTime() + m.maximumBatchingWindowInSeconds() * 1_000_000_000L;
        do {
            int want = Math.min(10, m.batchSize() - batch.size());
            ReceiveMessageResult out = sqs.receiveMessage(ctx, ReceiveMessageRequest.builder().queueUrl(queueUrl)
                    .maxNumberOfMessages(want).waitTimeSeconds(1).messageSystemAttributeNames(List.of("All"))
                    .messageAttributeNames(List.of("All")).build());
            if (out.messages() != null) batch.addAll(out.messages());
            if (batch.isEmpty() && m.maximumBatchingWindowInSeconds() == 0) return batch;
        } while (running && batch.size() < m.batchSize() && System.nanoTime() < deadline);
        return batch;
    }

    private void process(RequestContext ctx, String queueUrl, EventSourceMapping m, List<Message> batch) {
        ArrayNode records = JSON.createArrayNode();
        List<Message> kept = new ArrayList<>();
        for (Message msg : batch) {
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
            delete(ctx, queueUrl, kept.stream().filter(msg -> !failed.contains(msg.messageId())).toList());
        } else {
            delete(ctx, queueUrl, kept);
        }
    }

    private void delete(RequestContext ctx, String queueUrl, List<Message> msgs) {
        for (int i = 0; i < msgs.size(); i += 10) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            List<Message> chunk = msgs.subList(i, Math.min(msgs.size(), i + 10));
            for (int j = 0; j < chunk.size(); j++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(j))
                        .receiptHandle(chunk.get(j).receiptHandle()).build());
            }
            sqs.deleteMessageBatch(ctx, DeleteMessageBatchRequest.builder().queueUrl(queueUrl).entries(entries).build());
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

    /** The message as Lambda hands it to a function (AWS's field names and order). */
    private static ObjectNode record(Message msg, EventSourceMapping m) {
        ObjectNode r = JSON.createObjectNode();
        r.put("messageId", msg.messageId());
        r.put("receiptHandle", msg.receiptHandle());
        r.put("body", String.valueOf(msg.body()));
        ObjectNode attrs = r.putObject("attributes");
        if (msg.attributes() != null) msg.attributes().forEach(attrs::put);
        ObjectNode mattrs = r.putObject("messageAttributes");
        if (msg.messageAttributes() != null) {
            msg.messageAttributes().forEach((k, val) -> {
                ObjectNode o = mattrs.putObject(k);
                if (val.stringValue() != null) o.put("stringValue", val.stringValue());
                if (val.binaryValue() != null) o.put("binaryValue", Base64.getEncoder().encodeToString(val.binaryValue()));
                o.putArray("stringListValues");
                o.putArray("binaryListValues");
                o.put("dataType", val.dataType());
            });
        }
        r.put("md5OfBody", msg.md5OfBody());
        if (msg.md5OfMessageAttributes() != null) r.put("md5OfMessageAttributes", msg.md5OfMessageAttributes());
        r.put("eventSource", "aws:sqs");
        r.put("eventSourceARN", m.eventSourceArn());
        r.put("awsRegion", m.eventSourceArn().split(":")[3]);
        return r;
    }
}
