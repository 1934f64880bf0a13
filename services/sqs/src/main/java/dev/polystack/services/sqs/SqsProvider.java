package dev.polystack.services.sqs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.Config;
import dev.polystack.api.InternalRoute;
import dev.polystack.api.Persistable;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;
import dev.polystack.services.sqs.api.AddPermissionRequest;
import dev.polystack.services.sqs.api.BatchResultErrorEntry;
import dev.polystack.services.sqs.api.CancelMessageMoveTaskRequest;
import dev.polystack.services.sqs.api.CancelMessageMoveTaskResult;
import dev.polystack.services.sqs.api.ChangeMessageVisibilityBatchRequest;
import dev.polystack.services.sqs.api.ChangeMessageVisibilityBatchRequestEntry;
import dev.polystack.services.sqs.api.ChangeMessageVisibilityBatchResult;
import dev.polystack.services.sqs.api.ChangeMessageVisibilityBatchResultEntry;
import dev.polystack.services.sqs.api.ChangeMessageVisibilityRequest;
import dev.polystack.services.sqs.api.CreateQueueRequest;
import dev.polystack.services.sqs.api.CreateQueueResult;
import dev.polystack.services.sqs.api.DeleteMessageBatchRequest;
import dev.polystack.services.sqs.api.DeleteMessageBatchRequestEntry;
import dev.polystack.services.sqs.api.DeleteMessageBatchResult;
import dev.polystack.services.sqs.api.DeleteMessageBatchResultEntry;
import dev.polystack.services.sqs.api.DeleteMessageRequest;
import dev.polystack.services.sqs.api.DeleteQueueRequest;
import dev.polystack.services.sqs.api.GetQueueAttributesRequest;
import dev.polystack.services.sqs.api.GetQueueAttributesResult;
import dev.polystack.services.sqs.api.GetQueueUrlRequest;
import dev.polystack.services.sqs.api.GetQueueUrlResult;
import dev.polystack.services.sqs.api.ListDeadLetterSourceQueuesRequest;
import dev.polystack.services.sqs.api.ListDeadLetterSourceQueuesResult;
import dev.polystack.services.sqs.api.ListMessageMoveTasksRequest;
import dev.polystack.services.sqs.api.ListMessageMoveTasksResult;
import dev.polystack.services.sqs.api.ListQueueTagsRequest;
import dev.polystack.services.sqs.api.ListQueueTagsResult;
import dev.polystack.services.sqs.api.ListQueuesRequest;
import dev.polystack.services.sqs.api.ListQueuesResult;
import dev.polystack.services.sqs.api.Message;
import dev.polystack.services.sqs.api.MessageAttributeValue;
import dev.polystack.services.sqs.api.PurgeQueueRequest;
import dev.polystack.services.sqs.api.ReceiveMessageRequest;
import dev.polystack.services.sqs.api.ReceiveMessageResult;
import dev.polystack.services.sqs.api.RemovePermissionRequest;
import dev.polystack.services.sqs.api.SendMessageBatchRequest;
import dev.polystack.services.sqs.api.SendMessageBatchRequestEntry;
import dev.polystack.services.sqs.api.SendMessageBatchResult;
import dev.polystack.services.sqs.api.SendMessageBatchResultEntry;
import dev.polystack.services.sqs.api.SendMessageRequest;
import dev.polystack.services.sqs.api.SendMessageResult;
import dev.polystack.services.sqs.api.SetQueueAttributesRequest;
import dev.polystack.services.sqs.api.SqsApi;
import dev.polystack.services.sqs.api.StartMessageMoveTaskRequest;
import dev.polystack.services.sqs.api.StartMessageMoveTaskResult;
import dev.polystack.services.sqs.api.TagQueueRequest;
import dev.polystack.services.sqs.api.UntagQueueRequest;
import dev.polystack.api.model.TreeConverter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The native SQS provider: implements the typed {@link SqsApi} (generated from botocore's specification) over the
 * queue engine ({@link SqsQueue}); {@link #invoke} is the generic dispatch from the parameter tree. Queues live in an {@link AccountRegionStore}, so
 * accounts and regions are isolated; a queue URL names its account (and usually its region), so a
 * request may reach another account's queue by URL, as on AWS.
 */
public final class SqsProvider implements SqsApi, ServiceProvider, Persistable {
    private static final Set<String> SYSTEM_ATTRIBUTE_NAMES = Set.of("SenderId", "SentTimestamp",
            "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp", "SequenceNumber", "MessageDeduplicationId",
            "MessageGroupId", "AWSTraceHeader", "DeadLetterQueueSourceArn");

    /** LocalStack's headers for ReceiveMessage beyond SQS's limits (see its SQS developer documentation). */
    static final String OVERRIDE_MESSAGE_COUNT = "x-localstack-sqs-override-message-count";
    static final String OVERRIDE_WAIT_TIME_SECONDS = "x-localstack-sqs-override-wait-time-seconds";

    private final AccountRegionStore<SqsStore> stores = new AccountRegionStore<>(SqsStore::new);
    private final QueueUrls urls;
    private final Config config;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier clock;
    private final MessageMoves moves;

    public SqsProvider(ProviderEnvironment environment) {
        this(environment.config(), environment.scheduler(), System::currentTimeMillis);
    }

    /** @param clock epoch millis (tests drive time with it) */
    SqsProvider(Config config, ScheduledExecutorService scheduler, LongSupplier clock) {
        this.config = config;
        this.urls = new QueueUrls(config);
        this.scheduler = scheduler;
        this.clock = clock;
        this.moves = new MessageMoves(stores, this::queueByArn, scheduler, clock);
    }

    @Override
    public String service() {
        return "sqs";
    }

    @Override
    public List<InternalRoute> internalRoutes() {
        return List.of(new InternalRoute(null, "/_aws/sqs/messages", new PeekEndpoint(this)::handle));
    }

    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        return OPERATIONS.invoke(this, ctx, operation, in);
    }

    // ================================================================ queues

    @Override
    public CreateQueueResult createQueue(RequestContext ctx, CreateQueueRequest in) {
        String name = in.queueName();
        if (name == null) throw SqsErrors.missingParameter("QueueName");
        Map<String, String> attributes = orEmpty(in.attributes());
        boolean fifo = "true".equalsIgnoreCase(attributes.getOrDefault("FifoQueue", "").trim());
        checkQueueName(name, fifo);
        SqsStore store = stores.get(ctx);
        long now = clock.getAsLong();
        SqsQueue existing = store.byName(name);
        if (existing == null) {
            if (config.flag("SQS_DELAY_RECENTLY_DELETED")) {
                Long deleted = store.deletedAt.get(name);
                if (deleted != null && now - deleted < SqsLimits.RECENTLY_DELETED_MILLIS) throw SqsErrors.queueDeletedRecently(name);
            }
            SqsQueue created = new SqsQueue(name, store.accountId, store.region, ctx.partition(), fifo, clock);
            created.setAttributes(attributes, true, store::byArn);
            created.tag(orEmpty(in.tags()));
            existing = store.queues.putIfAbsent(name, created);
            if (existing == null) return CreateQueueResult.builder().queueUrl(url(ctx, created)).build();
        }
        if (existing.fifo != fifo && attributes.containsKey("FifoQueue")) throw SqsErrors.queueNameExists("FifoQueue");
        String differing = existing.firstDifference(attributes);
        if (differing != null) throw SqsErrors.queueNameExists(differing);
        return CreateQueueResult.builder().queueUrl(url(ctx, existing)).build();
    }

    private static void checkQueueName(String name, boolean fifo) {
        String base = fifo && name.endsWith(".fifo") ? name.substring(0, name.length() - 5) : name;
        boolean valid = !base.isEmpty() && name.length() <= SqsLimits.MAX_QUEUE_NAME_LENGTH && (!fifo || name.endsWith(".fifo"));
        for (int i = 0; valid && i < base.length(); i++) {
            char c = base.charAt(i);
            valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        }
        if (!valid) {
            throw SqsErrors.invalidParameterValue(fifo
                    ? "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, "
                    + "must end with .fifo suffix and be 1 to 80 in length."
                    : "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
        }
    }

    @Override
    public GetQueueUrlResult getQueueUrl(RequestContext ctx, GetQueueUrlRequest in) {
        String name = in.queueName();
        String owner = in.queueOwnerAWSAccountId();
        SqsStore store = stores.peek(owner != null ? owner : ctx.accountId(), ctx.region());
        SqsQueue q = store == null || name == null ? null : store.byName(name);
        if (q == null) throw SqsErrors.queueDoesNotExist(isQuery(ctx));
        return GetQueueUrlResult.builder().queueUrl(url(ctx, q)).build();
    }

    @Override
    public ListQueuesResult listQueues(RequestContext ctx, ListQueuesRequest in) {
        String prefix = in.queueNamePrefix();
        Integer max = in.maxResults();
        if (max != null && (max < 1 || max > 1000)) {
            throw SqsErrors.invalidParameter("MaxResults", max, "MaxResults must be an integer between 1 and 1000.");
        }
        String after = decodeToken(in.nextToken());
        SqsStore store = stores.peek(ctx.accountId(), ctx.region());
        List<String> all = new ArrayList<>();
        if (store != null) {
            for (SqsQueue q : store.queues.values()) {
                if (prefix == null || q.name.startsWith(prefix)) all.add(url(ctx, q));
            }
        }
        all.sort(null);
        Page page = paginate(all, after, max);
        return ListQueuesResult.builder().queueUrls(page.urls.isEmpty() ? null : page.urls).nextToken(page.nextToken).build();
    }

    /** One page of queue URLs and the token of the next (null: last page). */
    private record Page(List<String> urls, String nextToken) {
    }

    private static Page paginate(List<String> sortedUrls, String after, Integer max) {
        List<String> page = new ArrayList<>();
        int limit = max != null ? max : 1000;
        boolean more = false;
        for (String u : sortedUrls) {
            if (after != null && u.compareTo(after) <= 0) continue;
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(u);
        }
        String next = more && max != null
                ? Base64.getEncoder().encodeToString(page.get(page.size() - 1).getBytes(StandardCharsets.UTF_8)) : null;
        return new Page(page, next);
    }

    private static String decodeToken(String token) {
        if (token == null) return null;
        try {
            return new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw SqsErrors.invalidParameter("NextToken", token, "Invalid NextToken value.");
        }
    }

    @Override
    public void deleteQueue(RequestContext ctx, DeleteQueueRequest in) {
        SqsQueue q = queue(ctx, in.queueUrl());
        SqsStore store = stores.get(q.accountId, q.region);
        if (store.queues.remove(q.name, q)) {
            store.recordDeletion(q.name, clock.getAsLong());
            q.markDeleted();
        }
    }

    @Override
    public GetQueueAttributesResult getQueueAttributes(RequestContext ctx, GetQueueAttributesRequest in) {
        SqsQueue q = queue(ctx, in.queueUrl());
        List<String> names = orEmpty(in.attributeNamesAsStrings());
        Map<String, String> all = q.allAttributes();
        Map<String, String> selected = new LinkedHashMap<>();
        boolean everything = names.contains("All");
        for (String n : names) {
            if (!n.equals("All") && !QueueAttributes.COMPUTED.contains(n) && !QueueAttributes.SETTABLE.contains(n)
                    && !QueueAttributes.FIFO_ONLY.contains(n) && !n.equals("FifoQueue")) {
                throw SqsErrors.unknownAttribute(n);
            }
        }
        for (Map.Entry<String, String> e : all.entrySet()) {
            if (everything || names.contains(e.getKey())) selected.put(e.getKey(), e.getValue());
        }
        return GetQueueAttributesResult.builder().attributes(selected.isEmpty() ? null : selected).build();
    }

    @Override
    public void setQueueAttributes(RequestContext ctx, SetQueueAttributesRequest in) {
        SqsQueue q = queue(ctx, in.queueUrl());
        SqsStore store = stores.get(q.accountId, q.region);
        q.setAttributes(orEmpty(in.attributes()), false, store::byArn);
    }

    @Override
    public void purgeQueue(RequestContext ctx, PurgeQueueRequest in) {
        queue(ctx, in.queueUrl()).purge();
    }

    @Override
    public void tagQueue(RequestContext ctx, TagQueueRequest in) {
        queue(ctx, in.queueUrl()).tag(orEmpty(in.tags()));
    }

    @Override
    public void untagQueue(RequestContext ctx, UntagQueueRequest in) {
        List<String> keys = orEmpty(in.tagKeys());
        if (keys.isEmpty()) throw SqsErrors.missingParameter("TagKeys");
        queue(ctx, in.queueUrl()).untag(keys);
    }

    @Override
    public ListQueueTagsResult listQueueTags(RequestContext ctx, ListQueueTagsRequest in) {
        Map<String, String> tags = queue(ctx, in.queueUrl()).tags();
        return ListQueueTagsResult.builder().tags(tags.isEmpty() ? null : tags).build();
    }

    @Override
    public ListDeadLetterSourceQueuesResult listDeadLetterSourceQueues(RequestContext ctx, ListDeadLetterSourceQueuesRequest in) {
        SqsQueue q = queue(ctx, in.queueUrl());
        Integer max = in.maxResults();
        if (max != null && (max < 1 || max > 1000)) {
            throw SqsErrors.invalidParameter("MaxResults", max, "MaxResults must be an integer between 1 and 1000.");
        }
        List<String> sources = new ArrayList<>();
        for (SqsQueue s : stores.get(q.accountId, q.region).deadLetterSources(q.arn)) sources.add(url(ctx, s));
        sources.sort(null);
        Page page = paginate(sources, decodeToken(in.nextToken()), max);
        return ListDeadLetterSourceQueuesResult.builder().queueUrls(page.urls).nextToken(page.nextToken).build();
    }

    // ================================================================ permissions

    @Override
    public void addPermission(RequestContext ctx, AddPermissionRequest in) {
        SqsQueue q = queue(ctx, in.queueUrl());
        String label = in.label();
        List<String> accounts = orEmpty(in.awsAccountIds());
        List<String> actions = orEmpty(in.actions());
        if (label == null) throw SqsErrors.missingParameter("Label");
        if (accounts.isEmpty()) throw SqsErrors.missingParameter("AWSAccountIds");
        if (actions.isEmpty()) throw SqsErrors.missingParameter("Actions");
        ObjectNode policy = policyOf(q);
        ArrayNode statements = policy.withArray("Statement");
        for (var s : statements) {
            if (label.equals(s.path("Sid").asText())) {
                throw SqsErrors.invalidParameter("Label", label, "Already exists.");
            }
        }
        ObjectNode statement = statements.addObject();
        statement.put("Sid", label);
        statement.put("Effect", "Allow");
        ObjectNode principal = statement.putObject("Principal");
        if (accounts.size() == 1) principal.put("AWS", "arn:" + ctx.partition() + ":iam::" + accounts.get(0) + ":root");
        else accounts.forEach(a -> principal.withArray("AWS").add("arn:" + ctx.partition() + ":iam::" + a + ":root"));
        if (actions.size() == 1) statement.put("Action", "SQS:" + actions.get(0));
        else actions.forEach(a -> statement.withArray("Action").add("SQS:" + a));
        statement.put("Resource", q.arn);
        q.setAttributes(Map.of("Policy", policy.toString()), false, null);
    }

    @Override
    public void removePermission(RequestContext ctx, RemovePermissionRequest in) {
        SqsQueue q = queue(ctx, in.queueUrl());
        String label = in.label();
        ObjectNode policy = policyOf(q);
        ArrayNode statements = policy.withArray("Statement");
        int found = -1;
        for (int i = 0; i < statements.size(); i++) {
            if (statements.get(i).path("Sid").asText().equals(label)) found = i;
        }
        if (found < 0) throw SqsErrors.invalidParameter("Label", label, "can't find label.");
        statements.remove(found);
        q.setAttributes(Map.of("Policy", statements.isEmpty() ? "" : policy.toString()), false, null);
    }

    private static ObjectNode policyOf(SqsQueue q) {
        String current = q.attribute("Policy");
        if (current != null) {
            try {
                var node = QueueAttributes.JSON.readTree(current);
                if (node instanceof ObjectNode o && o.path("Statement").isArray()) return o;
            } catch (IOException ignored) {
                // a policy we cannot read is replaced
            }
        }
        ObjectNode policy = QueueAttributes.JSON.createObjectNode();
        policy.put("Version", "2008-10-17");
        policy.put("Id", q.arn + "/SQSDefaultPolicy");
        policy.putArray("Statement");
        return policy;
    }

    // ================================================================ messages

    @Override
    public SendMessageResult sendMessage(RequestContext ctx, SendMessageRequest in) {
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

    @Override
    public SendMessageBatchResult sendMessageBatch(RequestContext ctx, SendMessageBatchRequest in) {
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

    @Override
    public ReceiveMessageResult receiveMessage(RequestContext ctx, ReceiveMessageRequest in) {
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

    @Override
    public void deleteMessage(RequestContext ctx, DeleteMessageRequest in) {
        SqsQueue q = queue(ctx, in.queueUrl());
        String handle = in.receiptHandle();
        if (handle == null) throw SqsErrors.missingParameter("ReceiptHandle");
        q.delete(handle);
    }

    @Override
    public DeleteMessageBatchResult deleteMessageBatch(RequestContext ctx, DeleteMessageBatchRequest in) {
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

    @Override
    public void changeMessageVisibility(RequestContext ctx, ChangeMessageVisibilityRequest in) {
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

    @Override
    public ChangeMessageVisibilityBatchResult changeMessageVisibilityBatch(RequestContext ctx, ChangeMessageVisibilityBatchRequest in) {
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

    // ================================================================ message move tasks (MessageMoves)

    @Override
    public StartMessageMoveTaskResult startMessageMoveTask(RequestContext ctx, StartMessageMoveTaskRequest in) {
        return moves.start(in);
    }

    @Override
    public CancelMessageMoveTaskResult cancelMessageMoveTask(RequestContext ctx, CancelMessageMoveTaskRequest in) {
        return moves.cancel(in);
    }

    @Override
    public ListMessageMoveTasksResult listMessageMoveTasks(RequestContext ctx, ListMessageMoveTasksRequest in) {
        return moves.list(in);
    }

    // ================================================================ lookup helpers

    /** The queue a request names: its QueueUrl, or (query protocol) the path it was posted to. */
    SqsQueue queue(RequestContext ctx, String queueUrl) {
        String url = queueUrl;
        if (url == null && ctx.request() != null) url = ctx.request().path();
        QueueUrls.QueueAddress address = QueueUrls.parse(url);
        if (address == null && QueueUrls.isBareName(url)) {
            // AWS accepts a queue's bare name as its QueueUrl: the caller's own account and region.
            address = new QueueUrls.QueueAddress(ctx.region(), ctx.accountId(), url);
        }
        if (address == null) {
            if (queueUrl == null) throw SqsErrors.missingParameter("QueueUrl");
            throw SqsErrors.queueDoesNotExist(isQuery(ctx));
        }
        SqsQueue q = find(address.accountId(), address.region() != null ? address.region() : ctx.region(), address.name());
        if (q == null) throw SqsErrors.queueDoesNotExist(isQuery(ctx));
        return q;
    }

    SqsQueue find(String accountId, String region, String name) {
        SqsStore store = stores.peek(accountId, region);
        return store == null ? null : store.byName(name);
    }

    /** A queue anywhere, by ARN ({@code arn:<partition>:sqs:<region>:<account>:<name>}). */
    SqsQueue queueByArn(String arn) {
        if (arn == null) return null;
        String[] parts = arn.split(":", -1);
        if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("sqs")) return null;
        SqsStore store = stores.peek(parts[4], parts[3]);
        return store == null ? null : store.byArn(arn);
    }

    String url(RequestContext ctx, SqsQueue q) {
        return urls.url(q.region, q.accountId, q.name, ctx == null || ctx.request() == null ? null : ctx.request().header("Host"));
    }

    /** A positive integer in one of LocalStack's override headers, else null (absent or not a positive number). */
    private static Integer overrideHeader(RequestContext ctx, String name) {
        String v = ctx.request() == null ? null : ctx.request().header(name);
        if (v == null) return null;
        try {
            int n = Integer.parseInt(v.trim());
            return n > 0 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The X-Ray trace header of the request, if it has one (it becomes the message's AWSTraceHeader). */
    private static String traceHeader(RequestContext ctx) {
        return ctx.request() == null ? null : ctx.request().header("X-Amzn-Trace-Id");
    }

    /** Whether the request came in the query protocol: some messages differ. */
    private static boolean isQuery(RequestContext ctx) {
        return "query".equals(ctx.protocol());
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** A string map, empty for none; a null value (JSON {@code null}) reads as the empty string. */
    private static Map<String, String> orEmpty(Map<String, String> map) {
        if (map == null) return Map.of();
        boolean nulls = false;
        for (String v : map.values()) nulls |= v == null;
        if (!nulls) return map;
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, v == null ? "" : v));
        return out;
    }

    // ================================================================ persistence

    @Override
    public int stateVersion() {
        return SqsState.VERSION;
    }

    @Override
    public void saveState(OutputStream out) throws IOException {
        List<SqsState.RegionState> regions = new ArrayList<>();
        stores.all().forEach((account, byRegion) -> byRegion.forEach((region, store) -> {
            List<SqsState.QueueState> queues = new ArrayList<>();
            store.queues.values().forEach(q -> queues.add(q.save()));
            List<SqsState.MoveTaskState> tasks = new ArrayList<>();
            store.moveTasks.values().forEach(list -> {
                synchronized (list) {
                    list.forEach(t -> tasks.add(t.save()));
                }
            });
            regions.add(new SqsState.RegionState(account, region, queues, tasks));
        }));
        QueueAttributes.JSON.writeValue(out, new SqsState.Root(SqsState.VERSION, regions));
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        if (version != SqsState.VERSION) throw new IOException("unsupported SQS state version " + version);
        SqsState.Root root = QueueAttributes.JSON.readValue(in, SqsState.Root.class);
        resetState();
        for (SqsState.RegionState r : root.regions()) {
            SqsStore store = stores.get(r.accountId(), r.region());
            String partition = RequestContext.internal(r.accountId(), r.region(), "sqs").partition();
            for (SqsState.QueueState qs : r.queues()) {
                SqsQueue q = new SqsQueue(qs.name(), r.accountId(), r.region(), partition, qs.fifo(), clock, qs.createdTimestamp());
                q.restore(qs);
                store.queues.put(q.name, q);
            }
            for (SqsState.MoveTaskState ts : r.moveTasks()) {
                MoveTask t = MoveTask.restore(ts);
                store.moveTasks.computeIfAbsent(t.sourceArn, a -> new ArrayList<>()).add(t);
                if (MoveTask.RUNNING.equals(t.status)) moves.schedule(t);
            }
        }
    }

    @Override
    public void resetState() {
        stores.all().values().forEach(byRegion -> byRegion.values().forEach(store -> {
            store.moveTasks.values().forEach(list -> {
                synchronized (list) {
                    list.forEach(MessageMoves::finish);
                }
            });
            store.queues.values().forEach(SqsQueue::markDeleted);
        }));
        stores.clear();
    }

    @Override
    public void close() {
        resetState();
    }

    /** Stores, for the peek endpoint. */
    AccountRegionStore<SqsStore> stores() {
        return stores;
    }

    Function<String, SqsQueue> resolver() {
        return this::queueByArn;
    }
}
