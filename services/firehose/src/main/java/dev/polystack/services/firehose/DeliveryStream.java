package dev.polystack.services.firehose;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.polystack.api.model.TreeConverter;
import dev.polystack.services.firehose.api.DynamicPartitioningConfiguration;
import dev.polystack.services.firehose.api.ExtendedS3DestinationConfiguration;
import dev.polystack.services.firehose.api.HttpEndpointDestinationConfiguration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A delivery stream: its definition (the S3 destination as its parameter tree, so that Describe answers what was
 * put), its source and the records buffered for the next S3 object. Guarded by its own monitor.
 */
public final class DeliveryStream {
    public String name;
    public String arn;
    public String type = "DirectPut";
    public String status = "ACTIVE";
    public long created;
    public long versionId = 1;
    /**
     * ExtendedS3DestinationConfiguration (an S3DestinationConfiguration is kept in the same form); for an HTTP
     * endpoint destination, its S3Configuration (the backup bucket).
     */
    public Map<String, Object> s3;
    /** HttpEndpointDestinationConfiguration, null for an S3 destination. */
    public Map<String, Object> http;
    /** {@link #http} typed, read once. */
    @JsonIgnore
    private HttpEndpointDestinationConfiguration httpConfiguration;
    /** HTTP endpoint: when delivery of the current buffer first failed (epoch ms), 0 when it has not; attempts made. */
    public long failingSince;
    public int attempts;
    /** {@link #s3}'s record processing, read once (absent: none; not persisted). */
    @JsonIgnore
    private Optional<RecordProcessing> processing;
    /** An HTTP endpoint POST, or a processed S3 delivery, is under way (one at a time per stream; not persisted). */
    @JsonIgnore
    boolean sending;
    /** Deleted: what is still buffered gets one last delivery (not persisted). */
    @JsonIgnore
    boolean deleted;
    public String kinesisStreamArn;
    public String kinesisRoleArn;
    public Map<String, String> tags = new LinkedHashMap<>();
    /** Kinesis source: the next iterator per shard. */
    public Map<String, String> shardIterators = new LinkedHashMap<>();

    /**
     * Records accepted but not yet delivered, in arrival order (persisted, so a clean restart loses none). Kept as
     * separate records, joined only when an object is written: appending stays constant time however full the
     * buffer is (copying the whole buffer per record made PutRecord quadratic up to 5 MiB).
     */
    public List<byte[]> buffered = new ArrayList<>();
    /** The buffered records' total size in bytes. */
    public long bufferedBytes;
    /** When the first buffered record arrived (epoch ms), 0 when the buffer is empty. */
    public long bufferStarted;

    void append(byte[] data, long now) {
        buffered.add(data);
        bufferedBytes += data.length;
        if (bufferStarted == 0) bufferStarted = now;
    }

    /** The buffered records joined as one object body (Firehose adds no delimiter). */
    byte[] joined() {
        return join(buffered);
    }

    static byte[] join(List<byte[]> records) {
        int size = 0;
        for (byte[] r : records) size += r.length;
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] r : records) {
            System.arraycopy(r, 0, out, at, r.length);
            at += r.length;
        }
        return out;
    }

    /** Drops the first {@code n} records (delivered); the rest stay buffered, their wait starting now if any. */
    void removeFirst(int n) {
        List<byte[]> rest = new ArrayList<>(buffered.subList(n, buffered.size()));
        clearBuffer();
        long now = System.currentTimeMillis();
        for (byte[] r : rest) append(r, now);
    }

    void clearBuffer() {
        buffered = new ArrayList<>();
        bufferedBytes = 0;
        bufferStarted = 0;
        failingSince = 0;
        attempts = 0;
    }

    private Map<String, Object> destination() {
        return http != null ? http : s3;
    }

    int sizeHintBytes() {
        Object hints = destination() == null ? null : destination().get("BufferingHints");
        Object mb = hints instanceof Map<?, ?> m ? m.get("SizeInMBs") : null;
        return (mb instanceof Number n ? n.intValue() : 5) * 1024 * 1024;
    }

    long intervalHintMillis() {
        Object hints = destination() == null ? null : destination().get("BufferingHints");
        Object s = hints instanceof Map<?, ?> m ? m.get("IntervalInSeconds") : null;
        return (s instanceof Number n ? n.longValue() : 300) * 1000L;
    }

    /** The HTTP endpoint destination as its typed configuration (null for an S3 destination). */
    HttpEndpointDestinationConfiguration httpConfiguration() {
        if (http == null) return null;
        if (httpConfiguration == null) httpConfiguration = TreeConverter.fromTree(HttpEndpointDestinationConfiguration.SHAPE, http);
        return httpConfiguration;
    }

    /** The S3 destination's record processing (Lambda, metadata extraction, delimiter), null when it has none. */
    RecordProcessing processing() {
        if (processing == null) processing = Optional.ofNullable(http != null ? null : RecordProcessing.of(extendedS3()));
        return processing.orElse(null);
    }

    /** The S3 destination partitions records by their keys ({@code DynamicPartitioningConfiguration.Enabled}). */
    boolean dynamicPartitioning() {
        DynamicPartitioningConfiguration d = http != null ? null : extendedS3().dynamicPartitioningConfiguration();
        return d != null && Boolean.TRUE.equals(d.enabled());
    }

    private ExtendedS3DestinationConfiguration extendedS3() {
        return TreeConverter.fromTree(ExtendedS3DestinationConfiguration.SHAPE, s3);
    }
}
