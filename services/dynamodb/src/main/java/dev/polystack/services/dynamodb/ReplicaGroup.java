package dev.polystack.services.dynamodb;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A global table: the tables of one name in several regions of one account, each a full replica. All members share
 * one lock, so every write reaches every replica before the next write starts and the replicas never diverge.
 * Version 2019.11.21 groups are made by UpdateTable's ReplicaUpdates ({@link GlobalTables}), legacy 2017.11.29
 * ones by CreateGlobalTable ({@link LegacyGlobalTables}); the two APIs see only their own version's groups.
 */
final class ReplicaGroup {
    final String version;
    /** When the global table was created (DescribeGlobalTable's CreationDateTime). */
    final long createdMillis;

    ReplicaGroup() {
        this(GlobalTables.VERSION, 0);
    }

    ReplicaGroup(String version, long createdMillis) {
        this.version = version;
        this.createdMillis = createdMillis;
    }

    boolean legacy() {
        return LegacyGlobalTables.VERSION.equals(version);
    }

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
