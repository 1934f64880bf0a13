package dev.polystack.services.dynamodb;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.dynamodb.api.AttributeDefinition;
import dev.polystack.services.dynamodb.api.BillingModeSummary;
import dev.polystack.services.dynamodb.api.GlobalSecondaryIndexDescription;
import dev.polystack.services.dynamodb.api.GlobalSecondaryIndexWarmThroughputDescription;
import dev.polystack.services.dynamodb.api.LocalSecondaryIndexDescription;
import dev.polystack.services.dynamodb.api.Projection;
import dev.polystack.services.dynamodb.api.ProvisionedThroughputDescription;
import dev.polystack.services.dynamodb.api.RestoreSummary;
import dev.polystack.services.dynamodb.api.SSEDescription;
import dev.polystack.services.dynamodb.api.TableClassSummary;
import dev.polystack.services.dynamodb.api.TableDescription;
import dev.polystack.services.dynamodb.api.TableWarmThroughputDescription;
import dev.polystack.services.dynamodb.api.CreateGlobalSecondaryIndexAction;
import dev.polystack.services.dynamodb.api.CreateTableInput;
import dev.polystack.services.dynamodb.api.GlobalSecondaryIndex;
import dev.polystack.services.dynamodb.api.GlobalSecondaryIndexUpdate;
import dev.polystack.services.dynamodb.api.KeySchemaElement;
import dev.polystack.services.dynamodb.api.LocalSecondaryIndex;
import dev.polystack.services.dynamodb.api.ProvisionedThroughput;
import dev.polystack.services.dynamodb.api.StreamSpecification;
import dev.polystack.services.dynamodb.api.Tag;
import dev.polystack.services.dynamodb.api.UpdateTableInput;
import dev.polystack.services.dynamodb.api.WarmThroughput;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;


/** The control plane: CreateTable's validation, UpdateTable, and DescribeTable's shape field for field. */
final class TableOps {
    private final DynamoEngine engine;

    private final GlobalTables globalTables;
    private final SseKeys sse;

    TableOps(DynamoEngine engine, SseKeys sse) {
        this.engine = engine;
        this.sse = sse;
        this.globalTables = new GlobalTables(engine);
    }

    // ---- CreateTable -----------------------------------------------------------------------------------------

    Table create(RequestContext ctx, CreateTableInput in) {
        String name = in.tableName();
        checkTableName(name);
        Map<String, String> defs = new LinkedHashMap<>();
        if (in.attributeDefinitions() != null) {
            for (AttributeDefinition d : in.attributeDefinitions()) defs.put(d.attributeName(), d.attributeTypeAsString());
        }
        Table.KeyAttr[] key = keySchema(in.keySchema(), defs, "KeySchema");
        String billing = in.billingModeAsString() == null ? "PROVISIONED" : in.billingModeAsString();
        long[] capacity = capacity(billing, in.provisionedThroughput());

        Set<String> used = new LinkedHashSet<>();
        used.add(key[0].name());
        if (key[1] != null) used.add(key[1].name());
        List<Table.Index> indexes = new ArrayList<>();
        Set<String> indexNames = new java.util.HashSet<>();
        List<LocalSecondaryIndex> lsis = in.localSecondaryIndexes();
        if (lsis != null) {
            if (key[1] == null) throw Errors.invalidParams("Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
            for (LocalSecondaryIndex l : lsis) {
                Table.KeyAttr[] k = keySchema(l.keySchema(), defs, "LocalSecondaryIndexes");
                if (!k[0].name().equals(key[0].name())) {
                    throw Errors.invalidParams("Index KeySchema does not have the same leading hash key as table KeySchema for index: "
                            + l.indexName() + ". index hash key: " + k[0].name() + ", table hash key: " + key[0].name());
                }
                indexes.add(index(l.indexName(), l.projection(), false, k, indexNames));
                used.add(k[1] == null ? k[0].name() : k[1].name());
            }
        }
        List<GlobalSecondaryIndex> gsis = in.globalSecondaryIndexes();
        if (gsis != null) {
            for (GlobalSecondaryIndex g : gsis) {
                Table.KeyAttr[] k = keySchema(g.keySchema(), defs, "GlobalSecondaryIndexes");
                Table.Index idx = index(g.indexName(), g.projection(), true, k, indexNames);
                long[] c = indexCapacity(billing, g.provisionedThroughput(), g.indexName());
                idx.readCapacity = c[0];
                idx.writeCapacity = c[1];
                indexes.add(idx);
                used.add(k[0].name());
                if (k[1] != null) used.add(k[1].name());
            }
        }
        if (!used.equals(defs.keySet())) {
            if (defs.size() != used.size() || !defs.keySet().containsAll(used)) {
                throw Errors.invalidParams("Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
            }
        }
        long now = engine.clock.getAsLong();
        Table t = new Table(name, ctx.accountId(), ctx.region(), ctx.partition(), DynamoEngine.newId(), now, key[0], key[1], defs);
        indexes.forEach(i -> t.indexes.put(i.name, i));
        t.billingMode = billing;
        t.billingModeChangedMillis = now;
        t.readCapacity = capacity[0];
        t.writeCapacity = capacity[1];
        t.deletionProtection = Boolean.TRUE.equals(in.deletionProtectionEnabled());
        t.tableClass = in.tableClassAsString();
        WarmThroughput warmSpec = in.warmThroughput();
        if (warmSpec != null) {
            t.warmRead = warmSpec.readUnitsPerSecond() == null ? 0 : warmSpec.readUnitsPerSecond();
            t.warmWrite = warmSpec.writeUnitsPerSecond() == null ? 0 : warmSpec.writeUnitsPerSecond();
        }
        t.sseKeyArn = sse.keyArn(in.sseSpecification(), ctx);
        for (Tag tag : in.tags() == null ? List.<Tag>of() : in.tags()) t.tags.put(tag.key(), tag.value());
        StreamSpecification streamSpec = in.streamSpecification();
        DynamoEngine.Region r = engine.stores.get(ctx);
        engine.addTable(r, t);
        if (streamSpec != null && Boolean.TRUE.equals(streamSpec.streamEnabled())) {
            engine.newStream(t, checkViewType(streamSpec.streamViewTypeAsString()));
        }
        return t;
    }

    static void checkTableName(String name) {
        if (name == null) throw Errors.validation("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
        if (name.length() < 3) {
            throw Errors.validation("1 validation error detected: Value '" + name + "' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3");
        }
        if (name.length() > 255) {
            throw Errors.validation("1 validation error detected: Value '" + name + "' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255");
        }
        if (!name.matches("[a-zA-Z0-9_.-]+")) {
            throw Errors.validation("1 validation error detected: Value '" + name + "' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        }
    }

    private static String checkViewType(String viewType) {
        if (viewType == null) throw Errors.validation("One or more parameter values were invalid: StreamViewType is required when StreamEnabled is true");
        return viewType;
    }

    private static Table.KeyAttr[] keySchema(List<KeySchemaElement> schema, Map<String, String> defs, String where) {
        if (schema == null || schema.isEmpty() || schema.size() > 2) {
            String shown = schema == null ? "null" : schema.stream()
                    .map(e -> "KeySchemaElement(attributeName=" + e.attributeName() + ", keyType=" + e.keyTypeAsString() + ")").toList().toString();
            throw Errors.validation("1 validation error detected: Value '" + shown + "' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2");
        }
        if (!"HASH".equals(schema.get(0).keyTypeAsString())) throw Errors.invalidParams("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        if (schema.size() == 2 && !"RANGE".equals(schema.get(1).keyTypeAsString())) {
            throw Errors.invalidParams("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
        }
        if (schema.size() == 2 && java.util.Objects.equals(schema.get(0).attributeName(), schema.get(1).attributeName())) {
            throw Errors.invalidParams("Both the Hash Key and the Range Key element in the KeySchema have the same name");
        }
        Table.KeyAttr[] out = new Table.KeyAttr[2];
        for (int i = 0; i < schema.size(); i++) {
            String n = schema.get(i).attributeName();
            String type = defs.get(n);
            if (type == null) {
                throw Errors.invalidParams("Some index key attributes are not defined in AttributeDefinitions. Keys: ["
                        + String.join(", ", schema.stream().map(KeySchemaElement::attributeName).toList()) + "], AttributeDefinitions: ["
                        + String.join(", ", defs.keySet()) + "]");
            }
            out[i] = new Table.KeyAttr(n, type);
        }
        return out;
    }

    private static Table.Index index(String name, Projection projection, boolean global,
                                     Table.KeyAttr[] k, Set<String> names) {
        if (!names.add(name)) throw Errors.invalidParams("Duplicate index name: " + name);
        String type = projection == null || projection.projectionTypeAsString() == null ? "ALL" : projection.projectionTypeAsString();
        List<String> nonKey = new ArrayList<>();
        if (projection != null && projection.nonKeyAttributes() != null) nonKey.addAll(projection.nonKeyAttributes());
        if (!type.equals("INCLUDE") && !nonKey.isEmpty()) {
            throw Errors.invalidParams("ProjectionType is " + type + ", but NonKeyAttributes is specified");
        }
        return new Table.Index(name, global, k[0], k[1], type, nonKey);
    }

    private static long[] capacity(String billing, ProvisionedThroughput throughput) {
        if ("PAY_PER_REQUEST".equals(billing)) {
            if (throughput != null && (throughput.readCapacityUnits() != null || throughput.writeCapacityUnits() != null)) {
                throw Errors.invalidParams("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
            }
            return new long[]{0, 0};
        }
        if (!"PROVISIONED".equals(billing)) {
            throw Errors.validation("1 validation error detected: Value '" + billing + "' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]");
        }
        if (throughput == null) throw Errors.invalidParams("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
        Long rc = throughput.readCapacityUnits(), wc = throughput.writeCapacityUnits();
        if (rc == null || wc == null) throw Errors.invalidParams("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
        if (rc < 1 || wc < 1) {
            throw Errors.validation("1 validation error detected: Value '" + Math.min(rc, wc) + "' at 'provisionedThroughput."
                    + (rc < 1 ? "readCapacityUnits" : "writeCapacityUnits") + "' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }
        return new long[]{rc, wc};
    }

    private static long[] indexCapacity(String billing, ProvisionedThroughput throughput, String index) {
        if ("PAY_PER_REQUEST".equals(billing)) {
            if (throughput != null) {
                throw Errors.invalidParams("ProvisionedThroughput should not be specified for index: " + index + " when BillingMode is PAY_PER_REQUEST");
            }
            return new long[]{0, 0};
        }
        if (throughput == null) throw Errors.invalidParams("ProvisionedThroughput must be specified for index: " + index);
        return capacity("PROVISIONED", throughput);
    }


    // ---- UpdateTable -----------------------------------------------------------------------------------------

    /** UpdateTable: applies the changes and answers the TableDescription (SSE changes show as UPDATING, as on AWS). */
    TableDescription update(RequestContext ctx, UpdateTableInput in) {
        DynamoEngine.Region r = engine.stores.get(ctx);
        Table t = engine.namedTable(r, in.tableName());
        // The KMS key is checked before anything changes: an unusable key leaves the table as it was.
        var sseSpec = in.sseSpecification();
        if (sseSpec == null) {
            applyUpdate(ctx, r, t, in);
            return describe(t, "describe");
        }
        String next = sse.keyArn(sseSpec, ctx);
        SSEDescription shown = next != null ? SseKeys.description(next, "UPDATING") : t.sseDescription("UPDATING");
        applyUpdate(ctx, r, t, in);
        t.sseKeyArn = next;
        return describe(t, "describe").toBuilder().sseDescription(shown).build();
    }

    private void applyUpdate(RequestContext ctx, DynamoEngine.Region r, Table t, UpdateTableInput in) {
        String billing = in.billingModeAsString();
        ProvisionedThroughput throughput = in.provisionedThroughput();
        if (billing != null || throughput != null) {
            String mode = billing != null ? billing : t.billingMode;
            if ("PROVISIONED".equals(mode) && throughput == null && "PAY_PER_REQUEST".equals(t.billingMode)) {
                throw Errors.invalidParams("ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
            }
            long[] c = "PROVISIONED".equals(mode) && throughput == null ? new long[]{t.readCapacity, t.writeCapacity} : capacity(mode, throughput);
            if (!mode.equals(t.billingMode)) t.billingModeChangedMillis = engine.clock.getAsLong();
            t.billingMode = mode;
            t.readCapacity = c[0];
            t.writeCapacity = c[1];
        }
        if (in.deletionProtectionEnabled() != null) t.deletionProtection = in.deletionProtectionEnabled();
        if (in.tableClassAsString() != null) t.tableClass = in.tableClassAsString();
        StreamSpecification streamSpec = in.streamSpecification();
        if (streamSpec != null) {
            boolean enable = Boolean.TRUE.equals(streamSpec.streamEnabled());
            TableStream current = t.stream;
            if (enable) {
                if (current != null && current.enabled) {
                    throw Errors.validation("Table already has an enabled stream: TableName: " + t.name);
                }
                engine.newStream(t, checkViewType(streamSpec.streamViewTypeAsString()));
            } else {
                if (current == null || !current.enabled) {
                    throw Errors.validation("Table already has no enabled stream: TableName: " + t.name);
                }
                current.enabled = false;
            }
        }
        Map<String, String> defs = new LinkedHashMap<>(t.attributeDefinitions);
        if (in.attributeDefinitions() != null) {
            for (AttributeDefinition d : in.attributeDefinitions()) defs.put(d.attributeName(), d.attributeTypeAsString());
        }
        if (in.replicaUpdates() != null) globalTables.update(ctx, t, in.replicaUpdates());
        List<GlobalSecondaryIndexUpdate> gsiUpdates = in.globalSecondaryIndexUpdates();
        if (gsiUpdates != null) {
            // A global table keeps its indexes aligned: an index change on one replica reaches every replica.
            ReplicaGroup group = t.replicas;
            List<Table> members = group == null || group.legacy() ? List.of(t) : group.members.values().stream().map(ReplicaGroup.Replica::table).toList();
            for (GlobalSecondaryIndexUpdate u : gsiUpdates) {
                CreateGlobalSecondaryIndexAction create = u.create();
                var update = u.update();
                var delete = u.delete();
                if (create != null) {
                    Table.KeyAttr[] k = keySchema(create.keySchema(), defs, "GlobalSecondaryIndexUpdates");
                    String name = create.indexName();
                    if (t.indexes.containsKey(name)) throw Errors.validation("One or more parameter values were invalid: Index already exists: " + name);
                    Table.Index spec = index(name, create.projection(), true, k, new java.util.HashSet<>());
                    long[] c = indexCapacity(t.billingMode, create.provisionedThroughput(), name);
                    t.lock.lock();
                    try {
                        for (Table m : members) {
                            Table.Index idx = new Table.Index(spec.name, true, spec.hash, spec.range, spec.projectionType, spec.nonKeyAttributes);
                            idx.readCapacity = c[0];
                            idx.writeCapacity = c[1];
                            m.attributeDefinitions.put(k[0].name(), k[0].type());
                            if (k[1] != null) m.attributeDefinitions.put(k[1].name(), k[1].type());
                            m.backfill(idx);
                            m.indexes.put(name, idx);
                        }
                    } finally {
                        t.lock.unlock();
                    }
                } else if (update != null) {
                    Table.Index idx = t.indexes.get(update.indexName());
                    if (idx == null || !idx.global) throw Errors.resourceNotFound("Requested resource not found: Index: " + update.indexName() + " not found");
                    long[] c = capacity("PROVISIONED", update.provisionedThroughput());
                    for (Table m : members) {
                        Table.Index mine = m.indexes.get(idx.name);
                        if (mine == null) continue;
                        mine.readCapacity = c[0];
                        mine.writeCapacity = c[1];
                    }
                } else if (delete != null) {
                    String name = delete.indexName();
                    Table.Index idx = t.indexes.get(name);
                    if (idx == null || !idx.global) throw Errors.resourceNotFound("Requested resource not found: Index: " + name + " not found");
                    t.lock.lock();
                    try {
                        for (Table m : members) m.indexes.remove(name);
                    } finally {
                        t.lock.unlock();
                    }
                }
            }
        }
    }

    // ---- DescribeTable ---------------------------------------------------------------------------------------

    /**
     * The TableDescription AWS returns. {@code phase}: "create" (status CREATING, no warm throughput yet),
     * "describe", or "delete" (status DELETING, without key schema and attribute definitions).
     */
    static TableDescription describe(Table t, String phase) {
        TableDescription.Builder d = TableDescription.builder();
        boolean delete = phase.equals("delete");
        if (!delete) {
            List<AttributeDefinition> defs = new ArrayList<>();
            t.attributeDefinitions.forEach((n, type) -> defs.add(AttributeDefinition.builder().attributeName(n).attributeType(type).build()));
            d.attributeDefinitions(defs).keySchema(keySchema(t.hash, t.range)).creationDateTime(Instant.ofEpochMilli(t.createdMillis));
        }
        d.tableName(t.name)
                .tableStatus(phase.equals("create") ? "CREATING" : delete ? "DELETING" : t.status)
                .provisionedThroughput(throughput(t.readCapacity, t.writeCapacity))
                .tableSizeBytes(t.sizeBytes.get())
                .itemCount(t.itemCount())
                .tableArn(t.arn)
                .tableId(t.id);
        if ("PAY_PER_REQUEST".equals(t.billingMode)) {
            d.billingModeSummary(BillingModeSummary.builder().billingMode("PAY_PER_REQUEST")
                    .lastUpdateToPayPerRequestDateTime(phase.equals("create") ? null : Instant.ofEpochMilli(t.billingModeChangedMillis)).build());
        }
        List<LocalSecondaryIndexDescription> lsis = new ArrayList<>();
        List<GlobalSecondaryIndexDescription> gsis = new ArrayList<>();
        for (Table.Index idx : t.indexes.values()) {
            Projection projection = Projection.builder().projectionType(idx.projectionType)
                    .nonKeyAttributes(idx.nonKeyAttributes.isEmpty() ? null : idx.nonKeyAttributes).build();
            long bytes = 0;
            for (Map<String, AttrValue> item : idx.entries.values()) bytes += Items.size(item);
            long count = idx.entries.size();
            String arn = t.arn + "/index/" + idx.name;
            if (idx.global) {
                GlobalSecondaryIndexDescription.Builder g = GlobalSecondaryIndexDescription.builder().indexName(idx.name)
                        .keySchema(keySchema(idx.hash, idx.range)).projection(projection).indexStatus(idx.status)
                        .provisionedThroughput(throughput(idx.readCapacity, idx.writeCapacity))
                        .indexSizeBytes(bytes).itemCount(count).indexArn(arn);
                if (phase.equals("describe")) {
                    long[] w = warm(t.billingMode, idx.readCapacity, idx.writeCapacity);
                    g.warmThroughput(GlobalSecondaryIndexWarmThroughputDescription.builder().readUnitsPerSecond(w[0])
                            .writeUnitsPerSecond(w[1]).status("ACTIVE").build());
                }
                gsis.add(g.build());
            } else {
                lsis.add(LocalSecondaryIndexDescription.builder().indexName(idx.name).keySchema(keySchema(idx.hash, idx.range))
                        .projection(projection).indexSizeBytes(bytes).itemCount(count).indexArn(arn).build());
            }
        }
        if (!lsis.isEmpty()) d.localSecondaryIndexes(lsis);
        if (!gsis.isEmpty()) d.globalSecondaryIndexes(gsis);
        TableStream s = t.stream;
        if (s != null) {
            if (s.enabled) d.streamSpecification(StreamSpecification.builder().streamEnabled(true).streamViewType(s.viewType).build());
            d.latestStreamLabel(s.label).latestStreamArn(s.arn);
        }
        GlobalTables.describe(t, d);
        d.sseDescription(t.sseDescription("ENABLED"));
        Table.Restored restored = t.restored;
        if (restored != null) {
            d.restoreSummary(RestoreSummary.builder().sourceBackupArn(restored.backupArn()).sourceTableArn(restored.tableArn())
                    .restoreDateTime(Instant.ofEpochMilli(restored.restoredMillis())).restoreInProgress(false).build());
        }
        if (t.tableClass != null) d.tableClassSummary(TableClassSummary.builder().tableClass(t.tableClass).build());
        d.deletionProtectionEnabled(t.deletionProtection);
        if (phase.equals("describe")) {
            long[] w = warm(t.billingMode, t.readCapacity, t.writeCapacity);
            // Warm throughput asked for at creation raises the table's (never lowers it).
            d.warmThroughput(TableWarmThroughputDescription.builder().readUnitsPerSecond(Math.max(t.warmRead, w[0]))
                    .writeUnitsPerSecond(Math.max(t.warmWrite, w[1])).status("ACTIVE").build());
        } else if (phase.equals("create") && (t.warmRead > 0 || t.warmWrite > 0)) {
            // CreateTable with WarmThroughput answers the values asked for, still UPDATING (recorded).
            d.warmThroughput(TableWarmThroughputDescription.builder().readUnitsPerSecond(t.warmRead)
                    .writeUnitsPerSecond(t.warmWrite).status("UPDATING").build());
        }
        return d.build();
    }

    static List<KeySchemaElement> keySchema(Table.KeyAttr hash, Table.KeyAttr range) {
        List<KeySchemaElement> k = new ArrayList<>(2);
        k.add(KeySchemaElement.builder().attributeName(hash.name()).keyType("HASH").build());
        if (range != null) k.add(KeySchemaElement.builder().attributeName(range.name()).keyType("RANGE").build());
        return k;
    }

    private static ProvisionedThroughputDescription throughput(long read, long write) {
        return ProvisionedThroughputDescription.builder().numberOfDecreasesToday(0L).readCapacityUnits(read).writeCapacityUnits(write).build();
    }

    /** On-demand tables start with AWS's default warm throughput; provisioned ones with their capacity: {read, write}. */
    private static long[] warm(String billing, long read, long write) {
        boolean onDemand = "PAY_PER_REQUEST".equals(billing);
        return new long[]{onDemand ? 12000L : read, onDemand ? 4000L : write};
    }

    static ServiceException notImplemented(String what) {
        return new ServiceException("UnknownOperationException", what + " is not supported by Polystack yet", 400);
    }
}
