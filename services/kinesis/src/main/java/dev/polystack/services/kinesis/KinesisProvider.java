package dev.polystack.services.kinesis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.Persistable;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;
import dev.polystack.services.kinesis.api.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The thin Kinesis provider: each typed operation of {@link KinesisApi} reads its request, calls {@link Kinesis}, builds the typed result. */
public final class KinesisProvider implements KinesisApi, ServiceProvider, Persistable {
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

    /** The gateway hands over a parameter tree; the generated dispatch turns it into the typed calls below. */
    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        return OPERATIONS.invoke(this, ctx, operation, in);
    }

    // ---------------------------------------------------------------- streams

    @Override
    public void createStream(RequestContext ctx, CreateStreamInput in) {
        Stream s = engine.createStream(ctx.accountId(), ctx.region(), in.streamName(), in.shardCount(),
                in.streamModeDetails() == null ? null : in.streamModeDetails().streamModeAsString());
        if (in.tags() != null) engine.tag(s, in.tags());
    }

    @Override
    public void deleteStream(RequestContext ctx, DeleteStreamInput in) {
        engine.deleteStream(ctx.accountId(), ctx.region(), in.streamName(), in.streamARN());
    }

    @Override
    public DescribeStreamOutput describeStream(RequestContext ctx, DescribeStreamInput in) {
        Stream s = stream(ctx, in.streamName(), in.streamARN());
        List<dev.polystack.services.kinesis.api.Shard> shards = new ArrayList<>();
        int max = in.limit() == null ? 100 : in.limit();
        boolean more = false;
        for (Shard shard : s.shards.values()) {
            if (in.exclusiveStartShardId() != null && shard.shardId.compareTo(in.exclusiveStartShardId()) <= 0) continue;
            if (shards.size() >= max) {
                more = true;
                break;
            }
            shards.add(shardOut(shard));
        }
        return DescribeStreamOutput.builder().streamDescription(StreamDescription.builder().streamName(s.name).streamARN(s.arn)
                .streamStatus(s.status).streamModeDetails(mode(s)).shards(shards).hasMoreShards(more)
                .retentionPeriodHours(s.retentionHours).streamCreationTimestamp(Instant.ofEpochMilli(s.createdAt))
                .enhancedMonitoring(enhancedMonitoring(s)).encryptionType(s.encryptionType).keyId(s.keyId).build()).build();
    }

    @Override
    public DescribeStreamSummaryOutput describeStreamSummary(RequestContext ctx, DescribeStreamSummaryInput in) {
        Stream s = stream(ctx, in.streamName(), in.streamARN());
        return DescribeStreamSummaryOutput.builder().streamDescriptionSummary(StreamDescriptionSummary.builder().streamName(s.name)
                .streamARN(s.arn).streamStatus(s.status).streamModeDetails(mode(s)).retentionPeriodHours(s.retentionHours)
                .streamCreationTimestamp(Instant.ofEpochMilli(s.createdAt)).enhancedMonitoring(enhancedMonitoring(s))
                .encryptionType(s.encryptionType).keyId(s.keyId).openShardCount(engine.openShardCount(s))
                .consumerCount(s.consumers.size()).build()).build();
    }

    @Override
    public ListStreamsOutput listStreams(RequestContext ctx, ListStreamsInput in) {
        List<Stream> all = engine.listStreams(ctx.accountId(), ctx.region(), in.exclusiveStartStreamName());
        int n = in.limit() == null ? 100 : Math.min(in.limit(), 10_000);
        List<Stream> page = all.subList(0, Math.min(n, all.size()));
        List<StreamSummary> summaries = new ArrayList<>();
        for (Stream s : page) {
            summaries.add(StreamSummary.builder().streamName(s.name).streamARN(s.arn).streamStatus(s.status).streamModeDetails(mode(s))
                    .streamCreationTimestamp(Instant.ofEpochMilli(s.createdAt)).build());
        }
        return ListStreamsOutput.builder().streamNames(page.stream().map(s -> s.name).toList())
                .hasMoreStreams(all.size() > page.size()).streamSummaries(summaries).build();
    }

    @Override
    public void increaseStreamRetentionPeriod(RequestContext ctx, IncreaseStreamRetentionPeriodInput in) {
        engine.setRetention(ctx.accountId(), ctx.region(), in.streamName(), in.streamARN(),
                in.retentionPeriodHours() == null ? 0 : in.retentionPeriodHours(), true);
    }

    @Override
    public void decreaseStreamRetentionPeriod(RequestContext ctx, DecreaseStreamRetentionPeriodInput in) {
        engine.setRetention(ctx.accountId(), ctx.region(), in.streamName(), in.streamARN(),
                in.retentionPeriodHours() == null ? 0 : in.retentionPeriodHours(), false);
    }

    @Override
    public void startStreamEncryption(RequestContext ctx, StartStreamEncryptionInput in) {
        engine.setEncryption(ctx.accountId(), ctx.region(), in.streamName(), in.streamARN(), in.encryptionTypeAsString(), in.keyId());
    }

    @Override
    public void stopStreamEncryption(RequestContext ctx, StopStreamEncryptionInput in) {
        engine.setEncryption(ctx.accountId(), ctx.region(), in.streamName(), in.streamARN(), "NONE", null);
    }

    @Override
    public void updateStreamMode(RequestContext ctx, UpdateStreamModeInput in) {
        Stream s = engine.stream(ctx.accountId(), ctx.region(), null, String.valueOf(in.streamARN()));
        if (in.streamModeDetails() != null) s.mode = in.streamModeDetails().streamModeAsString();
    }

    @Override
    public DescribeLimitsOutput describeLimits(RequestContext ctx, DescribeLimitsInput in) {
        List<Stream> streams = engine.listStreams(ctx.accountId(), ctx.region(), null);
        int open = 0;
        for (Stream s : streams) open += engine.openShardCount(s);
        return DescribeLimitsOutput.builder().shardLimit(500).openShardCount(open)
                .onDemandStreamCount((int) streams.stream().filter(s -> s.mode.equals("ON_DEMAND")).count())
                .onDemandStreamCountLimit(50).build();
    }

    // ---------------------------------------------------------------- records

    @Override
    public PutRecordOutput putRecord(RequestContext ctx, PutRecordInput in) {
        Stream s = stream(ctx, in.streamName(), in.streamARN());
        Kinesis.Placed p = engine.put(s, orEmpty(in.data()), in.partitionKey(), in.explicitHashKey());
        return PutRecordOutput.builder().shardId(p.shardId()).sequenceNumber(p.sequenceNumber()).encryptionType(encryption(s)).build();
    }

    @Override
    public PutRecordsOutput putRecords(RequestContext ctx, PutRecordsInput in) {
        Stream s = stream(ctx, in.streamName(), in.streamARN());
        List<PutRecordsRequestEntry> records = in.records() == null ? List.of() : in.records();
        if (records.isEmpty() || records.size() > 500) {
            throw Kinesis.validation("1 validation error detected: Value '" + records.size() + "' at 'records' failed to satisfy "
                    + "constraint: Member must have length " + (records.isEmpty() ? "greater than or equal to 1" : "less than or equal to 500"));
        }
        List<PutRecordsResultEntry> results = new ArrayList<>(records.size());
        for (PutRecordsRequestEntry rec : records) {
            Kinesis.Placed p = engine.put(s, orEmpty(rec.data()), rec.partitionKey(), rec.explicitHashKey());
            results.add(PutRecordsResultEntry.builder().sequenceNumber(p.sequenceNumber()).shardId(p.shardId()).build());
        }
        return PutRecordsOutput.builder().failedRecordCount(0).records(results).encryptionType(encryption(s)).build();
    }

    @Override
    public GetShardIteratorOutput getShardIterator(RequestContext ctx, GetShardIteratorInput in) {
        return GetShardIteratorOutput.builder().shardIterator(engine.iterator(stream(ctx, in.streamName(), in.streamARN()),
                in.shardId(), in.shardIteratorTypeAsString(), in.startingSequenceNumber(), millis(in.timestamp()))).build();
    }

    @Override
    public GetRecordsOutput getRecords(RequestContext ctx, GetRecordsInput in) {
        Kinesis.Batch b = engine.getRecords(in.shardIterator(), in.limit());
        List<dev.polystack.services.kinesis.api.Record> records = new ArrayList<>(b.records().size());
        for (Shard.Record rec : b.records()) {
            records.add(dev.polystack.services.kinesis.api.Record.builder().sequenceNumber(rec.sequenceNumber())
                    .approximateArrivalTimestamp(Instant.ofEpochMilli(rec.arrival())).data(rec.data())
                    .partitionKey(rec.partitionKey()).build());
        }
        GetRecordsOutput.Builder out = GetRecordsOutput.builder().records(records).nextShardIterator(b.nextIterator())
                .millisBehindLatest(b.millisBehindLatest());
        if (b.nextIterator() == null) {
            List<ChildShard> children = new ArrayList<>();
            for (Shard c : b.childShards()) {
                List<String> parents = new ArrayList<>();
                parents.add(c.parentShardId);
                if (c.adjacentParentShardId != null) parents.add(c.adjacentParentShardId);
                children.add(ChildShard.builder().shardId(c.shardId).parentShards(parents).hashKeyRange(hashRange(c)).build());
            }
            out.childShards(children);
        }
        return out.build();
    }

    // ---------------------------------------------------------------- shards

    @Override
    public ListShardsOutput listShards(RequestContext ctx, ListShardsInput in) {
        String token = in.nextToken();
        String streamArn = in.streamARN();
        String exclusiveStart = in.exclusiveStartShardId();
        if (token != null) {
            if (in.streamName() != null || streamArn != null) {
                throw Kinesis.invalid("NextToken and StreamName cannot be provided together.");
            }
            String[] t = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8).split("\\|");
            streamArn = t[0];
            exclusiveStart = t[1];
        }
        Stream s = engine.stream(ctx.accountId(), ctx.region(), in.streamName(), streamArn);
        ShardFilter filter = in.shardFilter();
        String type = filter == null ? null : filter.typeAsString();
        String filterShard = filter == null ? null : filter.shardId();
        Long filterTime = filter == null ? null : millis(filter.timestamp());
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
        int n = in.maxResults() == null ? 1000 : in.maxResults();
        List<Shard> page = shards.subList(0, Math.min(n, shards.size()));
        String next = page.size() < shards.size()
                ? Base64.getEncoder().encodeToString((s.arn + "|" + page.get(page.size() - 1).shardId).getBytes(StandardCharsets.UTF_8))
                : null;
        return ListShardsOutput.builder().shards(page.stream().map(KinesisProvider::shardOut).toList()).nextToken(next).build();
    }

    @Override
    public void splitShard(RequestContext ctx, SplitShardInput in) {
        engine.split(ctx.accountId(), ctx.region(), in.streamName(), in.streamARN(), in.shardToSplit(), in.newStartingHashKey());
    }

    @Override
    public void mergeShards(RequestContext ctx, MergeShardsInput in) {
        engine.merge(ctx.accountId(), ctx.region(), in.streamName(), in.streamARN(), in.shardToMerge(), in.adjacentShardToMerge());
    }

    @Override
    public UpdateShardCountOutput updateShardCount(RequestContext ctx, UpdateShardCountInput in) {
        Stream s = stream(ctx, in.streamName(), in.streamARN());
        int current = engine.openShardCount(s);
        Integer target = in.targetShardCount();
        engine.updateShardCount(ctx.accountId(), ctx.region(), in.streamName(), in.streamARN(), target == null ? 0 : target);
        return UpdateShardCountOutput.builder().streamName(s.name).streamARN(s.arn).currentShardCount(current)
                .targetShardCount(target).build();
    }

    @Override
    public EnhancedMonitoringOutput enableEnhancedMonitoring(RequestContext ctx, EnableEnhancedMonitoringInput in) {
        return monitoring(ctx, in.streamName(), in.streamARN(), in.shardLevelMetricsAsStrings(), true);
    }

    @Override
    public EnhancedMonitoringOutput disableEnhancedMonitoring(RequestContext ctx, DisableEnhancedMonitoringInput in) {
        return monitoring(ctx, in.streamName(), in.streamARN(), in.shardLevelMetricsAsStrings(), false);
    }

    private EnhancedMonitoringOutput monitoring(RequestContext ctx, String name, String arn, List<String> requested, boolean enable) {
        Stream s = stream(ctx, name, arn);
        List<String> metrics = requested == null ? List.of() : requested;
        List<String> current;
        List<String> desired;
        synchronized (s) {
            current = new ArrayList<>(s.enhancedMetrics);
            if (enable) {
                if (metrics.contains("ALL")) s.enhancedMetrics = new ArrayList<>(List.of("IncomingBytes", "IncomingRecords",
                        "OutgoingBytes", "OutgoingRecords", "WriteProvisionedThroughputExceeded",
                        "ReadProvisionedThroughputExceeded", "IteratorAgeMilliseconds"));
                else for (String m : metrics) if (!s.enhancedMetrics.contains(m)) s.enhancedMetrics.add(m);
            } else if (metrics.contains("ALL")) {
                s.enhancedMetrics.clear();
            } else {
                s.enhancedMetrics.removeAll(metrics);
            }
            desired = new ArrayList<>(s.enhancedMetrics);
        }
        return EnhancedMonitoringOutput.builder().streamName(s.name).streamARN(s.arn).currentShardLevelMetrics(current)
                .desiredShardLevelMetrics(desired).build();
    }

    // ---------------------------------------------------------------- tags

    @Override
    public void addTagsToStream(RequestContext ctx, AddTagsToStreamInput in) {
        engine.tag(stream(ctx, in.streamName(), in.streamARN()), in.tags());
    }

    @Override
    public void removeTagsFromStream(RequestContext ctx, RemoveTagsFromStreamInput in) {
        engine.untag(stream(ctx, in.streamName(), in.streamARN()), in.tagKeys() == null ? List.of() : in.tagKeys());
    }

    @Override
    public ListTagsForStreamOutput listTagsForStream(RequestContext ctx, ListTagsForStreamInput in) {
        return ListTagsForStreamOutput.builder().tags(tags(stream(ctx, in.streamName(), in.streamARN()))).hasMoreTags(false).build();
    }

    @Override
    public void tagResource(RequestContext ctx, TagResourceInput in) {
        engine.tag(engine.stream(ctx.accountId(), ctx.region(), null, in.resourceARN()), in.tags());
    }

    @Override
    public void untagResource(RequestContext ctx, UntagResourceInput in) {
        engine.untag(engine.stream(ctx.accountId(), ctx.region(), null, in.resourceARN()),
                in.tagKeys() == null ? List.of() : in.tagKeys());
    }

    @Override
    public ListTagsForResourceOutput listTagsForResource(RequestContext ctx, ListTagsForResourceInput in) {
        return ListTagsForResourceOutput.builder().tags(tags(engine.stream(ctx.accountId(), ctx.region(), null, in.resourceARN()))).build();
    }

    // ---------------------------------------------------------------- consumers

    @Override
    public RegisterStreamConsumerOutput registerStreamConsumer(RequestContext ctx, RegisterStreamConsumerInput in) {
        Stream.Consumer c = engine.registerConsumer(in.streamARN(), in.consumerName());
        return RegisterStreamConsumerOutput.builder().consumer(Consumer.builder().consumerName(c.name()).consumerARN(c.arn())
                .consumerStatus("ACTIVE").consumerCreationTimestamp(Instant.ofEpochMilli(c.createdAt())).build()).build();
    }

    @Override
    public DescribeStreamConsumerOutput describeStreamConsumer(RequestContext ctx, DescribeStreamConsumerInput in) {
        var e = engine.consumer(in.streamARN(), in.consumerName(), in.consumerARN());
        Stream.Consumer c = e.getValue();
        return DescribeStreamConsumerOutput.builder().consumerDescription(ConsumerDescription.builder().consumerName(c.name())
                .consumerARN(c.arn()).consumerStatus("ACTIVE").consumerCreationTimestamp(Instant.ofEpochMilli(c.createdAt()))
                .streamARN(e.getKey().arn).build()).build();
    }

    @Override
    public ListStreamConsumersOutput listStreamConsumers(RequestContext ctx, ListStreamConsumersInput in) {
        Stream s = engine.stream(ctx.accountId(), ctx.region(), null, in.streamARN());
        return ListStreamConsumersOutput.builder().consumers(s.consumers.values().stream().map(c -> Consumer.builder()
                .consumerName(c.name()).consumerARN(c.arn()).consumerStatus("ACTIVE")
                .consumerCreationTimestamp(Instant.ofEpochMilli(c.createdAt())).build()).toList()).build();
    }

    @Override
    public void deregisterStreamConsumer(RequestContext ctx, DeregisterStreamConsumerInput in) {
        engine.deregisterConsumer(in.streamARN(), in.consumerName(), in.consumerARN());
    }

    /**
     * Enhanced fan-out: the answer is an event stream the subscription writes as records arrive, so it goes out as the
     * response body itself ({@link ShardSubscription}); the typed result stays empty.
     */
    @Override
    public SubscribeToShardOutput subscribeToShard(RequestContext ctx, SubscribeToShardInput in) {
        Stream s = engine.consumer(null, null, in.consumerARN()).getKey();
        StartingPosition start = in.startingPosition();
        if (start == null) throw Kinesis.validation("1 validation error detected: Value null at 'startingPosition' failed to satisfy "
                + "constraint: Member must not be null");
        String iterator = engine.iterator(s, in.shardId(), start.typeAsString(), start.sequenceNumber(), millis(start.timestamp()));
        String continuation = start.sequenceNumber() != null ? start.sequenceNumber() : engine.shard(s, in.shardId()).startingSequenceNumber;
        ctx.response().header("Content-Type", ShardSubscription.CONTENT_TYPE)
                .body(new ShardSubscription(engine, iterator, continuation), -1);
        return SubscribeToShardOutput.builder().build();
    }

    // ---------------------------------------------------------------- resource policies

    @Override
    public void putResourcePolicy(RequestContext ctx, PutResourcePolicyInput in) {
        Stream s = engine.stream(ctx.accountId(), ctx.region(), null, in.resourceARN());
        try {
            JsonNode policy = in.policy() == null ? null : JSON.readTree(in.policy());
            if (policy == null || !policy.isObject()) throw new IllegalArgumentException();
            s.resourcePolicy = JSON.convertValue(policy, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw Kinesis.invalid("Invalid policy document.");
        }
    }

    @Override
    public GetResourcePolicyOutput getResourcePolicy(RequestContext ctx, GetResourcePolicyInput in) {
        Stream s = engine.stream(ctx.accountId(), ctx.region(), null, in.resourceARN());
        try {
            return GetResourcePolicyOutput.builder().policy(s.resourcePolicy == null ? "{}" : JSON.writeValueAsString(s.resourcePolicy)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void deleteResourcePolicy(RequestContext ctx, DeleteResourcePolicyInput in) {
        Stream s = engine.stream(ctx.accountId(), ctx.region(), null, in.resourceARN());
        if (s.resourcePolicy == null) {
            throw new ServiceException("ResourceNotFoundException", "No resource policy found for resource ARN " + s.arn + ".");
        }
        s.resourcePolicy = null;
    }

    // ---------------------------------------------------------------- between the typed shapes and the engine's

    private Stream stream(RequestContext ctx, String name, String arn) {
        return engine.stream(ctx.accountId(), ctx.region(), name, arn);
    }

    private static HashKeyRange hashRange(Shard s) {
        return HashKeyRange.builder().startingHashKey(s.startingHashKey.toString()).endingHashKey(s.endingHashKey.toString()).build();
    }

    private static dev.polystack.services.kinesis.api.Shard shardOut(Shard s) {
        return dev.polystack.services.kinesis.api.Shard.builder().shardId(s.shardId).parentShardId(s.parentShardId)
                .adjacentParentShardId(s.adjacentParentShardId).hashKeyRange(hashRange(s))
                .sequenceNumberRange(SequenceNumberRange.builder().startingSequenceNumber(s.startingSequenceNumber)
                        .endingSequenceNumber(s.endingSequenceNumber).build()).build();
    }

    private static StreamModeDetails mode(Stream s) {
        return StreamModeDetails.builder().streamMode(s.mode).build();
    }

    private static List<EnhancedMetrics> enhancedMonitoring(Stream s) {
        return List.of(EnhancedMetrics.builder().shardLevelMetrics(new ArrayList<>(s.enhancedMetrics)).build());
    }

    /** PutRecord(s) name the encryption only when the stream has one. */
    private static String encryption(Stream s) {
        return "NONE".equals(s.encryptionType) ? null : s.encryptionType;
    }

    private static List<dev.polystack.services.kinesis.api.Tag> tags(Stream s) {
        List<dev.polystack.services.kinesis.api.Tag> tags = new ArrayList<>();
        s.tags.forEach((k, v) -> tags.add(dev.polystack.services.kinesis.api.Tag.builder().key(k).value(v).build()));
        return tags;
    }

    private static byte[] orEmpty(byte[] data) {
        return data == null ? new byte[0] : data;
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
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
        Persistable.requireVersion("Kinesis", version, 1);
        Snapshot snapshot = JSON.readValue(in, Snapshot.class);
        engine.store.clear();
        snapshot.regions.forEach((account, regions) -> regions.forEach((region, state) -> engine.store.put(account, region, state)));
    }

    @Override
    public void resetState() {
        engine.store.clear();
    }
}
