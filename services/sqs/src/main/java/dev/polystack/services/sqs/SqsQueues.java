package dev.polystack.services.sqs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.Config;
import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.RequestContext;
import dev.polystack.services.sqs.api.AddPermissionRequest;
import dev.polystack.services.sqs.api.CreateQueueRequest;
import dev.polystack.services.sqs.api.CreateQueueResult;
import dev.polystack.services.sqs.api.DeleteQueueRequest;
import dev.polystack.services.sqs.api.GetQueueAttributesRequest;
import dev.polystack.services.sqs.api.GetQueueAttributesResult;
import dev.polystack.services.sqs.api.GetQueueUrlRequest;
import dev.polystack.services.sqs.api.GetQueueUrlResult;
import dev.polystack.services.sqs.api.ListDeadLetterSourceQueuesRequest;
import dev.polystack.services.sqs.api.ListDeadLetterSourceQueuesResult;
import dev.polystack.services.sqs.api.ListQueueTagsRequest;
import dev.polystack.services.sqs.api.ListQueueTagsResult;
import dev.polystack.services.sqs.api.ListQueuesRequest;
import dev.polystack.services.sqs.api.ListQueuesResult;
import dev.polystack.services.sqs.api.PurgeQueueRequest;
import dev.polystack.services.sqs.api.RemovePermissionRequest;
import dev.polystack.services.sqs.api.SetQueueAttributesRequest;
import dev.polystack.services.sqs.api.TagQueueRequest;
import dev.polystack.services.sqs.api.UntagQueueRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import static dev.polystack.services.sqs.SqsResources.isQuery;
import static dev.polystack.services.sqs.SqsResources.orEmpty;

/** Queues themselves: create, look up, list, delete, attributes, tags, dead-letter sources and permissions. */
final class SqsQueues {
    private final SqsResources resources;
    private final AccountRegionStore<SqsStore> stores;
    private final Config config;
    private final LongSupplier clock;

    SqsQueues(SqsResources resources, Config config, LongSupplier clock) {
        this.resources = resources;
        this.stores = resources.stores;
        this.config = config;
        this.clock = clock;
    }

    CreateQueueResult createQueue(RequestContext ctx, CreateQueueRequest in) {
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

    GetQueueUrlResult getQueueUrl(RequestContext ctx, GetQueueUrlRequest in) {
        String name = in.queueName();
        String owner = in.queueOwnerAWSAccountId();
        SqsStore store = stores.peek(owner != null ? owner : ctx.accountId(), ctx.region());
        SqsQueue q = store == null || name == null ? null : store.byName(name);
        if (q == null) throw SqsErrors.queueDoesNotExist(isQuery(ctx));
        return GetQueueUrlResult.builder().queueUrl(url(ctx, q)).build();
    }

    ListQueuesResult listQueues(RequestContext ctx, ListQueuesRequest in) {
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

    void deleteQueue(RequestContext ctx, DeleteQueueRequest in) {
        SqsQueue q = queue(ctx, in.queueUrl());
        SqsStore store = stores.get(q.accountId, q.region);
        if (store.queues.remove(q.name, q)) {
            store.recordDeletion(q.name, clock.getAsLong());
            q.markDeleted();
        }
    }

    GetQueueAttributesResult getQueueAttributes(RequestContext ctx, GetQueueAttributesRequest in) {
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

    void setQueueAttributes(RequestContext ctx, SetQueueAttributesRequest in) {
        SqsQueue q = queue(ctx, in.queueUrl());
        SqsStore store = stores.get(q.accountId, q.region);
        q.setAttributes(orEmpty(in.attributes()), false, store::byArn);
    }

    void purgeQueue(RequestContext ctx, PurgeQueueRequest in) {
        queue(ctx, in.queueUrl()).purge();
    }

    void tagQueue(RequestContext ctx, TagQueueRequest in) {
        queue(ctx, in.queueUrl()).tag(orEmpty(in.tags()));
    }

    void untagQueue(RequestContext ctx, UntagQueueRequest in) {
        List<String> keys = orEmpty(in.tagKeys());
        if (keys.isEmpty()) throw SqsErrors.missingParameter("TagKeys");
        queue(ctx, in.queueUrl()).untag(keys);
    }

    ListQueueTagsResult listQueueTags(RequestContext ctx, ListQueueTagsRequest in) {
        Map<String, String> tags = queue(ctx, in.queueUrl()).tags();
        return ListQueueTagsResult.builder().tags(tags.isEmpty() ? null : tags).build();
    }

    ListDeadLetterSourceQueuesResult listDeadLetterSourceQueues(RequestContext ctx, ListDeadLetterSourceQueuesRequest in) {
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

    void addPermission(RequestContext ctx, AddPermissionRequest in) {
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

    void removePermission(RequestContext ctx, RemovePermissionRequest in) {
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

    private SqsQueue queue(RequestContext ctx, String queueUrl) {
        return resources.queue(ctx, queueUrl);
    }

    private String url(RequestContext ctx, SqsQueue q) {
        return resources.url(ctx, q);
    }
}
