package dev.polystack.services.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.kinesis.api.DescribeStreamSummaryInput;
import dev.polystack.services.kinesis.api.GetRecordsInput;
import dev.polystack.services.kinesis.api.GetRecordsOutput;
import dev.polystack.services.kinesis.api.GetShardIteratorInput;
import dev.polystack.services.kinesis.api.KinesisApi;
import dev.polystack.services.kinesis.api.ListShardsInput;
import dev.polystack.services.kinesis.api.ListShardsOutput;
import dev.polystack.services.kinesis.api.Record;
import dev.polystack.services.kinesis.api.Shard;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** A Kinesis data stream read through the Kinesis provider; records become {@code aws:kinesis:record} events. */
final class KinesisSource implements StreamSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KinesisApi kinesis;
    private final String streamArn;
    private final String region;
    private final RequestContext ctx;

    KinesisSource(ProviderEnvironment env, String streamArn) {
        this.kinesis = KinesisApi.client(env);
        this.streamArn = streamArn;
        String[] arn = streamArn.split(":", 6);
        this.region = arn[3];
        this.ctx = RequestContext.internal(arn[4], arn[3], "kinesis");
    }

    @Override
    public void check() {
        try {
            kinesis.describeStreamSummary(ctx, DescribeStreamSummaryInput.builder().streamARN(streamArn).build());
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
            // a NextToken stands for the whole query: AWS refuses it together with the stream
            ListShardsInput in = token == null ? ListShardsInput.builder().streamARN(streamArn).build()
                    : ListShardsInput.builder().nextToken(token).build();
            ListShardsOutput page = kinesis.listShards(ctx, in);
            if (page.shards() != null) {
                for (Shard s : page.shards()) out.add(s.shardId());
            }
            token = page.nextToken();
        } while (token != null);
        return out;
    }

    @Override
    public String iterator(String shardId, String type, String sequenceNumber, Instant timestamp) {
        return kinesis.getShardIterator(ctx, GetShardIteratorInput.builder().streamARN(streamArn).shardId(shardId)
                .shardIteratorType(type).startingSequenceNumber(sequenceNumber).timestamp(timestamp).build()).shardIterator();
    }

    @Override
    public Batch read(String shardId, String iterator, int limit, String functionRole) {
        GetRecordsOutput out = kinesis.getRecords(ctx, GetRecordsInput.builder().shardIterator(iterator)
                .limit(Math.min(limit, 10_000)).streamARN(streamArn).build());
        List<StreamRecord> records = new ArrayList<>();
        if (out.records() != null) {
            for (Record r : out.records()) {
                String seq = r.sequenceNumber();
                Instant arrival = r.approximateArrivalTimestamp() != null ? r.approximateArrivalTimestamp() : Instant.now();
                byte[] data = r.data() != null ? r.data() : new byte[0];
                String partitionKey = String.valueOf(r.partitionKey());
                records.add(new StreamRecord(seq, arrival, partitionKey,
                        event(shardId, seq, arrival, data, partitionKey, functionRole)));
            }
        }
        return new Batch(records, out.nextShardIterator());
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
