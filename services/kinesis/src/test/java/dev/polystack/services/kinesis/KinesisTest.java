package dev.polystack.services.kinesis;

import dev.polystack.api.ServiceException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KinesisTest {
    private static final String A = "000000000000";
    private static final String R = "us-east-1";

    @Test
    void shardsCoverTheHashSpaceAndRecordsFollowTheirKeys() {
        Kinesis k = new Kinesis();
        Stream s = k.createStream(A, R, "s", 3, null);
        List<Shard> shards = List.copyOf(s.shards.values());
        assertEquals(BigInteger.ZERO, shards.get(0).startingHashKey);
        assertEquals(Kinesis.MAX_HASH, shards.get(2).endingHashKey);
        for (int i = 0; i < 50; i++) {
            String key = "k" + i;
            Kinesis.Placed p = k.put(s, new byte[]{1}, key, null);
            assertTrue(s.shards.get(p.shardId()).covers(Kinesis.md5(key)));
        }
    }

    @Test
    void iteratorsReadInSequenceAndClosedShardsEndWithTheirChildren() {
        Kinesis k = new Kinesis();
        Stream s = k.createStream(A, R, "s", 1, null);
        String first = k.put(s, "a".getBytes(), "p", null).sequenceNumber();
        k.put(s, "b".getBytes(), "p", null);
        String it = k.iterator(s, "shardId-000000000000", "AFTER_SEQUENCE_NUMBER", first, null);
        Kinesis.Batch batch = k.getRecords(it, null);
        assertEquals(1, batch.records().size());
        assertArrayEquals("b".getBytes(), batch.records().get(0).data());
        k.split(A, R, "s", null, "shardId-000000000000", Kinesis.MAX_HASH.shiftRight(1).toString());
        Kinesis.Batch end = k.getRecords(batch.nextIterator(), null);
        assertNull(end.nextIterator());
        assertEquals(2, end.childShards().size());
        assertThrows(ServiceException.class, () -> k.getRecords("garbage", null));
    }

    @Test
    void stateRoundTripsThroughASnapshot() throws Exception {
        KinesisProvider provider = new KinesisProvider(null);
        Stream s = provider.engine().createStream(A, R, "s", 2, null);
        provider.engine().put(s, "payload".getBytes(), "p", null);
        provider.engine().split(A, R, "s", null, "shardId-000000000001", Kinesis.MAX_HASH.subtract(BigInteger.TEN).toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        provider.saveState(out);
        KinesisProvider restored = new KinesisProvider(null);
        restored.loadState(new ByteArrayInputStream(out.toByteArray()), 1);
        Stream back = restored.engine().stream(A, R, "s", null);
        assertEquals(4, back.shards.size());
        assertEquals(3, restored.engine().openShardCount(back));
        int total = back.shards.values().stream().mapToInt(Shard::size).sum();
        assertEquals(1, total);
    }
}
