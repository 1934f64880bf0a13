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
 * and an S3 destination ({@link S3Delivery}) or an HTTP endpoint ({@link HttpEndpointDelivery}, S3 as backup). Records are buffered per stream and written as one S3 object when the buffer reaches
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
            checkProcessing(in.extendedS3DestinationConfiguration());
            s.s3 = TreeConverter.toTree(ExtendedS3DestinationConfiguration.SHAPE, in.extendedS3DestinationConfiguration());
        } else if (in.s3DestinationConfiguration() != null) {
            s.s3 = TreeConverter.toTree(S3DestinationConfiguration.SHAPE, in.s3DestinationConfiguration());
        } else if (in.httpEndpointDestinationConfiguration() != null) {
            HttpEndpointDestinationConfiguration h = in.httpEndpointDestinationConfiguration();
            s.http = TreeConverter.toTree(HttpEndpointDestinationConfiguration.SHAPE, h);
            s.s3 = TreeConverter.toTree(S3DestinationConfiguration.SHAPE, h.s3Configuration());
        } else {
            throw new InvalidArgumentException("Only S3 (ExtendedS3DestinationConfiguration, S3DestinationConfiguration) and HTTP endpoint "
                    + "(HttpEndpointDestinationConfiguration) destinations are supported here.");
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

    /**
     * Refuses processing and partitioning settings Firehose refuses: a processor without its required parameter or
     * with a JQ query that does not compile, dynamic partitioning without an error prefix or without partition keys
     * in the prefix, partition keys in the prefix without dynamic partitioning.
     */
    private static void checkProcessing(ExtendedS3DestinationConfiguration c) {
        RecordProcessing.of(c);
        boolean partitioning = c.dynamicPartitioningConfiguration() != null && Boolean.TRUE.equals(c.dynamicPartitioningConfiguration().enabled());
        String prefix = c.prefix() == null ? "" : c.prefix();
        boolean keysInPrefix = prefix.contains("!{partitionKeyFromQuery:") || prefix.contains("!{partitionKeyFromLambda:");
        if (partitioning && (c.errorOutputPrefix() == null || c.errorOutputPrefix().isEmpty())) {
            throw new InvalidArgumentException("ErrorOutputPrefix cannot be null or empty when dynamic partitioning is enabled.");
        }
        if (partitioning && !keysInPrefix) {
            throw new InvalidArgumentException("When dynamic partitioning is enabled, the Prefix must contain at least one "
                    + "!{partitionKeyFromQuery:...} or !{partitionKeyFromLambda:...} expression.");
        }
        if (!partitioning && keysInPrefix) {
            throw new InvalidArgumentException("The Prefix may contain partitionKeyFromQuery or partitionKeyFromLambda expressions "
                    + "only when dynamic partitioning is enabled.");
        }
    }

    @Override
    public DescribeDeliveryStreamOutput describeDeliveryStream(RequestContext ctx, DescribeDeliveryStreamInput in) {
        DeliveryStream s = stream(ctx, in.deliveryStreamName());
        synchronized (s) {
            Map<String, Object> s3 = new LinkedHashMap<>(s.s3);
            s3.putIfAbsent("BufferingHints", Map.of("SizeInMBs", 5, "IntervalInSeconds", 300));
            s3.putIfAbsent("CompressionFormat", "UNCOMPRESSED");
            s3.putIfAbsent("EncryptionConfiguration", Map.of("NoEncryptionConfig", "NoEncryption"));
            DestinationDescription.Builder destination = DestinationDescription.builder().destinationId("destinationId-000000000001");
            if (s.http == null) {
                destination.s3DestinationDescription(TreeConverter.fromTree(S3DestinationDescription.SHAPE, s3))
                        .extendedS3DestinationDescription(TreeConverter.fromTree(ExtendedS3DestinationDescription.SHAPE, s3));
            } else {
                destination.httpEndpointDestinationDescription(httpDescription(s, s3));
            }
            SourceDescription source = s.kinesisStreamArn == null ? null : SourceDescription.builder()
                    .kinesisStreamSourceDescription(KinesisStreamSourceDescription.builder().kinesisStreamARN(s.kinesisStreamArn)
                            .roleARN(s.kinesisRoleArn).deliveryStartTimestamp(Instant.ofEpochMilli(s.created)).build())
                    .build();
            DeliveryStreamDescription d = DeliveryStreamDescription.builder()
                    .deliveryStreamName(s.name).deliveryStreamARN(s.arn).deliveryStreamStatus(s.status).deliveryStreamType(s.type)
                    .versionId(Long.toString(s.versionId)).createTimestamp(Instant.ofEpochMilli(s.created))
                    .source(source).destinations(List.of(destination.build())).hasMoreDestinations(false)
                    .deliveryStreamEncryptionConfiguration(DeliveryStreamEncryptionConfiguration.builder().status("DISABLED").build())
                    .build();
            return DescribeDeliveryStreamOutput.builder().deliveryStreamDescription(d).build();
        }
    }

    /** The HTTP endpoint as Describe shows it: the access key left out, AWS's defaults filled in. */
    private static HttpEndpointDestinationDescription httpDescription(DeliveryStream s, Map<String, Object> s3) {
        Map<String, Object> h = new LinkedHashMap<>(s.http);
        HttpEndpointConfiguration endpoint = s.httpConfiguration().endpointConfiguration();
        h.put("EndpointConfiguration", TreeConverter.toTree(HttpEndpointDescription.SHAPE, endpoint == null ? null
                : HttpEndpointDescription.builder().url(endpoint.url()).name(endpoint.name()).build()));
        h.remove("S3Configuration");
        h.put("S3DestinationDescription", s3);
        h.putIfAbsent("BufferingHints", Map.of("SizeInMBs", 5, "IntervalInSeconds", 300));
        h.putIfAbsent("RequestConfiguration", Map.of("ContentEncoding", "NONE"));
        h.putIfAbsent("RetryOptions", Map.of("DurationInSeconds", 300));
        h.putIfAbsent("S3BackupMode", "FailedDataOnly");
        return TreeConverter.fromTree(HttpEndpointDestinationDescription.SHAPE, h);
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
        flush(ctx.accountId(), ctx.region(), s, System.currentTimeMillis(), true, true);
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
        if (full) flush(account, region, s, now, true, false);
    }

    /**
     * Writes the buffer when it is full or old enough ({@code force}: whatever it holds); keeps it when S3 refuses.
     * {@code deleting}: the stream's last delivery (an HTTP endpoint that refuses it gets no retries).
     */
    private void flush(String account, String region, DeliveryStream s, long now, boolean force, boolean deleting) {
        synchronized (s) {
            if (s.buffered.isEmpty()) return;
            if (!force && s.bufferedBytes < s.sizeHintBytes() && now - s.bufferStarted < s.intervalHintMillis()) return;
            if (s.http != null) {
                if (deleting) s.deleted = true;   // a POST under way finishes the job: its records' last chance
                toEndpoint(account, region, s, now, deleting);
                return;
            }
            if (s.processing() != null || s.dynamicPartitioning()) {
                toS3Processed(account, region, s);
                return;
            }
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

    /**
     * Starts one POST of the buffer to the HTTP endpoint (the caller holds the stream's monitor). The POST runs on a
     * thread of its own, never on a request's or the shared timer's (a slow endpoint must stall neither), one at a
     * time per stream; the records stay buffered, so a snapshot taken meanwhile keeps them, until the endpoint takes
     * them. A refused delivery is retried with a growing back-off for {@code RetryOptions.DurationInSeconds} (300 by
     * default); then, or when the stream is being deleted, the records go to the backup bucket under
     * {@code ErrorOutputPrefix} (by default {@code http-endpoint-failed/}) as JSON lines with the error, as Firehose
     * writes failed records. {@code S3BackupMode} AllData also writes every delivered buffer to the backup bucket.
     */
    private void toEndpoint(String account, String region, DeliveryStream s, long now, boolean last) {
        if (s.sending) return;
        s.sending = true;
        List<byte[]> batch = List.copyOf(s.buffered);
        Thread.ofVirtual().name("firehose-http-" + s.name).start(() -> {
            HttpEndpointDelivery.Failure failure = null;
            try {
                HttpEndpointDelivery.deliver(s, batch, now);
            } catch (HttpEndpointDelivery.Failure f) {
                failure = f;
            } catch (RuntimeException e) {
                failure = new HttpEndpointDelivery.Failure("HttpEndpoint.RequestFailed", String.valueOf(e.getMessage()));
            }
            synchronized (s) {
                int before = s.buffered.size();
                try {
                    delivered(account, region, s, batch, failure, System.currentTimeMillis(), last || s.deleted);
                } finally {
                    s.sending = false;
                }
                // records that arrived during the POST of a deleted stream: one more (unless nothing moved, e.g. S3 refused)
                if (s.deleted && !s.buffered.isEmpty() && s.buffered.size() < before) {
                    toEndpoint(account, region, s, System.currentTimeMillis(), true);
                }
            }
        });
    }

    /**
     * Starts the processing and S3 delivery of the buffer of a stream with record processing or dynamic partitioning
     * (the caller holds the stream's monitor). Like an HTTP endpoint's POST it runs on a thread of its own, one at a
     * time per stream (a function may be slow), and the records stay buffered until their objects are written.
     */
    private void toS3Processed(String account, String region, DeliveryStream s) {
        if (s.sending) return;
        s.sending = true;
        List<byte[]> batch = List.copyOf(s.buffered);
        long arrival = s.bufferStarted;
        Thread.ofVirtual().name("firehose-processing-" + s.name).start(() -> {
            boolean written = false;
            try {
                deliverProcessed(account, region, s, batch, arrival);
                written = true;
            } catch (RuntimeException e) {
                // S3 refused an object: Firehose retries; the records stay buffered (a retry may write a partition twice)
                LOG.log(System.Logger.Level.WARNING, "Firehose " + s.name + ": delivery to S3 failed (" + e.getMessage() + "); will retry");
            }
            synchronized (s) {
                s.sending = false;
                if (written) s.removeFirst(batch.size());
                else s.bufferStarted = System.currentTimeMillis();
            }
        });
    }

    /**
     * Processes a batch and writes it: the records that passed as one object, or with dynamic partitioning one object
     * per evaluated prefix; the records that failed (processing, or a partition key the prefix names and the record
     * lacks) as JSON lines under the error prefix ({@code processing-failed}).
     */
    private void deliverProcessed(String account, String region, DeliveryStream s, List<byte[]> batch, long arrival) {
        RecordProcessing processing = s.processing();
        RecordProcessing.Outcome outcome = processing == null
                ? new RecordProcessing.Outcome(batch.stream().map(r -> new RecordProcessing.Processed(r, Map.of(), Map.of())).toList(), List.of())
                : processing.process(env, account, region, s, batch, arrival);
        long now = System.currentTimeMillis();
        List<RecordProcessing.Failed> failed = new ArrayList<>(outcome.failed());
        String prefix = (String) s.s3.get("Prefix");
        if (s.dynamicPartitioning()) {
            Map<String, List<byte[]>> partitions = new LinkedHashMap<>();
            for (RecordProcessing.Processed p : outcome.delivered()) {
                try {
                    String evaluated = S3Delivery.evaluatePrefix(prefix, arrival,
                            new S3Delivery.PrefixValues(p.queryKeys(), p.lambdaKeys(), null));
                    partitions.computeIfAbsent(evaluated, k -> new ArrayList<>()).add(p.data());
                } catch (S3Delivery.MissingPartitionKey e) {
                    failed.add(new RecordProcessing.Failed(p.data(), "DynamicPartitioning.MetadataExtractionFailed", e.getMessage(), 1, null));
                }
            }
            // each evaluated prefix is literal now: it gets no hour folders of its own
            partitions.forEach((evaluated, records) -> S3Delivery.deliverLiteral(env, account, region, s, DeliveryStream.join(records), now, evaluated));
        } else if (!outcome.delivered().isEmpty()) {
            S3Delivery.deliver(env, account, region, s, DeliveryStream.join(outcome.delivered().stream().map(RecordProcessing.Processed::data).toList()), now);
        }
        if (!failed.isEmpty()) {
            S3Delivery.deliverFailed(env, account, region, s, processingFailures(failed, arrival, now), now, "processing-failed");
        }
    }

    /** Records that failed processing as Firehose writes them: one JSON document per line, the raw data in base64. */
    private static byte[] processingFailures(List<RecordProcessing.Failed> failed, long arrival, long now) {
        StringBuilder out = new StringBuilder();
        for (RecordProcessing.Failed f : failed) {
            var line = JSON.createObjectNode().put("attemptsMade", f.attemptsMade()).put("arrivalTimestamp", arrival)
                    .put("errorCode", f.errorCode()).put("errorMessage", f.errorMessage()).put("attemptEndingTimestamp", now)
                    .put("rawData", java.util.Base64.getEncoder().encodeToString(f.rawData()));
            if (f.lambdaArn() != null) line.put("lambdaArn", f.lambdaArn());
            out.append(line).append('\n');
        }
        return out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The outcome of one POST (holding the stream's monitor): the batch leaves the buffer, or is retried or backed up. */
    private void delivered(String account, String region, DeliveryStream s, List<byte[]> batch, HttpEndpointDelivery.Failure failure,
                           long now, boolean last) {
        s.attempts++;
        try {
            if (failure == null) {
                if ("AllData".equals(s.httpConfiguration().s3BackupModeAsString())) S3Delivery.deliver(env, account, region, s, DeliveryStream.join(batch), now);
                s.removeFirst(batch.size());
                return;
            }
            if (s.failingSince == 0) s.failingSince = now;
            HttpEndpointRetryOptions retry = s.httpConfiguration().retryOptions();
            long retryMillis = (retry == null || retry.durationInSeconds() == null ? 300 : retry.durationInSeconds()) * 1000L;
            if (!last && now - s.failingSince < retryMillis) {
                LOG.log(System.Logger.Level.INFO, "Firehose " + s.name + ": HTTP endpoint delivery failed (" + failure.getMessage() + "); will retry");
                // due again after the back-off: 1 s, 2 s, 4 s ... 30 s
                s.bufferStarted = now - s.intervalHintMillis() + Math.min(30_000L, 1000L << Math.min(s.attempts - 1, 5));
                return;
            }
            S3Delivery.deliverFailed(env, account, region, s, failedRecords(s, batch, failure, now), now, "http-endpoint-failed");
            s.removeFirst(batch.size());
        } catch (ServiceException e) {
            LOG.log(System.Logger.Level.WARNING, "Firehose " + s.name + ": backup to S3 failed (" + e.getMessage() + "); will retry");
            s.bufferStarted = now;
        }
    }

    /** Failed records as Firehose writes them to S3: one JSON document per line, the record's data in base64. */
    private static byte[] failedRecords(DeliveryStream s, List<byte[]> batch, HttpEndpointDelivery.Failure f, long now) {
        StringBuilder out = new StringBuilder();
        for (byte[] r : batch) {
            var line = JSON.createObjectNode().put("attemptsMade", s.attempts).put("arrivalTimestamp", s.failingSince)
                    .put("errorCode", f.code).put("errorMessage", f.getMessage()).put("attemptEndingTimestamp", now)
                    .put("rawData", java.util.Base64.getEncoder().encodeToString(r));
            out.append(line).append('\n');
        }
        return out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Every second: Kinesis sources read, due buffers written. Never throws (it would end the timer). */
    void tick() {
        long now = System.currentTimeMillis();
        stores.all().forEach((account, byRegion) -> byRegion.forEach((region, streams) -> {
            for (DeliveryStream s : streams.values()) {
                try {
                    if (s.kinesisStreamArn != null) KinesisSource.poll(env, account, region, s, data -> accept(account, region, s, data));
                    flush(account, region, s, now, false, false);
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
            regions.add(new RegionSnapshot(account, region,
                    Persistable.copiesUnderLock(streams.values(), s -> JSON.convertValue(s, DeliveryStream.class))));
        }));
        JSON.writeValue(out, Map.of("regions", regions));
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        Persistable.requireVersion("Firehose", version, 1);
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
