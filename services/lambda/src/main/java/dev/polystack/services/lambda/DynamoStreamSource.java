package dev.polystack.services.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.model.TreeConverter;
import dev.polystack.services.dynamodbstreams.api.DescribeStreamInput;
import dev.polystack.services.dynamodbstreams.api.DynamoDbStreamsApi;
import dev.polystack.services.dynamodbstreams.api.GetRecordsInput;
import dev.polystack.services.dynamodbstreams.api.GetRecordsOutput;
import dev.polystack.services.dynamodbstreams.api.GetShardIteratorInput;
import dev.polystack.services.dynamodbstreams.api.Record;
import dev.polystack.services.dynamodbstreams.api.Shard;
import dev.polystack.services.dynamodbstreams.api.StreamDescription;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A DynamoDB stream read through the DynamoDB Streams provider; its records reach the function as GetRecords
 * returns them, with binary attributes in base64, times in epoch seconds and the stream's ARN added.
 */
final class DynamoStreamSource implements StreamSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DynamoDbStreamsApi streams;
    private final String streamArn;
    private final RequestContext ctx;

    DynamoStreamSource(ProviderEnvironment env, String streamArn) {
        this.streams = DynamoDbStreamsApi.client(env);
        this.streamArn = streamArn;
        String[] arn = streamArn.split(":", 6);
        this.ctx = RequestContext.internal(arn[4], arn[3], "dynamodbstreams");
    }

    @Override
    public void check() {
        describe();
    }

    private StreamDescription describe() {
        try {
            return streams.describeStream(ctx, DescribeStreamInput.builder().streamArn(streamArn).build()).streamDescription();
        } catch (ServiceException e) {
            if (e.code().equals("ResourceNotFoundException") || e.code().equals("ValidationException")) {
                throw StreamSource.notFound(streamArn);
            }
            throw e;
        }
    }

    @Override
    public List<String> shards() {
        List<String> out = new ArrayList<>();
        StreamDescription description = describe();
        if (description != null && description.shards() != null) {
            for (Shard s : description.shards()) out.add(s.shardId());
        }
        return out;
    }

    @Override
    public String iterator(String shardId, String type, String sequenceNumber, Instant timestamp) {
        return streams.getShardIterator(ctx, GetShardIteratorInput.builder().streamArn(streamArn).shardId(shardId)
                .shardIteratorType(type).sequenceNumber(sequenceNumber).build()).shardIterator();
    }

    @Override
    public Batch read(String shardId, String iterator, int limit, String functionRole) {
        GetRecordsOutput out = streams.getRecords(ctx, GetRecordsInput.builder().shardIterator(iterator)
                .limit(Math.min(limit, 1000)).build());
        List<StreamRecord> records = new ArrayList<>();
        if (out.records() != null) {
            for (Record r : out.records()) {
                // the record's tree in the specification's member order, which is the order Lambda's event has
                ObjectNode event = (ObjectNode) toJson(TreeConverter.toTree(Record.SHAPE, r));
                event.put("eventSourceARN", streamArn);
                Instant created = r.dynamodb() != null && r.dynamodb().approximateCreationDateTime() != null
                        ? r.dynamodb().approximateCreationDateTime() : Instant.now();
                String seq = r.dynamodb() == null ? "" : String.valueOf(r.dynamodb().sequenceNumber());
                JsonNode keys = event.path("dynamodb").path("Keys");
                records.add(new StreamRecord(seq, created, keys.toString(), event));
            }
        }
        return new Batch(records, out.nextShardIterator());
    }

    /** A GetRecords value as Lambda's JSON: binary values in base64, instants in epoch seconds. */
    private static JsonNode toJson(Object value) {
        if (value instanceof Map<?, ?> m) {
            ObjectNode o = JSON.createObjectNode();
            m.forEach((k, v) -> o.set(String.valueOf(k), toJson(v)));
            return o;
        }
        if (value instanceof List<?> l) {
            ArrayNode a = JSON.createArrayNode();
            l.forEach(v -> a.add(toJson(v)));
            return a;
        }
        if (value instanceof byte[] b) return JSON.getNodeFactory().textNode(Base64.getEncoder().encodeToString(b));
        if (value instanceof Instant i) return JSON.getNodeFactory().numberNode(i.getEpochSecond());
        return JSON.valueToTree(value);
    }

    @Override
    public String batchInfoName() {
        return "DDBStreamBatchInfo";
    }

    @Override
    public boolean decodesData() {
        return false;
    }
}
