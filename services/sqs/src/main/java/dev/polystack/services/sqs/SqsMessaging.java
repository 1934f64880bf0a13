package dev.polystack.services.sqs;

import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.model.TreeConverter;
import dev.polystack.services.sqs.api.BatchResultErrorEntry;
import dev.polystack.services.sqs.api.ChangeMessageVisibilityBatchRequest;
import dev.polystack.services.sqs.api.ChangeMessageVisibilityBatchRequestEntry;
import dev.polystack.services.sqs.api.ChangeMessageVisibilityBatchResult;
import dev.polystack.services.sqs.api.ChangeMessageVisibilityBatchResultEntry;
import dev.polystack.services.sqs.api.ChangeMessageVisibilityRequest;
import dev.polystack.services.sqs.api.DeleteMessageBatchRequest;
import dev.polystack.services.sqs.api.DeleteMessageBatchRequestEntry;
import dev.polystack.services.sqs.api.DeleteMessageBatchResult;
import dev.polystack.services.sqs.api.DeleteMessageBatchResultEntry;
import dev.polystack.services.sqs.api.DeleteMessageRequest;
import dev.polystack.services.sqs.api.Message;
import dev.polystack.services.sqs.api.MessageAttributeValue;
import dev.polystack.services.sqs.api.ReceiveMessageRequest;
import dev.polystack.services.sqs.api.ReceiveMessageResult;
import dev.polystack.services.sqs.api.SendMessageBatchRequest;
import dev.polystack.services.sqs.api.SendMessageBatchRequestEntry;
import dev.polystack.services.sqs.api.SendMessageBatchResult;
import dev.polystack.services.sqs.api.SendMessageBatchResultEntry;
import dev.polystack.services.sqs.api.SendMessageRequest;
import dev.polystack.services.sqs.api.SendMessageResult;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

import static dev.polystack.services.sqs.SqsResources.orEmpty;
import static dev.polystack.services.sqs.SqsResources.overrideHeader;
import static dev.polystack.services.sqs.SqsResources.traceHeader;

/**
 * Messages: send (single and batch), receive with the attributes asked for, delete and change visibility (single
 * and batch), over the queue engine {@link SqsQueue}; LocalStack's override headers lift ReceiveMessage's limits.
 */
final class SqsMessaging {
    /** LocalStack's headers for ReceiveMessage beyond SQS's limits (see its SQS developer documentation). */
    static final String OVERRIDE_MESSAGE_COUNT = "x-localstack-sqs-override-message-count";
    static final String OVERRIDE_WAIT_TIME_SECONDS = "x-localstack-sqs-override-wait-time-seconds";

    private final SqsResources resources;
    private final AccountRegionStore<SqsStore> stores;
    private final LongSupplier clock;

    SqsMessaging(SqsResources resources, LongSupplier clock) {
        this.resources = resources;
        this.stores = resources.stores;
        this.clock = clock;
    }

    SendMessageResult sendMessage(RequestContext ctx, SendMessageRequest in) {
        SqsQueue q = queue(ctx, in.queueUrl());
        MessageFactory.Draft draft = MessageFactory.create(q, in.messageBody(), in.messageAttributes(),
                in.messageSystemAttributes(), in.delaySeconds(), in.messageGroupId(), in.messageDeduplicationId(),
                ctx.accountId(), false, clock.getAsLong(), traceHeader(ctx));
        SqsQueue.SendResult r = q.send(draft.message(), draft.delaySeconds());
        SqsMessage m = draft.message();
        return SendMessageResult.builder().md5OfMessageBody(m.md5OfBody).md5OfMessageAttributes(m.md5OfAttributes)
                .md5OfMessageSystemAttributes(m.md5OfSystemAttributes).messageId(r.messageId())
                .sequenceNumber(r.sequenceNumber()).build();
    }

    SendMessageBatchResult sendMessageBatch(RequestContext ctx, SendMessageBatchRequest in) {
        SqsQueue q = queue(ctx, in.queueUrl());
        List<SendMessageBatchRequestEntry> entries = batchEntries(ctx, in.entries(), SendMessageBatchRequestEntry::id,
                "SendMessageBatchRequestEntry");
        long now = clock.getAsLong();
        // FIFO requirements fail the whole request, as on AWS.
        if (q.fifo) {
            boolean contentDedup = "true".equals(q.attribute("ContentBasedDeduplication"));
            for (SendMessageBatchRequestEntry e : entries) {
                if (e.messageGroupId() == null) {
                    throw SqsErrors.invalidParameterValue("The request must contain the parameter MessageGroupId.");
                }
                if (e.messageDeduplicationId() == null && !contentDedup) {
                    throw SqsErrors.invalidParameterValue("The queue should either have ContentBasedDeduplication enabled "
                            + "or MessageDeduplicationId provided explicitly");
                }
            }
        }
        List<SendMessageBatchResultEntry> successful = new ArrayList<>();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        List<MessageFactory.Draft> drafts = new ArrayList<>(entries.size());
        long total = 0;
        for (SendMessageBatchRequestEntry e : entries) {
            try {
                MessageFactory.Draft d = MessageFactory.create(q, e.messageBody(), e.messageAttributes(),
                        e.messageSystemAttributes(), e.delaySeconds(), e.messageGroupId(), e.messageDeduplicationId(),
                        ctx.accountId(), true, now, traceHeader(ctx));
                drafts.add(d);
                total += d.size();
            } catch (ServiceException ex) {
                drafts.add(null);
                failed.add(failure(e.id(), ex));
                if (e.messageBody() != null) total += e.messageBody().length();
            }
        }
        if (total > SqsLimits.MAX_MESSAGE_SIZE) throw SqsErrors.batchRequestTooLong(total);
        for (int i = 0; i < entries.size(); i++) {
            MessageFactory.Draft d = drafts.get(i);
            if (d == null) continue;
            try {
                SqsQueue.SendResult r = q.send(d.message(), d.delaySeconds());
                SqsMessage m = d.message();
                successful.add(SendMessageBatchResultEntry.builder().id(entries.get(i).id()).md5OfMessageBody(m.md5OfBody)
                        .md5OfMessageAttributes(m.md5OfAttributes).md5OfMessageSystemAttributes(m.md5OfSystemAttributes)
                        .messageId(r.messageId()).sequenceNumber(r.sequenceNumber()).build());
            } catch (ServiceException ex) {
                failed.add(failure(entries.get(i).id(), ex));
            }
        }
        return SendMessageBatchResult.builder().successful(successful).failed(failed.isEmpty() ? null : failed).build(); // AWS leaves an empty Failed out
    }

    ReceiveMessageResult receiveMessage(RequestContext ctx, ReceiveMessageRequest in) {
        SqsQueue q = queue(ctx, in.queueUrl());
        Integer max = in.maxNumberOfMessages();
        if (max != null && (max < 1 || max > SqsLimits.MAX_RECEIVE_MESSAGES)) {
            throw SqsErrors.invalidParameter("MaxNumberOfMessages", max, "Must be between 1 and 10, if provided.");
        }
        Integer wait = in.waitTimeSeconds();
        if (wait != null && (wait < 0 || wait > SqsLimits.MAX_WAIT_TIME_SECONDS)) {
            throw SqsErrors.invalidParameter("WaitTimeSeconds", wait, "Must be >= 0 and <= 20, if provided.");
        }
        Integer visibility = in.visibilityTimeout();
        if (visibility != null && (visibility < 0 || visibility > SqsLimits.MAX_VISIBILITY_TIMEOUT)) {
            throw SqsErrors.invalidParameter("VisibilityTimeout", visibility, "Must be >= 0 and <= 43200, if provided.");
        }
        int waitSeconds = wait != null ? wait : Integer.parseInt(q.attribute("ReceiveMessageWaitTimeSeconds"));
        int count = max != null ? max : 1;
        // LocalStack's override headers lift SQS's limits of 10 messages and 20 s (tests that drain big queues);
        // with the wait override a long poll gathers messages until it has the count or the time is up.
        Integer countOverride = overrideHeader(ctx, OVERRIDE_MESSAGE_COUNT);
        Integer waitOverride = overrideHeader(ctx, OVERRIDE_WAIT_TIME_SECONDS);
        if (countOverride != null) count = countOverride;
        if (waitOverride != null) waitSeconds = waitOverride;
        SqsStore store = stores.get(q.accountId, q.region);
        List<SqsQueue.Delivery> deliveries = q.receive(count, visibility, waitSeconds,
                in.receiveRequestAttemptId(), store::byArn, waitOverride != null);
        if (deliveries.isEmpty()) return ReceiveMessageResult.builder().build();
        Set<String> systemNames = new HashSet<>(orEmpty(in.attributeNamesAsStrings()));
        systemNames.addAll(orEmpty(in.messageSystemAttributeNamesAsStrings()));
        List<String> attributeNames = orEmpty(in.messageAttributeNames());
        List<Message> messages = new ArrayList<>(deliveries.size());
        for (SqsQueue.Delivery d : deliveries) {
            messages.add(message(d.message(), d.receiptHandle(), d.receiveCount(), d.firstReceiveTimestamp(),
                    d.sequenceNumber(), systemNames, attributeNames));
        }
        return ReceiveMessageResult.builder().messages(messages).build();
    }

    /** {@link #message} as a parameter tree, for the developer endpoint. */
    static Map<String, Object> messageTree(SqsMessage m, String receiptHandle, int receiveCount, long firstReceive,
                                           String sequenceNumber, Set<String> systemNames, List<String> attributeNames) {
        return TreeConverter.toTree(Message.SHAPE,
                message(m, receiptHandle, receiveCount, firstReceive, sequenceNumber, systemNames, attributeNames));
    }

    /** One Message structure of ReceiveMessage's output, with the attributes asked for. */
    static Message message(SqsMessage m, String receiptHandle, int receiveCount, long firstReceive,
                           String sequenceNumber, Set<String> systemNames, List<String> attributeNames) {
        Message.Builder out = Message.builder().messageId(m.messageId).receiptHandle(receiptHandle).md5OfBody(m.md5OfBody)
                .body(m.body);
        if (!systemNames.isEmpty()) {
            boolean all = systemNames.contains("All");
            Map<String, String> attrs = new LinkedHashMap<>();
            if (all || systemNames.contains("SenderId")) attrs.put("SenderId", m.senderId);
            if (all || systemNames.contains("SentTimestamp")) attrs.put("SentTimestamp", String.valueOf(m.sentTimestamp));
            if (all || systemNames.contains("ApproximateReceiveCount")) attrs.put("ApproximateReceiveCount", String.valueOf(receiveCount));
            if ((all || systemNames.contains("ApproximateFirstReceiveTimestamp")) && firstReceive != 0) {
                attrs.put("ApproximateFirstReceiveTimestamp", String.valueOf(firstReceive));
            }
            if (sequenceNumber != null && (all || systemNames.contains("SequenceNumber"))) attrs.put("SequenceNumber", sequenceNumber);
            if (m.deduplicationId != null && (all || systemNames.contains("MessageDeduplicationId"))) {
                attrs.put("MessageDeduplicationId", m.deduplicationId);
            }
            if (m.groupId != null && (all || systemNames.contains("MessageGroupId"))) attrs.put("MessageGroupId", m.groupId);
            MessageAttribute trace = m.systemAttributes.get("AWSTraceHeader");
            if (trace != null && (all || systemNames.contains("AWSTraceHeader"))) attrs.put("AWSTraceHeader", trace.stringValue());
            if (m.deadLetterSourceArn != null && (all || systemNames.contains("DeadLetterQueueSourceArn"))) {
                attrs.put("DeadLetterQueueSourceArn", m.deadLetterSourceArn);
            }
            if (!attrs.isEmpty()) out.attributes(attrs);
        }
        Map<String, MessageAttribute> selected = selectAttributes(m.attributes, attributeNames);
        if (!selected.isEmpty()) {
            out.md5OfMessageAttributes(selected.size() == m.attributes.size() ? m.md5OfAttributes
                    : MessageMd5.ofAttributes(selected));
            Map<String, MessageAttributeValue> values = new LinkedHashMap<>();
            selected.forEach((k, v) -> values.put(k, v.toValue()));
            out.messageAttributes(values);
        }
        return out.build();
    }

    /** MessageAttributeNames: {@code All} or {@code .*} for all, {@code prefix.*} for a prefix, else exact names. */
    private static Map<String, MessageAttribute> selectAttributes(Map<String, MessageAttribute> attributes, List<String> names) {
        if (attributes.isEmpty() || names.isEmpty()) return Map.of();
        if (names.contains("All") || names.contains(".*")) return attributes;
        Map<String, MessageAttribute> out = new LinkedHashMap<>();
        for (Map.Entry<String, MessageAttribute> e : attributes.entrySet()) {
            for (String n : names) {
                boolean match = n.endsWith(".*") ? e.getKey().startsWith(n.substring(0, n.length() - 1)) : n.equals(e.getKey());
                if (match) {
                    out.put(e.getKey(), e.getValue());
                    break;
                }
            }
        }
        return out;
    }

    void deleteMessage(RequestContext ctx, DeleteMessageRequest in) {
        SqsQueue q = queue(ctx, in.queueUrl());
        String handle = in.receiptHandle();
        if (handle == null) throw SqsErrors.missingParameter("ReceiptHandle");
        q.delete(handle);
    }

    DeleteMessageBatchResult deleteMessageBatch(RequestContext ctx, DeleteMessageBatchRequest in) {
        SqsQueue q = queue(ctx, in.queueUrl());
        List<DeleteMessageBatchResultEntry> successful = new ArrayList<>();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        for (DeleteMessageBatchRequestEntry e : batchEntries(ctx, in.entries(), DeleteMessageBatchRequestEntry::id,
                "DeleteMessageBatchRequestEntry")) {
            String id = e.id();
            try {
                String handle = e.receiptHandle();
                if (handle == null) throw SqsErrors.missingParameter("ReceiptHandle");
                q.delete(handle);
                successful.add(DeleteMessageBatchResultEntry.builder().id(id).build());
            } catch (ServiceException ex) {
                failed.add(failure(id, ex));
            }
        }
        return DeleteMessageBatchResult.builder().successful(successful).failed(failed.isEmpty() ? null : failed).build(); // AWS leaves an empty Failed out
    }

    void changeMessageVisibility(RequestContext ctx, ChangeMessageVisibilityRequest in) {
        SqsQueue q = queue(ctx, in.queueUrl());
        String handle = in.receiptHandle();
        if (handle == null) throw SqsErrors.missingParameter("ReceiptHandle");
        q.changeVisibility(handle, visibilityTimeout(in.visibilityTimeout()));
    }

    private static int visibilityTimeout(Integer t) {
        if (t == null) throw SqsErrors.missingParameter("VisibilityTimeout");
        if (t < 0 || t > SqsLimits.MAX_VISIBILITY_TIMEOUT) {
            throw SqsErrors.invalidParameter("VisibilityTimeout", t, "VisibilityTimeout must be an integer between 0 and 43200");
        }
        return t;
    }

    ChangeMessageVisibilityBatchResult changeMessageVisibilityBatch(RequestContext ctx, ChangeMessageVisibilityBatchRequest in) {
        SqsQueue q = queue(ctx, in.queueUrl());
        List<ChangeMessageVisibilityBatchResultEntry> successful = new ArrayList<>();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        for (ChangeMessageVisibilityBatchRequestEntry e : batchEntries(ctx, in.entries(), ChangeMessageVisibilityBatchRequestEntry::id,
                "ChangeMessageVisibilityBatchRequestEntry")) {
            String id = e.id();
            try {
                String handle = e.receiptHandle();
                if (handle == null) throw SqsErrors.missingParameter("ReceiptHandle");
                q.changeVisibility(handle, visibilityTimeout(e.visibilityTimeout()));
                successful.add(ChangeMessageVisibilityBatchResultEntry.builder().id(id).build());
            } catch (ServiceException ex) {
                failed.add(failure(id, ex));
            }
        }
        return ChangeMessageVisibilityBatchResult.builder().successful(successful).failed(failed.isEmpty() ? null : failed).build(); // AWS leaves an empty Failed out
    }

    /** Checks a batch's entries: present, at most 10 (or LocalStack's message-count override), ids valid and distinct. */
    private static <E> List<E> batchEntries(RequestContext ctx, List<E> given, Function<E, String> idOf, String entryShape) {
        List<E> entries = given == null ? List.of() : given;
        if (entries.isEmpty()) throw SqsErrors.emptyBatch(entryShape);
        Integer override = overrideHeader(ctx, OVERRIDE_MESSAGE_COUNT);
        if (entries.size() > (override != null ? override : SqsLimits.MAX_BATCH_ENTRIES)) throw SqsErrors.tooManyEntries(entries.size());
        Set<String> seen = new HashSet<>();
        for (E e : entries) {
            String id = idOf.apply(e);
            if (!validBatchId(id)) throw SqsErrors.invalidBatchEntryId();
            if (!seen.add(id)) throw SqsErrors.batchIdsNotDistinct(id);
        }
        return entries;
    }

    private static boolean validBatchId(String id) {
        if (id == null || id.isEmpty() || id.length() > 80) return false;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
        }
        return true;
    }

    private static BatchResultErrorEntry failure(String id, ServiceException e) {
        return BatchResultErrorEntry.builder().id(id).senderFault(e.senderFault())
                .code(e.queryCode() != null ? e.queryCode() : e.code()).message(e.getMessage()).build();
    }

    private SqsQueue queue(RequestContext ctx, String queueUrl) {
        return resources.queue(ctx, queueUrl);
    }
}
