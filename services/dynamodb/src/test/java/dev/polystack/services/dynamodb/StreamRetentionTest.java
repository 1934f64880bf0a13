package dev.polystack.services.dynamodb;

import dev.polystack.api.RequestContext;
import dev.polystack.services.dynamodb.api.AttributeDefinition;
import dev.polystack.services.dynamodb.api.AttributeValue;
import dev.polystack.services.dynamodb.api.CreateTableInput;
import dev.polystack.services.dynamodb.api.KeySchemaElement;
import dev.polystack.services.dynamodb.api.PutItemInput;
import dev.polystack.services.dynamodb.api.StreamSpecification;
import dev.polystack.services.dynamodbstreams.api.DescribeStreamInput;
import dev.polystack.services.dynamodbstreams.api.GetRecordsInput;
import dev.polystack.services.dynamodbstreams.api.GetShardIteratorInput;
import dev.polystack.services.dynamodbstreams.api.Record;
import dev.polystack.services.dynamodbstreams.api.StreamDescription;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DynamoDB Streams keep records for 24 hours: with the engine's clock moved forward, older records are gone from
 * TRIM_HORIZON reads, whether or not the table was written since, and younger ones stay.
 */
class StreamRetentionTest {
    private static final long HOUR = 3600_000L;
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final DynamoEngine engine = new DynamoEngine(now::get);
    private final DynamoProvider dynamodb = new DynamoProvider(engine, null);
    private final StreamsProvider streams = new StreamsProvider(engine, null);
    private final RequestContext ctx = RequestContext.internal("000000000000", "us-east-1", "dynamodb");

    private String streamArn() {
        return dynamodb.createTable(ctx, CreateTableInput.builder().tableName("retained").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(List.of(AttributeDefinition.builder().attributeName("pk").attributeType("S").build()))
                .keySchema(List.of(KeySchemaElement.builder().attributeName("pk").keyType("HASH").build()))
                .streamSpecification(StreamSpecification.builder().streamEnabled(true).streamViewType("KEYS_ONLY").build())
                .build()).tableDescription().latestStreamArn();
    }

    private void put(String pk) {
        dynamodb.putItem(ctx, PutItemInput.builder().tableName("retained").item(Map.of("pk", AttributeValue.builder().s(pk).build())).build());
    }

    private List<String> keysFromTrimHorizon(String arn) {
        StreamDescription d = streams.describeStream(ctx, DescribeStreamInput.builder().streamArn(arn).build()).streamDescription();
        String it = streams.getShardIterator(ctx, GetShardIteratorInput.builder().streamArn(arn).shardId(d.shards().get(0).shardId())
                .shardIteratorType("TRIM_HORIZON").build()).shardIterator();
        List<Record> records = streams.getRecords(ctx, GetRecordsInput.builder().shardIterator(it).build()).records();
        return records.stream().map(r -> r.dynamodb().keys().get("pk").s()).toList();
    }

    @Test
    void recordsOlderThan24HoursAreTrimmedEvenWithoutNewWrites() {
        String arn = streamArn();
        put("at-0h");
        now.addAndGet(2 * HOUR);
        put("at-2h");
        now.addAndGet(21 * HOUR); // 23 h after the first write: both kept
        assertEquals(List.of("at-0h", "at-2h"), keysFromTrimHorizon(arn));
        now.addAndGet(2 * HOUR); // 25 h and 23 h old: the first is gone, with no write since
        assertEquals(List.of("at-2h"), keysFromTrimHorizon(arn));
        now.addAndGet(2 * HOUR);
        put("at-27h");
        assertEquals(List.of("at-27h"), keysFromTrimHorizon(arn));
    }

    @Test
    void anIteratorTakenBeforeTheTrimResumesAtTheOldestRetainedRecord() {
        String arn = streamArn();
        put("old");
        now.addAndGet(20 * HOUR);
        put("young");
        StreamDescription d = streams.describeStream(ctx, DescribeStreamInput.builder().streamArn(arn).build()).streamDescription();
        now.addAndGet(5 * HOUR - 60_000); // "old" is 25 h old; the iterator (15 min validity) was taken just now
        String it = streams.getShardIterator(ctx, GetShardIteratorInput.builder().streamArn(arn).shardId(d.shards().get(0).shardId())
                .shardIteratorType("AT_SEQUENCE_NUMBER").sequenceNumber(d.shards().get(0).sequenceNumberRange().startingSequenceNumber())
                .build()).shardIterator();
        List<Record> records = streams.getRecords(ctx, GetRecordsInput.builder().shardIterator(it).build()).records();
        assertEquals(List.of("young"), records.stream().map(r -> r.dynamodb().keys().get("pk").s()).toList());
    }

    @Test
    void theSweepTrimsStreamsOfQuietTables() {
        streamArn();
        put("a");
        put("b");
        Table t = engine.stores.get("000000000000", "us-east-1").tables.get("retained");
        assertEquals(2, t.stream.all().size());
        now.addAndGet(25 * HOUR);
        engine.sweepExpired();
        assertEquals(0, t.stream.all().size());
    }
}
