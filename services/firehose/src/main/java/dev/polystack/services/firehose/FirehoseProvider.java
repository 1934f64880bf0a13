package dev.polystack.services.firehose;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.Persistable;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;
import dev.polystack.api.model.TreeConverter;
import dev.polystack.services.firehose.api.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Native Data Firehose on the typed {@link FirehoseApi}: delivery streams with a Direct PUT or Kinesis stream source
 * and an S3 destination. Records are buffered per stream and written as one S3 object when the buffer reaches
 * {@code BufferingHints.SizeInMBs} or has waited {@code IntervalInSeconds} (checked every second, also where Kinesis
 * sources are read).
 */
public final class FirehoseProvider implements FirehoseApi, ServiceProvider, Persistable {
    private static final System.Logger LOG = System.getLogger(FirehoseProvider.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            // snapshots of earlier builds hold the buffer as one byte string
            .configure(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY, true);

    private final ProviderEnvironment env;
    private final AccountRegionStore<Map<String, DeliveryStream>> stores = new AccountRegionStore<>((a, r) -> new ConcurrentHashMap<>());
    private final ScheduledFuture<?> ticker;

    public FirehoseProvider(ProviderEnvironment env) {
        this.env = env;
        this.ticker = env == null ? null : env.scheduler().scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public String service() {
        return "firehose";
    }

    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        return OPERATIONS.invoke(this, ctx, operation, in);
    }

    @Override
    public void close() {
        if (ticker != null) ticker.cancel(false);
    }

    private DeliveryStream stream(RequestContext ctx, String name) {
        DeliveryStream s = stores.get(ctx).get(name);
        if (s == null) throw new ResourceNotFoundException("Firehose " + name + " under account " + ctx.accountId() + " not found.");
        return s;
    }

    @Override
    public CreateDeliveryStreamOutput createDeliveryStream(RequestContext ctx, CreateDeliveryStreamInput in) {
        String type = in.deliveryStreamTypeAsString() == null ? "DirectPut" : in.deliveryStreamTypeAsString();
        if (!type.equals("DirectPut") && !type.equals("KinesisStreamAsSource")) {
            throw new InvalidArgumentException("Only DirectPut and KinesisStreamAsSource delivery streams are supported here, not " + type + ".");
        }
        if (type.equals("KinesisStreamAsSource") && in.kinesisStreamSourceConfiguration() == null) {
            throw new InvalidArgumentException("KinesisStreamSourceConfiguration is required for a KinesisStreamAsSource delivery stream.");
        }
        DeliveryStream s = new DeliveryStream();
        s.name = in.deliveryStreamName();
        s.arn = "arn:" + ctx.partition() + ":firehose:" + ctx.region() + ":" + ctx.accountId() + ":deliverystream/" + s.name;
        s.type = type;
        s.created = System.currentTimeMillis();
        if (in.extendedS3DestinationConfiguration() != null) {
            s.s3 = TreeConverter.toTree(ExtendedS3DestinationConfiguration.SHAPE, in.extendedS3DestinationConfiguration());
        } else if (in.s3DestinationConfiguration() != null) {
            s.s3 = TreeConverter.toTree(S3DestinationConfiguration.SHAPE, in.s3DestinationConfiguration());
        } else {
            throw new InvalidArgumentException("Only an S3 destination (ExtendedS3DestinationConfiguration or S3DestinationConfiguration) is supported here.");
        }
        if (in.kinesisStreamSourceConfiguration() != null) {
            s.kinesisStreamArn = in.kinesisStreamSourceConfiguration().kinesisStreamARN();
            s.kinesisRoleArn = in.kinesisStreamSourceConfiguration().roleARN();
        }
        if (in.tags() != null) for (Tag t : in.tags()) s.tags.put(t.key(), t.value());
        if (stores.get(ctx).putIfAbsent(s.name, s) != null) {
            throw new ResourceInUseException("Firehose " + s.name + " under accountId " + ctx.accountId() + " already exists");
        }
        return CreateDeliveryStreamOutput.builder().deliveryStreamARN(s.arn).build();
    }

    @Override
    public DescribeDeliveryStreamOutput describeDeliveryStream(RequestContext ctx, DescribeDeliveryStreamInput in) {
        DeliveryStream s = stream(ctx, in.deliveryStreamName());
        synchronized (s) {
            Map<String, Object> s3 = new LinkedHashMap<>(s.s3);
            s3.putIfAbsent("BufferingHints", Map.of("SizeInMBs", 5, "IntervalInSeconds", 300));
            s3.putIfAbsent("CompressionFormat", "UNCOMPRESSED");
            s3.putIfAbsent("EncryptionConfiguration", Map.of("NoEncryptionConfig", "NoEncryption"));
            DestinationDescription destination = DestinationDescription.builder().destinationId("destinationId-000000000001")
                    .s3DestinationDescription(TreeConverter.fromTree(S3DestinationDescription.SHAPE, s3))
                    .extendedS3DestinationDescription(TreeConverter.fromTree(ExtendedS3DestinationDescription.SHAPE, s3))
                    .build();
            SourceDescription source = s.kinesisStreamArn == null ? null : SourceDescription.builder()
                    .kinesisStreamSourceDescription(KinesisStreamSourceDescription.builder().kinesisStreamARN(s.kinesisStreamArn)
                            .roleARN(s.kinesisRoleArn).deliveryStartTimestamp(Instant.ofEpochMilli(s.created)).build())
                    .build();
            DeliveryStreamDescription d = DeliveryStreamDescription.builder()
                    .deliveryStreamName(s.name).deliveryStreamARN(s.arn).deliveryStreamStatus(s.status).deliveryStreamType(s.type)
                    .versionId(Long.toString(s.versionId)).createTimestamp(Instant.ofEpochMilli(s.created))
                    .source(source).destinations(List.of(destination)).hasMoreDestinations(false)
                    .deliveryStreamEncryptionConfiguration(DeliveryStreamEncryptionConfiguration.builder().status("DISABLED").build())
                    .build();
            return DescribeDeliveryStreamOutput.builder().deliveryStreamDescription(d).build();
        }
    }

    @Override
    public ListDeliveryStreamsOutput listDeliveryStreams(RequestContext ctx, ListDeliveryStreamsInput in) {
        List<String> names = new ArrayList<>();
        for (DeliveryStream s : stores.get(ctx).values()) {
            if (in.deliveryStreamTypeAsString() != null && !in.deliveryStreamTypeAsString().equals(s.type)) continue;
            if (in.exclusiveStartDeliveryStreamName() != null && s.name.compareTo(in.exclusiveStartDeliveryStreamName()) <= 0) continue;
            names.add(s.name);
        }
        names.sort(null);
        int limit = in.limit() == null ? 10 : in.limit();
        boolean more = names.size() > limit;
        return ListDeliveryStreamsOutput.builder().deliveryStreamNames(more ? names.subList(0, limit) : names).hasMoreDeliveryStreams(more).build();
    }

    @Override
    public DeleteDeliveryStreamOutput deleteDeliveryStream(RequestContext ctx, DeleteDeliveryStreamInput in) {
        DeliveryStream s = stream(ctx, in.deliveryStreamName());
        flush(ctx.accountId(), ctx.region(), s, System.currentTimeMillis(), true);
        stores.get(ctx).remove(s.name);
        return DeleteDeliveryStreamOutput.builder().build();
    }

    @Override
    public PutRecordOutput putRecord(RequestContext ctx, PutRecordInput in) {
        DeliveryStream s = directPut(ctx, in.deliveryStreamName());
        accept(ctx.accountId(), ctx.region(), s, List.of(in.recordValue().data()));
        return PutRecordOutput.builder().recordId(recordId()).encrypted(false).build();
    }

    @Override
    public PutRecordBatchOutput putRecordBatch(RequestContext ctx, PutRecordBatchInput in) {
        DeliveryStream s = directPut(ctx, in.deliveryStreamName());
        List<byte[]> data = new ArrayList<>();
        List<PutRecordBatchResponseEntry> entries = new ArrayList<>();
        for (dev.polystack.services.firehose.api.Record r : in.records()) {
            data.add(r.data());
            entries.add(PutRecordBatchResponseEntry.builder().recordId(recordId()).build());
        }
        accept(ctx.accountId(), ctx.region(), s, data);
        return PutRecordBatchOutput.builder().failedPutCount(0).encrypted(false).requestResponses(entries).build();
    }

    private DeliveryStream directPut(RequestContext ctx, String name) {
        DeliveryStream s = stream(ctx, name);
        if (!"DirectPut".equals(s.type)) {
            throw new InvalidArgumentException("This operation is not permitted on KinesisStreamAsSource delivery stream type.");
        }
        return s;
    }

    private static String recordId() {
        return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    }

    private void accept(String account, String region, DeliveryStream s, List<byte[]> records) {
        long now = System.currentTimeMillis();
        boolean full;
        synchronized (s) {
            for (byte[] r : records) s.append(r, now);
            full = s.bufferedBytes >= s.sizeHintBytes();
        }
        if (full) flush(account, region, s, now, true);
    }

    /** Writes the buffer when it is full or old enough ({@code force}: whatever it holds); keeps it when S3 refuses. */
    private void flush(String account, String region, DeliveryStream s, long now, boolean force) {
        synchronized (s) {
            if (s.buffered.isEmpty()) return;
            if (!force && s.bufferedBytes < s.sizeHintBytes() && now - s.bufferStarted < s.intervalHintMillis()) return;
            try {
                S3Delivery.deliver(env, account, region, s, s.joined(), now);
                s.clearBuffer();
            } catch (ServiceException e) {
                // Firehose retries S3 delivery; the records stay buffered until S3 takes them.
                LOG.log(System.Logger.Level.WARNING, "Firehose " + s.name + ": delivery to S3 failed (" + e.getMessage() + "); will retry");
                s.bufferStarted = now;
            }
        }
    }

    /** Every second: Kinesis sources read, due buffers written. Never throws (it would end the timer). */
    void tick() {
        long now = System.currentTimeMillis();
        stores.all().forEach((account, byRegion) -> byRegion.forEach((region, streams) -> {
            for (DeliveryStream s : streams.values()) {
                try {
                    if (s.kinesisStreamArn != null) KinesisSource.poll(env, account, region, s, data -> accept(account, region, s, data));
                    flush(account, region, s, now, false);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "Firehose " + s.name + " failed", e);
                }
            }
        }));
    }

    // ---------------------------------------------------------------- tags

    @Override
    public TagDeliveryStreamOutput tagDeliveryStream(RequestContext ctx, TagDeliveryStreamInput in) {
        DeliveryStream s = stream(ctx, in.deliveryStreamName());
        synchronized (s) {
            for (Tag t : in.tags()) s.tags.put(t.key(), t.value());
        }
        return TagDeliveryStreamOutput.builder().build();
    }

    @Override
    public UntagDeliveryStreamOutput untagDeliveryStream(RequestContext ctx, UntagDeliveryStreamInput in) {
        DeliveryStream s = stream(ctx, in.deliveryStreamName());
        synchronized (s) {
            in.tagKeys().forEach(s.tags::remove);
        }
        return UntagDeliveryStreamOutput.builder().build();
    }

    @Override
    public ListTagsForDeliveryStreamOutput listTagsForDeliveryStream(RequestContext ctx, ListTagsForDeliveryStreamInput in) {
        DeliveryStream s = stream(ctx, in.deliveryStreamName());
        List<Tag> tags = new ArrayList<>();
        synchronized (s) {
            s.tags.forEach((k, v) -> tags.add(Tag.builder().key(k).value(v).build()));
        }
        return ListTagsForDeliveryStreamOutput.builder().tags(tags).hasMoreTags(false).build();
    }

    // ---------------------------------------------------------------- persistence

    public record RegionSnapshot(String account, String region, List<DeliveryStream> streams) {
    }

    @Override
    public void saveState(OutputStream out) throws IOException {
        List<RegionSnapshot> regions = new ArrayList<>();
        stores.all().forEach((account, byRegion) -> byRegion.forEach((region, streams) -> {
            List<DeliveryStream> copies = new ArrayList<>();
            for (DeliveryStream s : streams.values()) {
                synchronized (s) {
                    copies.add(JSON.convertValue(s, DeliveryStream.class));
                }
            }
            regions.add(new RegionSnapshot(account, region, copies));
        }));
        JSON.writeValue(out, Map.of("regions", regions));
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        if (version != 1) throw new IOException("unsupported Firehose state version " + version);
        JsonNode root = JSON.readTree(in);
        stores.clear();
        for (RegionSnapshot r : JSON.treeToValue(root.path("regions"), RegionSnapshot[].class)) {
            Map<String, DeliveryStream> streams = stores.get(r.account(), r.region());
            for (DeliveryStream s : r.streams()) {
                s.bufferedBytes = s.buffered.stream().mapToLong(b -> b.length).sum();
                streams.put(s.name, s);
            }
        }
    }

    @Override
    public void resetState() {
        stores.clear();
    }
}
