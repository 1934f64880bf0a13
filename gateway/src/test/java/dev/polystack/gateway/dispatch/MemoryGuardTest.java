package dev.polystack.gateway.dispatch;

import dev.polystack.api.ServiceException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryGuardTest {
    private static final long MB = 1 << 20;

    @Test
    void admitsEverythingWhileTheHeapHasRoom() {
        MemoryGuard guard = new MemoryGuard();
        guard.update(85 * MB, 100 * MB);  // over the relief mark but never over the full one
        assertFalse(guard.isShort());
        guard.checkAdmits("SendMessage", null);
        guard.checkAdmits(null, "PUT");
    }

    @Test
    void refusesRequestsThatAddStateOnceTheHeapIsFullAfterCollection() {
        MemoryGuard guard = new MemoryGuard();
        guard.update(95 * MB, 100 * MB);
        assertTrue(guard.isShort());
        ServiceException e = assertThrows(ServiceException.class, () -> guard.checkAdmits("SendMessage", null));
        assertEquals("ServiceUnavailable", e.code());
        assertEquals(503, e.status());
        assertTrue(e.getMessage().contains("95 of 100 MB"), e.getMessage());
        assertThrows(ServiceException.class, () -> guard.checkAdmits("CreateQueue", null));
        assertThrows(ServiceException.class, () -> guard.checkAdmits(null, "PUT"));  // S3 PutObject, raw
    }

    @Test
    void readsReceivesAndDeletesStillPassSoClientsCanFreeMemory() {
        MemoryGuard guard = new MemoryGuard();
        guard.update(95 * MB, 100 * MB);
        for (String op : new String[] {"ReceiveMessage", "DeleteMessage", "DeleteMessageBatch", "PurgeQueue",
                "GetQueueUrl", "ListQueues", "DescribeTable", "Scan", "Query", "GetItem"}) {
            guard.checkAdmits(op, null);
        }
        guard.checkAdmits(null, "GET");
        guard.checkAdmits(null, "DELETE");
        guard.checkAdmits(null, "HEAD");
    }

    @Test
    void acceptsAgainOnlyBelowTheReliefMark() {
        MemoryGuard guard = new MemoryGuard();
        guard.update(95 * MB, 100 * MB);
        guard.update(85 * MB, 100 * MB);  // between the marks: still short (no flapping)
        assertTrue(guard.isShort());
        guard.update(50 * MB, 100 * MB);
        assertFalse(guard.isShort());
        guard.checkAdmits("SendMessage", null);
    }

    @Test
    void anOutOfMemoryErrorWhileServingRefusesNewStateAtOnceUntilACollectionFindsRoom() {
        MemoryGuard guard = new MemoryGuard();
        guard.update(70 * MB, 100 * MB);  // the last collection saw room: the allocation outran the watcher
        guard.outOfMemory("sqs.SendMessage", new OutOfMemoryError("Java heap space"));
        assertTrue(guard.isShort());
        assertThrows(ServiceException.class, () -> guard.checkAdmits("SendMessage", null));
        guard.checkAdmits("ReceiveMessage", null);
        guard.update(85 * MB, 100 * MB);  // still above the relief mark
        assertTrue(guard.isShort());
        guard.update(70 * MB, 100 * MB);
        assertFalse(guard.isShort());
    }
}
