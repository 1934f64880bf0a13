package dev.polystack.services.dynamodb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A table's DynamoDB stream: one open shard holding the change records of the last 24 hours. Records are
 * appended under the table's write lock, so their order is the order of the writes.
 */
final class TableStream {
    static final long RETENTION_MILLIS = 24L * 3600 * 1000;

    /** One change record. Images are null when the view type leaves them out. */
    record Change(long sequence, String eventId, String eventName, long createdMillis, Map<String, AttrValue> keys,
                  Map<String, AttrValue> newImage, Map<String, AttrValue> oldImage, boolean ttlDeletion) {
        int sizeBytes() {
            int s = Items.size(keys);
            if (newImage != null) s += Items.size(newImage);
            if (oldImage != null) s += Items.size(oldImage);
            return s;
        }
    }

    final String arn;
    final String label;
    final String viewType;
    final String shardId;
    final long createdMillis;
    final long startingSequence;
    volatile boolean enabled = true;
    private final List<Change> records = new ArrayList<>();
    private long nextSequence;

    TableStream(String tableArn, String viewType, long createdMillis, long startingSequence) {
        this(tableArn + "/stream/" + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS")
                        .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochMilli(createdMillis)),
                viewType, createdMillis, startingSequence,
                "shardId-" + String.format("%020d", createdMillis) + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** A stream as restored from a snapshot. */
    TableStream(String arn, String viewType, long createdMillis, long startingSequence, String shardId) {
        this.arn = arn;
        this.label = arn.substring(arn.lastIndexOf('/') + 1);
        this.viewType = viewType;
        this.createdMillis = createdMillis;
        this.startingSequence = startingSequence;
        this.nextSequence = startingSequence;
        this.shardId = shardId;
    }

    /** Adds the record for one write (old and new item; null for none). No record when nothing changed. */
    synchronized void append(Map<String, AttrValue> keys, Map<String, AttrValue> oldItem, Map<String, AttrValue> newItem,
                             long now, boolean ttlDeletion) {
        if (!enabled) return;
        if (oldItem == null && newItem == null) return;
        if (oldItem != null && oldItem.equals(newItem)) return;
        String event = oldItem == null ? "INSERT" : newItem == null ? "REMOVE" : "MODIFY";
        boolean withNew = viewType.equals("NEW_IMAGE") || viewType.equals("NEW_AND_OLD_IMAGES");
        boolean withOld = viewType.equals("OLD_IMAGE") || viewType.equals("NEW_AND_OLD_IMAGES");
        records.add(new Change(nextSequence++, UUID.randomUUID().toString().replace("-", ""), event, now, keys,
                withNew ? newItem : null, withOld ? oldItem : null, ttlDeletion));
        trim(now);
    }

    /** Drops the records older than the 24-hour retention. */
    synchronized void trim(long now) {
        int drop = 0;
        while (drop < records.size() && records.get(drop).createdMillis < now - RETENTION_MILLIS) drop++;
        if (drop > 0) records.subList(0, drop).clear();
    }

    /** Records with a sequence number at or after {@code from}, at most {@code limit}, within the retention at {@code now}. */
    synchronized List<Change> read(long from, int limit, long now) {
        trim(now); // a stream without new writes still loses its old records
        List<Change> out = new ArrayList<>();
        int lo = 0, hi = records.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (records.get(mid).sequence < from) lo = mid + 1; else hi = mid;
        }
        for (int i = lo; i < records.size() && out.size() < limit; i++) out.add(records.get(i));
        return out;
    }

    synchronized long nextSequence() {
        return nextSequence;
    }

    /** The oldest sequence number still retained at {@code now} (the next one when none is). */
    synchronized long trimHorizon(long now) {
        trim(now);
        return records.isEmpty() ? nextSequence : records.get(0).sequence;
    }

    synchronized List<Change> all() {
        return new ArrayList<>(records);
    }

    synchronized void restore(List<Change> saved, long next) {
        records.clear();
        records.addAll(saved);
        nextSequence = next;
    }

    /** Sequence numbers as AWS shows them: 21-digit decimal strings. */
    static String sequenceText(long sequence) {
        return String.format("%021d", sequence);
    }
}
