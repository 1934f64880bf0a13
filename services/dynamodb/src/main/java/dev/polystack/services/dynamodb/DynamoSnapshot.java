package dev.polystack.services.dynamodb;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The persisted form of DynamoDB's state (PERSISTENCE=1): one JSON document, written and read as a stream so a
 * table of a million items never exists twice in memory. Items and stream images are DynamoDB JSON (binaries in
 * base64); each table's settings are a {@link TableState} record.
 */
final class DynamoSnapshot {
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    record IndexState(String name, boolean global, Table.KeyAttr hash, Table.KeyAttr range, String projectionType,
                      List<String> nonKeyAttributes, long readCapacity, long writeCapacity) {
    }

    record StreamState(String arn, String viewType, long createdMillis, long startingSequence, String shardId,
                       boolean enabled, long nextSequence) {
    }

    record TableState(String accountId, String region, String partition, String name, String id, long createdMillis,
                      Table.KeyAttr hash, Table.KeyAttr range, Map<String, String> attributeDefinitions,
                      List<IndexState> indexes, String billingMode, long readCapacity, long writeCapacity,
                      long billingModeChangedMillis, boolean deletionProtection, String tableClass,
                      SseState sseDescription, String ttlAttribute, boolean ttlEnabled,
                      boolean pointInTimeRecovery, String contributorInsights, Map<String, String> tags,
                      List<StreamState> streams, Map<String, String> replicaKeys,
                      List<KinesisDestinationState> kinesisDestinations, long warmRead, long warmWrite,
                      String globalTableVersion, long globalTableCreatedMillis, Table.Restored restored) {
    }

    /** The table's KMS key, saved under the name and member of the SSEDescription earlier snapshots held. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record SseState(@com.fasterxml.jackson.annotation.JsonProperty("KMSMasterKeyArn") String kmsMasterKeyArn) {
    }

    /** A Kinesis streaming destination. */
    record KinesisDestinationState(String streamArn, String status, String precision) {
    }

    private DynamoSnapshot() {
    }

    // ---- save ---------------------------------------------------------------------------------------------------

    static void save(DynamoEngine engine, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("version", VERSION);
            g.writeNumberField("sequences", engine.sequences.get());
            g.writeArrayFieldStart("tables");
            for (Map<String, DynamoEngine.Region> byRegion : engine.stores.all().values()) {
                for (DynamoEngine.Region r : byRegion.values()) {
                    for (Table t : r.tables.values()) saveTable(t, g);
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("backups");
            for (Map<String, DynamoEngine.Region> byRegion : engine.stores.all().values()) {
                for (DynamoEngine.Region r : byRegion.values()) {
                    for (Backups.Backup b : r.backups.values()) saveBackup(r, b, g);
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** A consistent copy under the table's lock: settings, items, streams with their records. */
    private static void saveTable(Table t, JsonGenerator g) throws IOException {
        List<Map<String, AttrValue>> items;
        List<TableStream> streams = new ArrayList<>();
        List<List<TableStream.Change>> records = new ArrayList<>();
        TableState state;
        t.lock.lock();
        try {
            items = new ArrayList<>(t.items.values());
            streams.addAll(t.pastStreams);
            if (t.stream != null) streams.add(t.stream);
            List<StreamState> streamStates = new ArrayList<>();
            for (TableStream s : streams) {
                streamStates.add(new StreamState(s.arn, s.viewType, s.createdMillis, s.startingSequence, s.shardId, s.enabled, s.nextSequence()));
                records.add(s.all());
            }
            state = state(t, streamStates);
        } finally {
            t.lock.unlock();
        }
        g.writeStartObject();
        g.writeFieldName("table");
        JSON.writeValue(g, state);
        g.writeArrayFieldStart("items");
        for (Map<String, AttrValue> item : items) writeItem(g, item);
        g.writeEndArray();
        g.writeArrayFieldStart("records");
        for (List<TableStream.Change> list : records) {
            g.writeStartArray();
            for (TableStream.Change c : list) {
                g.writeStartObject();
                g.writeNumberField("seq", c.sequence());
                g.writeStringField("id", c.eventId());
                g.writeStringField("event", c.eventName());
                g.writeNumberField("at", c.createdMillis());
                g.writeBooleanField("ttl", c.ttlDeletion());
                g.writeFieldName("keys");
                writeItem(g, c.keys());
                if (c.newImage() != null) {
                    g.writeFieldName("new");
                    writeItem(g, c.newImage());
                }
                if (c.oldImage() != null) {
                    g.writeFieldName("old");
                    writeItem(g, c.oldImage());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static TableState state(Table t, List<StreamState> streams) {
        List<IndexState> indexes = new ArrayList<>();
        for (Table.Index i : t.indexes.values()) {
            indexes.add(new IndexState(i.name, i.global, i.hash, i.range, i.projectionType, i.nonKeyAttributes, i.readCapacity, i.writeCapacity));
        }
        String partition = t.arn.split(":")[1];
        return new TableState(t.accountId, t.region, partition, t.name, t.id, t.createdMillis, t.hash, t.range,
                t.attributeDefinitions, indexes, t.billingMode, t.readCapacity, t.writeCapacity, t.billingModeChangedMillis,
                t.deletionProtection, t.tableClass, t.sseKeyArn == null ? null : new SseState(t.sseKeyArn), t.ttlAttribute, t.ttlEnabled, t.pointInTimeRecovery,
                t.contributorInsights, new LinkedHashMap<>(t.tags), streams, replicaKeys(t),
                t.kinesisDestinations.stream().map(d -> new KinesisDestinationState(d.streamArn, d.status, d.precision)).toList(),
                t.warmRead, t.warmWrite, t.replicas == null ? null : t.replicas.version,
                t.replicas == null ? 0 : t.replicas.createdMillis, t.restored);
    }

    /** The global table's members (region → the KMS key its replica was created with, "" for none); null if regional. */
    private static Map<String, String> replicaKeys(Table t) {
        ReplicaGroup group = t.replicas;
        if (group == null) return null;
        Map<String, String> keys = new LinkedHashMap<>();
        group.members.forEach((region, m) -> keys.put(region, m.kmsMasterKeyId() == null ? "" : m.kmsMasterKeyId()));
        return keys;
    }

    /** Backups keep their source table's settings (as it was) and its items. */
    private static void saveBackup(DynamoEngine.Region r, Backups.Backup b, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("accountId", r.accountId);
        g.writeStringField("region", r.region);
        g.writeStringField("arn", b.arn());
        g.writeStringField("name", b.name());
        g.writeNumberField("created", b.createdMillis());
        g.writeNumberField("size", b.sizeBytes());
        g.writeFieldName("table");
        JSON.writeValue(g, state(b.source(), List.of()));
        g.writeArrayFieldStart("items");
        for (Map<String, AttrValue> item : b.items()) writeItem(g, item);
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void loadBackup(DynamoEngine engine, JsonParser p) throws IOException {
        String account = null, region = null, arn = null, name = null;
        long created = 0, size = 0;
        Table source = null;
        List<Map<String, AttrValue>> items = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "accountId" -> account = p.getText();
                case "region" -> region = p.getText();
                case "arn" -> arn = p.getText();
                case "name" -> name = p.getText();
                case "created" -> created = p.getLongValue();
                case "size" -> size = p.getLongValue();
                case "table" -> source = restore(JSON.readValue(p, TableState.class), null);
                case "items" -> {
                    while (p.nextToken() == JsonToken.START_OBJECT) items.add(source.compact(readItem(p)));
                }
                default -> p.skipChildren();
            }
        }
        engine.stores.get(account, region).backups.put(arn, new Backups.Backup(arn, name, created, source, items, size));
    }

    private static void writeItem(JsonGenerator g, Map<String, AttrValue> item) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, AttrValue> e : item.entrySet()) {
            g.writeFieldName(e.getKey());
            writeValue(g, e.getValue());
        }
        g.writeEndObject();
    }

    private static void writeValue(JsonGenerator g, AttrValue v) throws IOException {
        g.writeStartObject();
        g.writeFieldName(v.type());
        switch (v) {
            case AttrValue.S x -> g.writeString(x.value());
            case AttrValue.N x -> g.writeString(x.text());
            case AttrValue.B x -> g.writeString(Base64.getEncoder().encodeToString(x.value()));
            case AttrValue.Bool x -> g.writeBoolean(x.value());
            case AttrValue.Null x -> g.writeBoolean(true);
            case AttrValue.SS x -> {
                g.writeStartArray();
                for (String s : x.values()) g.writeString(s);
                g.writeEndArray();
            }
            case AttrValue.NS x -> {
                g.writeStartArray();
                for (BigDecimal n : x.values()) g.writeString(new AttrValue.N(n).text());
                g.writeEndArray();
            }
            case AttrValue.BS x -> {
                g.writeStartArray();
                for (byte[] b : x.values()) g.writeString(Base64.getEncoder().encodeToString(b));
                g.writeEndArray();
            }
            case AttrValue.L x -> {
                g.writeStartArray();
                for (AttrValue e : x.values()) writeValue(g, e);
                g.writeEndArray();
            }
            case AttrValue.M x -> writeItem(g, x.values());
        }
        g.writeEndObject();
    }

    // ---- load ---------------------------------------------------------------------------------------------------

    static void load(DynamoEngine engine, InputStream in) throws IOException {
        try (JsonParser p = JSON.getFactory().createParser(in)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "version" -> {
                        if (p.getIntValue() != VERSION) throw new IOException("unsupported DynamoDB state version " + p.getIntValue());
                    }
                    case "sequences" -> engine.sequences.set(p.getLongValue());
                    case "tables" -> {
                        expect(p.currentToken(), JsonToken.START_ARRAY);
                        while (p.nextToken() == JsonToken.START_OBJECT) loadTable(engine, p);
                    }
                    case "backups" -> {
                        while (p.nextToken() == JsonToken.START_OBJECT) loadBackup(engine, p);
                    }
                    default -> p.skipChildren();
                }
            }
        }
    }

    private static void loadTable(DynamoEngine engine, JsonParser p) throws IOException {
        Table t = null;
        TableState state = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "table" -> {
                    state = JSON.readValue(p, TableState.class);
                    t = restore(state, engine);
                    engine.stores.get(state.accountId(), state.region()).tables.put(t.name, t);
                }
                case "items" -> {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        Map<String, AttrValue> item = t.compact(readItem(p));
                        t.store(t.keyOf(item, false), null, item);
                    }
                }
                case "records" -> {
                    List<TableStream> streams = new ArrayList<>(t.pastStreams);
                    if (t.stream != null) streams.add(t.stream);
                    int i = 0;
                    while (p.nextToken() == JsonToken.START_ARRAY) {
                        List<TableStream.Change> changes = new ArrayList<>();
                        while (p.nextToken() == JsonToken.START_OBJECT) changes.add(readChange(p));
                        TableStream s = streams.get(i);
                        s.restore(changes, state.streams().get(i).nextSequence());
                        i++;
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    private static Table restore(TableState s, DynamoEngine engine) {
        // A replica of a global table shares the lock and the group of the members restored before it. (A backup's
        // copy of its source table, restored without an engine, joins nothing.)
        boolean replica = s.replicaKeys() != null && engine != null;
        Table member = null;
        if (replica) {
            for (String region : s.replicaKeys().keySet()) {
                DynamoEngine.Region r = engine.stores.peek(s.accountId(), region);
                Table other = r == null || region.equals(s.region()) ? null : r.tables.get(s.name());
                if (other != null && other.replicas != null) member = other;
            }
        }
        Table t = new Table(s.name(), s.accountId(), s.region(), s.partition(), s.id(), s.createdMillis(), s.hash(), s.range(),
                new LinkedHashMap<>(s.attributeDefinitions()),
                member != null ? member.lock : new java.util.concurrent.locks.ReentrantLock());
        if (replica) {
            ReplicaGroup group = member != null ? member.replicas
                    : new ReplicaGroup(s.globalTableVersion() == null ? GlobalTables.VERSION : s.globalTableVersion(), s.globalTableCreatedMillis());
            String key = s.replicaKeys().get(s.region());
            group.members.put(s.region(), new ReplicaGroup.Replica(t, key == null || key.isEmpty() ? null : key));
            t.replicas = group;
        }
        if (s.kinesisDestinations() != null) {
            for (KinesisDestinationState d : s.kinesisDestinations()) {
                KinesisDestination k = new KinesisDestination(d.streamArn(), d.precision());
                k.status = d.status();
                t.kinesisDestinations.add(k);
            }
        }
        for (IndexState i : s.indexes()) {
            Table.Index idx = new Table.Index(i.name(), i.global(), i.hash(), i.range(), i.projectionType(), i.nonKeyAttributes());
            idx.readCapacity = i.readCapacity();
            idx.writeCapacity = i.writeCapacity();
            t.indexes.put(idx.name, idx);
        }
        t.billingMode = s.billingMode();
        t.readCapacity = s.readCapacity();
        t.writeCapacity = s.writeCapacity();
        t.billingModeChangedMillis = s.billingModeChangedMillis();
        t.deletionProtection = s.deletionProtection();
        t.tableClass = s.tableClass();
        t.warmRead = s.warmRead();
        t.warmWrite = s.warmWrite();
        t.sseKeyArn = s.sseDescription() == null ? null : s.sseDescription().kmsMasterKeyArn();
        t.restored = s.restored();
        t.ttlAttribute = s.ttlAttribute();
        t.ttlEnabled = s.ttlEnabled();
        t.pointInTimeRecovery = s.pointInTimeRecovery();
        t.contributorInsights = s.contributorInsights();
        t.tags.putAll(s.tags());
        List<StreamState> streams = s.streams();
        for (int i = 0; i < streams.size(); i++) {
            StreamState ss = streams.get(i);
            TableStream st = new TableStream(ss.arn(), ss.viewType(), ss.createdMillis(), ss.startingSequence(), ss.shardId());
            st.enabled = ss.enabled();
            st.restore(List.of(), ss.nextSequence());
            if (i == streams.size() - 1) t.stream = st; else t.pastStreams.add(st);
        }
        return t;
    }

    private static TableStream.Change readChange(JsonParser p) throws IOException {
        long seq = 0, at = 0;
        String id = null, event = null;
        boolean ttl = false;
        Map<String, AttrValue> keys = null, newImage = null, oldImage = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "seq" -> seq = p.getLongValue();
                case "id" -> id = p.getText();
                case "event" -> event = p.getText();
                case "at" -> at = p.getLongValue();
                case "ttl" -> ttl = p.getBooleanValue();
                case "keys" -> keys = readItem(p);
                case "new" -> newImage = readItem(p);
                case "old" -> oldImage = readItem(p);
                default -> p.skipChildren();
            }
        }
        return new TableStream.Change(seq, id, event, at, keys, newImage, oldImage, ttl);
    }

    /** Reads one DynamoDB JSON object (the parser is on its START_OBJECT). */
    private static Map<String, AttrValue> readItem(JsonParser p) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> raw = JSON.readValue(p, Map.class);
        Map<String, AttrValue> item = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : raw.entrySet()) item.put(e.getKey(), Items.wireValue(decodeBinary(e.getValue()), 1));
        return item;
    }

    /** Turns base64 binaries of saved DynamoDB JSON back into bytes, so {@link Items#wireValue} reads it like the wire. */
    @SuppressWarnings("unchecked")
    private static Object decodeBinary(Object v) {
        Map<String, Object> m = (Map<String, Object>) v;
        Map.Entry<String, Object> e = m.entrySet().iterator().next();
        return switch (e.getKey()) {
            case "B" -> Map.of("B", Base64.getDecoder().decode((String) e.getValue()));
            case "BS" -> Map.of("BS", ((List<String>) e.getValue()).stream().map(s -> Base64.getDecoder().decode(s)).toList());
            case "L" -> Map.of("L", ((List<Object>) e.getValue()).stream().map(DynamoSnapshot::decodeBinary).toList());
            case "M" -> {
                Map<String, Object> inner = new LinkedHashMap<>();
                ((Map<String, Object>) e.getValue()).forEach((k, x) -> inner.put(k, decodeBinary(x)));
                yield Map.of("M", inner);
            }
            default -> m;
        };
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) throw new IOException("corrupt DynamoDB snapshot: expected " + expected + ", found " + actual);
    }
}
