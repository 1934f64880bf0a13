package dev.polystack.services.dynamodb;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.polystack.services.dynamodb.Params.integer;
import static dev.polystack.services.dynamodb.Params.str;

/**
 * DynamoDB Streams (the {@code dynamodbstreams} API) over the streams the DynamoDB engine's tables keep. The
 * records are part of DynamoDB's state and snapshot; this provider's own snapshot is an empty marker, and its
 * first request makes sure the DynamoDB provider exists (and so has loaded its saved state).
 */
public final class StreamsProvider implements ServiceProvider, dev.polystack.api.Persistable {
    private final DynamoEngine engine;
    private final dev.polystack.api.ProviderEnvironment environment;
    private volatile boolean dynamoReady;

    StreamsProvider(DynamoEngine engine, dev.polystack.api.ProviderEnvironment environment) {
        this.engine = engine;
        this.environment = environment;
    }

    @Override
    public void saveState(java.io.OutputStream out) throws java.io.IOException {
        out.write("{\"sharedWith\":\"dynamodb\"}".getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void loadState(java.io.InputStream in, int version) {
        // Nothing of its own: the stream records come back with DynamoDB's snapshot.
    }

    @Override
    public void resetState() {
        // DynamoDB's reset clears the tables and with them their streams.
    }

    /** With PERSISTENCE=1 the DynamoDB provider loads its snapshot when created: create it before serving streams. */
    private void ensureDynamoLoaded(RequestContext ctx) {
        if (dynamoReady || environment == null) return;
        environment.call(RequestContext.internal(ctx.accountId(), ctx.region(), "dynamodb"), "dynamodb", "DescribeLimits", Map.of());
        dynamoReady = true;
    }

    @Override
    public String service() {
        return "dynamodbstreams";
    }

    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        ensureDynamoLoaded(ctx);
        DynamoEngine.Region r = engine.stores.get(ctx);
        return switch (operation) {
            case "ListStreams" -> listStreams(r, in);
            case "DescribeStream" -> describeStream(r, in);
            case "GetShardIterator" -> shardIterator(r, in);
            case "GetRecords" -> getRecords(r, in);
            default -> throw new UnsupportedOperationException(operation);
        };
    }

    private record Found(Table table, TableStream stream) {
    }

    private Found find(DynamoEngine.Region r, String arn) {
        if (arn != null) {
            Table t = r.tables.get(DynamoEngine.tableName(arn));
            if (t != null) {
                TableStream s = t.stream;
                if (s != null && s.arn.equals(arn)) return new Found(t, s);
                synchronized (t.pastStreams) {
                    for (TableStream p : t.pastStreams) if (p.arn.equals(arn)) return new Found(t, p);
                }
            }
        }
        throw Errors.resourceNotFound("Requested resource not found: Stream: " + arn + " not found");
    }

    private Map<String, Object> listStreams(DynamoEngine.Region r, Map<String, Object> in) {
        String only = str(in, "TableName");
        Integer limit = integer(in, "Limit");
        String start = str(in, "ExclusiveStartStreamArn");
        List<Object> streams = new ArrayList<>();
        boolean started = start == null;
        String last = null;
        for (Table t : r.tables.values()) {
            if (only != null && !t.name.equals(DynamoEngine.tableName(only))) continue;
            List<TableStream> all = new ArrayList<>(t.pastStreams);
            if (t.stream != null) all.add(t.stream);
            for (TableStream s : all) {
                if (!started) {
                    started = s.arn.equals(start);
                    continue;
                }
                if (limit != null && streams.size() == limit) {
                    last = lastArn(streams);
                    break;
                }
                streams.add(Map.of("StreamArn", s.arn, "TableName", t.name, "StreamLabel", s.label));
            }
            if (last != null) break;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Streams", streams);
        if (last != null) out.put("LastEvaluatedStreamArn", last);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static String lastArn(List<Object> streams) {
        return (String) ((Map<String, Object>) streams.get(streams.size() - 1)).get("StreamArn");
    }

    private Map<String, Object> describeStream(DynamoEngine.Region r, Map<String, Object> in) {
        Found f = find(r, str(in, "StreamArn"));
        Map<String, Object> d = f.stream.describe(f.table.name, TableOps.keySchema(f.table.hash, f.table.range));
        if (str(in, "ExclusiveStartShardId") != null) d.put("Shards", List.of());
        return Map.of("StreamDescription", d);
    }

    private Map<String, Object> shardIterator(DynamoEngine.Region r, Map<String, Object> in) {
        Found f = find(r, str(in, "StreamArn"));
        String shardId = str(in, "ShardId");
        if (!f.stream.shardId.equals(shardId)) {
            throw Errors.resourceNotFound("Requested resource not found: Shard does not exist");
        }
        String type = str(in, "ShardIteratorType");
        String seqText = str(in, "SequenceNumber");
        long position = switch (type == null ? "" : type) {
            case "TRIM_HORIZON" -> f.stream.trimHorizon();
            case "LATEST" -> f.stream.nextSequence();
            case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER" -> {
                if (seqText == null) throw Errors.validation("Sequence number must be specified for shard iterator type " + type);
                long seq;
                try {
                    seq = Long.parseLong(seqText);
                } catch (NumberFormatException e) {
                    throw Errors.validation("1 validation error detected: Value '" + seqText
                            + "' at 'sequenceNumber' failed to satisfy constraint: Member must have length less than or equal to 40");
                }
                if (seq < f.stream.startingSequence || seq >= f.stream.nextSequence() && type.equals("AT_SEQUENCE_NUMBER")) {
                    throw Errors.validation("Invalid SequenceNumber for ShardIteratorType " + type + ": " + seqText);
                }
                yield type.equals("AT_SEQUENCE_NUMBER") ? seq : seq + 1;
            }
            default -> throw Errors.validation("1 validation error detected: Value '" + type
                    + "' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]");
        };
        return Map.of("ShardIterator", iterator(f.stream, position));
    }

    /** Shard iterators carry the stream, the shard and the next sequence number to read; they expire after 15 minutes. */
    private String iterator(TableStream s, long position) {
        String raw = s.arn + "|" + s.shardId + "|" + position + "|" + (engine.clock.getAsLong() + 15 * 60 * 1000);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, Object> getRecords(DynamoEngine.Region r, Map<String, Object> in) {
        String it = str(in, "ShardIterator");
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(it), StandardCharsets.UTF_8).split("\\|");
            if (parts.length != 4) throw new IllegalArgumentException();
            Long.parseLong(parts[2]);
        } catch (IllegalArgumentException e) {
            throw Errors.validation("Invalid ShardIterator");
        }
        if (Long.parseLong(parts[3]) < engine.clock.getAsLong()) {
            throw new ServiceException("ExpiredIteratorException", "Iterator expired. The iterator was created at time "
                    + Instant.ofEpochMilli(Long.parseLong(parts[3]) - 15 * 60 * 1000) + " while right now it is " + Instant.ofEpochMilli(engine.clock.getAsLong())
                    + " which is further in the future than the tolerated delay of 900000 milliseconds.");
        }
        Found f = find(r, parts[0]);
        Integer limit = integer(in, "Limit");
        if (limit != null && (limit < 1 || limit > 1000)) {
            throw Errors.validation("1 validation error detected: Value '" + limit + "' at 'limit' failed to satisfy constraint: Member must have value "
                    + (limit < 1 ? "greater than or equal to 1" : "less than or equal to 1000"));
        }
        long position = Math.max(Long.parseLong(parts[2]), f.stream.trimHorizon());
        List<TableStream.Change> changes = f.stream.read(position, limit == null ? 1000 : limit);
        List<Object> records = new ArrayList<>();
        for (TableStream.Change c : changes) records.add(render(f.table, f.stream, c));
        long next = changes.isEmpty() ? position : changes.get(changes.size() - 1).sequence() + 1;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Records", records);
        if (f.stream.enabled || next < f.stream.nextSequence()) out.put("NextShardIterator", iterator(f.stream, next));
        return out;
    }

    static Map<String, Object> render(Table t, TableStream s, TableStream.Change c) {
        Map<String, Object> ddb = new LinkedHashMap<>();
        ddb.put("ApproximateCreationDateTime", Instant.ofEpochSecond(c.createdMillis() / 1000));
        ddb.put("Keys", Items.toWire(c.keys()));
        if (c.newImage() != null) ddb.put("NewImage", Items.toWire(c.newImage()));
        if (c.oldImage() != null) ddb.put("OldImage", Items.toWire(c.oldImage()));
        ddb.put("SequenceNumber", TableStream.sequenceText(c.sequence()));
        ddb.put("SizeBytes", (long) c.sizeBytes());
        ddb.put("StreamViewType", s.viewType);
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("eventID", c.eventId());
        rec.put("eventName", c.eventName());
        rec.put("eventVersion", "1.1");
        rec.put("eventSource", "aws:dynamodb");
        rec.put("awsRegion", t.region);
        rec.put("dynamodb", ddb);
        if (c.ttlDeletion()) rec.put("userIdentity", Map.of("PrincipalId", "dynamodb.amazonaws.com", "Type", "Service"));
        return rec;
    }
}
