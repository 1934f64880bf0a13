package dev.polystack.services.dynamodb;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.polystack.services.dynamodb.Params.bool;
import static dev.polystack.services.dynamodb.Params.integer;
import static dev.polystack.services.dynamodb.Params.list;
import static dev.polystack.services.dynamodb.Params.map;
import static dev.polystack.services.dynamodb.Params.maps;
import static dev.polystack.services.dynamodb.Params.str;

/**
 * The DynamoDB provider: unpacks each operation's parameters into typed values, calls {@link DynamoEngine}
 * (items, queries, transactions) or {@link TableOps} (the control plane), and renders the answer.
 */
public final class DynamoProvider implements ServiceProvider, dev.polystack.api.Persistable {
    private static final Set<String> PUT_RETURN_VALUES = Set.of("NONE", "ALL_OLD");
    private static final Set<String> UPDATE_RETURN_VALUES = Set.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW");

    final DynamoEngine engine;
    private final TableOps tables;
    private final Backups backups;
    private final PartiQLOps partiql;
    private final KinesisStreaming kinesisStreaming;
    private final LegacyGlobalTables legacyGlobalTables;
    private final java.util.concurrent.ScheduledFuture<?> sweep;

    DynamoProvider(DynamoEngine engine, ProviderEnvironment environment) {
        this.engine = engine;
        this.tables = new TableOps(engine, new SseKeys(environment));
        this.backups = new Backups(engine);
        this.partiql = new PartiQLOps(engine);
        this.kinesisStreaming = new KinesisStreaming(engine, environment);
        this.legacyGlobalTables = new LegacyGlobalTables(engine);
        if (environment != null) engine.kinesis = new KinesisForwarder(environment);
        this.sweep = environment == null ? null : environment.scheduler().scheduleWithFixedDelay(() -> {
            try {
                engine.sweepExpired();
            } catch (RuntimeException e) {
                System.getLogger("dynamodb").log(System.Logger.Level.WARNING, "TTL sweep failed", e);
            }
        }, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public String service() {
        return "dynamodb";
    }

    @Override
    public int stateVersion() {
        return DynamoSnapshot.VERSION;
    }

    @Override
    public void saveState(java.io.OutputStream out) throws java.io.IOException {
        DynamoSnapshot.save(engine, out);
    }

    @Override
    public void loadState(java.io.InputStream in, int version) throws java.io.IOException {
        if (version != DynamoSnapshot.VERSION) throw new java.io.IOException("unsupported DynamoDB state version " + version);
        resetState();
        DynamoSnapshot.load(engine, in);
    }

    @Override
    public void resetState() {
        engine.stores.clear();
    }

    @Override
    public void close() {
        if (sweep != null) sweep.cancel(false);
    }

    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        DynamoEngine.Region r = engine.stores.get(ctx);
        return switch (operation) {
            case "CreateTable" -> Map.of("TableDescription", TableOps.describe(tables.create(ctx, in), "create"));
            case "DescribeTable" -> Map.of("Table", TableOps.describe(engine.namedTable(r, str(in, "TableName")), "describe"));
            case "UpdateTable" -> Map.of("TableDescription", tables.update(ctx, in));
            case "DeleteTable" -> Map.of("TableDescription", TableOps.describe(engine.deleteTable(r, str(in, "TableName")), "delete"));
            case "ListTables" -> listTables(r, in);
            case "PutItem" -> putItem(r, in);
            case "GetItem" -> getItem(r, in);
            case "UpdateItem" -> updateItem(r, in);
            case "DeleteItem" -> deleteItem(r, in);
            case "Query" -> query(r, in);
            case "Scan" -> scan(r, in);
            case "BatchGetItem" -> batchGet(r, in);
            case "BatchWriteItem" -> batchWrite(r, in);
            case "TransactGetItems" -> transactGet(r, in);
            case "TransactWriteItems" -> transactWrite(r, in);
            case "DescribeLimits" -> Map.of("AccountMaxReadCapacityUnits", 80000L, "AccountMaxWriteCapacityUnits", 80000L,
                    "TableMaxReadCapacityUnits", 40000L, "TableMaxWriteCapacityUnits", 40000L);
            case "DescribeEndpoints" -> Map.of("Endpoints", List.of(Map.of("Address", "dynamodb." + ctx.region() + ".amazonaws.com",
                    "CachePeriodInMinutes", 1440L)));
            case "TagResource" -> tag(r, in);
            case "UntagResource" -> untag(r, in);
            case "ListTagsOfResource" -> listTags(r, in);
            case "UpdateTimeToLive" -> updateTtl(r, in);
            case "DescribeTimeToLive" -> describeTtl(r, in);
            case "DescribeContinuousBackups" -> continuousBackups(backupTable(r, in));
            case "UpdateContinuousBackups" -> updateContinuousBackups(r, in);
            case "ExecuteStatement" -> partiql.execute(r, in);
            case "BatchExecuteStatement" -> partiql.batch(r, in);
            case "ExecuteTransaction" -> partiql.transaction(r, in);
            case "CreateBackup" -> backups.create(r, in);
            case "DescribeBackup" -> backups.describe(r, in);
            case "ListBackups" -> backups.list(r, in);
            case "DeleteBackup" -> backups.delete(r, in);
            case "RestoreTableFromBackup" -> Map.of("TableDescription", TableOps.describe(backups.restore(ctx, r, in), "create"));
            case "EnableKinesisStreamingDestination" -> kinesisStreaming.enable(r, in);
            case "DisableKinesisStreamingDestination" -> kinesisStreaming.disable(r, in);
            case "DescribeKinesisStreamingDestination" -> kinesisStreaming.describe(r, in);
            case "UpdateKinesisStreamingDestination" -> kinesisStreaming.update(r, in);
            case "CreateGlobalTable" -> legacyGlobalTables.create(ctx, in);
            case "UpdateGlobalTable" -> legacyGlobalTables.update(ctx, in);
            case "DescribeGlobalTable" -> legacyGlobalTables.describe(ctx, in);
            case "ListGlobalTables" -> legacyGlobalTables.list(ctx, in);
            case "DescribeGlobalTableSettings" -> legacyGlobalTables.describeSettings(ctx, in);
            case "UpdateGlobalTableSettings" -> legacyGlobalTables.updateSettings(ctx, in);
            case "DescribeContributorInsights" -> contributorInsights(r, in, null);
            case "UpdateContributorInsights" -> contributorInsights(r, in, str(in, "ContributorInsightsAction"));
            default -> throw new UnsupportedOperationException(operation);
        };
    }

    // ---- tables -----------------------------------------------------------------------------------------------

    private Map<String, Object> listTables(DynamoEngine.Region r, Map<String, Object> in) {
        Integer limit = integer(in, "Limit");
        if (limit != null && (limit < 1 || limit > 100)) {
            throw Errors.validation("1 validation error detected: Value '" + limit + "' at 'limit' failed to satisfy constraint: Member must have value "
                    + (limit < 1 ? "greater than or equal to 1" : "less than or equal to 100"));
        }
        int max = limit == null ? 100 : limit;
        String start = str(in, "ExclusiveStartTableName");
        var names = start == null ? r.tables.keySet() : r.tables.tailMap(start, false).keySet();
        List<Object> out = new ArrayList<>();
        String last = null;
        for (String n : names) {
            if (out.size() == max) {
                last = (String) out.get(out.size() - 1);
                break;
            }
            out.add(n);
        }
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("TableNames", out);
        if (last != null) res.put("LastEvaluatedTableName", last);
        return res;
    }

    // ---- items ------------------------------------------------------------------------------------------------

    private Map<String, Object> putItem(DynamoEngine.Region r, Map<String, Object> in) {
        Table t = engine.table(r, str(in, "TableName"));
        Map<String, AttrValue> item = Items.fromWire(map(in, "Item"));
        t.checkItemKey(item);
        Items.checkSize(item);
        Expressions x = new Expressions(in);
        Expr.Cond cond = x.writeCondition();
        x.finish();
        String rv = returnValues(in, PUT_RETURN_VALUES);
        DynamoEngine.Change c = engine.write(t, t.keyOf(item, false), cond, onFailure(in), old -> item);
        Map<String, Object> out = new LinkedHashMap<>();
        if (rv.equals("ALL_OLD") && c.before() != null) out.put("Attributes", Items.toWire(c.before()));
        consumed(out, in, t, 1.0);
        collectionMetrics(out, in, t, item);
        return out;
    }

    private Map<String, Object> getItem(DynamoEngine.Region r, Map<String, Object> in) {
        Table t = engine.table(r, str(in, "TableName"));
        Key key = t.keyOf(Items.fromWire(map(in, "Key")), true);
        Expressions x = new Expressions(in);
        List<Expr.Path> projection = x.projection();
        x.finish();
        Map<String, AttrValue> item = engine.get(t, key);
        Map<String, Object> out = new LinkedHashMap<>();
        if (item != null) out.put("Item", Items.toWire(Projection.apply(item, projection)));
        consumed(out, in, t, bool(in, "ConsistentRead", false) ? 1.0 : 0.5);
        return out;
    }

    private Map<String, Object> updateItem(DynamoEngine.Region r, Map<String, Object> in) {
        Table t = engine.table(r, str(in, "TableName"));
        Map<String, AttrValue> keyAttrs = Items.fromWire(map(in, "Key"));
        Key key = t.keyOf(keyAttrs, true);
        Expressions x = new Expressions(in);
        Update update = x.update();
        Expr.Cond cond = x.writeCondition();
        x.finish();
        String rv = returnValues(in, UPDATE_RETURN_VALUES);
        if (update != null) checkKeyNotUpdated(t, update);
        DynamoEngine.Change c = engine.write(t, key, cond, onFailure(in), old -> updated(t, keyAttrs, old, update));
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, AttrValue> attrs = switch (rv) {
            case "ALL_OLD" -> c.before();
            case "ALL_NEW" -> c.after();
            case "UPDATED_OLD" -> c.before() == null || update == null ? null : Projection.apply(c.before(), update.targets());
            case "UPDATED_NEW" -> update == null ? null : Projection.apply(c.after(), update.targets());
            default -> null;
        };
        if (attrs != null && !attrs.isEmpty()) out.put("Attributes", Items.toWire(attrs));
        consumed(out, in, t, 1.0);
        collectionMetrics(out, in, t, c.after());
        return out;
    }

    private static Map<String, AttrValue> updated(Table t, Map<String, AttrValue> key, Map<String, AttrValue> old, Update update) {
        Map<String, AttrValue> base = old != null ? old : key;
        Map<String, AttrValue> next = update == null ? new LinkedHashMap<>(base) : update.apply(base);
        t.checkItemKey(next);
        return next;
    }

    static void checkKeyNotUpdated(Table t, Update update) {
        for (Expr.Path p : update.targets()) {
            if (t.keyNames().contains(p.head())) {
                throw Errors.invalidParams("Cannot update attribute " + p.head() + ". This attribute is part of the key");
            }
        }
    }

    private Map<String, Object> deleteItem(DynamoEngine.Region r, Map<String, Object> in) {
        Table t = engine.table(r, str(in, "TableName"));
        Key key = t.keyOf(Items.fromWire(map(in, "Key")), true);
        Expressions x = new Expressions(in);
        Expr.Cond cond = x.writeCondition();
        x.finish();
        String rv = returnValues(in, PUT_RETURN_VALUES);
        DynamoEngine.Change c = engine.write(t, key, cond, onFailure(in), old -> null);
        Map<String, Object> out = new LinkedHashMap<>();
        if (rv.equals("ALL_OLD") && c.before() != null) out.put("Attributes", Items.toWire(c.before()));
        consumed(out, in, t, 1.0);
        return out;
    }

    private static String returnValues(Map<String, Object> in, Set<String> allowed) {
        String rv = str(in, "ReturnValues");
        if (rv == null) return "NONE";
        if (!allowed.contains(rv)) throw Errors.validation("Return values set to invalid value");
        return rv;
    }

    private static boolean onFailure(Map<String, Object> in) {
        return "ALL_OLD".equals(str(in, "ReturnValuesOnConditionCheckFailure"));
    }

    /** ConsumedCapacity only when asked (TOTAL or INDEXES). */
    private static void consumed(Map<String, Object> out, Map<String, Object> in, Table t, double units) {
        Object c = consumedCapacity(in, t, units);
        if (c != null) out.put("ConsumedCapacity", c);
    }

    private static Map<String, Object> consumedCapacity(Map<String, Object> in, Table t, double units) {
        String mode = str(in, "ReturnConsumedCapacity");
        if (mode == null || mode.equals("NONE")) return null;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("TableName", t.name);
        c.put("CapacityUnits", units);
        if (mode.equals("INDEXES")) c.put("Table", Map.of("CapacityUnits", units));
        return c;
    }

    /** ItemCollectionMetrics only when asked (SIZE) and the table has local secondary indexes. */
    private static void collectionMetrics(Map<String, Object> out, Map<String, Object> in, Table t, Map<String, AttrValue> item) {
        if (!"SIZE".equals(str(in, "ReturnItemCollectionMetrics")) || item == null) return;
        boolean lsi = t.indexes.values().stream().anyMatch(i -> !i.global);
        if (!lsi) return;
        out.put("ItemCollectionMetrics", Map.of("ItemCollectionKey", Items.toWire(Map.of(t.hash.name(), item.get(t.hash.name()))),
                "SizeEstimateRangeGB", List.of(0.0, 1.0)));
    }

    // ---- query and scan ---------------------------------------------------------------------------------------

    private Map<String, Object> query(DynamoEngine.Region r, Map<String, Object> in) {
        Table t = engine.table(r, str(in, "TableName"));
        Table.Index idx = index(t, in);
        Expressions x = new Expressions(in);
        Expr.Cond keyCond = x.keyCondition();
        Expr.Cond filter = x.filter("QueryFilter");
        List<Expr.Path> projection = x.projection();
        x.finish();
        if (keyCond == null) throw Errors.validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
        DynamoEngine.KeyCondition kc = KeyConditions.analyze(keyCond, idx == null ? t.hash : idx.hash, idx == null ? t.range : idx.range);
        DynamoEngine.Read read = read(t, idx, in, filter, projection, 0, 1);
        DynamoEngine.Page page = engine.query(read, kc);
        return pageOut(page, read, in, t);
    }

    private Map<String, Object> scan(DynamoEngine.Region r, Map<String, Object> in) {
        Table t = engine.table(r, str(in, "TableName"));
        Table.Index idx = index(t, in);
        Expressions x = new Expressions(in);
        Expr.Cond filter = x.filter("ScanFilter");
        List<Expr.Path> projection = x.projection();
        x.finish();
        Integer segment = integer(in, "Segment"), total = integer(in, "TotalSegments");
        if (segment != null && total == null) {
            throw Errors.validation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
        }
        if (total != null && segment == null) {
            throw Errors.validation("The Segment parameter is required but was not present in the request when parameter TotalSegments is present");
        }
        if (total != null && (total < 1 || total > 1000000)) {
            throw Errors.validation("1 validation error detected: Value '" + total + "' at 'totalSegments' failed to satisfy constraint: Member must have value "
                    + (total < 1 ? "greater than or equal to 1" : "less than or equal to 1000000"));
        }
        if (segment != null && segment >= total) {
            throw Errors.validation("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: "
                    + segment + " is not less than TotalSegments: " + total);
        }
        DynamoEngine.Read read = read(t, idx, in, filter, projection, segment == null ? 0 : segment, total == null ? 1 : total);
        return pageOut(engine.scan(read), read, in, t);
    }

    private static Table.Index index(Table t, Map<String, Object> in) {
        String name = str(in, "IndexName");
        if (name == null) return null;
        Table.Index idx = t.indexes.get(name);
        if (idx == null) throw Errors.validation("The table does not have the specified index: " + name);
        if (idx.global && bool(in, "ConsistentRead", false)) throw Errors.validation("Consistent reads are not supported on global secondary indexes");
        return idx;
    }

    private static DynamoEngine.Read read(Table t, Table.Index idx, Map<String, Object> in, Expr.Cond filter,
                                          List<Expr.Path> projection, int segment, int total) {
        Integer limit = integer(in, "Limit");
        if (limit != null && limit < 1) {
            throw Errors.validation("1 validation error detected: Value '" + limit + "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }
        String select = str(in, "Select");
        if (select != null) {
            switch (select) {
                case "SPECIFIC_ATTRIBUTES" -> {
                    if (projection == null) throw Errors.validation("1 validation error detected: Select type SPECIFIC_ATTRIBUTES requires ProjectionExpression or AttributesToGet");
                }
                case "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES" -> {
                    if (projection != null) {
                        throw Errors.validation("Cannot specify the AttributesToGet when choosing to get " + (select.equals("COUNT") ? "only the Count" : select));
                    }
                    if (select.equals("ALL_PROJECTED_ATTRIBUTES") && idx == null) {
                        throw Errors.validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
                    }
                    if (select.equals("ALL_ATTRIBUTES") && idx != null && idx.global && !idx.projectionType.equals("ALL")) {
                        throw Errors.validation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index "
                                + idx.name + " because its projection type is not ALL");
                    }
                }
                default -> throw Errors.validation("1 validation error detected: Value '" + select
                        + "' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]");
            }
        }
        Map<String, AttrValue> start = Items.fromWire(map(in, "ExclusiveStartKey"));
        return new DynamoEngine.Read(t, idx, filter, projection, "COUNT".equals(select), limit, start,
                bool(in, "ScanIndexForward", true), segment, total);
    }

    private static Map<String, Object> pageOut(DynamoEngine.Page page, DynamoEngine.Read read, Map<String, Object> in, Table t) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!read.countOnly()) out.put("Items", Items.toWire(page.items()));
        out.put("Count", page.count());
        out.put("ScannedCount", page.scanned());
        if (page.lastKey() != null) out.put("LastEvaluatedKey", Items.toWire(page.lastKey()));
        consumed(out, in, t, Math.max(0.5, page.scanned() * 0.5));
        return out;
    }

    // ---- batches ----------------------------------------------------------------------------------------------

    private Map<String, Object> batchGet(DynamoEngine.Region r, Map<String, Object> in) {
        Map<String, Object> requests = map(in, "RequestItems");
        int total = 0;
        for (Object v : requests.values()) {
            @SuppressWarnings("unchecked") List<Object> keys = list((Map<String, Object>) v, "Keys");
            total += keys == null ? 0 : keys.size();
        }
        if (total > 100) throw Errors.validation("Too many items requested for the BatchGetItem call");
        Map<String, Object> responses = new LinkedHashMap<>();
        List<Object> capacity = new ArrayList<>();
        for (Map.Entry<String, Object> e : requests.entrySet()) {
            @SuppressWarnings("unchecked") Map<String, Object> req = (Map<String, Object>) e.getValue();
            Table t = engine.table(r, e.getKey());
            Expressions x = new Expressions(req);
            List<Expr.Path> projection = x.projection();
            x.finish();
            Set<Key> seen = new HashSet<>();
            List<Key> keys = new ArrayList<>();
            for (Map<String, Object> k : maps(req, "Keys")) {
                Key key = t.keyOf(Items.fromWire(k), true);
                if (!seen.add(key)) throw Errors.validation("Provided list of item keys contains duplicates");
                keys.add(key);
            }
            List<Object> items = new ArrayList<>();
            for (Key key : keys) {
                Map<String, AttrValue> item = engine.get(t, key);
                if (item != null) items.add(Items.toWire(Projection.apply(item, projection)));
            }
            responses.put(e.getKey(), items);
            Map<String, Object> c = consumedCapacity(in, t, Math.max(1, keys.size()) * 0.5);
            if (c != null) capacity.add(c);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Responses", responses);
        out.put("UnprocessedKeys", Map.of());
        if (!capacity.isEmpty()) out.put("ConsumedCapacity", capacity);
        return out;
    }

    private Map<String, Object> batchWrite(DynamoEngine.Region r, Map<String, Object> in) {
        Map<String, Object> requests = map(in, "RequestItems");
        record Write(Table table, Key key, Map<String, AttrValue> item) {
        }
        List<Write> writes = new ArrayList<>();
        int total = 0;
        for (Object v : requests.values()) total += ((List<?>) v).size();
        if (total > 25) {
            throw Errors.validation("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: "
                    + "[Member must have length less than or equal to 25, Member must have length greater than or equal to 1]");
        }
        List<Object> capacity = new ArrayList<>();
        for (Map.Entry<String, Object> e : requests.entrySet()) {
            Table t = engine.table(r, e.getKey());
            Set<Key> seen = new HashSet<>();
            @SuppressWarnings("unchecked") List<Map<String, Object>> list = (List<Map<String, Object>>) e.getValue();
            for (Map<String, Object> w : list) {
                Map<String, Object> put = map(w, "PutRequest"), del = map(w, "DeleteRequest");
                Write write;
                if (put != null) {
                    Map<String, AttrValue> item = Items.fromWire(map(put, "Item"));
                    Key key;
                    try {
                        t.checkItemKey(item);
                        key = t.keyOf(item, false);
                    } catch (ServiceException ex) {
                        throw Errors.keyMismatch();
                    }
                    Items.checkSize(item);
                    write = new Write(t, key, item);
                } else if (del != null) {
                    write = new Write(t, t.keyOf(Items.fromWire(map(del, "Key")), true), null);
                } else {
                    throw Errors.validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
                }
                if (!seen.add(write.key)) throw Errors.validation("Provided list of item keys contains duplicates");
                writes.add(write);
            }
            Map<String, Object> c = consumedCapacity(in, t, list.size());
            if (c != null) capacity.add(c);
        }
        for (Write w : writes) engine.write(w.table, w.key, null, false, old -> w.item);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("UnprocessedItems", Map.of());
        if (!capacity.isEmpty()) out.put("ConsumedCapacity", capacity);
        return out;
    }

    // ---- transactions -----------------------------------------------------------------------------------------

    private Map<String, Object> transactGet(DynamoEngine.Region r, Map<String, Object> in) {
        List<Map<String, Object>> items = maps(in, "TransactItems");
        checkTransactionSize(items);
        List<Object> responses = new ArrayList<>();
        List<Table> involved = new ArrayList<>();
        record Get(Table t, Key key, List<Expr.Path> projection) {
        }
        List<Get> gets = new ArrayList<>();
        for (Map<String, Object> ti : items) {
            Map<String, Object> g = map(ti, "Get");
            Table t = engine.table(r, str(g, "TableName"));
            Expressions x = new Expressions(g);
            List<Expr.Path> projection = x.projection();
            x.finish();
            gets.add(new Get(t, t.keyOf(Items.fromWire(map(g, "Key")), true), projection));
            involved.add(t);
        }
        for (Get g : gets) {
            Map<String, AttrValue> item = engine.get(g.t, g.key);
            responses.add(item == null ? Map.of() : Map.of("Item", Items.toWire(Projection.apply(item, g.projection))));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Responses", responses);
        return out;
    }

    private static void checkTransactionSize(List<Map<String, Object>> items) {
        if (items == null || items.isEmpty() || items.size() > 100) {
            throw Errors.validation("1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length "
                    + (items == null || items.isEmpty() ? "greater than or equal to 1" : "less than or equal to 100"));
        }
    }

    private Map<String, Object> transactWrite(DynamoEngine.Region r, Map<String, Object> in) {
        List<Map<String, Object>> items = maps(in, "TransactItems");
        checkTransactionSize(items);
        List<DynamoEngine.Action> actions = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Map<String, Object> ti : items) {
            DynamoEngine.Action a = action(r, ti);
            if (!seen.add(a.table().arn + "\u0000" + a.key())) {
                throw Errors.validation("Transaction request cannot include multiple operations on one item");
            }
            actions.add(a);
        }
        String token = str(in, "ClientRequestToken");
        if (!engine.seenToken(r, token, items.hashCode())) engine.transact(actions);
        return new LinkedHashMap<>();
    }

    private DynamoEngine.Action action(DynamoEngine.Region r, Map<String, Object> ti) {
        Map<String, Object> check = map(ti, "ConditionCheck"), put = map(ti, "Put"), del = map(ti, "Delete"), upd = map(ti, "Update");
        int n = (check != null ? 1 : 0) + (put != null ? 1 : 0) + (del != null ? 1 : 0) + (upd != null ? 1 : 0);
        if (n != 1) throw Errors.validation("TransactItems can only contain one of Check, Put, Update or Delete");
        Map<String, Object> spec = check != null ? check : put != null ? put : del != null ? del : upd;
        Table t = engine.table(r, str(spec, "TableName"));
        Expressions x = new Expressions(spec);
        boolean returnItem = onFailure(spec);
        if (put != null) {
            Map<String, AttrValue> item = Items.fromWire(map(put, "Item"));
            t.checkItemKey(item);
            Items.checkSize(item);
            Expr.Cond cond = x.condition("ConditionExpression");
            x.finish();
            return new DynamoEngine.Action(t, t.keyOf(item, false), cond, returnItem, old -> item);
        }
        Map<String, AttrValue> keyAttrs = Items.fromWire(map(spec, "Key"));
        Key key = t.keyOf(keyAttrs, true);
        if (check != null) {
            Expr.Cond cond = x.condition("ConditionExpression");
            x.finish();
            if (cond == null) throw Errors.validation("The ConditionExpression parameter is required for ConditionCheck");
            return new DynamoEngine.Action(t, key, cond, returnItem, null);
        }
        if (del != null) {
            Expr.Cond cond = x.condition("ConditionExpression");
            x.finish();
            return new DynamoEngine.Action(t, key, cond, returnItem, old -> null);
        }
        Update update = x.update();
        Expr.Cond cond = x.condition("ConditionExpression");
        x.finish();
        if (update == null) throw Errors.validation("The UpdateExpression parameter is required for Update");
        checkKeyNotUpdated(t, update);
        return new DynamoEngine.Action(t, key, cond, returnItem, old -> updated(t, keyAttrs, old, update));
    }

    // ---- tags, TTL, backups settings ---------------------------------------------------------------------------

    private Table byArn(DynamoEngine.Region r, String arn) {
        Table t = arn == null ? null : engine.stores.get(accountOf(arn, r.accountId), regionOf(arn, r.region)).tables.get(DynamoEngine.tableName(arn));
        if (t == null || !t.arn.equals(arn)) throw Errors.resourceNotFound("Requested resource not found: ResourcArn: " + arn + " not found");
        return t;
    }

    private static String regionOf(String arn, String dflt) {
        String[] p = arn.split(":", 6);
        return p.length > 3 && !p[3].isEmpty() ? p[3] : dflt;
    }

    private static String accountOf(String arn, String dflt) {
        String[] p = arn.split(":", 6);
        return p.length > 4 && !p[4].isEmpty() ? p[4] : dflt;
    }

    private Map<String, Object> tag(DynamoEngine.Region r, Map<String, Object> in) {
        Table t = byArn(r, str(in, "ResourceArn"));
        for (Map<String, Object> tag : maps(in, "Tags")) t.tags.put(str(tag, "Key"), str(tag, "Value"));
        return Map.of();
    }

    private Map<String, Object> untag(DynamoEngine.Region r, Map<String, Object> in) {
        Table t = byArn(r, str(in, "ResourceArn"));
        for (Object k : list(in, "TagKeys")) t.tags.remove(k.toString());
        return Map.of();
    }

    private Map<String, Object> listTags(DynamoEngine.Region r, Map<String, Object> in) {
        Table t = byArn(r, str(in, "ResourceArn"));
        List<Object> tags = new ArrayList<>();
        new java.util.TreeMap<>(t.tags).forEach((k, v) -> tags.add(Map.of("Key", k, "Value", v)));
        return Map.of("Tags", tags);
    }

    private Map<String, Object> updateTtl(DynamoEngine.Region r, Map<String, Object> in) {
        Table t = engine.namedTable(r, str(in, "TableName"));
        Map<String, Object> spec = map(in, "TimeToLiveSpecification");
        boolean enabled = bool(spec, "Enabled", false);
        String attribute = str(spec, "AttributeName");
        if (enabled && t.ttlEnabled) throw Errors.validation("TimeToLive is already enabled");
        if (!enabled && !t.ttlEnabled) throw Errors.validation("TimeToLive is already disabled");
        t.ttlAttribute = attribute;
        t.ttlEnabled = enabled;
        return Map.of("TimeToLiveSpecification", Map.of("Enabled", enabled, "AttributeName", attribute));
    }

    private Map<String, Object> describeTtl(DynamoEngine.Region r, Map<String, Object> in) {
        Table t = engine.namedTable(r, str(in, "TableName"));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("TimeToLiveStatus", t.ttlEnabled ? "ENABLED" : "DISABLED");
        if (t.ttlEnabled) d.put("AttributeName", t.ttlAttribute);
        return Map.of("TimeToLiveDescription", d);
    }

    private Table backupTable(DynamoEngine.Region r, Map<String, Object> in) {
        String name = DynamoEngine.tableName(str(in, "TableName"));
        Table t = r.tables.get(name);
        if (t == null) throw new ServiceException("TableNotFoundException", "Table not found: " + name);
        return t;
    }

    private Map<String, Object> continuousBackups(Table t) {
        Map<String, Object> pitr = new LinkedHashMap<>();
        pitr.put("PointInTimeRecoveryStatus", t.pointInTimeRecovery ? "ENABLED" : "DISABLED");
        if (t.pointInTimeRecovery) {
            long now = engine.clock.getAsLong();
            pitr.put("EarliestRestorableDateTime", Instant.ofEpochMilli(Math.max(t.createdMillis, now - 35L * 86400000)));
            pitr.put("LatestRestorableDateTime", Instant.ofEpochMilli(now - 5 * 60000));
            pitr.put("RecoveryPeriodInDays", 35);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ContinuousBackupsStatus", "ENABLED");
        d.put("PointInTimeRecoveryDescription", pitr);
        return Map.of("ContinuousBackupsDescription", d);
    }

    private Map<String, Object> updateContinuousBackups(DynamoEngine.Region r, Map<String, Object> in) {
        Table t = backupTable(r, in);
        t.pointInTimeRecovery = bool(map(in, "PointInTimeRecoverySpecification"), "PointInTimeRecoveryEnabled", false);
        return continuousBackups(t);
    }

    private Map<String, Object> contributorInsights(DynamoEngine.Region r, Map<String, Object> in, String action) {
        Table t = engine.namedTable(r, str(in, "TableName"));
        if (action != null) t.contributorInsights = action.equals("ENABLE") ? "ENABLED" : "DISABLED";
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("TableName", t.name);
        if (str(in, "IndexName") != null) out.put("IndexName", str(in, "IndexName"));
        out.put("ContributorInsightsStatus", t.contributorInsights);
        return out;
    }
}
