package dev.polystack.services.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Kinesis data stream read through the Kinesis provider; records become {@code aws:kinesis:record} events. */
final class KinesisSource implements StreamSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProviderEnvironment env;
    private final String streamArn;
    private final String region;
    private final RequestContext ctx;

    KinesisSource(ProviderEnvironment env, String streamArn) {
        this.env = env;
        this.streamArn = streamArn;
        String[] arn = streamArn.split(":", 6);
        this.region = arn[3];
        this.ctx = RequestContext.internal(arn[4], arn[3], "kinesis");
    }

    @Override
    public void check() {
        try {
            env.call(ctx, "kinesis", "DescribeStreamSummary", Map.of("StreamARN", streamArn));
        } catch (ServiceException e) {
            if (e.code().equals("ResourceNotFoundException")) throw StreamSource.notFound(streamArn);
            throw e;
        }
    }

    @Override
    public List<String> shards() {
        List<String> out = new ArrayList<>();
        String token = null;
        do {
            Map<String, Object> in = token == null ? Map.of("StreamARN", streamArn) : Map.of("NextToken", token);
            Map<String, Object> page = env.call(ctx, "kinesis", "ListShards", in);
            if (page.get("Shards") instanceof List<?> shards) {
                for (Object s : shards) out.add(String.valueOf(((Map<?, ?>) s).get("ShardId")));
            }
            token = page.get("NextToken") == null ? null : page.get("NextToken").toString();
        } while (token != null);
        return out;
    }

    @Override
    public String iterator(String shardId, String type, String sequenceNumber, Instant timestamp) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("StreamARN", streamArn);
        in.put("ShardId", shardId);
        in.put("ShardIteratorType", type);
        if (sequenceNumber != null) in.put("StartingSequenceNumber", sequenceNumber);
        if (timestamp != null) in.put("Timestamp", timestamp);
        return String.valueOf(env.call(ctx, "kinesis", "GetShardIterator", in).get("ShardIterator"));
    }

    @Override
    public Batch read(String shardId, String iterator, int limit, String functionRole) {
        Map<String, Object> out = env.call(ctx, "kinesis", "GetRecords",
                Map.of("ShardIterator", iterator, "Limit", Math.min(limit, 10_000), "StreamARN", streamArn));
        List<StreamRecord> records = new ArrayList<>();
        if (out.get("Records") instanceof List<?> list) {
            for (Object o : list) {
                Map<?, ?> r = (Map<?, ?>) o;
                String seq = String.valueOf(r.get("SequenceNumber"));
                Instant arrival = r.get("ApproximateArrivalTimestamp") instanceof Instant i ? i : Instant.now();
                byte[] data = r.get("Data") instanceof byte[] b ? b : new byte[0];
                String partitionKey = String.valueOf(r.get("PartitionKey"));
                records.add(new StreamRecord(seq, arrival, partitionKey,
                        event(shardId, seq, arrival, data, partitionKey, functionRole)));
            }
        }
        Object next = out.get("NextShardIterator");
        return new Batch(records, next == null ? null : next.toString());
    }

    /** The record as AWS hands it to a function (fields in AWS's order). */
    private ObjectNode event(String shardId, String seq, Instant arrival, byte[] data, String partitionKey, String role) {
        ObjectNode e = JSON.createObjectNode();
        ObjectNode k = e.putObject("kinesis");
        k.put("kinesisSchemaVersion", "1.0");
        k.put("partitionKey", partitionKey);
        k.put("sequenceNumber", seq);
        k.put("data", Base64.getEncoder().encodeToString(data));
        k.put("approximateArrivalTimestamp", BigDecimal.valueOf(arrival.toEpochMilli(), 3));
        e.put("eventSource", "aws:kinesis");
        e.put("eventVersion", "1.0");
        e.put("eventID", shardId + ":" + seq);
        e.put("eventName", "aws:kinesis:record");
        if (role != null) e.put("invokeIdentityArn", role);
        e.put("awsRegion", region);
        e.put("eventSourceARN", streamArn);
        return e;
    }

    @Override
    public String batchInfoName() {
        return "KinesisBatchInfo";
    }

    @Override
    public boolean decodesData() {
        return true;
    }
}
