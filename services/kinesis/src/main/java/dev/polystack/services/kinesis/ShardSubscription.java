package dev.polystack.services.kinesis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One SubscribeToShard answer: the body of an {@code application/vnd.amazon.eventstream} response, produced as the
 * client reads it. It opens with the {@code initial-response} event, then sends a {@code SubscribeToShardEvent}
 * whenever the shard has new records (and an empty one every {@link #HEARTBEAT_MS} while it has none), as AWS
 * does, for at most {@link #LIFETIME_MS} (AWS's five minutes) or until a closed shard has been read to its end (the
 * last event names its child shards). A client that hangs up closes the stream, which ends the subscription.
 *
 * <p>It is read on the request's own (virtual) thread: waiting for records is a sleep, never a native read.
 */
final class ShardSubscription extends InputStream {
    static final long LIFETIME_MS = 5 * 60_000L;
    static final long HEARTBEAT_MS = 5_000L;
    private static final long POLL_MS = 100L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Kinesis engine;
    private final long endsAt;
    private String iterator;
    private String continuation;
    private boolean started;
    private boolean finished;
    private volatile boolean closed;
    private byte[] chunk = new byte[0];
    private int offset;

    /**
     * @param iterator     where reading starts (from the request's StartingPosition)
     * @param continuation the sequence number events carry before any record was sent
     */
    ShardSubscription(Kinesis engine, String iterator, String continuation) {
        this.engine = engine;
        this.iterator = iterator;
        this.continuation = continuation;
        this.endsAt = System.currentTimeMillis() + LIFETIME_MS;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        while (offset >= chunk.length) {
            if (finished || closed) return -1;
            chunk = nextMessage();
            offset = 0;
        }
        int n = Math.min(len, chunk.length - offset);
        System.arraycopy(chunk, offset, b, off, n);
        offset += n;
        return n;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The next event's bytes: waits (in short sleeps) for records, up to the heartbeat. */
    private byte[] nextMessage() throws IOException {
        if (!started) {
            started = true;
            return event("initial-response", "{}");
        }
        long heartbeatAt = System.currentTimeMillis() + HEARTBEAT_MS;
        while (true) {
            Kinesis.Batch batch;
            try {
                batch = engine.getRecords(iterator, 10_000);
            } catch (RuntimeException e) {
                finished = true;   // the stream or shard is gone: the subscription ends
                return new byte[0];
            }
            iterator = batch.nextIterator();
            long now = System.currentTimeMillis();
            if (!batch.records().isEmpty() || iterator == null || now >= heartbeatAt || now >= endsAt || closed) {
                if (iterator == null || now >= endsAt) finished = true;
                return recordsEvent(batch);
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finished = true;
                return new byte[0];
            }
        }
    }

    private byte[] recordsEvent(Kinesis.Batch batch) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode records = body.putArray("Records");
        for (Shard.Record r : batch.records()) {
            records.addObject()
                    .put("SequenceNumber", r.sequenceNumber())
                    .put("ApproximateArrivalTimestamp", r.arrival() / 1000.0)
                    .put("Data", r.data())
                    .put("PartitionKey", r.partitionKey());
            continuation = r.sequenceNumber();
        }
        body.put("ContinuationSequenceNumber", continuation);
        body.put("MillisBehindLatest", batch.millisBehindLatest());
        if (batch.nextIterator() == null) {
            ArrayNode children = body.putArray("ChildShards");
            for (Shard c : batch.childShards()) {
                ObjectNode child = children.addObject().put("ShardId", c.shardId);
                ArrayNode parents = child.putArray("ParentShards").add(c.parentShardId);
                if (c.adjacentParentShardId != null) parents.add(c.adjacentParentShardId);
                child.putObject("HashKeyRange").put("StartingHashKey", c.startingHashKey.toString())
                        .put("EndingHashKey", c.endingHashKey.toString());
            }
        }
        return event("SubscribeToShardEvent", body.toString());
    }

    /** One event-stream message with AWS's three headers and a JSON payload. */
    private static byte[] event(String type, String json) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(type));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length() + 128);
        new Message(headers, json.getBytes(StandardCharsets.UTF_8)).encode(out);
        return out.toByteArray();
    }

    /** The event stream's media type. */
    static final String CONTENT_TYPE = "application/vnd.amazon.eventstream";
}
