package dev.polystack.services.firehose;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.kinesis.api.GetRecordsInput;
import dev.polystack.services.kinesis.api.GetRecordsOutput;
import dev.polystack.services.kinesis.api.GetShardIteratorInput;
import dev.polystack.services.kinesis.api.KinesisApi;
import dev.polystack.services.kinesis.api.ListShardsInput;
import dev.polystack.services.kinesis.api.Record;
import dev.polystack.services.kinesis.api.Shard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A delivery stream's Kinesis source: every shard read from the delivery stream's creation on (AWS's
 * {@code DeliveryStartTimestamp}), new shards picked up as the stream reshards.
 */
final class KinesisSource {
    private KinesisSource() {
    }

    static void poll(ProviderEnvironment env, String account, String region, DeliveryStream s, Consumer<List<byte[]>> sink) {
        String[] arn = s.kinesisStreamArn.split(":", 6);
        RequestContext ctx = RequestContext.internal(arn.length > 4 ? arn[4] : account, arn.length > 3 ? arn[3] : region, "kinesis");
        KinesisApi kinesis = KinesisApi.client(env);
        List<Shard> shards;
        try {
            shards = kinesis.listShards(ctx, ListShardsInput.builder().streamARN(s.kinesisStreamArn).build()).shards();
        } catch (ServiceException e) {
            return;   // the stream is gone or not there yet
        }
        if (shards == null) return;
        for (Shard shard : shards) {
            String shardId = shard.shardId();
            String iterator;
            synchronized (s) {
                iterator = s.shardIterators.get(shardId);
            }
            if ("".equals(iterator)) continue;   // a closed shard read to its end
            try {
                if (iterator == null) {
                    iterator = kinesis.getShardIterator(ctx, GetShardIteratorInput.builder().streamARN(s.kinesisStreamArn)
                            .shardId(shardId).shardIteratorType("AT_TIMESTAMP").timestamp(Instant.ofEpochMilli(s.created)).build())
                            .shardIterator();
                }
                GetRecordsOutput out = kinesis.getRecords(ctx, GetRecordsInput.builder().shardIterator(iterator)
                        .streamARN(s.kinesisStreamArn).build());
                List<byte[]> data = new ArrayList<>();
                if (out.records() != null) {
                    for (Record r : out.records()) if (r.data() != null) data.add(r.data());
                }
                if (!data.isEmpty()) sink.accept(data);
                synchronized (s) {
                    s.shardIterators.put(shardId, out.nextShardIterator() == null ? "" : out.nextShardIterator());
                }
            } catch (ServiceException e) {
                synchronized (s) {
                    s.shardIterators.remove(shardId);   // an expired iterator: start again from creation time
                }
            }
        }
    }
}
