package dev.polystack.services.dynamodb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One table: its settings, its items sorted by partition and sort key (so a Query reads one contiguous range),
 * its secondary indexes kept in step with every write, and its stream. Reads are lock-free (skip lists);
 * writes to a table take its lock, so a conditional write, its index updates and its stream record are atomic.
 */
final class Table {

    /** A key attribute: name and scalar type (S, N, B). */
    record KeyAttr(String name, String type) {
    }

    /**
     * The source of a restored table: the backup (null for a point-in-time restore), the table the data came from,
     * and when the restore happened.
     */
    record Restored(String backupArn, String tableArn, long restoredMillis) {
    }

    /** A secondary index: its key, projection and entries (index key → the item as stored in the table). */
    static final class Index {
        final String name;
        final boolean global;
        final KeyAttr hash;
        final KeyAttr range;
        final String projectionType;
        final List<String> nonKeyAttributes;
        long readCapacity;
        long writeCapacity;
        String status = "ACTIVE";
        final ConcurrentSkipListMap<Key, Map<String, AttrValue>> entries = new ConcurrentSkipListMap<>(Key.ORDER);

        Index(String name, boolean global, KeyAttr hash, KeyAttr range, String projectionType, List<String> nonKeyAttributes) {
            this.name = name;
            this.global = global;
            this.hash = hash;
            this.range = range;
            this.projectionType = projectionType;
            this.nonKeyAttributes = nonKeyAttributes == null ? List.of() : List.copyOf(nonKeyAttributes);
        }

        /** The entry's key for an item, or null when the item lacks (or mistypes) the index's key attributes. */
        Key keyOf(Map<String, AttrValue> item, Key tableKey) {
            AttrValue h = item.get(hash.name);
            if (h == null || !h.type().equals(hash.type)) return null;
            AttrValue r = null;
            if (range != null) {
                r = item.get(range.name);
                if (r == null || !r.type().equals(range.type)) return null;
            }
            return new Key(h, r, tableKey, 0);
        }
    }

    final String name;
    final String accountId;
    final String region;
    final String arn;
    final String id;
    final long createdMillis;
    final KeyAttr hash;
    final KeyAttr range;
    final Map<String, String> attributeDefinitions;
    final Map<String, Index> indexes = new LinkedHashMap<>();
    final ConcurrentSkipListMap<Key, Map<String, AttrValue>> items = new ConcurrentSkipListMap<>(Key.ORDER);
    /**
     * Guards writes. The replicas of a global table share one lock (a new replica takes its source's before it is
     * visible), so a write and its replication to every region are one atomic step.
     */
    final ReentrantLock lock;
    final AtomicLong sizeBytes = new AtomicLong();
    /** Interned attribute names: a million items share one String per name instead of holding a million copies. */
    private final Map<String, String> names = new java.util.concurrent.ConcurrentHashMap<>();

    volatile String billingMode;
    volatile long readCapacity;
    volatile long writeCapacity;
    volatile long billingModeChangedMillis;
    volatile boolean deletionProtection;
    volatile String tableClass;
    /** WarmThroughput asked for (0: not asked), read and write units per second. */
    volatile long warmRead;
    volatile long warmWrite;
    /** The KMS key encrypting the table (SSEDescription's KMSMasterKeyArn), or null for the AWS owned key. */
    volatile String sseKeyArn;
    volatile String ttlAttribute;
    volatile boolean ttlEnabled;
    volatile boolean pointInTimeRecovery;
    volatile String contributorInsights = "DISABLED";
    volatile String status = "ACTIVE";
    volatile TableStream stream;
    /** Where a restored table came from (DescribeTable's RestoreSummary); null for a table created empty. */
    volatile Restored restored;
    final List<TableStream> pastStreams = new ArrayList<>();
    final Map<String, String> tags = new java.util.concurrent.ConcurrentHashMap<>();
    /** The global table (version 2019.11.21, or the legacy 2017.11.29) this table is a replica of; null for a regional table. */
    volatile ReplicaGroup replicas;
    /**
     * The copy that replaced this table in its region (set under this table's lock; never cleared), or null.
     * CreateGlobalTable and UpdateGlobalTable (2017.11.29) replace a joining table by a copy under the group's shared
     * lock; a writer that resolved this table earlier follows this link ({@link DynamoEngine#lockCurrent}).
     */
    volatile Table replacedBy;
    /** Kinesis data streams receiving this table's changes (EnableKinesisStreamingDestination). */
    final List<KinesisDestination> kinesisDestinations = new java.util.concurrent.CopyOnWriteArrayList<>();

    Table(String name, String accountId, String region, String partition, String id, long createdMillis,
          KeyAttr hash, KeyAttr range, Map<String, String> attributeDefinitions) {
        this(name, accountId, region, partition, id, createdMillis, hash, range, attributeDefinitions, new ReentrantLock());
    }

    /** A table guarded by the given lock (a replica shares its global table's). */
    Table(String name, String accountId, String region, String partition, String id, long createdMillis,
          KeyAttr hash, KeyAttr range, Map<String, String> attributeDefinitions, ReentrantLock lock) {
        this.lock = lock;
        this.name = name;
        this.accountId = accountId;
        this.region = region;
        this.arn = "arn:" + partition + ":dynamodb:" + region + ":" + accountId + ":table/" + name;
        this.id = id;
        this.createdMillis = createdMillis;
        this.hash = hash;
        this.range = range;
        this.attributeDefinitions = attributeDefinitions;
    }

    /**
     * This table (same identity, settings, stream, tags and items) guarded by another lock: a table joining a legacy
     * global table (2017.11.29) takes the group's lock, so its writes and their replication stay one atomic step.
     * The caller holds this table's lock and replaces this table by the copy in its region.
     */
    Table withLock(ReentrantLock groupLock) {
        Table t = new Table(name, accountId, region, partition(), id, createdMillis, hash, range, attributeDefinitions, groupLock);
        t.indexes.putAll(indexes);
        t.items.putAll(items);
        t.sizeBytes.set(sizeBytes.get());
        t.billingMode = billingMode;
        t.readCapacity = readCapacity;
        t.writeCapacity = writeCapacity;
        t.billingModeChangedMillis = billingModeChangedMillis;
        t.deletionProtection = deletionProtection;
        t.tableClass = tableClass;
        t.warmRead = warmRead;
        t.warmWrite = warmWrite;
        t.sseKeyArn = sseKeyArn;
        t.ttlAttribute = ttlAttribute;
        t.ttlEnabled = ttlEnabled;
        t.pointInTimeRecovery = pointInTimeRecovery;
        t.contributorInsights = contributorInsights;
        t.status = status;
        t.stream = stream;
        t.restored = restored;
        t.pastStreams.addAll(pastStreams);
        t.tags.putAll(tags);
        t.replicas = replicas;
        t.kinesisDestinations.addAll(kinesisDestinations);
        return t;
    }

    /** DescribeTable's SSEDescription with the given status; null when the table uses the AWS owned key. */
    dev.polystack.services.dynamodb.api.SSEDescription sseDescription(String status) {
        String arn = sseKeyArn;
        return arn == null ? null : SseKeys.description(arn, status);
    }

    Set<String> keyNames() {
        return range == null ? Set.of(hash.name) : Set.of(hash.name, range.name);
    }

    /** The table key of a key map (GetItem's Key) or of a whole item, checked against the schema. */
    Key keyOf(Map<String, AttrValue> keyOrItem, boolean exactKey) {
        if (exactKey && keyOrItem.size() != (range == null ? 1 : 2)) throw Errors.keyMismatch();
        AttrValue h = keyOrItem.get(hash.name);
        if (h == null || !h.type().equals(hash.type)) throw Errors.keyMismatch();
        AttrValue r = null;
        if (range != null) {
            r = keyOrItem.get(range.name);
            if (r == null || !r.type().equals(range.type)) throw Errors.keyMismatch();
        }
        checkKeyValue(hash.name, h, true);
        if (r != null) checkKeyValue(range.name, r, false);
        return Key.of(h, r);
    }

    /** PutItem's checks of an item's key attributes, with its texts. */
    void checkItemKey(Map<String, AttrValue> item) {
        for (KeyAttr k : range == null ? List.of(hash) : List.of(hash, range)) {
            AttrValue v = item.get(k.name);
            if (v == null) throw Errors.invalidParams("Missing the key " + k.name + " in the item");
            if (!v.type().equals(k.type)) {
                throw Errors.invalidParams("Type mismatch for key " + k.name + " expected: " + k.type + " actual: " + v.type());
            }
            checkKeyValue(k.name, v, k == hash);
        }
        for (Index idx : indexes.values()) {
            for (KeyAttr k : idx.range == null ? List.of(idx.hash) : List.of(idx.hash, idx.range)) {
                AttrValue v = item.get(k.name);
                if (v != null && !v.type().equals(k.type)) {
                    throw Errors.invalidParams("Type mismatch for Index Key " + k.name + " Expected: " + k.type
                            + " Actual: " + v.type() + " IndexName: " + idx.name);
                }
                if (v != null) checkIndexKeyValue(k.name, v, idx.name);
            }
        }
    }

    /** Key values: never empty; at most 2048 bytes for the partition key and 1024 for the sort key (AWS's texts). */
    private static void checkKeyValue(String name, AttrValue v, boolean partitionKey) {
        if (v instanceof AttrValue.S s && s.value().isEmpty() || v instanceof AttrValue.B b && b.value().length == 0) {
            throw Errors.validation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty "
                    + (v instanceof AttrValue.S ? "string" : "binary") + " value. Key: " + name);
        }
        if (partitionKey && v.size() > 2048) {
            throw Errors.validation("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of 2048 bytes");
        }
        if (!partitionKey && v.size() > 1024) {
            throw Errors.validation("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
        }
    }

    private static void checkIndexKeyValue(String name, AttrValue v, String index) {
        if (v instanceof AttrValue.S s && s.value().isEmpty() || v instanceof AttrValue.B b && b.value().length == 0) {
            throw Errors.validation("One or more parameter values are not valid. A value specified for a secondary index key is not supported. "
                    + "The AttributeValue for a key attribute cannot contain an empty " + (v instanceof AttrValue.S ? "string" : "binary")
                    + " value. IndexName: " + index + ", IndexKey: " + name);
        }
    }

    /** The key attributes of an item, as a map (stream records' Keys, LastEvaluatedKey). */
    Map<String, AttrValue> keyAttributes(Map<String, AttrValue> item) {
        Map<String, AttrValue> k = new LinkedHashMap<>(4);
        k.put(hash.name, item.get(hash.name));
        if (range != null) k.put(range.name, item.get(range.name));
        return k;
    }

    /** The item as stored: an immutable compact map with shared attribute-name strings. */
    Map<String, AttrValue> compact(Map<String, AttrValue> item) {
        Map<String, AttrValue> m = new HashMap<>(item.size() * 2);
        for (Map.Entry<String, AttrValue> e : item.entrySet()) m.put(names.computeIfAbsent(e.getKey(), n -> n), e.getValue());
        return Map.copyOf(m);
    }

    /** Stores (or with null removes) the item under the key, keeping indexes and the size in step. Caller holds the lock. */
    void store(Key key, Map<String, AttrValue> old, Map<String, AttrValue> item) {
        store(key, old, item, item == null ? 0 : Items.size(item));
    }

    /** {@link #store(Key, Map, Map)} with the new item's size already computed ({@code itemBytes}). */
    void store(Key key, Map<String, AttrValue> old, Map<String, AttrValue> item, int itemBytes) {
        if (old != null) {
            sizeBytes.addAndGet(-Items.size(old));
            for (Index idx : indexes.values()) {
                Key ik = idx.keyOf(old, key);
                if (ik != null) idx.entries.remove(ik);
            }
        }
        if (item == null) {
            items.remove(key);
            return;
        }
        items.put(key, item);
        sizeBytes.addAndGet(itemBytes);
        for (Index idx : indexes.values()) {
            Key ik = idx.keyOf(item, key);
            if (ik != null) idx.entries.put(ik, item);
        }
    }

    /** Fills a new index from the items already stored (UpdateTable creating a GSI). */
    void backfill(Index idx) {
        for (Map.Entry<Key, Map<String, AttrValue>> e : items.entrySet()) {
            Key ik = idx.keyOf(e.getValue(), e.getKey());
            if (ik != null) idx.entries.put(ik, e.getValue());
        }
    }

    /** The sorted entries a Query or Scan reads: the table's own, or an index's. */
    NavigableMap<Key, Map<String, AttrValue>> source(Index idx) {
        return idx == null ? items : idx.entries;
    }

    String partition() {
        return arn.substring(4, arn.indexOf(':', 4));
    }

    long itemCount() {
        return items.size();
    }
}
