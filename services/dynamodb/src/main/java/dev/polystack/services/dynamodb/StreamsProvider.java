package dev.polystack.services.dynamodb;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;
import dev.polystack.services.dynamodb.api.DescribeLimitsInput;
import dev.polystack.services.dynamodb.api.DynamoDbApi;
import dev.polystack.services.dynamodbstreams.api.DescribeStreamInput;
import dev.polystack.services.dynamodbstreams.api.DescribeStreamOutput;
import dev.polystack.services.dynamodbstreams.api.DynamoDbStreamsApi;
import dev.polystack.services.dynamodbstreams.api.GetRecordsInput;
import dev.polystack.services.dynamodbstreams.api.GetRecordsOutput;
import dev.polystack.services.dynamodbstreams.api.GetShardIteratorInput;
import dev.polystack.services.dynamodbstreams.api.GetShardIteratorOutput;
import dev.polystack.services.dynamodbstreams.api.Identity;
import dev.polystack.services.dynamodbstreams.api.KeySchemaElement;
import dev.polystack.services.dynamodbstreams.api.ListStreamsInput;
import dev.polystack.services.dynamodbstreams.api.ListStreamsOutput;
import dev.polystack.services.dynamodbstreams.api.Record;
import dev.polystack.services.dynamodbstreams.api.SequenceNumberRange;
import dev.polystack.services.dynamodbstreams.api.Shard;
import dev.polystack.services.dynamodbstreams.api.Stream;
import dev.polystack.services.dynamodbstreams.api.StreamDescription;
import dev.polystack.services.dynamodbstreams.api.StreamRecord;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * DynamoDB Streams (the {@code dynamodbstreams} API, on its typed interface) over the streams the DynamoDB
 * engine's tables keep. The records are part of DynamoDB's state and snapshot; this provider's own snapshot is an
 * empty marker, and its first request makes sure the DynamoDB provider exists (and so has loaded its saved state).
 * Records carry their images in the streams API's own {@code AttributeValue} type, distinct from DynamoDB's
 * ({@link Items#toStreamsApi}).
 */
public final class StreamsProvider implements DynamoDbStreamsApi, ServiceProvider, dev.polystack.api.Persistable {
    private final DynamoEngine engine;
    /** The DynamoDB provider, reached only to make sure it exists (null in unit tests). */
    private final DynamoDbApi dynamodb;
    private volatile boolean dynamoReady;

    StreamsProvider(DynamoEngine engine, dev.polystack.api.ProviderEnvironment environment) {
        this.engine = engine;
        this.dynamodb = environment == null ? null : DynamoDbApi.client(environment);
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
        if (dynamoReady || dynamodb == null) return;
        dynamodb.describeLimits(RequestContext.internal(ctx.accountId(), ctx.region(), "dynamodb"), DescribeLimitsInput.builder().build());
        dynamoReady = true;
    }

    @Override
    public String service() {
        return "dynamodbstreams";
    }

    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        return OPERATIONS.invoke(this, ctx, operation, in);
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

    @Override
    public ListStreamsOutput listStreams(RequestContext ctx, ListStreamsInput in) {
        ensureDynamoLoaded(ctx); // typed in-process callers (Lambda's pollers) do not pass through invoke
        DynamoEngine.Region r = engine.stores.get(ctx);
        String only = in.tableName();
        Integer limit = in.limit();
        String start = in.exclusiveStartStreamArn();
        List<Stream> streams = new ArrayList<>();
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
                    last = streams.get(streams.size() - 1).streamArn();
                    break;
                }
                streams.add(Stream.builder().streamArn(s.arn).tableName(t.name).streamLabel(s.label).build());
            }
            if (last != null) break;
        }
        return ListStreamsOutput.builder().streams(streams).lastEvaluatedStreamArn(last).build();
    }

    @Override
    public DescribeStreamOutput describeStream(RequestContext ctx, DescribeStreamInput in) {
        ensureDynamoLoaded(ctx); // typed in-process callers (Lambda's pollers) do not pass through invoke
        Found f = find(engine.stores.get(ctx), in.streamArn());
        StreamDescription d = describe(f.table, f.stream);
        if (in.exclusiveStartShardId() != null) d = d.toBuilder().shards(List.of()).build(); // one shard: nothing after it
        return DescribeStreamOutput.builder().streamDescription(d).build();
    }

    @Override
    public GetShardIteratorOutput getShardIterator(RequestContext ctx, GetShardIteratorInput in) {
        ensureDynamoLoaded(ctx); // typed in-process callers (Lambda's pollers) do not pass through invoke
        Found f = find(engine.stores.get(ctx), in.streamArn());
        String shardId = in.shardId();
        if (!f.stream.shardId.equals(shardId)) {
            throw Errors.resourceNotFound("Requested resource not found: Shard does not exist");
        }
        String type = in.shardIteratorTypeAsString();
        String seqText = in.sequenceNumber();
        long position = switch (type == null ? "" : type) {
            case "TRIM_HORIZON" -> f.stream.trimHorizon(engine.clock.getAsLong());
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
        return GetShardIteratorOutput.builder().shardIterator(iterator(f.stream, position)).build();
    }

    /** Shard iterators carry the stream, the shard and the next sequence number to read; they expire after 15 minutes. */
    private String iterator(TableStream s, long position) {
        String raw = s.arn + "|" + s.shardId + "|" + position + "|" + (engine.clock.getAsLong() + 15 * 60 * 1000);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public GetRecordsOutput getRecords(RequestContext ctx, GetRecordsInput in) {
        ensureDynamoLoaded(ctx); // typed in-process callers (Lambda's pollers) do not pass through invoke
        DynamoEngine.Region r = engine.stores.get(ctx);
        String it = in.shardIterator();
        String[] parts;
        try {
            if (it == null) throw new IllegalArgumentException();
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
        Integer limit = in.limit();
        if (limit != null && (limit < 1 || limit > 1000)) {
            throw Errors.validation("1 validation error detected: Value '" + limit + "' at 'limit' failed to satisfy constraint: Member must have value "
                    + (limit < 1 ? "greater than or equal to 1" : "less than or equal to 1000"));
        }
        long now = engine.clock.getAsLong();
        long position = Math.max(Long.parseLong(parts[2]), f.stream.trimHorizon(now));
        List<TableStream.Change> changes = f.stream.read(position, limit == null ? 1000 : limit, now);
        List<Record> records = new ArrayList<>();
        for (TableStream.Change c : changes) records.add(record(f.table, f.stream, c));
        long next = changes.isEmpty() ? position : changes.get(changes.size() - 1).sequence() + 1;
        GetRecordsOutput.Builder out = GetRecordsOutput.builder().records(records);
        if (f.stream.enabled || next < f.stream.nextSequence()) out.nextShardIterator(iterator(f.stream, next));
        return out.build();
    }

    /** DescribeStream's StreamDescription: the stream's one shard, closed (with an ending number) once disabled. */
    static StreamDescription describe(Table t, TableStream s) {
        List<KeySchemaElement> keySchema = new ArrayList<>(2);
        keySchema.add(KeySchemaElement.builder().attributeName(t.hash.name()).keyType("HASH").build());
        if (t.range != null) keySchema.add(KeySchemaElement.builder().attributeName(t.range.name()).keyType("RANGE").build());
        boolean enabled = s.enabled;
        SequenceNumberRange range = SequenceNumberRange.builder().startingSequenceNumber(TableStream.sequenceText(s.startingSequence))
                .endingSequenceNumber(enabled ? null : TableStream.sequenceText(Math.max(s.startingSequence, s.nextSequence() - 1))).build();
        return StreamDescription.builder().streamArn(s.arn).streamLabel(s.label).streamStatus(enabled ? "ENABLED" : "DISABLED")
                .streamViewType(s.viewType).creationRequestDateTime(Instant.ofEpochMilli(s.createdMillis)).tableName(t.name)
                .keySchema(keySchema).shards(List.of(Shard.builder().shardId(s.shardId).sequenceNumberRange(range).build())).build();
    }

    /** One change as GetRecords answers it (eventVersion 1.1; a TTL deletion names DynamoDB as the user). */
    static Record record(Table t, TableStream s, TableStream.Change c) {
        StreamRecord ddb = StreamRecord.builder().approximateCreationDateTime(Instant.ofEpochSecond(c.createdMillis() / 1000))
                .keys(Items.toStreamsApi(c.keys()))
                .newImage(c.newImage() == null ? null : Items.toStreamsApi(c.newImage()))
                .oldImage(c.oldImage() == null ? null : Items.toStreamsApi(c.oldImage()))
                .sequenceNumber(TableStream.sequenceText(c.sequence())).sizeBytes((long) c.sizeBytes()).streamViewType(s.viewType).build();
        return Record.builder().eventID(c.eventId()).eventName(c.eventName()).eventVersion("1.1").eventSource("aws:dynamodb")
                .awsRegion(t.region).dynamodb(ddb)
                .userIdentity(c.ttlDeletion() ? Identity.builder().principalId("dynamodb.amazonaws.com").type("Service").build() : null)
                .build();
    }
}
