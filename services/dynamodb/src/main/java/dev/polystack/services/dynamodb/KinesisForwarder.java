package dev.polystack.services.dynamodb;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.kinesis.api.KinesisApi;
import dev.polystack.services.kinesis.api.PutRecordsInput;
import dev.polystack.services.kinesis.api.PutRecordsRequestEntry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Delivers table changes to their Kinesis streaming destinations through the in-process Kinesis provider. A write
 * only queues its change (under the table's lock, so the queue holds changes in commit order); one drain task on
 * the shared scheduler sends them with PutRecords, so no request waits on Kinesis and no lock is held while
 * calling it. Records are in AWS's format for Kinesis Data Streams for DynamoDB (both images, whatever the table's
 * stream view type; ApproximateCreationDateTime in the destination's precision).
 */
final class KinesisForwarder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BATCH = 500;
    private static final System.Logger LOG = System.getLogger("dynamodb");

    /** One change for one destination; {@code precision} null: never set (milliseconds, not named in the record). */
    private record Pending(String accountId, String region, String tableName, String streamArn, String precision,
                           String eventName, long atMillis, Map<String, AttrValue> keys, Map<String, AttrValue> newImage,
                           Map<String, AttrValue> oldImage, boolean ttlDeletion) {
    }

    private final ProviderEnvironment env;
    private final KinesisApi kinesis;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    KinesisForwarder(ProviderEnvironment env) {
        this.env = env;
        this.kinesis = KinesisApi.client(env);
    }

    /** Queues one change of {@code t} for each of its active destinations. Caller holds the table's lock. */
    void offer(Table t, Map<String, AttrValue> keys, Map<String, AttrValue> oldItem, Map<String, AttrValue> newItem,
               long now, boolean ttlDeletion) {
        String event = oldItem == null ? "INSERT" : newItem == null ? "REMOVE" : "MODIFY";
        for (KinesisDestination d : t.kinesisDestinations) {
            if (!d.active()) continue;
            queue.add(new Pending(t.accountId, t.region, t.name, d.streamArn, d.precision, event, now, keys,
                    newItem, oldItem, ttlDeletion));
        }
        if (!queue.isEmpty() && draining.compareAndSet(false, true)) env.scheduler().execute(this::drain);
    }

    private void drain() {
        try {
            List<Pending> batch = new ArrayList<>();
            Pending p;
            while ((p = queue.poll()) != null) {
                if (!batch.isEmpty() && (batch.size() == MAX_BATCH || !batch.get(0).streamArn.equals(p.streamArn))) {
                    send(batch);
                    batch = new ArrayList<>();
                }
                batch.add(p);
            }
            if (!batch.isEmpty()) send(batch);
        } finally {
            draining.set(false);
            // A change queued after the last poll but before the flag was cleared must not wait for the next write.
            if (!queue.isEmpty() && draining.compareAndSet(false, true)) env.scheduler().execute(this::drain);
        }
    }

    private void send(List<Pending> batch) {
        Pending first = batch.get(0);
        List<PutRecordsRequestEntry> records = new ArrayList<>();
        for (Pending p : batch) records.add(PutRecordsRequestEntry.builder().data(data(p)).partitionKey(partitionKey(p)).build());
        String[] arn = first.streamArn.split(":", 6);
        try {
            kinesis.putRecords(RequestContext.internal(arn.length > 4 ? arn[4] : first.accountId, arn.length > 3 ? arn[3] : first.region, "kinesis"),
                    PutRecordsInput.builder().streamARN(first.streamArn).records(records).build());
        } catch (ServiceException | IllegalStateException e) {
            LOG.log(System.Logger.Level.WARNING, "DynamoDB table " + first.tableName + ": delivery to " + first.streamArn + " failed: " + e.getMessage());
        }
    }

    /** The record as Kinesis Data Streams for DynamoDB writes it. */
    static byte[] data(Pending p) {
        Map<String, Object> ddb = new LinkedHashMap<>();
        ddb.put("ApproximateCreationDateTime", "MICROSECOND".equals(p.precision) ? p.atMillis * 1000 : p.atMillis);
        ddb.put("Keys", Items.toWire(p.keys));
        if (p.newImage != null) ddb.put("NewImage", Items.toWire(p.newImage));
        if (p.oldImage != null) ddb.put("OldImage", Items.toWire(p.oldImage));
        int size = Items.size(p.keys) + (p.newImage == null ? 0 : Items.size(p.newImage)) + (p.oldImage == null ? 0 : Items.size(p.oldImage));
        ddb.put("SizeBytes", size);
        // Named only once UpdateKinesisStreamingDestination chose a precision (recorded: absent by default).
        if (p.precision != null) ddb.put("ApproximateCreationDateTimePrecision", p.precision);
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("awsRegion", p.region);
        rec.put("eventID", UUID.randomUUID().toString());
        rec.put("eventName", p.eventName);
        rec.put("userIdentity", p.ttlDeletion ? Map.of("type", "Service", "principalId", "dynamodb.amazonaws.com") : null);
        rec.put("recordFormat", "application/json");
        rec.put("tableName", p.tableName);
        rec.put("dynamodb", ddb);
        rec.put("eventSource", "aws:dynamodb");
        try {
            return JSON.writeValueAsBytes(rec);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The item's key decides the shard, so the changes of one item stay in order. */
    private static String partitionKey(Pending p) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(p.tableName.getBytes(StandardCharsets.UTF_8));
            md5.update(JSON.writeValueAsBytes(Items.toWire(p.keys)));
            return HexFormat.of().withUpperCase().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
