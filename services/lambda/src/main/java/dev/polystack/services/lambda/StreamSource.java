package dev.polystack.services.lambda;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

/**
 * The reads a stream event source needs, whatever the stream: its shards, a shard iterator at a starting position,
 * and batches of records already shaped as Lambda receives them. {@link KinesisSource} and {@link DynamoStreamSource}
 * call their service's provider in-process; {@link StreamPoller} does the rest (batching, retries, bisection,
 * destinations), the same for both.
 */
interface StreamSource {
    /** Fails with AWS's {@code InvalidParameterValueException: Stream not found: <arn>} when the stream is missing. */
    void check();

    /** The ids of the stream's shards (open and closed ones still holding records). */
    List<String> shards();

    /**
     * An iterator of {@code shardId}: {@code TRIM_HORIZON}, {@code LATEST}, {@code AT_TIMESTAMP} (with
     * {@code timestamp}) or {@code AFTER_SEQUENCE_NUMBER} (with {@code sequenceNumber}).
     */
    String iterator(String shardId, String type, String sequenceNumber, Instant timestamp);

    /** Up to {@code limit} records from {@code iterator} (of {@code shardId}); the next iterator is null once a closed shard is read to its end. */
    Batch read(String shardId, String iterator, int limit, String functionRole);

    /** The member naming the batch in an on-failure record: {@code KinesisBatchInfo} or {@code DDBStreamBatchInfo}. */
    String batchInfoName();

    /** Whether filter patterns see the record's {@code data} decoded as JSON (Kinesis) rather than the record as is. */
    boolean decodesData();

    record Batch(List<StreamRecord> records, String nextIterator) {
    }

    /**
     * One record: its sequence number, when it arrived, the key that orders it (Kinesis's partition key, the item's
     * key of a DynamoDB record: records of one key keep their order with a ParallelizationFactor above 1), and its
     * event as Lambda receives it.
     */
    record StreamRecord(String sequenceNumber, Instant arrival, String partitionKey, ObjectNode event) {
    }

    static dev.polystack.api.ServiceException notFound(String arn) {
        return LambdaErrors.invalidParameter("Stream not found: " + arn);
    }
}
