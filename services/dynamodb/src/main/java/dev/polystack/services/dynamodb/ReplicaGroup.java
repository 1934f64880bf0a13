package dev.polystack.services.dynamodb;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A global table (version 2019.11.21): the tables of one name in several regions of one account, each a full
 * replica. All members share one lock, so every write reaches every replica before the next write starts and the
 * replicas never diverge.
 */
final class ReplicaGroup {
    /** One member: its table and the KMS key its region's replica was created with (as the caller named it). */
    record Replica(Table table, String kmsMasterKeyId) {
    }

    /** Region → member. */
    final ConcurrentSkipListMap<String, Replica> members = new ConcurrentSkipListMap<>();

    /** The members other than {@code t}, in region order. */
    List<Replica> others(Table t) {
        List<Replica> out = new ArrayList<>();
        for (Replica r : members.values()) if (r.table() != t) out.add(r);
        return out;
    }
}
