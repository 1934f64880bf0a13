package dev.polystack.services.sqs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One account's queues in one region (kept in an {@link dev.polystack.api.AccountRegionStore}), plus
 * the names deleted recently and the message move tasks started here.
 */
final class SqsStore {
    final String accountId;
    final String region;
    final ConcurrentHashMap<String, SqsQueue> queues = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, Long> deletedAt = new ConcurrentHashMap<>();
    /** Move tasks by source queue ARN, newest last. */
    final ConcurrentHashMap<String, List<MoveTask>> moveTasks = new ConcurrentHashMap<>();

    SqsStore(String accountId, String region) {
        this.accountId = accountId;
        this.region = region;
    }

    SqsQueue byName(String name) {
        return queues.get(name);
    }

    /** The queue with this ARN if it lives in this store. */
    SqsQueue byArn(String arn) {
        if (arn == null) return null;
        int last = arn.lastIndexOf(':');
        if (last < 0) return null;
        SqsQueue q = queues.get(arn.substring(last + 1));
        return q != null && q.arn.equals(arn) ? q : null;
    }

    /** Queues whose RedrivePolicy targets {@code arn}. */
    List<SqsQueue> deadLetterSources(String arn) {
        List<SqsQueue> out = new ArrayList<>();
        for (SqsQueue q : queues.values()) {
            QueueAttributes.Redrive r = q.redrive();
            if (r != null && r.deadLetterTargetArn().equals(arn)) out.add(q);
        }
        out.sort((a, b) -> a.name.compareTo(b.name));
        return out;
    }

    void recordDeletion(String name, long now) {
        deletedAt.put(name, now);
        deletedAt.values().removeIf(t -> now - t > SqsLimits.RECENTLY_DELETED_MILLIS);
    }

    Map<String, SqsQueue> queues() {
        return queues;
    }
}
