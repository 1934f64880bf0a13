package dev.polystack.services.firehose;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
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

    /** Records accepted but not yet delivered (persisted, so a clean restart loses none). */
    public byte[] buffered = new byte[0];
    public int bufferedRecords;
    /** When the first buffered record arrived (epoch ms), 0 when the buffer is empty. */
    public long bufferStarted;

    void append(byte[] data, long now) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(buffered.length + data.length);
        out.writeBytes(buffered);
        out.writeBytes(data);
        buffered = out.toByteArray();
        bufferedRecords++;
        if (bufferStarted == 0) bufferStarted = now;
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
