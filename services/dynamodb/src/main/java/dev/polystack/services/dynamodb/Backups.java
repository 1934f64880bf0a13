package dev.polystack.services.dynamodb;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * On-demand backups: CreateBackup copies a table's settings and items (items are immutable, so the copy shares
 * them), RestoreTableFromBackup makes a new table from one, Describe/List/DeleteBackup.
 */
final class Backups {
    /** One backup: the source table as it was (a detached copy) and when it was taken. */
    record Backup(String arn, String name, long createdMillis, Table source, List<Map<String, AttrValue>> items, long sizeBytes) {
    }

    private final DynamoEngine engine;

    Backups(DynamoEngine engine) {
        this.engine = engine;
    }

    /** CreateBackup's BackupDetails (description trees; the provider types them). */
    Map<String, Object> create(DynamoEngine.Region r, String tableName, String name) {
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
        return details(b);
    }

    /** DescribeBackup's BackupDescription. */
    Map<String, Object> describe(DynamoEngine.Region r, String arn) {
        return description(find(r, arn), "AVAILABLE");
    }

    /** DeleteBackup's BackupDescription, with the status DELETED. */
    Map<String, Object> delete(DynamoEngine.Region r, String arn) {
        Backup b = find(r, arn);
        r.backups.remove(b.arn);
        return description(b, "DELETED");
    }

    /** ListBackups' BackupSummaries. */
    List<Map<String, Object>> list(DynamoEngine.Region r, String only) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Backup b : r.backups.values()) {
            if (only != null && !b.source.name.equals(DynamoEngine.tableName(only))) continue;
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("TableName", b.source.name);
            s.put("TableId", b.source.id);
            s.put("TableArn", b.source.arn);
            s.putAll(details(b));
            out.add(s);
        }
        return out;
    }

    Table restore(RequestContext ctx, DynamoEngine.Region r, String backupArn, String target, String billing) {
        Backup b = find(r, backupArn);
        TableOps.checkTableName(target);
        if (r.tables.containsKey(target)) throw new ServiceException("TableAlreadyExistsException", "Table already exists: " + target);
        Table s = b.source;
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
        t.sseDescription = s.sseDescription;
        t.tableClass = s.tableClass;
        t.restoredFrom = b.arn;
        t.restoredFromTable = s.arn;
        for (Map<String, AttrValue> item : b.items) t.store(t.keyOf(item, false), null, item);
        engine.addTable(r, t);
        return t;
    }

    private Backup find(DynamoEngine.Region r, String arn) {
        Backup b = arn == null ? null : r.backups.get(arn);
        if (b == null) throw new ServiceException("BackupNotFoundException", "Backup not found: " + arn);
        return b;
    }

    private static Map<String, Object> details(Backup b) {
        return details(b, "AVAILABLE");
    }

    private static Map<String, Object> details(Backup b, String status) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("BackupArn", b.arn);
        d.put("BackupName", b.name);
        d.put("BackupSizeBytes", b.sizeBytes);
        d.put("BackupStatus", status);
        d.put("BackupType", "USER");
        d.put("BackupCreationDateTime", Instant.ofEpochMilli(b.createdMillis));
        return d;
    }

    private static Map<String, Object> description(Backup b, String status) {
        Table s = b.source;
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("TableName", s.name);
        source.put("TableId", s.id);
        source.put("TableArn", s.arn);
        source.put("TableSizeBytes", b.sizeBytes);
        source.put("KeySchema", TableOps.keySchema(s.hash, s.range));
        source.put("TableCreationDateTime", Instant.ofEpochMilli(s.createdMillis));
        source.put("ProvisionedThroughput", Map.of("ReadCapacityUnits", s.readCapacity, "WriteCapacityUnits", s.writeCapacity));
        source.put("ItemCount", (long) b.items.size());
        source.put("BillingMode", s.billingMode);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("BackupDetails", details(b, status));
        d.put("SourceTableDetails", source);
        d.put("SourceTableFeatureDetails", Map.of());
        return d;
    }
}
