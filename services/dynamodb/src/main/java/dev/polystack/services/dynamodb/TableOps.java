package dev.polystack.services.dynamodb;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.polystack.services.dynamodb.Params.bool;
import static dev.polystack.services.dynamodb.Params.list;
import static dev.polystack.services.dynamodb.Params.longValue;
import static dev.polystack.services.dynamodb.Params.map;
import static dev.polystack.services.dynamodb.Params.maps;
import static dev.polystack.services.dynamodb.Params.str;

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

    Table create(RequestContext ctx, Map<String, Object> in) {
        String name = str(in, "TableName");
        checkTableName(name);
        Map<String, String> defs = new LinkedHashMap<>();
        for (Map<String, Object> d : maps(in, "AttributeDefinitions")) defs.put(str(d, "AttributeName"), str(d, "AttributeType"));
        List<Map<String, Object>> keySchema = maps(in, "KeySchema");
        Table.KeyAttr[] key = keySchema(keySchema, defs, "KeySchema");
        String billing = str(in, "BillingMode") == null ? "PROVISIONED" : str(in, "BillingMode");
        Map<String, Object> throughput = map(in, "ProvisionedThroughput");
        long[] capacity = capacity(billing, throughput);

        Set<String> used = new LinkedHashSet<>();
        used.add(key[0].name());
        if (key[1] != null) used.add(key[1].name());
        List<Table.Index> indexes = new ArrayList<>();
        Set<String> indexNames = new java.util.HashSet<>();
        List<Map<String, Object>> lsis = maps(in, "LocalSecondaryIndexes");
        if (lsis != null) {
            if (key[1] == null) throw Errors.invalidParams("Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
            for (Map<String, Object> l : lsis) {
                Table.KeyAttr[] k = keySchema(maps(l, "KeySchema"), defs, "LocalSecondaryIndexes");
                if (!k[0].name().equals(key[0].name())) {
                    throw Errors.invalidParams("Index KeySchema does not have the same leading hash key as table KeySchema for index: "
                            + str(l, "IndexName") + ". index hash key: " + k[0].name() + ", table hash key: " + key[0].name());
                }
                indexes.add(index(l, false, k, indexNames));
                used.add(k[1] == null ? k[0].name() : k[1].name());
            }
        }
        List<Map<String, Object>> gsis = maps(in, "GlobalSecondaryIndexes");
        if (gsis != null) {
            for (Map<String, Object> g : gsis) {
                Table.KeyAttr[] k = keySchema(maps(g, "KeySchema"), defs, "GlobalSecondaryIndexes");
                Table.Index idx = index(g, true, k, indexNames);
                long[] c = indexCapacity(billing, map(g, "ProvisionedThroughput"), str(g, "IndexName"));
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
        t.deletionProtection = bool(in, "DeletionProtectionEnabled", false);
        t.tableClass = str(in, "TableClass");
        Map<String, Object> warmSpec = map(in, "WarmThroughput");
        if (warmSpec != null) {
            t.warmRead = longValue(warmSpec, "ReadUnitsPerSecond") == null ? 0 : longValue(warmSpec, "ReadUnitsPerSecond");
            t.warmWrite = longValue(warmSpec, "WriteUnitsPerSecond") == null ? 0 : longValue(warmSpec, "WriteUnitsPerSecond");
        }
        t.sseDescription = sse.describe(map(in, "SSESpecification"), ctx, "ENABLED");
        for (Map<String, Object> tag : maps(in, "Tags") == null ? List.<Map<String, Object>>of() : maps(in, "Tags")) {
            t.tags.put(str(tag, "Key"), str(tag, "Value"));
        }
        Map<String, Object> streamSpec = map(in, "StreamSpecification");
        DynamoEngine.Region r = engine.stores.get(ctx);
        engine.addTable(r, t);
        if (streamSpec != null && bool(streamSpec, "StreamEnabled", false)) {
            engine.newStream(t, checkViewType(str(streamSpec, "StreamViewType")));
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

    private static Table.KeyAttr[] keySchema(List<Map<String, Object>> schema, Map<String, String> defs, String where) {
        if (schema == null || schema.isEmpty() || schema.size() > 2) {
            throw Errors.validation("1 validation error detected: Value '" + schema + "' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2");
        }
        if (!"HASH".equals(str(schema.get(0), "KeyType"))) throw Errors.invalidParams("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        if (schema.size() == 2 && !"RANGE".equals(str(schema.get(1), "KeyType"))) {
            throw Errors.invalidParams("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
        }
        if (schema.size() == 2 && str(schema.get(0), "AttributeName").equals(str(schema.get(1), "AttributeName"))) {
            throw Errors.invalidParams("Both the Hash Key and the Range Key element in the KeySchema have the same name");
        }
        Table.KeyAttr[] out = new Table.KeyAttr[2];
        for (int i = 0; i < schema.size(); i++) {
            String n = str(schema.get(i), "AttributeName");
            String type = defs.get(n);
            if (type == null) {
                throw Errors.invalidParams("Some index key attributes are not defined in AttributeDefinitions. Keys: ["
                        + String.join(", ", schema.stream().map(s -> str(s, "AttributeName")).toList()) + "], AttributeDefinitions: ["
                        + String.join(", ", defs.keySet()) + "]");
            }
            out[i] = new Table.KeyAttr(n, type);
        }
        return out;
    }

    private static Table.Index index(Map<String, Object> spec, boolean global, Table.KeyAttr[] k, Set<String> names) {
        String name = str(spec, "IndexName");
        if (!names.add(name)) throw Errors.invalidParams("Duplicate index name: " + name);
        Map<String, Object> projection = map(spec, "Projection");
        String type = projection == null || str(projection, "ProjectionType") == null ? "ALL" : str(projection, "ProjectionType");
        List<String> nonKey = new ArrayList<>();
        List<Object> raw = list(projection, "NonKeyAttributes");
        if (raw != null) raw.forEach(o -> nonKey.add(o.toString()));
        if (!type.equals("INCLUDE") && !nonKey.isEmpty()) {
            throw Errors.invalidParams("ProjectionType is " + type + ", but NonKeyAttributes is specified");
        }
        return new Table.Index(name, global, k[0], k[1], type, nonKey);
    }

    private static long[] capacity(String billing, Map<String, Object> throughput) {
        if ("PAY_PER_REQUEST".equals(billing)) {
            if (throughput != null && (longValue(throughput, "ReadCapacityUnits") != null || longValue(throughput, "WriteCapacityUnits") != null)) {
                throw Errors.invalidParams("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
            }
            return new long[]{0, 0};
        }
        if (!"PROVISIONED".equals(billing)) {
            throw Errors.validation("1 validation error detected: Value '" + billing + "' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]");
        }
        if (throughput == null) throw Errors.invalidParams("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
        Long rc = longValue(throughput, "ReadCapacityUnits"), wc = longValue(throughput, "WriteCapacityUnits");
        if (rc == null || wc == null) throw Errors.invalidParams("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
        if (rc < 1 || wc < 1) {
            throw Errors.validation("1 validation error detected: Value '" + Math.min(rc, wc) + "' at 'provisionedThroughput."
                    + (rc < 1 ? "readCapacityUnits" : "writeCapacityUnits") + "' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }
        return new long[]{rc, wc};
    }

    private static long[] indexCapacity(String billing, Map<String, Object> throughput, String index) {
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
    Map<String, Object> update(RequestContext ctx, Map<String, Object> in) {
        DynamoEngine.Region r = engine.stores.get(ctx);
        Table t = engine.namedTable(r, str(in, "TableName"));
        // The KMS key is checked before anything changes: an unusable key leaves the table as it was.
        Map<String, Object> sseSpec = map(in, "SSESpecification");
        Map<String, Object> sseAnswer = null;
        if (sseSpec != null) {
            Map<String, Object> next = sse.describe(sseSpec, ctx, "ENABLED");
            Map<String, Object> shown = next != null ? next : t.sseDescription;
            if (shown != null) {
                sseAnswer = new LinkedHashMap<>(shown);
                sseAnswer.put("Status", "UPDATING");
            }
            applyUpdate(ctx, r, t, in);
            t.sseDescription = next;
        } else {
            applyUpdate(ctx, r, t, in);
        }
        Map<String, Object> d = describe(t, "describe");
        if (sseAnswer != null) d.put("SSEDescription", sseAnswer);
        return d;
    }

    private void applyUpdate(RequestContext ctx, DynamoEngine.Region r, Table t, Map<String, Object> in) {
        String billing = str(in, "BillingMode");
        Map<String, Object> throughput = map(in, "ProvisionedThroughput");
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
        if (in.containsKey("DeletionProtectionEnabled")) t.deletionProtection = bool(in, "DeletionProtectionEnabled", false);
        if (str(in, "TableClass") != null) t.tableClass = str(in, "TableClass");
        if (map(in, "SSESpecification") != null) t.sseDescription = sse.describe(map(in, "SSESpecification"), ctx, "ENABLED");
        Map<String, Object> streamSpec = map(in, "StreamSpecification");
        if (streamSpec != null) {
            boolean enable = bool(streamSpec, "StreamEnabled", false);
            TableStream current = t.stream;
            if (enable) {
                if (current != null && current.enabled) {
                    throw Errors.validation("Table already has an enabled stream: TableName: " + t.name);
                }
                engine.newStream(t, checkViewType(str(streamSpec, "StreamViewType")));
            } else {
                if (current == null || !current.enabled) {
                    throw Errors.validation("Table already has no enabled stream: TableName: " + t.name);
                }
                current.enabled = false;
            }
        }
        List<Map<String, Object>> defsIn = maps(in, "AttributeDefinitions");
        Map<String, String> defs = new LinkedHashMap<>(t.attributeDefinitions);
        if (defsIn != null) for (Map<String, Object> d : defsIn) defs.put(str(d, "AttributeName"), str(d, "AttributeType"));
        List<Map<String, Object>> replicaUpdates = maps(in, "ReplicaUpdates");
        if (replicaUpdates != null) globalTables.update(ctx, t, replicaUpdates);
        List<Map<String, Object>> gsiUpdates = maps(in, "GlobalSecondaryIndexUpdates");
        if (gsiUpdates != null) {
            // A global table keeps its indexes aligned: an index change on one replica reaches every replica.
            ReplicaGroup group = t.replicas;
            List<Table> members = group == null || group.legacy() ? List.of(t) : group.members.values().stream().map(ReplicaGroup.Replica::table).toList();
            for (Map<String, Object> u : gsiUpdates) {
                Map<String, Object> create = map(u, "Create"), update = map(u, "Update"), delete = map(u, "Delete");
                if (create != null) {
                    Table.KeyAttr[] k = keySchema(maps(create, "KeySchema"), defs, "GlobalSecondaryIndexUpdates");
                    String name = str(create, "IndexName");
                    if (t.indexes.containsKey(name)) throw Errors.validation("One or more parameter values were invalid: Index already exists: " + name);
                    Table.Index spec = index(create, true, k, new java.util.HashSet<>());
                    long[] c = indexCapacity(t.billingMode, map(create, "ProvisionedThroughput"), name);
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
                    Table.Index idx = t.indexes.get(str(update, "IndexName"));
                    if (idx == null || !idx.global) throw Errors.resourceNotFound("Requested resource not found: Index: " + str(update, "IndexName") + " not found");
                    long[] c = capacity("PROVISIONED", map(update, "ProvisionedThroughput"));
                    for (Table m : members) {
                        Table.Index mine = m.indexes.get(idx.name);
                        if (mine == null) continue;
                        mine.readCapacity = c[0];
                        mine.writeCapacity = c[1];
                    }
                } else if (delete != null) {
                    String name = str(delete, "IndexName");
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
    static Map<String, Object> describe(Table t, String phase) {
        Map<String, Object> d = new LinkedHashMap<>();
        boolean delete = phase.equals("delete");
        if (!delete) {
            List<Map<String, Object>> defs = new ArrayList<>();
            t.attributeDefinitions.forEach((n, type) -> defs.add(Map.of("AttributeName", n, "AttributeType", type)));
            d.put("AttributeDefinitions", defs);
        }
        d.put("TableName", t.name);
        if (!delete) d.put("KeySchema", keySchema(t.hash, t.range));
        d.put("TableStatus", phase.equals("create") ? "CREATING" : delete ? "DELETING" : t.status);
        if (!delete) d.put("CreationDateTime", Instant.ofEpochMilli(t.createdMillis));
        d.put("ProvisionedThroughput", throughput(t.readCapacity, t.writeCapacity));
        d.put("TableSizeBytes", t.sizeBytes.get());
        d.put("ItemCount", t.itemCount());
        d.put("TableArn", t.arn);
        d.put("TableId", t.id);
        if ("PAY_PER_REQUEST".equals(t.billingMode)) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("BillingMode", "PAY_PER_REQUEST");
            if (!phase.equals("create")) b.put("LastUpdateToPayPerRequestDateTime", Instant.ofEpochMilli(t.billingModeChangedMillis));
            d.put("BillingModeSummary", b);
        }
        List<Map<String, Object>> lsis = new ArrayList<>(), gsis = new ArrayList<>();
        for (Table.Index idx : t.indexes.values()) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("IndexName", idx.name);
            i.put("KeySchema", keySchema(idx.hash, idx.range));
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("ProjectionType", idx.projectionType);
            if (!idx.nonKeyAttributes.isEmpty()) p.put("NonKeyAttributes", idx.nonKeyAttributes);
            i.put("Projection", p);
            if (idx.global) {
                i.put("IndexStatus", idx.status);
                i.put("ProvisionedThroughput", throughput(idx.readCapacity, idx.writeCapacity));
            }
            long bytes = 0;
            for (Map<String, AttrValue> item : idx.entries.values()) bytes += Items.size(item);
            i.put("IndexSizeBytes", bytes);
            i.put("ItemCount", (long) idx.entries.size());
            i.put("IndexArn", t.arn + "/index/" + idx.name);
            if (idx.global && phase.equals("describe")) i.put("WarmThroughput", warm(t.billingMode, idx.readCapacity, idx.writeCapacity));
            (idx.global ? gsis : lsis).add(i);
        }
        if (!lsis.isEmpty()) d.put("LocalSecondaryIndexes", lsis);
        if (!gsis.isEmpty()) d.put("GlobalSecondaryIndexes", gsis);
        TableStream s = t.stream;
        if (s != null) {
            if (s.enabled) d.put("StreamSpecification", Map.of("StreamEnabled", true, "StreamViewType", s.viewType));
            d.put("LatestStreamLabel", s.label);
            d.put("LatestStreamArn", s.arn);
        }
        GlobalTables.describe(t, d);
        if (t.sseDescription != null) d.put("SSEDescription", t.sseDescription);
        if (t.restoredFrom != null) {
            Map<String, Object> restore = new LinkedHashMap<>();
            restore.put("SourceBackupArn", t.restoredFrom);
            restore.put("SourceTableArn", t.restoredFromTable);
            restore.put("RestoreDateTime", Instant.ofEpochMilli(t.createdMillis));
            restore.put("RestoreInProgress", false);
            d.put("RestoreSummary", restore);
        }
        if (t.tableClass != null) d.put("TableClassSummary", Map.of("TableClass", t.tableClass));
        d.put("DeletionProtectionEnabled", t.deletionProtection);
        if (phase.equals("describe")) {
            Map<String, Object> w = warm(t.billingMode, t.readCapacity, t.writeCapacity);
            // Warm throughput asked for at creation raises the table's (never lowers it).
            if (t.warmRead > 0) w.put("ReadUnitsPerSecond", Math.max(t.warmRead, (Long) w.get("ReadUnitsPerSecond")));
            if (t.warmWrite > 0) w.put("WriteUnitsPerSecond", Math.max(t.warmWrite, (Long) w.get("WriteUnitsPerSecond")));
            d.put("WarmThroughput", w);
        } else if (phase.equals("create") && (t.warmRead > 0 || t.warmWrite > 0)) {
            // CreateTable with WarmThroughput answers the values asked for, still UPDATING (recorded).
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("ReadUnitsPerSecond", t.warmRead);
            w.put("WriteUnitsPerSecond", t.warmWrite);
            w.put("Status", "UPDATING");
            d.put("WarmThroughput", w);
        }
        return d;
    }

    static List<Map<String, Object>> keySchema(Table.KeyAttr hash, Table.KeyAttr range) {
        List<Map<String, Object>> k = new ArrayList<>();
        k.add(Map.of("AttributeName", hash.name(), "KeyType", "HASH"));
        if (range != null) k.add(Map.of("AttributeName", range.name(), "KeyType", "RANGE"));
        return k;
    }

    private static Map<String, Object> throughput(long read, long write) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("NumberOfDecreasesToday", 0L);
        p.put("ReadCapacityUnits", read);
        p.put("WriteCapacityUnits", write);
        return p;
    }

    /** On-demand tables start with AWS's default warm throughput; provisioned ones with their capacity. */
    private static Map<String, Object> warm(String billing, long read, long write) {
        Map<String, Object> w = new LinkedHashMap<>();
        boolean onDemand = "PAY_PER_REQUEST".equals(billing);
        w.put("ReadUnitsPerSecond", onDemand ? 12000L : read);
        w.put("WriteUnitsPerSecond", onDemand ? 4000L : write);
        w.put("Status", "ACTIVE");
        return w;
    }

    static ServiceException notImplemented(String what) {
        return new ServiceException("UnknownOperationException", what + " is not supported by Polystack yet", 400);
    }
}
