package dev.polystack.services.kinesis;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** A shard: its hash-key range, lineage, and records in sequence order. Records are guarded by the shard itself. */
public final class Shard {
    public String shardId;
    public String parentShardId;
    public String adjacentParentShardId;
    public BigInteger startingHashKey;
    public BigInteger endingHashKey;
    public String startingSequenceNumber;
    /** Set when the shard was closed by a split, merge or resharding; a closed shard takes no more records. */
    public String endingSequenceNumber;
    public long createdAt;
    public List<Record> records = new ArrayList<>();

    /** One record as stored. */
    public record Record(String sequenceNumber, long arrival, byte[] data, String partitionKey) {
    }

    boolean open() {
        return endingSequenceNumber == null;
    }

    boolean covers(BigInteger hash) {
        return hash.compareTo(startingHashKey) >= 0 && hash.compareTo(endingHashKey) <= 0;
    }

    /** Index of the first record whose sequence number is at least {@code sequence} (numerically). */
    synchronized int indexAtOrAfter(BigInteger sequence) {
        int lo = 0, hi = records.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (new BigInteger(records.get(mid).sequenceNumber()).compareTo(sequence) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    synchronized int indexAtOrAfterTime(long time) {
        int i = 0;
        while (i < records.size() && records.get(i).arrival() < time) i++;
        return i;
    }

    synchronized int size() {
        return records.size();
    }

    synchronized List<Record> read(int from, int limit) {
        int to = Math.min(records.size(), from + limit);
        return from >= to ? List.of() : new ArrayList<>(records.subList(from, to));
    }
}
