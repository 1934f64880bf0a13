package dev.polystack.services.kinesis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.Persistable;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The thin Kinesis provider: unpacks parameters, calls {@link Kinesis}, packs results as botocore shapes them. */
public final class KinesisProvider implements ServiceProvider, Persistable {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Kinesis engine = new Kinesis();

    public KinesisProvider(ProviderEnvironment env) {
    }

    Kinesis engine() {
        return engine;
    }

    @Override
    public String service() {
        return "kinesis";
    }

    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        String a = ctx.accountId();
        String r = ctx.region();
        return switch (operation) {
            case "CreateStream" -> {
                Map<String, Object> mode = map(in, "StreamModeDetails");
                Stream s = engine.createStream(a, r, str(in, "StreamName"), integer(in, "ShardCount"),
                        mode == null ? null : str(mode, "StreamMode"));
                Map<String, String> tags = stringMap(in, "Tags");
                if (tags != null) engine.tag(s, tags);
                yield Map.of();
            }
            case "DeleteStream" -> {
                engine.deleteStream(a, r, str(in, "StreamName"), str(in, "StreamARN"));
                yield Map.of();
            }
            case "DescribeStream" -> Map.of("StreamDescription", describe(stream(a, r, in), integer(in, "Limit"),
                    str(in, "ExclusiveStartShardId")));
            case "DescribeStreamSummary" -> Map.of("StreamDescriptionSummary", summary(stream(a, r, in)));
            case "ListStreams" -> {
                List<Stream> all = engine.listStreams(a, r, str(in, "ExclusiveStartStreamName"));
                Integer limit = integer(in, "Limit");
                int n = limit == null ? 100 : Math.min(limit, 10_000);
                List<Stream> page = all.subList(0, Math.min(n, all.size()));
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("StreamNames", page.stream().map(s -> (Object) s.name).toList());
                out.put("HasMoreStreams", all.size() > page.size());
                List<Object> summaries = new ArrayList<>();
                for (Stream s : page) {
                    summaries.add(Map.of("StreamName", s.name, "StreamARN", s.arn, "StreamStatus", s.status,
                            "StreamModeDetails", Map.of("StreamMode", s.mode), "StreamCreationTimestamp", Instant.ofEpochMilli(s.createdAt)));
                }
                out.put("StreamSummaries", summaries);
                yield out;
            }
            case "PutRecord" -> {
                Stream s = stream(a, r, in);
                Kinesis.Placed p = engine.put(s, bytes(in.get("Data")), str(in, "PartitionKey"), str(in, "ExplicitHashKey"));
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("ShardId", p.shardId());
                out.put("SequenceNumber", p.sequenceNumber());
                if (!"NONE".equals(s.encryptionType)) out.put("EncryptionType", s.encryptionType);
                yield out;
            }
            case "PutRecords" -> {
                Stream s = stream(a, r, in);
                List<Object> records = list(in, "Records");
                if (records.isEmpty() || records.size() > 500) {
                    throw Kinesis.validation("1 validation error detected: Value '" + records.size() + "' at 'records' failed to satisfy "
                            + "constraint: Member must have length " + (records.isEmpty() ? "greater than or equal to 1" : "less than or equal to 500"));
                }
                List<Object> results = new ArrayList<>();
                for (Object o : records) {
                    Map<String, Object> rec = asMap(o);
                    Kinesis.Placed p = engine.put(s, bytes(rec.get("Data")), str(rec, "PartitionKey"), str(rec, "ExplicitHashKey"));
                    results.add(Map.of("SequenceNumber", p.sequenceNumber(), "ShardId", p.shardId()));
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("FailedRecordCount", 0);
                out.put("Records", results);
                if (!"NONE".equals(s.encryptionType)) out.put("EncryptionType", s.encryptionType);
                yield out;
            }
            case "GetShardIterator" -> Map.of("ShardIterator", engine.iterator(stream(a, r, in), str(in, "ShardId"),
                    str(in, "ShardIteratorType"), str(in, "StartingSequenceNumber"), millis(in.get("Timestamp"))));
            case "GetRecords" -> {
                Kinesis.Batch b = engine.getRecords(str(in, "ShardIterator"), integer(in, "Limit"));
                List<Object> records = new ArrayList<>();
                for (Shard.Record rec : b.records()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("SequenceNumber", rec.sequenceNumber());
                    m.put("ApproximateArrivalTimestamp", Instant.ofEpochMilli(rec.arrival()));
                    m.put("Data", rec.data());
                    m.put("PartitionKey", rec.partitionKey());
                    records.add(m);
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("Records", records);
                if (b.nextIterator() != null) out.put("NextShardIterator", b.nextIterator());
                out.put("MillisBehindLatest", b.millisBehindLatest());
                if (b.nextIterator() == null) {
                    List<Object> children = new ArrayList<>();
                    for (Shard c : b.childShards()) {
                        List<Object> parents = new ArrayList<>();
                        parents.add(c.parentShardId);
                        if (c.adjacentParentShardId != null) parents.add(c.adjacentParentShardId);
                        children.add(Map.of("ShardId", c.shardId, "ParentShards", parents, "HashKeyRange", hashRange(c)));
                    }
                    out.put("ChildShards", children);
                }
                yield out;
            }
            case "ListShards" -> listShards(a, r, in);
            case "SplitShard" -> {
                engine.split(a, r, str(in, "StreamName"), str(in, "StreamARN"), str(in, "ShardToSplit"), str(in, "NewStartingHashKey"));
                yield Map.of();
            }
            case "MergeShards" -> {
                engine.merge(a, r, str(in, "StreamName"), str(in, "StreamARN"), str(in, "ShardToMerge"), str(in, "AdjacentShardToMerge"));
                yield Map.of();
            }
            case "UpdateShardCount" -> {
                Stream s = stream(a, r, in);
                int current = engine.openShardCount(s);
                Integer target = integer(in, "TargetShardCount");
                engine.updateShardCount(a, r, str(in, "StreamName"), str(in, "StreamARN"), target == null ? 0 : target);
                yield Map.of("StreamName", s.name, "StreamARN", s.arn, "CurrentShardCount", current, "TargetShardCount", target);
            }
            case "IncreaseStreamRetentionPeriod", "DecreaseStreamRetentionPeriod" -> {
                Integer hours = integer(in, "RetentionPeriodHours");
                engine.setRetention(a, r, str(in, "StreamName"), str(in, "StreamARN"), hours == null ? 0 : hours,
                        operation.startsWith("Increase"));
                yield Map.of();
            }
            case "StartStreamEncryption" -> {
                engine.setEncryption(a, r, str(in, "StreamName"), str(in, "StreamARN"), str(in, "EncryptionType"), str(in, "KeyId"));
                yield Map.of();
            }
            case "StopStreamEncryption" -> {
                engine.setEncryption(a, r, str(in, "StreamName"), str(in, "StreamARN"), "NONE", null);
                yield Map.of();
            }
            case "UpdateStreamMode" -> {
                Stream s = stream(a, r, Map.of("StreamARN", String.valueOf(in.get("StreamARN"))));
                Map<String, Object> mode = map(in, "StreamModeDetails");
                s.mode = mode == null ? s.mode : str(mode, "StreamMode");
                yield Map.of();
            }
            case "AddTagsToStream" -> {
                engine.tag(stream(a, r, in), stringMap(in, "Tags"));
                yield Map.of();
            }
            case "RemoveTagsFromStream" -> {
                engine.untag(stream(a, r, in), list(in, "TagKeys").stream().map(String::valueOf).toList());
                yield Map.of();
            }
            case "ListTagsForStream" -> {
                List<Object> tags = new ArrayList<>();
                stream(a, r, in).tags.forEach((k, v) -> tags.add(Map.of("Key", k, "Value", v)));
                yield Map.of("Tags", tags, "HasMoreTags", false);
            }
            case "TagResource" -> {
                engine.tag(engine.stream(a, r, null, str(in, "ResourceARN")), stringMap(in, "Tags"));
                yield Map.of();
            }
            case "UntagResource" -> {
                engine.untag(engine.stream(a, r, null, str(in, "ResourceARN")), list(in, "TagKeys").stream().map(String::valueOf).toList());
                yield Map.of();
            }
            case "ListTagsForResource" -> {
                List<Object> tags = new ArrayList<>();
                engine.stream(a, r, null, str(in, "ResourceARN")).tags.forEach((k, v) -> tags.add(Map.of("Key", k, "Value", v)));
                yield Map.of("Tags", tags);
            }
            case "RegisterStreamConsumer" -> Map.of("Consumer", consumerOut(engine.registerConsumer(str(in, "StreamARN"),
                    str(in, "ConsumerName")), null));
            case "DescribeStreamConsumer" -> {
                var e = engine.consumer(str(in, "StreamARN"), str(in, "ConsumerName"), str(in, "ConsumerARN"));
                yield Map.of("ConsumerDescription", consumerOut(e.getValue(), e.getKey().arn));
            }
            case "ListStreamConsumers" -> {
                Stream s = engine.stream(a, r, null, str(in, "StreamARN"));
                yield Map.of("Consumers", s.consumers.values().stream().map(c -> (Object) consumerOut(c, null)).toList());
            }
            case "DeregisterStreamConsumer" -> {
                engine.deregisterConsumer(str(in, "StreamARN"), str(in, "ConsumerName"), str(in, "ConsumerARN"));
                yield Map.of();
            }
            case "EnableEnhancedMonitoring", "DisableEnhancedMonitoring" -> {
                Stream s = stream(a, r, in);
                List<Object> current = new ArrayList<>(s.enhancedMetrics);
                List<String> requested = list(in, "ShardLevelMetrics").stream().map(String::valueOf).toList();
                synchronized (s) {
                    if (operation.startsWith("Enable")) {
                        if (requested.contains("ALL")) s.enhancedMetrics = new ArrayList<>(List.of("IncomingBytes", "IncomingRecords",
                                "OutgoingBytes", "OutgoingRecords", "WriteProvisionedThroughputExceeded",
                                "ReadProvisionedThroughputExceeded", "IteratorAgeMilliseconds"));
                        else for (String m : requested) if (!s.enhancedMetrics.contains(m)) s.enhancedMetrics.add(m);
                    } else if (requested.contains("ALL")) {
                        s.enhancedMetrics.clear();
                    } else {
                        s.enhancedMetrics.removeAll(requested);
                    }
                }
                yield Map.of("StreamName", s.name, "StreamARN", s.arn, "CurrentShardLevelMetrics", current,
                        "DesiredShardLevelMetrics", new ArrayList<>(s.enhancedMetrics));
            }
            case "DescribeLimits" -> {
                int open = 0;
                for (Stream s : engine.listStreams(a, r, null)) open += engine.openShardCount(s);
                yield Map.of("ShardLimit", 500, "OpenShardCount", open, "OnDemandStreamCount",
                        (int) engine.listStreams(a, r, null).stream().filter(s -> s.mode.equals("ON_DEMAND")).count(),
                        "OnDemandStreamCountLimit", 50);
            }
            case "PutResourcePolicy" -> {
                Stream s = engine.stream(a, r, null, str(in, "ResourceARN"));
                try {
                    s.resourcePolicy = JSON.readValue(str(in, "Policy"), Map.class);
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    throw Kinesis.invalid("Invalid policy document.");
                }
                yield Map.of();
            }
            case "GetResourcePolicy" -> {
                Stream s = engine.stream(a, r, null, str(in, "ResourceARN"));
                try {
                    yield Map.of("Policy", s.resourcePolicy == null ? "{}" : JSON.writeValueAsString(s.resourcePolicy));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
            case "DeleteResourcePolicy" -> {
                Stream s = engine.stream(a, r, null, str(in, "ResourceARN"));
                if (s.resourcePolicy == null) {
                    throw new ServiceException("ResourceNotFoundException", "No resource policy found for resource ARN " + s.arn + ".");
                }
                s.resourcePolicy = null;
                yield Map.of();
            }
            default -> throw new UnsupportedOperationException(operation);
        };
    }

    private Stream stream(String account, String region, Map<String, Object> in) {
        return engine.stream(account, region, str(in, "StreamName"), str(in, "StreamARN"));
    }

    private Map<String, Object> listShards(String account, String region, Map<String, Object> in) {
        String token = str(in, "NextToken");
        String streamName = str(in, "StreamName");
        String streamArn = str(in, "StreamARN");
        String exclusiveStart = str(in, "ExclusiveStartShardId");
        if (token != null) {
            if (streamName != null || streamArn != null) {
                throw Kinesis.invalid("NextToken and StreamName cannot be provided together.");
            }
            String[] t = new String(java.util.Base64.getDecoder().decode(token), java.nio.charset.StandardCharsets.UTF_8).split("\\|");
            streamArn = t[0];
            exclusiveStart = t[1];
        }
        Stream s = engine.stream(account, region, streamName, streamArn);
        Map<String, Object> filter = map(in, "ShardFilter");
        String type = filter == null ? null : str(filter, "Type");
        String filterShard = filter == null ? null : str(filter, "ShardId");
        Long filterTime = filter == null ? null : millis(filter.get("Timestamp"));
        List<Shard> shards = new ArrayList<>();
        for (Shard shard : s.shards.values()) {
            if (exclusiveStart != null && shard.shardId.compareTo(exclusiveStart) <= 0) continue;
            if (type != null) {
                boolean keep = switch (type) {
                    case "AFTER_SHARD_ID" -> filterShard == null || shard.shardId.compareTo(filterShard) > 0;
                    case "AT_LATEST" -> shard.open();
                    case "AT_TRIM_HORIZON", "FROM_TRIM_HORIZON" -> true;
                    case "AT_TIMESTAMP", "FROM_TIMESTAMP" -> filterTime == null || shard.open() || shard.createdAt <= filterTime
                            || type.equals("FROM_TIMESTAMP");
                    default -> throw Kinesis.validation("1 validation error detected: Value '" + type + "' at 'shardFilter.type' failed "
                            + "to satisfy constraint: Member must satisfy enum value set: [AFTER_SHARD_ID, AT_TRIM_HORIZON, "
                            + "FROM_TRIM_HORIZON, AT_LATEST, AT_TIMESTAMP, FROM_TIMESTAMP]");
                };
                if (!keep) continue;
            }
            shards.add(shard);
        }
        Integer max = integer(in, "MaxResults");
        int n = max == null ? 1000 : max;
        List<Shard> page = shards.subList(0, Math.min(n, shards.size()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Shards", page.stream().map(sh -> (Object) shardOut(sh)).toList());
        if (page.size() < shards.size()) {
            out.put("NextToken", java.util.Base64.getEncoder().encodeToString((s.arn + "|" + page.get(page.size() - 1).shardId)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return out;
    }

    // ---------------------------------------------------------------- packing

    private static Map<String, Object> hashRange(Shard s) {
        return Map.of("StartingHashKey", s.startingHashKey.toString(), "EndingHashKey", s.endingHashKey.toString());
    }

    private static Map<String, Object> shardOut(Shard s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ShardId", s.shardId);
        if (s.parentShardId != null) m.put("ParentShardId", s.parentShardId);
        if (s.adjacentParentShardId != null) m.put("AdjacentParentShardId", s.adjacentParentShardId);
        m.put("HashKeyRange", hashRange(s));
        Map<String, Object> seq = new LinkedHashMap<>();
        seq.put("StartingSequenceNumber", s.startingSequenceNumber);
        if (s.endingSequenceNumber != null) seq.put("EndingSequenceNumber", s.endingSequenceNumber);
        m.put("SequenceNumberRange", seq);
        return m;
    }

    private Map<String, Object> describe(Stream s, Integer limit, String exclusiveStart) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("StreamName", s.name);
        m.put("StreamARN", s.arn);
        m.put("StreamStatus", s.status);
        m.put("StreamModeDetails", Map.of("StreamMode", s.mode));
        List<Object> shards = new ArrayList<>();
        int max = limit == null ? 100 : limit;
        boolean more = false;
        for (Shard shard : s.shards.values()) {
            if (exclusiveStart != null && shard.shardId.compareTo(exclusiveStart) <= 0) continue;
            if (shards.size() >= max) {
                more = true;
                break;
            }
            shards.add(shardOut(shard));
        }
        m.put("Shards", shards);
        m.put("HasMoreShards", more);
        m.put("RetentionPeriodHours", s.retentionHours);
        m.put("StreamCreationTimestamp", Instant.ofEpochMilli(s.createdAt));
        m.put("EnhancedMonitoring", List.of(Map.of("ShardLevelMetrics", new ArrayList<>(s.enhancedMetrics))));
        m.put("EncryptionType", s.encryptionType);
        if (s.keyId != null) m.put("KeyId", s.keyId);
        return m;
    }

    private Map<String, Object> summary(Stream s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("StreamName", s.name);
        m.put("StreamARN", s.arn);
        m.put("StreamStatus", s.status);
        m.put("StreamModeDetails", Map.of("StreamMode", s.mode));
        m.put("RetentionPeriodHours", s.retentionHours);
        m.put("StreamCreationTimestamp", Instant.ofEpochMilli(s.createdAt));
        m.put("EnhancedMonitoring", List.of(Map.of("ShardLevelMetrics", new ArrayList<>(s.enhancedMetrics))));
        m.put("EncryptionType", s.encryptionType);
        if (s.keyId != null) m.put("KeyId", s.keyId);
        m.put("OpenShardCount", engine.openShardCount(s));
        m.put("ConsumerCount", s.consumers.size());
        return m;
    }

    private static Map<String, Object> consumerOut(Stream.Consumer c, String streamArn) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ConsumerName", c.name());
        m.put("ConsumerARN", c.arn());
        m.put("ConsumerStatus", "ACTIVE");
        m.put("ConsumerCreationTimestamp", Instant.ofEpochMilli(c.createdAt()));
        if (streamArn != null) m.put("StreamARN", streamArn);
        return m;
    }

    // ---------------------------------------------------------------- unpacking

    private static String str(Map<String, Object> in, String key) {
        Object v = in.get(key);
        return v == null ? null : v.toString();
    }

    private static Integer integer(Map<String, Object> in, String key) {
        Object v = in.get(key);
        return v instanceof Number n ? n.intValue() : null;
    }

    private static byte[] bytes(Object v) {
        if (v instanceof byte[] b) return b;
        if (v == null) return new byte[0];
        return v.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Long millis(Object v) {
        if (v instanceof Instant i) return i.toEpochMilli();
        if (v instanceof Number n) return (long) (n.doubleValue() * 1000);
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static Map<String, Object> map(Map<String, Object> in, String key) {
        Object v = in.get(key);
        return v instanceof Map<?, ?> ? asMap(v) : null;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> in, String key) {
        Object v = in.get(key);
        return v instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static Map<String, String> stringMap(Map<String, Object> in, String key) {
        Object v = in.get(key);
        if (!(v instanceof Map<?, ?> m)) return null;
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, val) -> out.put(String.valueOf(k), String.valueOf(val)));
        return out;
    }

    // ---------------------------------------------------------------- persistence

    /** The saved form: account → region → streams (with shards and records). */
    public static final class Snapshot {
        public Map<String, Map<String, KinesisRegion>> regions = new LinkedHashMap<>();
    }

    @Override
    public void saveState(OutputStream out) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode regions = root.putObject("regions");
        engine.store.all().forEach((account, byRegion) -> byRegion.forEach((region, state) -> {
            ObjectNode node = JSON.createObjectNode();
            ObjectNode streams = node.putObject("streams");
            state.streams.forEach((name, s) -> {
                synchronized (s) {
                    ObjectNode sn = JSON.valueToTree(s);
                    ObjectNode shards = sn.putObject("shards");
                    s.shards.forEach((id, shard) -> {
                        synchronized (shard) {
                            shards.set(id, JSON.valueToTree(shard));
                        }
                    });
                    streams.set(name, sn);
                }
            });
            regions.withObjectProperty(account).set(region, node);
        }));
        JSON.writeValue(out, root);
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        if (version != 1) throw new IOException("unsupported Kinesis state version " + version);
        Snapshot snapshot = JSON.readValue(in, Snapshot.class);
        engine.store.clear();
        snapshot.regions.forEach((account, regions) -> regions.forEach((region, state) -> engine.store.put(account, region, state)));
    }

    @Override
    public void resetState() {
        engine.store.clear();
    }
}
