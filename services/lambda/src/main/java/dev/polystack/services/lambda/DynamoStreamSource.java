package dev.polystack.services.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DynamoDB stream read through the DynamoDB Streams provider; its records reach the function as GetRecords
 * returns them, with binary attributes in base64, times in epoch seconds and the stream's ARN added.
 */
final class DynamoStreamSource implements StreamSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProviderEnvironment env;
    private final String streamArn;
    private final RequestContext ctx;

    DynamoStreamSource(ProviderEnvironment env, String streamArn) {
        this.env = env;
        this.streamArn = streamArn;
        String[] arn = streamArn.split(":", 6);
        this.ctx = RequestContext.internal(arn[4], arn[3], "dynamodbstreams");
    }

    @Override
    public void check() {
        describe();
    }

    private Map<?, ?> describe() {
        try {
            return (Map<?, ?>) env.call(ctx, "dynamodbstreams", "DescribeStream", Map.of("StreamArn", streamArn))
                    .get("StreamDescription");
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
        if (describe().get("Shards") instanceof List<?> shards) {
            for (Object s : shards) out.add(String.valueOf(((Map<?, ?>) s).get("ShardId")));
        }
        return out;
    }

    @Override
    public String iterator(String shardId, String type, String sequenceNumber, Instant timestamp) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("StreamArn", streamArn);
        in.put("ShardId", shardId);
        in.put("ShardIteratorType", type);
        if (sequenceNumber != null) in.put("SequenceNumber", sequenceNumber);
        return String.valueOf(env.call(ctx, "dynamodbstreams", "GetShardIterator", in).get("ShardIterator"));
    }

    @Override
    public Batch read(String shardId, String iterator, int limit, String functionRole) {
        Map<String, Object> out = env.call(ctx, "dynamodbstreams", "GetRecords",
                Map.of("ShardIterator", iterator, "Limit", Math.min(limit, 1000)));
        List<StreamRecord> records = new ArrayList<>();
        if (out.get("Records") instanceof List<?> list) {
            for (Object o : list) {
                Map<?, ?> r = (Map<?, ?>) o;
                ObjectNode event = (ObjectNode) toJson(r);
                event.put("eventSourceARN", streamArn);
                Map<?, ?> ddb = (Map<?, ?>) r.get("dynamodb");
                Instant created = ddb != null && ddb.get("ApproximateCreationDateTime") instanceof Instant i ? i : Instant.now();
                String seq = ddb == null ? "" : String.valueOf(ddb.get("SequenceNumber"));
                JsonNode keys = event.path("dynamodb").path("Keys");
                records.add(new StreamRecord(seq, created, keys.toString(), event));
            }
        }
        Object next = out.get("NextShardIterator");
        return new Batch(records, next == null ? null : next.toString());
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
