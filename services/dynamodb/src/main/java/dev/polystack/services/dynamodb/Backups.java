package dev.polystack.services.dynamodb;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.dynamodb.api.BackupDescription;
import dev.polystack.services.dynamodb.api.BackupDetails;
import dev.polystack.services.dynamodb.api.BackupSummary;
import dev.polystack.services.dynamodb.api.ProvisionedThroughput;
import dev.polystack.services.dynamodb.api.RestoreTableToPointInTimeInput;
import dev.polystack.services.dynamodb.api.SourceTableDetails;
import dev.polystack.services.dynamodb.api.SourceTableFeatureDetails;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * On-demand backups: CreateBackup copies a table's settings and items (items are immutable, so the copy shares
 * them), RestoreTableFromBackup makes a new table from one, Describe/List/DeleteBackup; and
 * RestoreTableToPointInTime (see there for what it restores).
 */
final class Backups {
    /** One backup: the source table as it was (a detached copy) and when it was taken. */
    record Backup(String arn, String name, long createdMillis, Table source, List<Map<String, AttrValue>> items, long sizeBytes) {
    }

    private final DynamoEngine engine;

    Backups(DynamoEngine engine) {
        this.engine = engine;
    }

    /** CreateBackup's BackupDetails. */
    BackupDetails create(DynamoEngine.Region r, String tableName, String name) {
        Table t = engine.namedTable(r, tableName);
        long now = engine.clock.getAsLong();
        List<Map<String, AttrValue>> items;
        t.lock.lock();
        try {
            items = new ArrayList<>(t.items.values());
        } finally {
            t.lock.unlock();
        }
        String arn = t.arn + "/backup/" + String.format("%013d", now) + "-" + UUID.randomUUID().toString().substring(0, 8);
        Backup b = new Backup(arn, name, now, t, items, t.sizeBytes.get());
        r.backups.put(arn, b);
        return details(b, "AVAILABLE");
    }

    /** DescribeBackup's BackupDescription. */
    BackupDescription describe(DynamoEngine.Region r, String arn) {
        return description(find(r, arn), "AVAILABLE");
    }

    /** DeleteBackup's BackupDescription, with the status DELETED. */
    BackupDescription delete(DynamoEngine.Region r, String arn) {
        Backup b = find(r, arn);
        r.backups.remove(b.arn);
        return description(b, "DELETED");
    }

    /** ListBackups' BackupSummaries. */
    List<BackupSummary> list(DynamoEngine.Region r, String only) {
        List<BackupSummary> out = new ArrayList<>();
        for (Backup b : r.backups.values()) {
            if (only != null && !b.source.name.equals(DynamoEngine.tableName(only))) continue;
            out.add(BackupSummary.builder().tableName(b.source.name).tableId(b.source.id).tableArn(b.source.arn)
                    .backupArn(b.arn).backupName(b.name).backupSizeBytes(b.sizeBytes).backupStatus("AVAILABLE").backupType("USER")
                    .backupCreationDateTime(Instant.ofEpochMilli(b.createdMillis)).build());
        }
        return out;
    }

    /** RestoreTableFromBackup: a new table with the backup's settings and items. */
    Table restore(RequestContext ctx, DynamoEngine.Region r, String backupArn, String target, String billing) {
        Backup b = find(r, backupArn);
        return restore(ctx, r, b.source, b.items, target, billing, b.arn);
    }

    /**
     * RestoreTableToPointInTime. The engine keeps no history of items, so every restorable time restores the
     * table's items as they are now (what moto does too); the time asked for is still checked against the
     * restorable window DescribeContinuousBackups shows.
     */
    Table restoreToPointInTime(RequestContext ctx, DynamoEngine.Region r, RestoreTableToPointInTimeInput in) {
        String source = in.sourceTableArn() != null ? in.sourceTableArn() : in.sourceTableName();
        if (source == null) throw Errors.validation("Either SourceTableName or SourceTableArn must be specified");
        Table s = r.tables.get(DynamoEngine.tableName(source));
        if (s == null) throw new ServiceException("SourceTableNotFoundException", "Source table not found: " + DynamoEngine.tableName(source));
        if (!s.pointInTimeRecovery) {
            throw new ServiceException("PointInTimeRecoveryUnavailableException", "Point in time recovery is not enabled for table '" + s.name + "'");
        }
        boolean latest = Boolean.TRUE.equals(in.useLatestRestorableTime());
        if (latest == (in.restoreDateTime() != null)) {
            throw Errors.validation("Only one of RestoreDateTime or UseLatestRestorableTime must be specified");
        }
        if (!latest) {
            long at = in.restoreDateTime().toEpochMilli(), now = engine.clock.getAsLong();
            long earliest = Math.max(s.createdMillis, now - 35L * 86400000);
            // Whole seconds: SDKs send this timestamp as epoch seconds, dropping the fraction.
            if (at < earliest / 1000 * 1000 - 1000 || at > now) {
                throw new ServiceException("InvalidRestoreTimeException", "RestoreDateTime must be between " + Instant.ofEpochMilli(earliest)
                        + " and " + Instant.ofEpochMilli(now));
            }
        }
        List<Map<String, AttrValue>> items;
        s.lock.lock();
        try {
            items = new ArrayList<>(s.items.values());
        } finally {
            s.lock.unlock();
        }
        return restore(ctx, r, s, items, in.targetTableName(), in.billingModeOverrideAsString(), null);
    }

    private Table restore(RequestContext ctx, DynamoEngine.Region r, Table s, List<Map<String, AttrValue>> items, String target,
                          String billing, String backupArn) {
        TableOps.checkTableName(target);
        if (r.tables.containsKey(target)) throw new ServiceException("TableAlreadyExistsException", "Table already exists: " + target);
        Table t = new Table(target, ctx.accountId(), ctx.region(), ctx.partition(), DynamoEngine.newId(), engine.clock.getAsLong(),
                s.hash, s.range, new LinkedHashMap<>(s.attributeDefinitions));
        for (Table.Index i : s.indexes.values()) {
            Table.Index copy = new Table.Index(i.name, i.global, i.hash, i.range, i.projectionType, i.nonKeyAttributes);
            copy.readCapacity = i.readCapacity;
            copy.writeCapacity = i.writeCapacity;
            t.indexes.put(copy.name, copy);
        }
        t.billingMode = billing != null ? billing : s.billingMode;
        t.billingModeChangedMillis = t.createdMillis;
        t.readCapacity = "PAY_PER_REQUEST".equals(t.billingMode) ? 0 : s.readCapacity;
        t.writeCapacity = "PAY_PER_REQUEST".equals(t.billingMode) ? 0 : s.writeCapacity;
        t.sseKeyArn = s.sseKeyArn;
        t.tableClass = s.tableClass;
        t.restored = new Table.Restored(backupArn, s.arn, t.createdMillis);
        for (Map<String, AttrValue> item : items) t.store(t.keyOf(item, false), null, item);
        engine.addTable(r, t);
        return t;
    }

    private Backup find(DynamoEngine.Region r, String arn) {
        Backup b = arn == null ? null : r.backups.get(arn);
        if (b == null) throw new ServiceException("BackupNotFoundException", "Backup not found: " + arn);
        return b;
    }

    private static BackupDetails details(Backup b, String status) {
        return BackupDetails.builder().backupArn(b.arn).backupName(b.name).backupSizeBytes(b.sizeBytes).backupStatus(status)
                .backupType("USER").backupCreationDateTime(Instant.ofEpochMilli(b.createdMillis)).build();
    }

    private static BackupDescription description(Backup b, String status) {
        Table s = b.source;
        SourceTableDetails source = SourceTableDetails.builder().tableName(s.name).tableId(s.id).tableArn(s.arn)
                .tableSizeBytes(b.sizeBytes).keySchema(TableOps.keySchema(s.hash, s.range))
                .tableCreationDateTime(Instant.ofEpochMilli(s.createdMillis))
                .provisionedThroughput(ProvisionedThroughput.builder().readCapacityUnits(s.readCapacity).writeCapacityUnits(s.writeCapacity).build())
                .itemCount((long) b.items.size()).billingMode(s.billingMode).build();
        return BackupDescription.builder().backupDetails(details(b, status)).sourceTableDetails(source)
                .sourceTableFeatureDetails(SourceTableFeatureDetails.builder().build()).build();
    }
}
