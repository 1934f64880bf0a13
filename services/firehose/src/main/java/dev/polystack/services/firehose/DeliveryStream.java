package dev.polystack.services.firehose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    /** ExtendedS3DestinationConfiguration (an S3DestinationConfiguration is kept in the same form). */
    public Map<String, Object> s3;
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
        byte[] out = new byte[Math.toIntExact(bufferedBytes)];
        int at = 0;
        for (byte[] r : buffered) {
            System.arraycopy(r, 0, out, at, r.length);
            at += r.length;
        }
        return out;
    }

    void clearBuffer() {
        buffered = new ArrayList<>();
        bufferedBytes = 0;
        bufferStarted = 0;
    }

    int sizeHintBytes() {
        Object hints = s3 == null ? null : s3.get("BufferingHints");
        Object mb = hints instanceof Map<?, ?> m ? m.get("SizeInMBs") : null;
        return (mb instanceof Number n ? n.intValue() : 5) * 1024 * 1024;
    }

    long intervalHintMillis() {
        Object hints = s3 == null ? null : s3.get("BufferingHints");
        Object s = hints instanceof Map<?, ?> m ? m.get("IntervalInSeconds") : null;
        return (s instanceof Number n ? n.longValue() : 300) * 1000L;
    }
}
