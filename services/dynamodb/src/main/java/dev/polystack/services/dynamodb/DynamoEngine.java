package dev.polystack.services.dynamodb;

import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.ServiceException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * DynamoDB's semantics on typed values: tables per account and region, item writes with conditions, reads,
 * queries and scans over sorted storage, batches and transactions, and the stream records every change makes.
 * The provider only unpacks protocol parameters into these calls and renders what they return.
 */
final class DynamoEngine {
    static final int PAGE_BYTES = 1024 * 1024;
    static final long TOKEN_MILLIS = 10 * 60 * 1000L;

    /** One account's tables (and transaction tokens) in one region. */
    static final class Region {
        final String accountId;
        final String region;
        final ConcurrentSkipListMap<String, Table> tables = new ConcurrentSkipListMap<>();
        final Map<String, TokenUse> tokens = new ConcurrentHashMap<>();
        /** ExecuteStatement's NextToken → where the next page starts. */
        final Map<String, Map<String, AttrValue>> statementTokens = new ConcurrentHashMap<>();
        final Map<String, Backups.Backup> backups = new java.util.concurrent.ConcurrentSkipListMap<>();

        Region(String accountId, String region) {
            this.accountId = accountId;
            this.region = region;
        }
    }

    record TokenUse(int requestHash, long atMillis) {
    }

    final AccountRegionStore<Region> stores = new AccountRegionStore<>(Region::new);
    final LongSupplier clock;
    final AtomicLong sequences = new AtomicLong(100_000_000_000_000_000L);
    /** Delivery to Kinesis streaming destinations; null without a gateway (unit tests). */
    volatile KinesisForwarder kinesis;

    DynamoEngine(LongSupplier clock) {
        this.clock = clock;
    }

    // ---- tables -----------------------------------------------------------------------------------------------

    Table table(Region r, String nameOrArn) {
        Table t = r.tables.get(tableName(nameOrArn));
        if (t == null || !"ACTIVE".equals(t.status) && !"UPDATING".equals(t.status)) throw Errors.resourceNotFound();
        return t;
    }

    /** The table for control-plane calls (DescribeTable, DeleteTable ...), whose message names it. */
    Table namedTable(Region r, String nameOrArn) {
        String name = tableName(nameOrArn);
        Table t = r.tables.get(name);
        if (t == null) throw Errors.tableNotFound(name);
        return t;
    }

    static String tableName(String nameOrArn) {
        if (nameOrArn != null && nameOrArn.startsWith("arn:")) {
            int i = nameOrArn.indexOf(":table/");
            if (i >= 0) {
                String rest = nameOrArn.substring(i + 7);
                int slash = rest.indexOf('/');
                return slash < 0 ? rest : rest.substring(0, slash);
            }
        }
        return nameOrArn;
    }

    void addTable(Region r, Table t) {
        if (r.tables.putIfAbsent(t.name, t) != null) throw Errors.inUse("Table already exists: " + t.name);
    }

    Table deleteTable(Region r, String nameOrArn) {
        Table t = namedTable(r, nameOrArn);
        if (t.deletionProtection) {
            throw Errors.validation("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.");
        }
        r.tables.remove(t.name, t);
        leaveReplicaGroup(t);
        t.status = "DELETING";
        TableStream s = t.stream;
        if (s != null) s.enabled = false;
        return t;
    }

    /**
     * A deleted replica leaves its global table; the last member of a 2019.11.21 group left is a regional table
     * again (a legacy group of one region is still a global table).
     */
    void leaveReplicaGroup(Table t) {
        ReplicaGroup group = t.replicas;
        if (group == null) return;
        t.lock.lock();
        try {
            group.members.remove(t.region);
            t.replicas = null;
            if (group.members.size() == 1 && !group.legacy()) {
                group.members.firstEntry().getValue().table().replicas = null;
                group.members.clear();
            }
        } finally {
            t.lock.unlock();
        }
    }

    TableStream newStream(Table t, String viewType) {
        TableStream s = new TableStream(t.arn, viewType, clock.getAsLong(), sequences.getAndAdd(1_000_000_000L));
        t.lock.lock();
        try {
            if (t.stream != null) {
                t.stream.enabled = false;
                t.pastStreams.add(t.stream);
            }
            t.stream = s;
        } finally {
            t.lock.unlock();
        }
        return s;
    }

    // ---- single-item writes ------------------------------------------------------------------------------------

    /** Before and after of one write (either may be null: no item). */
    record Change(Map<String, AttrValue> before, Map<String, AttrValue> after) {
    }

    /**
     * Writes one item atomically: reads the current version, checks the condition (ConditionalCheckFailed, with the
     * item when asked), computes the new version (null deletes), stores it with its indexes and stream record.
     */
    Change write(Table table, Key key, Expr.Cond condition, boolean returnItemOnFailure,
                 UnaryOperator<Map<String, AttrValue>> change) {
        Table t = lockCurrent(table);
        try {
            Map<String, AttrValue> old = t.items.get(key);
            if (condition != null && !condition.test(old == null ? Map.of() : old)) {
                ServiceException e = Errors.conditionFailed();
                if (returnItemOnFailure && old != null) e.with("Item", Items.toWire(old));
                throw e;
            }
            Map<String, AttrValue> updated = change.apply(old);
            int bytes = 0;
            if (updated != null) {
                bytes = Items.checkSize(updated);
                updated = t.compact(updated);
            }
            apply(t, key, old, updated, bytes, false);
            return new Change(old, updated);
        } finally {
            t.lock.unlock();
        }
    }

    /**
     * Stores one change, records it in the stream and the Kinesis destinations, and replicates it to the other
     * replicas of a global table (which share the lock). {@code updatedBytes} is the new item's size (0 for none),
     * computed once by the caller's size check. Caller holds the table's lock.
     */
    void apply(Table t, Key key, Map<String, AttrValue> old, Map<String, AttrValue> updated, int updatedBytes, boolean ttlDeletion) {
        if (old == null && updated == null) return;
        long now = clock.getAsLong();
        record(t, key, old, updated, updatedBytes, now, ttlDeletion);
        ReplicaGroup group = t.replicas;
        if (group == null) return;
        for (ReplicaGroup.Replica replica : group.others(t)) {
            Table other = replica.table();
            Map<String, AttrValue> before = other.items.get(key);
            // A replica's change is an ordinary write there (an expiry is the service's only where it expired).
            if (before != null || updated != null) record(other, key, before, updated, updatedBytes, now, false);
        }
    }

    private void record(Table t, Key key, Map<String, AttrValue> old, Map<String, AttrValue> updated, int updatedBytes, long now,
                        boolean ttlDeletion) {
        t.store(key, old, updated, updatedBytes);
        TableStream s = t.stream;
        boolean toKinesis = kinesis != null && !t.kinesisDestinations.isEmpty();
        if (s == null && !toKinesis) return;
        if (old != null && old.equals(updated)) return; // nothing changed: no record anywhere
        Map<String, AttrValue> keys = t.keyAttributes(updated != null ? updated : old);
        if (s != null) s.append(keys, old, updated, now, ttlDeletion);
        if (toKinesis) kinesis.offer(t, keys, old, updated, now, ttlDeletion);
    }

    Map<String, AttrValue> get(Table t, Key key) {
        return t.items.get(key);
    }

    // ---- queries and scans -------------------------------------------------------------------------------------

    /** A key condition reduced to the partition and an optional sort-key range. */
    record KeyCondition(AttrValue hash, String op, AttrValue low, AttrValue high) {
    }

    record Page(List<Map<String, AttrValue>> items, int count, int scanned, Map<String, AttrValue> lastKey) {
    }

    /** What to read and how: shared by Query and Scan. */
    record Read(Table table, Table.Index index, Expr.Cond filter, List<Expr.Path> projection, boolean countOnly,
                Integer limit, Map<String, AttrValue> exclusiveStart, boolean forward, int segment, int totalSegments) {
    }

    Page query(Read read, KeyCondition kc) {
        Table t = read.table;
        Table.Index idx = read.index;
        NavigableMap<Key, Map<String, AttrValue>> source = t.source(idx);
        Key low = new Key(kc.hash, null, null, -1), high = new Key(kc.hash, null, null, 1);
        boolean lowInclusive = true, highInclusive = true;
        if (kc.op != null) {
            switch (kc.op) {
                case "=" -> { low = new Key(kc.hash, kc.low, null, -1); high = new Key(kc.hash, kc.low, null, 1); }
                case "<" -> high = new Key(kc.hash, kc.low, null, -1);
                case "<=" -> high = new Key(kc.hash, kc.low, null, 1);
                case ">" -> low = new Key(kc.hash, kc.low, null, 1);
                case ">=", "begins_with" -> low = new Key(kc.hash, kc.low, null, -1);
                case "BETWEEN" -> { low = new Key(kc.hash, kc.low, null, -1); high = new Key(kc.hash, kc.high, null, 1); }
                default -> throw new IllegalStateException(kc.op);
            }
        }
        if (read.exclusiveStart != null) {
            Key start = startKey(t, idx, read.exclusiveStart);
            if (read.forward) { low = start; lowInclusive = false; } else { high = start; highInclusive = false; }
        }
        if (Key.ORDER.compare(low, high) > 0) return new Page(List.of(), 0, 0, null);
        NavigableMap<Key, Map<String, AttrValue>> range = source.subMap(low, lowInclusive, high, highInclusive);
        if (!read.forward) range = range.descendingMap();
        boolean prefix = "begins_with".equals(kc.op);
        Expr.BeginsWith startsWith = prefix ? new Expr.BeginsWith(
                new Expr.PathOperand(new Expr.Path(List.of(sortKeyName(t, idx)))), new Expr.ValueOperand(kc.low, null)) : null;
        return page(read, range, prefix ? startsWith::test : null, prefix);
    }

    private static String sortKeyName(Table t, Table.Index idx) {
        return idx == null ? t.range.name() : idx.range.name();
    }

    Page scan(Read read) {
        NavigableMap<Key, Map<String, AttrValue>> source = read.table.source(read.index);
        if (read.exclusiveStart != null) source = source.tailMap(startKey(read.table, read.index, read.exclusiveStart), false);
        java.util.function.Predicate<Map<String, AttrValue>> inSegment = null;
        if (read.totalSegments > 1) {
            Table.KeyAttr hash = read.index == null ? read.table.hash : read.index.hash;
            inSegment = item -> Math.floorMod(item.get(hash.name()).hashCode(), read.totalSegments) == read.segment;
        }
        return page(read, source, inSegment, false);
    }

    /**
     * Reads entries in order until the Limit or the 1 MB page is reached, counting scanned items (before the
     * filter) and matches; LastEvaluatedKey is the last item read when the read stopped early.
     */
    private Page page(Read read, NavigableMap<Key, Map<String, AttrValue>> range,
                      java.util.function.Predicate<Map<String, AttrValue>> include, boolean stopOnMismatch) {
        List<Map<String, AttrValue>> out = new ArrayList<>();
        int scanned = 0, count = 0;
        long bytes = 0;
        Map<String, AttrValue> lastKey = null;
        for (Map.Entry<Key, Map<String, AttrValue>> e : range.entrySet()) {
            Map<String, AttrValue> item = e.getValue();
            if (include != null && !include.test(item)) {
                if (stopOnMismatch) break;
                continue;
            }
            scanned++;
            bytes += Items.size(item);
            if (read.filter == null || read.filter.test(item)) {
                count++;
                if (!read.countOnly) out.add(project(read, item));
            }
            // Like DynamoDB, stop as soon as the Limit or 1 MB is reached, without looking for more items.
            if ((read.limit != null && scanned >= read.limit) || bytes >= PAGE_BYTES) {
                lastKey = lastEvaluatedKey(read.table, read.index, item);
                break;
            }
        }
        return new Page(out, count, scanned, lastKey);
    }

    private static Map<String, AttrValue> project(Read read, Map<String, AttrValue> item) {
        Table.Index idx = read.index;
        if (read.projection != null) return Projection.apply(item, read.projection);
        if (idx == null || idx.projectionType.equals("ALL")) return item;
        Set<String> names = new HashSet<>(read.table.keyNames());
        names.add(idx.hash.name());
        if (idx.range != null) names.add(idx.range.name());
        if (idx.projectionType.equals("INCLUDE")) names.addAll(idx.nonKeyAttributes);
        return Items.only(item, names);
    }

    static Map<String, AttrValue> lastEvaluatedKey(Table t, Table.Index idx, Map<String, AttrValue> item) {
        Map<String, AttrValue> k = t.keyAttributes(item);
        if (idx != null) {
            k.put(idx.hash.name(), item.get(idx.hash.name()));
            if (idx.range != null) k.put(idx.range.name(), item.get(idx.range.name()));
        }
        return k;
    }

    private static Key startKey(Table t, Table.Index idx, Map<String, AttrValue> esk) {
        if (idx == null) return t.keyOf(esk, true);
        Key tableKey = t.keyOf(esk, false);
        AttrValue h = esk.get(idx.hash.name());
        AttrValue r = idx.range == null ? null : esk.get(idx.range.name());
        if (h == null || idx.range != null && r == null) throw Errors.keyMismatch();
        return new Key(h, r, tableKey, 0);
    }

    // ---- transactions ------------------------------------------------------------------------------------------

    /**
     * Locks the table's current incarnation and returns it (the caller unlocks it). A legacy global table's members
     * are copies that replaced the regional tables ({@link Table#replacedBy}); a request that resolved a table before
     * the replacement and waited on its lock writes to the replacement instead of the retired copy.
     */
    static Table lockCurrent(Table t) {
        while (true) {
            t.lock.lock();
            Table next = t.replacedBy;
            if (next == null) return t;
            t.lock.unlock();
            t = next;
        }
    }

    /** The table's current incarnation (see {@link #lockCurrent}); only stable while its lock is held. */
    static Table current(Table t) {
        Table next;
        while ((next = t.replacedBy) != null) t = next;
        return t;
    }

    /** One action of TransactWriteItems, resolved to its table, key, condition and change. */
    record Action(Table table, Key key, Expr.Cond condition, boolean returnItemOnFailure,
                  UnaryOperator<Map<String, AttrValue>> change) {
    }

    /**
     * Runs the actions all-or-nothing: every table involved is locked (in a fixed order, so concurrent
     * transactions cannot deadlock), every condition checked, and only then every change applied.
     */
    void transact(List<Action> actions) {
        List<Table> tables;
        while (true) {
            tables = new ArrayList<>(new java.util.LinkedHashSet<>(actions.stream().map(a -> current(a.table)).toList()));
            tables.sort(Comparator.comparing(t -> t.arn));
            for (Table t : tables) t.lock.lock();
            if (tables.stream().allMatch(t -> t.replacedBy == null)) break;
            // A table was replaced while this transaction waited for its lock: lock the replacements instead.
            for (Table t : tables) t.lock.unlock();
        }
        try {
            List<Map<String, Object>> reasons = new ArrayList<>();
            List<String> codes = new ArrayList<>();
            List<Map<String, AttrValue>> olds = new ArrayList<>();
            boolean failed = false;
            for (Action a : actions) {
                Map<String, AttrValue> old = current(a.table).items.get(a.key);
                olds.add(old);
                Map<String, Object> reason = new LinkedHashMap<>();
                if (a.condition != null && !a.condition.test(old == null ? Map.of() : old)) {
                    failed = true;
                    reason.put("Code", "ConditionalCheckFailed");
                    reason.put("Message", "The conditional request failed");
                    if (a.returnItemOnFailure && old != null) reason.put("Item", Items.toWire(old));
                    codes.add("ConditionalCheckFailed");
                } else {
                    reason.put("Code", "None");
                    codes.add("None");
                }
                reasons.add(reason);
            }
            if (failed) throw canceled(reasons, codes);
            List<Map<String, AttrValue>> news = new ArrayList<>();
            int[] sizes = new int[actions.size()];
            for (int i = 0; i < actions.size(); i++) {
                Action a = actions.get(i);
                Map<String, AttrValue> updated = a.change == null ? olds.get(i) : a.change.apply(olds.get(i));
                if (updated != null && a.change != null) {
                    sizes[i] = Items.checkSize(updated);
                    updated = current(a.table).compact(updated);
                }
                news.add(updated);
            }
            for (int i = 0; i < actions.size(); i++) {
                Action a = actions.get(i);
                if (a.change != null) apply(current(a.table), a.key, olds.get(i), news.get(i), sizes[i], false);
            }
        } finally {
            for (Table t : tables) t.lock.unlock();
        }
    }

    static ServiceException canceled(List<Map<String, Object>> reasons, List<String> codes) {
        ServiceException e = new ServiceException("TransactionCanceledException",
                "Transaction cancelled, please refer cancellation reasons for specific reasons [" + String.join(", ", codes) + "]");
        e.with("CancellationReasons", reasons);
        return e;
    }

    /**
     * ClientRequestToken idempotency: the same token with the same request within 10 minutes is answered without
     * running again (true); with a different request it is an error.
     */
    boolean seenToken(Region r, String token, int requestHash) {
        if (token == null) return false;
        long now = clock.getAsLong();
        r.tokens.values().removeIf(u -> u.atMillis < now - TOKEN_MILLIS);
        TokenUse prior = r.tokens.putIfAbsent(token, new TokenUse(requestHash, now));
        if (prior == null) return false;
        if (prior.requestHash != requestHash) {
            throw new ServiceException("IdempotentParameterMismatchException",
                    "Transaction with the same ClientRequestToken already exists with different parameters");
        }
        return true;
    }

    // ---- time to live ------------------------------------------------------------------------------------------

    /**
     * Deletes expired items of tables with TTL enabled, each deletion a stream record by the service, and trims
     * stream records past their retention.
     */
    int sweepExpired() {
        long nowSeconds = clock.getAsLong() / 1000;
        int deleted = 0;
        for (Map<String, Region> byRegion : stores.all().values()) {
            for (Region r : byRegion.values()) {
                for (Table t : r.tables.values()) {
                    // Streams of quiet tables drop their expired records here too, not only at their next write.
                    TableStream s = t.stream;
                    if (s != null) s.trim(clock.getAsLong());
                    if (!t.ttlEnabled || t.ttlAttribute == null) continue;
                    for (Map.Entry<Key, Map<String, AttrValue>> e : t.items.entrySet()) {
                        if (!(e.getValue().get(t.ttlAttribute) instanceof AttrValue.N n)) continue;
                        long expiry;
                        try {
                            expiry = n.value().longValueExact();
                        } catch (ArithmeticException ex) {
                            continue;
                        }
                        // AWS ignores expiry times more than five years in the past.
                        if (expiry > nowSeconds || expiry < nowSeconds - 5L * 365 * 24 * 3600) continue;
                        Table locked = lockCurrent(t);
                        try {
                            Map<String, AttrValue> current = locked.items.get(e.getKey());
                            if (current == e.getValue()) {
                                apply(locked, e.getKey(), current, null, 0, true);
                                deleted++;
                            }
                        } finally {
                            locked.lock.unlock();
                        }
                    }
                }
            }
        }
        return deleted;
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }
}
