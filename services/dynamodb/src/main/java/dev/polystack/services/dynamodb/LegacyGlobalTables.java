package dev.polystack.services.dynamodb;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.dynamodb.api.BillingModeSummary;
import dev.polystack.services.dynamodb.api.GlobalTable;
import dev.polystack.services.dynamodb.api.GlobalTableDescription;
import dev.polystack.services.dynamodb.api.GlobalTableGlobalSecondaryIndexSettingsUpdate;
import dev.polystack.services.dynamodb.api.ListGlobalTablesOutput;
import dev.polystack.services.dynamodb.api.Replica;
import dev.polystack.services.dynamodb.api.ReplicaDescription;
import dev.polystack.services.dynamodb.api.ReplicaGlobalSecondaryIndexSettingsDescription;
import dev.polystack.services.dynamodb.api.ReplicaSettingsDescription;
import dev.polystack.services.dynamodb.api.ReplicaGlobalSecondaryIndexSettingsUpdate;
import dev.polystack.services.dynamodb.api.ReplicaSettingsUpdate;
import dev.polystack.services.dynamodb.api.ReplicaUpdate;
import dev.polystack.services.dynamodb.api.UpdateGlobalTableSettingsInput;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Global tables, legacy version 2017.11.29: CreateGlobalTable joins tables the caller made beforehand, one of the
 * same name in each region (same key schema, a NEW_AND_OLD_IMAGES stream, no items yet, as AWS requires);
 * UpdateGlobalTable adds or removes such tables; DescribeGlobalTable(Settings), UpdateGlobalTableSettings and
 * ListGlobalTables read and change the group. From then on every write to a member reaches all of them
 * ({@link DynamoEngine#apply}), as with the current version. Unlike 2019.11.21, DescribeTable does not show the
 * group, and removing a region leaves its table in place as a regional table.
 */
final class LegacyGlobalTables {
    static final String VERSION = "2017.11.29";

    private final DynamoEngine engine;

    LegacyGlobalTables(DynamoEngine engine) {
        this.engine = engine;
    }

    GlobalTableDescription create(RequestContext ctx, String name, List<String> group) {
        TableOps.checkTableName(name);
        if (group == null || group.isEmpty()) throw Errors.validation("ReplicationGroup must not be empty");
        TreeSet<String> regions = new TreeSet<>();
        for (String r : group) regions.add(r);
        synchronized (this) {
            if (find(ctx.accountId(), name) != null) {
                throw new ServiceException("GlobalTableAlreadyExistsException", "Global table with this name already exists");
            }
            List<Table> tables = new ArrayList<>();
            for (String region : regions) tables.add(joinable(ctx.accountId(), region, name, tables.isEmpty() ? null : tables.get(0)));
            ReplicaGroup replicas = new ReplicaGroup(VERSION, engine.clock.getAsLong());
            Table first = tables.get(0);
            for (Table t : tables) join(t, replicas, first.lock);
            return description(ctx, replicas, name);
        }
    }

    GlobalTableDescription update(RequestContext ctx, String name, List<ReplicaUpdate> updates) {
        if (updates == null || updates.isEmpty()) throw Errors.validation("ReplicaUpdates must not be empty");
        synchronized (this) {
            ReplicaGroup group = existing(ctx.accountId(), name);
            for (ReplicaUpdate u : updates) {
                var create = u.create();
                var delete = u.delete();
                if ((create == null) == (delete == null)) {
                    throw Errors.validation("One or more parameter values were invalid: One of Create or Delete must be specified in a ReplicaUpdate");
                }
                String region = create != null ? create.regionName() : delete.regionName();
                if (create != null) {
                    if (group.members.containsKey(region)) {
                        throw new ServiceException("ReplicaAlreadyExistsException", "Replica already exists in region: " + region);
                    }
                    Table any = group.members.firstEntry().getValue().table();
                    join(joinable(ctx.accountId(), region, name, any), group, any.lock);
                } else {
                    ReplicaGroup.Replica member = group.members.get(region);
                    if (member == null) throw new ServiceException("ReplicaNotFoundException", "Replica not found in region: " + region);
                    leave(member.table(), group);
                    if (group.members.isEmpty()) return deleted(ctx, group, name, region);
                }
            }
            return description(ctx, group, name);
        }
    }

    GlobalTableDescription describe(RequestContext ctx, String name) {
        return description(ctx, existing(ctx.accountId(), name), name);
    }

    ListGlobalTablesOutput list(RequestContext ctx, Integer limit, String start, String onlyRegion) {
        if (limit != null && limit < 1) {
            throw Errors.validation("1 validation error detected: Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }
        int max = limit == null ? 100 : limit;
        TreeMap<String, ReplicaGroup> groups = new TreeMap<>();
        for (DynamoEngine.Region r : regionsOf(ctx.accountId())) {
            for (Table t : r.tables.values()) {
                ReplicaGroup g = t.replicas;
                if (g != null && g.legacy() && (start == null || t.name.compareTo(start) > 0)) groups.putIfAbsent(t.name, g);
            }
        }
        List<GlobalTable> out = new ArrayList<>();
        String last = null;
        for (Map.Entry<String, ReplicaGroup> e : groups.entrySet()) {
            if (onlyRegion != null && !e.getValue().members.containsKey(onlyRegion)) continue;
            if (out.size() == max) {
                last = out.get(out.size() - 1).globalTableName();
                break;
            }
            List<Replica> regions = new ArrayList<>();
            for (String region : e.getValue().members.keySet()) regions.add(Replica.builder().regionName(region).build());
            out.add(GlobalTable.builder().globalTableName(e.getKey()).replicationGroup(regions).build());
        }
        return ListGlobalTablesOutput.builder().globalTables(out).lastEvaluatedGlobalTableName(last).build();
    }

    List<ReplicaSettingsDescription> describeSettings(RequestContext ctx, String name) {
        return settings(existing(ctx.accountId(), name));
    }

    /**
     * The write capacity and billing mode are the group's (set on every member); read capacity may differ per
     * region. An index named in an update must exist on the tables.
     */
    List<ReplicaSettingsDescription> updateSettings(RequestContext ctx, UpdateGlobalTableSettingsInput in) {
        String name = in.globalTableName();
        synchronized (this) {
            ReplicaGroup group = existing(ctx.accountId(), name);
            for (ReplicaSettingsUpdate u : nonNull(in.replicaSettingsUpdate())) {
                if (!group.members.containsKey(u.regionName())) {
                    throw new ServiceException("ReplicaNotFoundException", "Replica not found in region: " + u.regionName());
                }
                for (ReplicaGlobalSecondaryIndexSettingsUpdate i : nonNull(u.replicaGlobalSecondaryIndexSettingsUpdate())) index(group, i.indexName());
            }
            for (GlobalTableGlobalSecondaryIndexSettingsUpdate i : nonNull(in.globalTableGlobalSecondaryIndexSettingsUpdate())) index(group, i.indexName());
            String billing = in.globalTableBillingModeAsString();
            Long write = in.globalTableProvisionedWriteCapacityUnits();
            for (ReplicaGroup.Replica m : group.members.values()) {
                Table t = m.table();
                if (billing != null && !billing.equals(t.billingMode)) {
                    t.billingMode = billing;
                    t.billingModeChangedMillis = engine.clock.getAsLong();
                    if (billing.equals("PAY_PER_REQUEST")) {
                        t.readCapacity = 0;
                        t.writeCapacity = 0;
                    }
                }
                if (write != null) t.writeCapacity = write;
                for (GlobalTableGlobalSecondaryIndexSettingsUpdate i : nonNull(in.globalTableGlobalSecondaryIndexSettingsUpdate())) {
                    Long w = i.provisionedWriteCapacityUnits();
                    if (w != null) t.indexes.get(i.indexName()).writeCapacity = w;
                }
            }
            for (ReplicaSettingsUpdate u : nonNull(in.replicaSettingsUpdate())) {
                Table t = group.members.get(u.regionName()).table();
                Long read = u.replicaProvisionedReadCapacityUnits();
                if (read != null) t.readCapacity = read;
                for (ReplicaGlobalSecondaryIndexSettingsUpdate i : nonNull(u.replicaGlobalSecondaryIndexSettingsUpdate())) {
                    Long r = i.provisionedReadCapacityUnits();
                    if (r != null) t.indexes.get(i.indexName()).readCapacity = r;
                }
            }
            return settings(group);
        }
    }

    // ---- the group ----------------------------------------------------------------------------------------------

    /** The legacy global table of that name in the account, or null. */
    private ReplicaGroup find(String accountId, String name) {
        for (DynamoEngine.Region r : regionsOf(accountId)) {
            Table t = r.tables.get(name);
            if (t != null && t.replicas != null && t.replicas.legacy()) return t.replicas;
        }
        return null;
    }

    private java.util.Collection<DynamoEngine.Region> regionsOf(String accountId) {
        Map<String, DynamoEngine.Region> byRegion = engine.stores.all().get(accountId);
        return byRegion == null ? List.of() : byRegion.values();
    }

    private ReplicaGroup existing(String accountId, String name) {
        ReplicaGroup g = name == null ? null : find(accountId, name);
        if (g == null) throw new ServiceException("GlobalTableNotFoundException", "Global table not found: Global table with name: '" + name + "' does not exist.");
        return g;
    }

    /** The region's table of that name, checked against AWS's requirements for joining (and against {@code peer}'s keys). */
    private Table joinable(String accountId, String region, String name, Table peer) {
        DynamoEngine.Region r = region == null ? null : engine.stores.peek(accountId, region);
        Table t = r == null ? null : r.tables.get(name);
        if (t == null || !"ACTIVE".equals(t.status)) {
            throw new ServiceException("TableNotFoundException", "Table not found: " + name + " in region: " + region);
        }
        if (t.replicas != null) {
            throw Errors.validation("One or more parameter values were invalid: Table " + name + " in region " + region + " is already a replica of a global table");
        }
        TableStream s = t.stream;
        if (s == null || !s.enabled || !"NEW_AND_OLD_IMAGES".equals(s.viewType)) {
            throw Errors.validation("One or more parameter values were invalid: Table " + name + " in region " + region
                    + " must have DynamoDB Streams enabled with the stream view type NEW_AND_OLD_IMAGES");
        }
        if (!t.items.isEmpty()) {
            throw Errors.validation("One or more parameter values were invalid: Table " + name + " in region " + region + " is not empty");
        }
        if (peer != null && (!t.hash.equals(peer.hash) || !java.util.Objects.equals(t.range, peer.range))) {
            throw Errors.validation("One or more parameter values were invalid: Table " + name + " in region " + region
                    + " has a key schema different from the other replicas");
        }
        return t;
    }

    /** The table joins the group: it is replaced in its region by itself under the group's shared lock. */
    private void join(Table t, ReplicaGroup group, java.util.concurrent.locks.ReentrantLock groupLock) {
        DynamoEngine.Region r = engine.stores.get(t.accountId, t.region);
        t.lock.lock();
        try {
            Table member = t.lock == groupLock ? t : t.withLock(groupLock);
            member.replicas = group;
            group.members.put(t.region, new ReplicaGroup.Replica(member, null));
            if (member != t) {
                r.tables.replace(t.name, t, member);
                // Writers already waiting on t's lock must not land in the retired copy: they follow this link.
                t.replacedBy = member;
            }
        } finally {
            t.lock.unlock();
        }
    }

    /** The table leaves the group and stays in its region as a regional table. */
    private static void leave(Table t, ReplicaGroup group) {
        t.lock.lock();
        try {
            group.members.remove(t.region);
            t.replicas = null;
        } finally {
            t.lock.unlock();
        }
    }

    private static Table.Index index(ReplicaGroup group, String name) {
        Table.Index idx = group.members.firstEntry().getValue().table().indexes.get(name);
        if (idx == null || !idx.global) throw new ServiceException("IndexNotFoundException", "Index not found: " + name);
        return idx;
    }

    // ---- answers ------------------------------------------------------------------------------------------------

    private static GlobalTableDescription description(RequestContext ctx, ReplicaGroup group, String name) {
        List<ReplicaDescription> regions = new ArrayList<>();
        for (String region : group.members.keySet()) regions.add(ReplicaDescription.builder().regionName(region).replicaStatus("ACTIVE").build());
        return GlobalTableDescription.builder().replicationGroup(regions).globalTableArn(arn(ctx, name))
                .creationDateTime(Instant.ofEpochMilli(group.createdMillis)).globalTableStatus("ACTIVE").globalTableName(name).build();
    }

    /** The answer of the update that removed the last region: the group is gone. */
    private static GlobalTableDescription deleted(RequestContext ctx, ReplicaGroup group, String name, String region) {
        return description(ctx, group, name).toBuilder()
                .replicationGroup(List.of(ReplicaDescription.builder().regionName(region).replicaStatus("DELETING").build()))
                .globalTableStatus("DELETING").build();
    }

    /** Global tables have no region: their ARN is the account's. */
    private static String arn(RequestContext ctx, String name) {
        return "arn:" + ctx.partition() + ":dynamodb::" + ctx.accountId() + ":global-table/" + name;
    }

    /** DescribeGlobalTableSettings' and UpdateGlobalTableSettings' ReplicaSettings, by region. */
    private static List<ReplicaSettingsDescription> settings(ReplicaGroup group) {
        List<ReplicaSettingsDescription> replicas = new ArrayList<>();
        List<ReplicaGroup.Replica> members = new ArrayList<>(group.members.values());
        members.sort(Comparator.comparing(m -> m.table().region));
        for (ReplicaGroup.Replica m : members) {
            Table t = m.table();
            List<ReplicaGlobalSecondaryIndexSettingsDescription> indexes = new ArrayList<>();
            for (Table.Index i : t.indexes.values()) {
                if (!i.global) continue;
                indexes.add(ReplicaGlobalSecondaryIndexSettingsDescription.builder().indexName(i.name).indexStatus(i.status)
                        .provisionedReadCapacityUnits(i.readCapacity).provisionedWriteCapacityUnits(i.writeCapacity).build());
            }
            BillingModeSummary billing = BillingModeSummary.builder().billingMode(t.billingMode)
                    .lastUpdateToPayPerRequestDateTime("PAY_PER_REQUEST".equals(t.billingMode) ? Instant.ofEpochMilli(t.billingModeChangedMillis) : null)
                    .build();
            replicas.add(ReplicaSettingsDescription.builder().regionName(t.region).replicaStatus("ACTIVE").replicaBillingModeSummary(billing)
                    .replicaProvisionedReadCapacityUnits(t.readCapacity).replicaProvisionedWriteCapacityUnits(t.writeCapacity)
                    .replicaGlobalSecondaryIndexSettings(indexes).build());
        }
        return replicas;
    }

    private static <T> List<T> nonNull(List<T> l) {
        return l == null ? List.of() : l;
    }
}
