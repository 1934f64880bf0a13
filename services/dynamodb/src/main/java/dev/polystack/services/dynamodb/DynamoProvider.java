package dev.polystack.services.dynamodb;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;

import dev.polystack.services.dynamodb.api.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The DynamoDB provider on its typed interface: reads each operation's typed request, calls {@link DynamoEngine}
 * (items, queries, transactions) or {@link TableOps} (the control plane), and builds the typed answer. Attribute
 * values are converted once at this edge ({@link Items#fromApi}, {@link Items#toApi}); descriptions of the
 * control plane (tables, backups, global tables) are built as the generated types by the classes that own them.
 */
public final class DynamoProvider implements DynamoDbApi, ServiceProvider, dev.polystack.api.Persistable {
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
        return OPERATIONS.invoke(this, ctx, operation, in);
    }

    private DynamoEngine.Region region(RequestContext ctx) {
        return engine.stores.get(ctx);
    }

    // ---- tables -----------------------------------------------------------------------------------------------

    @Override
    public CreateTableOutput createTable(RequestContext ctx, CreateTableInput in) {
        return CreateTableOutput.builder().tableDescription(TableOps.describe(tables.create(ctx, in), "create")).build();
    }

    @Override
    public DescribeTableOutput describeTable(RequestContext ctx, DescribeTableInput in) {
        Table t = engine.namedTable(region(ctx), in.tableName());
        return DescribeTableOutput.builder().table(TableOps.describe(t, "describe")).build();
    }

    @Override
    public UpdateTableOutput updateTable(RequestContext ctx, UpdateTableInput in) {
        return UpdateTableOutput.builder().tableDescription(tables.update(ctx, in)).build();
    }

    @Override
    public DeleteTableOutput deleteTable(RequestContext ctx, DeleteTableInput in) {
        Table t = engine.deleteTable(region(ctx), in.tableName());
        return DeleteTableOutput.builder().tableDescription(TableOps.describe(t, "delete")).build();
    }

    @Override
    public ListTablesOutput listTables(RequestContext ctx, ListTablesInput in) {
        DynamoEngine.Region r = region(ctx);
        Integer limit = in.limit();
        if (limit != null && (limit < 1 || limit > 100)) {
            throw Errors.validation("1 validation error detected: Value '" + limit + "' at 'limit' failed to satisfy constraint: Member must have value "
                    + (limit < 1 ? "greater than or equal to 1" : "less than or equal to 100"));
        }
        int max = limit == null ? 100 : limit;
        String start = in.exclusiveStartTableName();
        var names = start == null ? r.tables.keySet() : r.tables.tailMap(start, false).keySet();
        List<String> out = new ArrayList<>();
        String last = null;
        for (String n : names) {
            if (out.size() == max) {
                last = out.get(out.size() - 1);
                break;
            }
            out.add(n);
        }
        return ListTablesOutput.builder().tableNames(out).lastEvaluatedTableName(last).build();
    }

    @Override
    public DescribeLimitsOutput describeLimits(RequestContext ctx, DescribeLimitsInput in) {
        return DescribeLimitsOutput.builder().accountMaxReadCapacityUnits(80000L).accountMaxWriteCapacityUnits(80000L)
                .tableMaxReadCapacityUnits(40000L).tableMaxWriteCapacityUnits(40000L).build();
    }

    @Override
    public DescribeEndpointsResponse describeEndpoints(RequestContext ctx, DescribeEndpointsRequest in) {
        return DescribeEndpointsResponse.builder().endpoints(List.of(Endpoint.builder()
                .address("dynamodb." + ctx.region() + ".amazonaws.com").cachePeriodInMinutes(1440L).build())).build();
    }

    // ---- items ------------------------------------------------------------------------------------------------

    @Override
    public PutItemOutput putItem(RequestContext ctx, PutItemInput in) {
        Table t = engine.table(region(ctx), in.tableName());
        Map<String, AttrValue> item = Items.fromApi(in.item());
        t.checkItemKey(item);
        Items.checkSize(item);
        Expressions x = new Expressions(in.expressionAttributeNames(), in.expressionAttributeValues());
        Expr.Cond cond = x.writeCondition(in.conditionExpression(), in.expected(), in.conditionalOperatorAsString());
        x.finish();
        String rv = returnValues(in.returnValuesAsString(), PUT_RETURN_VALUES);
        DynamoEngine.Change c = engine.write(t, t.keyOf(item, false), cond, onFailure(in.returnValuesOnConditionCheckFailureAsString()), old -> item);
        PutItemOutput.Builder out = PutItemOutput.builder();
        if (rv.equals("ALL_OLD") && c.before() != null) out.attributes(Items.toApi(c.before()));
        return out.consumedCapacity(consumedCapacity(in.returnConsumedCapacityAsString(), t, 1.0))
                .itemCollectionMetrics(collectionMetrics(in.returnItemCollectionMetricsAsString(), t, item)).build();
    }

    @Override
    public GetItemOutput getItem(RequestContext ctx, GetItemInput in) {
        Table t = engine.table(region(ctx), in.tableName());
        Key key = t.keyOf(Items.fromApi(in.key()), true);
        Expressions x = new Expressions(in.expressionAttributeNames());
        List<Expr.Path> projection = x.projection(in.projectionExpression(), in.attributesToGet());
        x.finish();
        Map<String, AttrValue> item = engine.get(t, key);
        GetItemOutput.Builder out = GetItemOutput.builder();
        if (item != null) out.item(Items.toApi(Projection.apply(item, projection)));
        return out.consumedCapacity(consumedCapacity(in.returnConsumedCapacityAsString(), t, Boolean.TRUE.equals(in.consistentRead()) ? 1.0 : 0.5)).build();
    }

    @Override
    public UpdateItemOutput updateItem(RequestContext ctx, UpdateItemInput in) {
        Table t = engine.table(region(ctx), in.tableName());
        Map<String, AttrValue> keyAttrs = Items.fromApi(in.key());
        Key key = t.keyOf(keyAttrs, true);
        Expressions x = new Expressions(in.expressionAttributeNames(), in.expressionAttributeValues());
        Update update = x.update(in.updateExpression(), in.attributeUpdates());
        Expr.Cond cond = x.writeCondition(in.conditionExpression(), in.expected(), in.conditionalOperatorAsString());
        x.finish();
        String rv = returnValues(in.returnValuesAsString(), UPDATE_RETURN_VALUES);
        if (update != null) checkKeyNotUpdated(t, update);
        DynamoEngine.Change c = engine.write(t, key, cond, onFailure(in.returnValuesOnConditionCheckFailureAsString()),
                old -> updated(t, keyAttrs, old, update));
        Map<String, AttrValue> attrs = switch (rv) {
            case "ALL_OLD" -> c.before();
            case "ALL_NEW" -> c.after();
            case "UPDATED_OLD" -> c.before() == null || update == null ? null : Projection.apply(c.before(), update.targets());
            case "UPDATED_NEW" -> update == null ? null : Projection.apply(c.after(), update.targets());
            default -> null;
        };
        UpdateItemOutput.Builder out = UpdateItemOutput.builder();
        if (attrs != null && !attrs.isEmpty()) out.attributes(Items.toApi(attrs));
        return out.consumedCapacity(consumedCapacity(in.returnConsumedCapacityAsString(), t, 1.0))
                .itemCollectionMetrics(collectionMetrics(in.returnItemCollectionMetricsAsString(), t, c.after())).build();
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

    @Override
    public DeleteItemOutput deleteItem(RequestContext ctx, DeleteItemInput in) {
        Table t = engine.table(region(ctx), in.tableName());
        Key key = t.keyOf(Items.fromApi(in.key()), true);
        Expressions x = new Expressions(in.expressionAttributeNames(), in.expressionAttributeValues());
        Expr.Cond cond = x.writeCondition(in.conditionExpression(), in.expected(), in.conditionalOperatorAsString());
        x.finish();
        String rv = returnValues(in.returnValuesAsString(), PUT_RETURN_VALUES);
        DynamoEngine.Change c = engine.write(t, key, cond, onFailure(in.returnValuesOnConditionCheckFailureAsString()), old -> null);
        DeleteItemOutput.Builder out = DeleteItemOutput.builder();
        if (rv.equals("ALL_OLD") && c.before() != null) out.attributes(Items.toApi(c.before()));
        return out.consumedCapacity(consumedCapacity(in.returnConsumedCapacityAsString(), t, 1.0)).build();
    }

    private static String returnValues(String rv, Set<String> allowed) {
        if (rv == null) return "NONE";
        if (!allowed.contains(rv)) throw Errors.validation("Return values set to invalid value");
        return rv;
    }

    private static boolean onFailure(String returnValuesOnConditionCheckFailure) {
        return "ALL_OLD".equals(returnValuesOnConditionCheckFailure);
    }

    /** ConsumedCapacity only when asked (TOTAL or INDEXES); null otherwise. */
    private static ConsumedCapacity consumedCapacity(String mode, Table t, double units) {
        if (mode == null || mode.equals("NONE")) return null;
        ConsumedCapacity.Builder c = ConsumedCapacity.builder().tableName(t.name).capacityUnits(units);
        if (mode.equals("INDEXES")) c.table(Capacity.builder().capacityUnits(units).build());
        return c.build();
    }

    /** ItemCollectionMetrics only when asked (SIZE) and the table has local secondary indexes; null otherwise. */
    private static ItemCollectionMetrics collectionMetrics(String mode, Table t, Map<String, AttrValue> item) {
        if (!"SIZE".equals(mode) || item == null) return null;
        boolean lsi = t.indexes.values().stream().anyMatch(i -> !i.global);
        if (!lsi) return null;
        return ItemCollectionMetrics.builder().itemCollectionKey(Items.toApi(Map.of(t.hash.name(), item.get(t.hash.name()))))
                .sizeEstimateRangeGB(List.of(0.0, 1.0)).build();
    }

    // ---- query and scan ---------------------------------------------------------------------------------------

    @Override
    public QueryOutput query(RequestContext ctx, QueryInput in) {
        Table t = engine.table(region(ctx), in.tableName());
        Table.Index idx = index(t, in.indexName(), in.consistentRead());
        Expressions x = new Expressions(in.expressionAttributeNames(), in.expressionAttributeValues());
        Expr.Cond keyCond = x.keyCondition(in.keyConditionExpression(), in.keyConditions());
        Expr.Cond filter = x.filter(in.filterExpression(), "QueryFilter", in.queryFilter(), in.conditionalOperatorAsString());
        List<Expr.Path> projection = x.projection(in.projectionExpression(), in.attributesToGet());
        x.finish();
        if (keyCond == null) throw Errors.validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
        DynamoEngine.KeyCondition kc = KeyConditions.analyze(keyCond, idx == null ? t.hash : idx.hash, idx == null ? t.range : idx.range);
        DynamoEngine.Read read = read(t, idx, in.limit(), in.selectAsString(), in.exclusiveStartKey(), in.scanIndexForward(),
                filter, projection, 0, 1);
        DynamoEngine.Page page = engine.query(read, kc);
        QueryOutput.Builder out = QueryOutput.builder();
        if (!read.countOnly()) out.items(Items.toApi(page.items()));
        out.count(page.count()).scannedCount(page.scanned());
        if (page.lastKey() != null) out.lastEvaluatedKey(Items.toApi(page.lastKey()));
        return out.consumedCapacity(consumedCapacity(in.returnConsumedCapacityAsString(), t, pageUnits(page))).build();
    }

    @Override
    public ScanOutput scan(RequestContext ctx, ScanInput in) {
        Table t = engine.table(region(ctx), in.tableName());
        Table.Index idx = index(t, in.indexName(), in.consistentRead());
        Expressions x = new Expressions(in.expressionAttributeNames(), in.expressionAttributeValues());
        Expr.Cond filter = x.filter(in.filterExpression(), "ScanFilter", in.scanFilter(), in.conditionalOperatorAsString());
        List<Expr.Path> projection = x.projection(in.projectionExpression(), in.attributesToGet());
        x.finish();
        Integer segment = in.segment(), total = in.totalSegments();
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
        DynamoEngine.Read read = read(t, idx, in.limit(), in.selectAsString(), in.exclusiveStartKey(), null, filter, projection,
                segment == null ? 0 : segment, total == null ? 1 : total);
        DynamoEngine.Page page = engine.scan(read);
        ScanOutput.Builder out = ScanOutput.builder();
        if (!read.countOnly()) out.items(Items.toApi(page.items()));
        out.count(page.count()).scannedCount(page.scanned());
        if (page.lastKey() != null) out.lastEvaluatedKey(Items.toApi(page.lastKey()));
        return out.consumedCapacity(consumedCapacity(in.returnConsumedCapacityAsString(), t, pageUnits(page))).build();
    }

    private static double pageUnits(DynamoEngine.Page page) {
        return Math.max(0.5, page.scanned() * 0.5);
    }

    private static Table.Index index(Table t, String name, Boolean consistentRead) {
        if (name == null) return null;
        Table.Index idx = t.indexes.get(name);
        if (idx == null) throw Errors.validation("The table does not have the specified index: " + name);
        if (idx.global && Boolean.TRUE.equals(consistentRead)) throw Errors.validation("Consistent reads are not supported on global secondary indexes");
        return idx;
    }

    private static DynamoEngine.Read read(Table t, Table.Index idx, Integer limit, String select, Map<String, AttributeValue> exclusiveStartKey,
                                          Boolean scanIndexForward, Expr.Cond filter, List<Expr.Path> projection, int segment, int total) {
        if (limit != null && limit < 1) {
            throw Errors.validation("1 validation error detected: Value '" + limit + "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }
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
        Map<String, AttrValue> start = Items.fromApi(exclusiveStartKey);
        return new DynamoEngine.Read(t, idx, filter, projection, "COUNT".equals(select), limit, start,
                scanIndexForward == null || scanIndexForward, segment, total);
    }

    // ---- batches ----------------------------------------------------------------------------------------------

    @Override
    public BatchGetItemOutput batchGetItem(RequestContext ctx, BatchGetItemInput in) {
        DynamoEngine.Region r = region(ctx);
        Map<String, KeysAndAttributes> requests = in.requestItems() == null ? Map.of() : in.requestItems();
        int total = 0;
        for (KeysAndAttributes v : requests.values()) total += v.keys() == null ? 0 : v.keys().size();
        if (total > 100) throw Errors.validation("Too many items requested for the BatchGetItem call");
        Map<String, List<Map<String, AttributeValue>>> responses = new LinkedHashMap<>();
        List<ConsumedCapacity> capacity = new ArrayList<>();
        for (Map.Entry<String, KeysAndAttributes> e : requests.entrySet()) {
            KeysAndAttributes req = e.getValue();
            Table t = engine.table(r, e.getKey());
            Expressions x = new Expressions(req.expressionAttributeNames());
            List<Expr.Path> projection = x.projection(req.projectionExpression(), req.attributesToGet());
            x.finish();
            Set<Key> seen = new HashSet<>();
            List<Key> keys = new ArrayList<>();
            for (Map<String, AttributeValue> k : req.keys() == null ? List.<Map<String, AttributeValue>>of() : req.keys()) {
                Key key = t.keyOf(Items.fromApi(k), true);
                if (!seen.add(key)) throw Errors.validation("Provided list of item keys contains duplicates");
                keys.add(key);
            }
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            for (Key key : keys) {
                Map<String, AttrValue> item = engine.get(t, key);
                if (item != null) items.add(Items.toApi(Projection.apply(item, projection)));
            }
            responses.put(e.getKey(), items);
            ConsumedCapacity c = consumedCapacity(in.returnConsumedCapacityAsString(), t, Math.max(1, keys.size()) * 0.5);
            if (c != null) capacity.add(c);
        }
        return BatchGetItemOutput.builder().responses(responses).unprocessedKeys(Map.of())
                .consumedCapacity(capacity.isEmpty() ? null : capacity).build();
    }

    @Override
    public BatchWriteItemOutput batchWriteItem(RequestContext ctx, BatchWriteItemInput in) {
        DynamoEngine.Region r = region(ctx);
        Map<String, List<WriteRequest>> requests = in.requestItems() == null ? Map.of() : in.requestItems();
        record Write(Table table, Key key, Map<String, AttrValue> item) {
        }
        List<Write> writes = new ArrayList<>();
        int total = 0;
        for (List<WriteRequest> v : requests.values()) total += v.size();
        if (total > 25) {
            throw Errors.validation("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: "
                    + "[Member must have length less than or equal to 25, Member must have length greater than or equal to 1]");
        }
        List<ConsumedCapacity> capacity = new ArrayList<>();
        for (Map.Entry<String, List<WriteRequest>> e : requests.entrySet()) {
            Table t = engine.table(r, e.getKey());
            Set<Key> seen = new HashSet<>();
            for (WriteRequest w : e.getValue()) {
                Write write;
                if (w.putRequest() != null) {
                    Map<String, AttrValue> item = Items.fromApi(w.putRequest().item());
                    Key key;
                    try {
                        t.checkItemKey(item);
                        key = t.keyOf(item, false);
                    } catch (ServiceException ex) {
                        throw Errors.keyMismatch();
                    }
                    Items.checkSize(item);
                    write = new Write(t, key, item);
                } else if (w.deleteRequest() != null) {
                    write = new Write(t, t.keyOf(Items.fromApi(w.deleteRequest().key()), true), null);
                } else {
                    throw Errors.validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
                }
                if (!seen.add(write.key)) throw Errors.validation("Provided list of item keys contains duplicates");
                writes.add(write);
            }
            ConsumedCapacity c = consumedCapacity(in.returnConsumedCapacityAsString(), t, e.getValue().size());
            if (c != null) capacity.add(c);
        }
        for (Write w : writes) engine.write(w.table, w.key, null, false, old -> w.item);
        return BatchWriteItemOutput.builder().unprocessedItems(Map.of()).consumedCapacity(capacity.isEmpty() ? null : capacity).build();
    }

    // ---- transactions -----------------------------------------------------------------------------------------

    @Override
    public TransactGetItemsOutput transactGetItems(RequestContext ctx, TransactGetItemsInput in) {
        DynamoEngine.Region r = region(ctx);
        List<TransactGetItem> items = in.transactItems();
        checkTransactionSize(items);
        record Read(Table t, Key key, List<Expr.Path> projection) {
        }
        List<Read> reads = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Get g = items.get(i).get();
            if (g == null) {
                throw Errors.validation("1 validation error detected: Value null at 'transactItems." + (i + 1)
                        + ".member.get' failed to satisfy constraint: Member must not be null");
            }
            Table t = engine.table(r, g.tableName());
            Expressions x = new Expressions(g.expressionAttributeNames());
            List<Expr.Path> projection = x.projection(g.projectionExpression(), null);
            x.finish();
            reads.add(new Read(t, t.keyOf(Items.fromApi(g.key()), true), projection));
        }
        List<ItemResponse> responses = new ArrayList<>();
        for (Read g : reads) {
            Map<String, AttrValue> item = engine.get(g.t, g.key);
            responses.add(item == null ? ItemResponse.builder().build()
                    : ItemResponse.builder().item(Items.toApi(Projection.apply(item, g.projection))).build());
        }
        return TransactGetItemsOutput.builder().responses(responses).build();
    }

    private static void checkTransactionSize(List<?> items) {
        if (items == null || items.isEmpty() || items.size() > 100) {
            throw Errors.validation("1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length "
                    + (items == null || items.isEmpty() ? "greater than or equal to 1" : "less than or equal to 100"));
        }
    }

    @Override
    public TransactWriteItemsOutput transactWriteItems(RequestContext ctx, TransactWriteItemsInput in) {
        DynamoEngine.Region r = region(ctx);
        List<TransactWriteItem> items = in.transactItems();
        checkTransactionSize(items);
        List<DynamoEngine.Action> actions = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (TransactWriteItem ti : items) {
            DynamoEngine.Action a = action(r, ti);
            if (!seen.add(a.table().arn + "\u0000" + a.key())) {
                throw Errors.validation("Transaction request cannot include multiple operations on one item");
            }
            actions.add(a);
        }
        if (!engine.seenToken(r, in.clientRequestToken(), items.hashCode())) engine.transact(actions);
        return TransactWriteItemsOutput.builder().build();
    }

    private DynamoEngine.Action action(DynamoEngine.Region r, TransactWriteItem ti) {
        ConditionCheck check = ti.conditionCheck();
        Put put = ti.put();
        Delete del = ti.delete();
        dev.polystack.services.dynamodb.api.Update upd = ti.update();
        int n = (check != null ? 1 : 0) + (put != null ? 1 : 0) + (del != null ? 1 : 0) + (upd != null ? 1 : 0);
        if (n != 1) throw Errors.validation("TransactItems can only contain one of Check, Put, Update or Delete");
        if (put != null) {
            Table t = engine.table(r, put.tableName());
            Expressions x = new Expressions(put.expressionAttributeNames(), put.expressionAttributeValues());
            Map<String, AttrValue> item = Items.fromApi(put.item());
            t.checkItemKey(item);
            Items.checkSize(item);
            Expr.Cond cond = x.condition("ConditionExpression", put.conditionExpression());
            x.finish();
            return new DynamoEngine.Action(t, t.keyOf(item, false), cond, onFailure(put.returnValuesOnConditionCheckFailureAsString()), old -> item);
        }
        if (check != null) {
            Table t = engine.table(r, check.tableName());
            Expressions x = new Expressions(check.expressionAttributeNames(), check.expressionAttributeValues());
            Key key = t.keyOf(Items.fromApi(check.key()), true);
            Expr.Cond cond = x.condition("ConditionExpression", check.conditionExpression());
            x.finish();
            if (cond == null) throw Errors.validation("The ConditionExpression parameter is required for ConditionCheck");
            return new DynamoEngine.Action(t, key, cond, onFailure(check.returnValuesOnConditionCheckFailureAsString()), null);
        }
        if (del != null) {
            Table t = engine.table(r, del.tableName());
            Expressions x = new Expressions(del.expressionAttributeNames(), del.expressionAttributeValues());
            Key key = t.keyOf(Items.fromApi(del.key()), true);
            Expr.Cond cond = x.condition("ConditionExpression", del.conditionExpression());
            x.finish();
            return new DynamoEngine.Action(t, key, cond, onFailure(del.returnValuesOnConditionCheckFailureAsString()), old -> null);
        }
        Table t = engine.table(r, upd.tableName());
        Expressions x = new Expressions(upd.expressionAttributeNames(), upd.expressionAttributeValues());
        Map<String, AttrValue> keyAttrs = Items.fromApi(upd.key());
        Key key = t.keyOf(keyAttrs, true);
        Update update = x.update(upd.updateExpression(), null);
        Expr.Cond cond = x.condition("ConditionExpression", upd.conditionExpression());
        x.finish();
        if (update == null) throw Errors.validation("The UpdateExpression parameter is required for Update");
        checkKeyNotUpdated(t, update);
        return new DynamoEngine.Action(t, key, cond, onFailure(upd.returnValuesOnConditionCheckFailureAsString()),
                old -> updated(t, keyAttrs, old, update));
    }

    // ---- PartiQL, backups, Kinesis destinations, legacy global tables (each in its own class) ----------------------

    @Override
    public ExecuteStatementOutput executeStatement(RequestContext ctx, ExecuteStatementInput in) {
        return partiql.execute(region(ctx), in);
    }

    @Override
    public BatchExecuteStatementOutput batchExecuteStatement(RequestContext ctx, BatchExecuteStatementInput in) {
        return partiql.batch(region(ctx), in);
    }

    @Override
    public ExecuteTransactionOutput executeTransaction(RequestContext ctx, ExecuteTransactionInput in) {
        return partiql.transaction(region(ctx), in);
    }

    @Override
    public CreateBackupOutput createBackup(RequestContext ctx, CreateBackupInput in) {
        return CreateBackupOutput.builder().backupDetails(backups.create(region(ctx), in.tableName(), in.backupName())).build();
    }

    @Override
    public DescribeBackupOutput describeBackup(RequestContext ctx, DescribeBackupInput in) {
        return DescribeBackupOutput.builder().backupDescription(backups.describe(region(ctx), in.backupArn())).build();
    }

    @Override
    public ListBackupsOutput listBackups(RequestContext ctx, ListBackupsInput in) {
        return ListBackupsOutput.builder().backupSummaries(backups.list(region(ctx), in.tableName())).build();
    }

    @Override
    public DeleteBackupOutput deleteBackup(RequestContext ctx, DeleteBackupInput in) {
        return DeleteBackupOutput.builder().backupDescription(backups.delete(region(ctx), in.backupArn())).build();
    }

    @Override
    public RestoreTableFromBackupOutput restoreTableFromBackup(RequestContext ctx, RestoreTableFromBackupInput in) {
        Table t = backups.restore(ctx, region(ctx), in.backupArn(), in.targetTableName(), in.billingModeOverrideAsString());
        return RestoreTableFromBackupOutput.builder().tableDescription(TableOps.describe(t, "create")).build();
    }

    @Override
    public RestoreTableToPointInTimeOutput restoreTableToPointInTime(RequestContext ctx, RestoreTableToPointInTimeInput in) {
        Table t = backups.restoreToPointInTime(ctx, region(ctx), in);
        return RestoreTableToPointInTimeOutput.builder().tableDescription(TableOps.describe(t, "create")).build();
    }

    @Override
    public KinesisStreamingDestinationOutput enableKinesisStreamingDestination(RequestContext ctx, KinesisStreamingDestinationInput in) {
        return kinesisStreaming.enable(region(ctx), in);
    }

    @Override
    public KinesisStreamingDestinationOutput disableKinesisStreamingDestination(RequestContext ctx, KinesisStreamingDestinationInput in) {
        return kinesisStreaming.disable(region(ctx), in);
    }

    @Override
    public DescribeKinesisStreamingDestinationOutput describeKinesisStreamingDestination(RequestContext ctx, DescribeKinesisStreamingDestinationInput in) {
        return kinesisStreaming.describe(region(ctx), in.tableName());
    }

    @Override
    public UpdateKinesisStreamingDestinationOutput updateKinesisStreamingDestination(RequestContext ctx, UpdateKinesisStreamingDestinationInput in) {
        return kinesisStreaming.update(region(ctx), in);
    }

    @Override
    public CreateGlobalTableOutput createGlobalTable(RequestContext ctx, CreateGlobalTableInput in) {
        List<String> regions = in.replicationGroup() == null ? null : in.replicationGroup().stream().map(Replica::regionName).toList();
        return CreateGlobalTableOutput.builder().globalTableDescription(
                legacyGlobalTables.create(ctx, in.globalTableName(), regions)).build();
    }

    @Override
    public UpdateGlobalTableOutput updateGlobalTable(RequestContext ctx, UpdateGlobalTableInput in) {
        return UpdateGlobalTableOutput.builder().globalTableDescription(
                legacyGlobalTables.update(ctx, in.globalTableName(), in.replicaUpdates())).build();
    }

    @Override
    public DescribeGlobalTableOutput describeGlobalTable(RequestContext ctx, DescribeGlobalTableInput in) {
        return DescribeGlobalTableOutput.builder().globalTableDescription(
                legacyGlobalTables.describe(ctx, in.globalTableName())).build();
    }

    @Override
    public ListGlobalTablesOutput listGlobalTables(RequestContext ctx, ListGlobalTablesInput in) {
        return legacyGlobalTables.list(ctx, in.limit(), in.exclusiveStartGlobalTableName(), in.regionName());
    }

    @Override
    public DescribeGlobalTableSettingsOutput describeGlobalTableSettings(RequestContext ctx, DescribeGlobalTableSettingsInput in) {
        return DescribeGlobalTableSettingsOutput.builder().globalTableName(in.globalTableName())
                .replicaSettings(legacyGlobalTables.describeSettings(ctx, in.globalTableName())).build();
    }

    @Override
    public UpdateGlobalTableSettingsOutput updateGlobalTableSettings(RequestContext ctx, UpdateGlobalTableSettingsInput in) {
        return UpdateGlobalTableSettingsOutput.builder().globalTableName(in.globalTableName())
                .replicaSettings(legacyGlobalTables.updateSettings(ctx, in)).build();
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

    @Override
    public void tagResource(RequestContext ctx, TagResourceInput in) {
        Table t = byArn(region(ctx), in.resourceArn());
        for (Tag tag : in.tags() == null ? List.<Tag>of() : in.tags()) t.tags.put(tag.key(), tag.value());
    }

    @Override
    public void untagResource(RequestContext ctx, UntagResourceInput in) {
        Table t = byArn(region(ctx), in.resourceArn());
        for (String k : in.tagKeys() == null ? List.<String>of() : in.tagKeys()) t.tags.remove(k);
    }

    @Override
    public ListTagsOfResourceOutput listTagsOfResource(RequestContext ctx, ListTagsOfResourceInput in) {
        Table t = byArn(region(ctx), in.resourceArn());
        List<Tag> tags = new ArrayList<>();
        new java.util.TreeMap<>(t.tags).forEach((k, v) -> tags.add(Tag.builder().key(k).value(v).build()));
        return ListTagsOfResourceOutput.builder().tags(tags).build();
    }

    @Override
    public UpdateTimeToLiveOutput updateTimeToLive(RequestContext ctx, UpdateTimeToLiveInput in) {
        Table t = engine.namedTable(region(ctx), in.tableName());
        TimeToLiveSpecification spec = in.timeToLiveSpecification();
        boolean enabled = spec != null && Boolean.TRUE.equals(spec.enabled());
        String attribute = spec == null ? null : spec.attributeName();
        if (enabled && t.ttlEnabled) throw Errors.validation("TimeToLive is already enabled");
        if (!enabled && !t.ttlEnabled) throw Errors.validation("TimeToLive is already disabled");
        t.ttlAttribute = attribute;
        t.ttlEnabled = enabled;
        return UpdateTimeToLiveOutput.builder().timeToLiveSpecification(
                TimeToLiveSpecification.builder().enabled(enabled).attributeName(attribute).build()).build();
    }

    @Override
    public DescribeTimeToLiveOutput describeTimeToLive(RequestContext ctx, DescribeTimeToLiveInput in) {
        Table t = engine.namedTable(region(ctx), in.tableName());
        return DescribeTimeToLiveOutput.builder().timeToLiveDescription(TimeToLiveDescription.builder()
                .timeToLiveStatus(t.ttlEnabled ? "ENABLED" : "DISABLED").attributeName(t.ttlEnabled ? t.ttlAttribute : null).build()).build();
    }

    private static Table backupTable(DynamoEngine.Region r, String tableName) {
        String name = DynamoEngine.tableName(tableName);
        Table t = r.tables.get(name);
        if (t == null) throw new ServiceException("TableNotFoundException", "Table not found: " + name);
        return t;
    }

    @Override
    public DescribeContinuousBackupsOutput describeContinuousBackups(RequestContext ctx, DescribeContinuousBackupsInput in) {
        return DescribeContinuousBackupsOutput.builder().continuousBackupsDescription(continuousBackups(backupTable(region(ctx), in.tableName()))).build();
    }

    @Override
    public UpdateContinuousBackupsOutput updateContinuousBackups(RequestContext ctx, UpdateContinuousBackupsInput in) {
        Table t = backupTable(region(ctx), in.tableName());
        PointInTimeRecoverySpecification spec = in.pointInTimeRecoverySpecification();
        t.pointInTimeRecovery = spec != null && Boolean.TRUE.equals(spec.pointInTimeRecoveryEnabled());
        return UpdateContinuousBackupsOutput.builder().continuousBackupsDescription(continuousBackups(t)).build();
    }

    private ContinuousBackupsDescription continuousBackups(Table t) {
        PointInTimeRecoveryDescription.Builder pitr = PointInTimeRecoveryDescription.builder()
                .pointInTimeRecoveryStatus(t.pointInTimeRecovery ? "ENABLED" : "DISABLED");
        if (t.pointInTimeRecovery) {
            long now = engine.clock.getAsLong();
            pitr.earliestRestorableDateTime(Instant.ofEpochMilli(Math.max(t.createdMillis, now - 35L * 86400000)))
                    .latestRestorableDateTime(Instant.ofEpochMilli(now - 5 * 60000))
                    .recoveryPeriodInDays(35);
        }
        return ContinuousBackupsDescription.builder().continuousBackupsStatus("ENABLED").pointInTimeRecoveryDescription(pitr.build()).build();
    }

    @Override
    public DescribeContributorInsightsOutput describeContributorInsights(RequestContext ctx, DescribeContributorInsightsInput in) {
        Table t = engine.namedTable(region(ctx), in.tableName());
        return DescribeContributorInsightsOutput.builder().tableName(t.name).indexName(in.indexName())
                .contributorInsightsStatus(t.contributorInsights).build();
    }

    @Override
    public UpdateContributorInsightsOutput updateContributorInsights(RequestContext ctx, UpdateContributorInsightsInput in) {
        Table t = engine.namedTable(region(ctx), in.tableName());
        String action = in.contributorInsightsActionAsString();
        if (action != null) t.contributorInsights = action.equals("ENABLE") ? "ENABLED" : "DISABLED";
        return UpdateContributorInsightsOutput.builder().tableName(t.name).indexName(in.indexName())
                .contributorInsightsStatus(t.contributorInsights).build();
    }
}
