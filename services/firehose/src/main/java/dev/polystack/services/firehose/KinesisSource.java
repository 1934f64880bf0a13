package dev.polystack.services.firehose;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        // Kinesis has no typed interface yet; its provider takes parameter trees.
        Map<String, Object> shards;
        try {
            shards = env.call(ctx, "kinesis", "ListShards", Map.of("StreamARN", s.kinesisStreamArn));
        } catch (ServiceException e) {
            return;   // the stream is gone or not there yet
        }
        if (!(shards.get("Shards") instanceof List<?> list)) return;
        for (Object o : list) {
            String shardId = String.valueOf(((Map<?, ?>) o).get("ShardId"));
            String iterator;
            synchronized (s) {
                iterator = s.shardIterators.get(shardId);
            }
            if ("".equals(iterator)) continue;   // a closed shard read to its end
            try {
                if (iterator == null) {
                    Map<String, Object> in = new LinkedHashMap<>();
                    in.put("StreamARN", s.kinesisStreamArn);
                    in.put("ShardId", shardId);
                    in.put("ShardIteratorType", "AT_TIMESTAMP");
                    in.put("Timestamp", Instant.ofEpochMilli(s.created));
                    iterator = String.valueOf(env.call(ctx, "kinesis", "GetShardIterator", in).get("ShardIterator"));
                }
                Map<String, Object> out = env.call(ctx, "kinesis", "GetRecords", Map.of("ShardIterator", iterator, "StreamARN", s.kinesisStreamArn));
                List<byte[]> data = new ArrayList<>();
                if (out.get("Records") instanceof List<?> records) {
                    for (Object r : records) {
                        if (((Map<?, ?>) r).get("Data") instanceof byte[] b) data.add(b);
                    }
                }
                if (!data.isEmpty()) sink.accept(data);
                Object next = out.get("NextShardIterator");
                synchronized (s) {
                    s.shardIterators.put(shardId, next == null ? "" : next.toString());
                }
            } catch (ServiceException e) {
                synchronized (s) {
                    s.shardIterators.remove(shardId);   // an expired iterator: start again from creation time
                }
            }
        }
    }
}
