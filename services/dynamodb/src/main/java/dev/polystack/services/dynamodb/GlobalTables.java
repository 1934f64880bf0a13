package dev.polystack.services.dynamodb;

import dev.polystack.api.RequestContext;
import dev.polystack.services.dynamodb.api.CreateReplicationGroupMemberAction;
import dev.polystack.services.dynamodb.api.DeleteReplicationGroupMemberAction;
import dev.polystack.services.dynamodb.api.ReplicaDescription;
import dev.polystack.services.dynamodb.api.ReplicationGroupUpdate;
import dev.polystack.services.dynamodb.api.TableClassSummary;
import dev.polystack.services.dynamodb.api.TableDescription;
import dev.polystack.services.dynamodb.api.UpdateReplicationGroupMemberAction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Global tables, version 2019.11.21: UpdateTable's ReplicaUpdates create, update and delete replicas of a table in
 * other regions of the same account. A new replica is a full table there (same keys, indexes, billing and stream
 * view type, the items copied), and from then on every write to any member reaches all of them
 * ({@link DynamoEngine#apply}). DescribeTable lists the other members as {@code Replicas}.
 */
final class GlobalTables {
    static final String VERSION = "2019.11.21";
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d");

    private final DynamoEngine engine;

    GlobalTables(DynamoEngine engine) {
        this.engine = engine;
    }

    void update(RequestContext ctx, Table t, List<ReplicationGroupUpdate> updates) {
        if (t.replicas != null && t.replicas.legacy()) {
            throw Errors.validation("One or more parameter values were invalid: Table " + t.name
                    + " is a replica of a global table of version " + LegacyGlobalTables.VERSION + "; use UpdateGlobalTable");
        }
        for (ReplicationGroupUpdate u : updates) {
            CreateReplicationGroupMemberAction create = u.create();
            UpdateReplicationGroupMemberAction update = u.update();
            DeleteReplicationGroupMemberAction delete = u.delete();
            int n = (create != null ? 1 : 0) + (update != null ? 1 : 0) + (delete != null ? 1 : 0);
            if (n != 1) {
                throw Errors.validation("One or more parameter values were invalid: One of Create, Update, or Delete must be specified in a ReplicationGroupUpdate");
            }
            String region = create != null ? create.regionName() : update != null ? update.regionName() : delete.regionName();
            if (region == null || !REGION.matcher(region).matches()) throw Errors.validation("Region " + region + " is not supported");
            if (create != null) create(ctx, t, region, create.kmsMasterKeyId());
            else if (update != null) member(t, region);
            else delete(t, region);
        }
    }

    private void create(RequestContext ctx, Table t, String region, String kmsKeyId) {
        DynamoEngine.Region target = engine.stores.get(ctx.accountId(), region);
        ReplicaGroup group = t.replicas;
        if (region.equals(t.region) || group != null && group.members.containsKey(region) || target.tables.containsKey(t.name)) {
            throw Errors.validation("Failed to create a the new replica of table with name: '" + t.name
                    + "' because one or more replicas already existed as tables.");
        }
        t.lock.lock();
        try {
            // Replication reads the changes in both images: a source without a stream gets NEW_AND_OLD_IMAGES, as on AWS.
            if (t.stream == null || !t.stream.enabled) engine.newStream(t, "NEW_AND_OLD_IMAGES");
            Table replica = copy(t, region);
            engine.newStream(replica, t.stream.viewType);
            t.items.forEach((key, item) -> replica.store(key, null, item));
            if (group == null) {
                group = new ReplicaGroup();
                group.members.put(t.region, new ReplicaGroup.Replica(t, null));
                t.replicas = group;
            }
            group.members.put(region, new ReplicaGroup.Replica(replica, kmsKeyId));
            replica.replicas = group;
            engine.addTable(target, replica);
        } finally {
            t.lock.unlock();
        }
    }

    /** The replica's table: the source's schema, indexes and settings, under the source's lock. */
    private Table copy(Table t, String region) {
        long now = engine.clock.getAsLong();
        Table r = new Table(t.name, t.accountId, region, t.partition(), DynamoEngine.newId(), now, t.hash, t.range,
                new LinkedHashMap<>(t.attributeDefinitions), t.lock);
        for (Table.Index i : t.indexes.values()) {
            Table.Index copy = new Table.Index(i.name, i.global, i.hash, i.range, i.projectionType, i.nonKeyAttributes);
            copy.readCapacity = i.readCapacity;
            copy.writeCapacity = i.writeCapacity;
            r.indexes.put(copy.name, copy);
        }
        r.billingMode = t.billingMode;
        r.billingModeChangedMillis = now;
        r.readCapacity = t.readCapacity;
        r.writeCapacity = t.writeCapacity;
        r.tableClass = t.tableClass;
        r.ttlAttribute = t.ttlAttribute;
        r.ttlEnabled = t.ttlEnabled;
        return r;
    }

    private ReplicaGroup.Replica member(Table t, String region) {
        ReplicaGroup group = t.replicas;
        ReplicaGroup.Replica m = group == null ? null : group.members.get(region);
        if (m == null) {
            throw Errors.validation("Update global table operation failed because one or more replicas were not part of the global table.");
        }
        return m;
    }

    /** Deleting a replica deletes its table in that region (the one the request names may be this very table). */
    private void delete(Table t, String region) {
        Table replica = member(t, region).table();
        DynamoEngine.Region r = engine.stores.get(replica.accountId, replica.region);
        r.tables.remove(replica.name, replica);
        engine.leaveReplicaGroup(replica);
        replica.status = "DELETING";
        TableStream s = replica.stream;
        if (s != null) s.enabled = false;
    }

    /** DescribeTable's GlobalTableVersion and Replicas (the other members), or nothing for a regional table. */
    static void describe(Table t, TableDescription.Builder d) {
        ReplicaGroup group = t.replicas;
        if (group == null || group.legacy()) return; // a legacy global table shows only in DescribeGlobalTable
        List<ReplicaDescription> replicas = new ArrayList<>();
        for (ReplicaGroup.Replica m : group.others(t)) {
            String tableClass = m.table().tableClass;
            replicas.add(ReplicaDescription.builder().regionName(m.table().region).replicaStatus("ACTIVE")
                    .kmsMasterKeyId(m.kmsMasterKeyId())
                    .replicaTableClassSummary(tableClass == null ? null : TableClassSummary.builder().tableClass(tableClass).build())
                    .build());
        }
        d.globalTableVersion(VERSION).replicas(replicas);
    }
}
