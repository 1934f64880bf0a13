package dev.polystack.services.sqs;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Visibility timers of a busy queue: deleted messages are let go, live timers still fire. */
class SqsQueueTimersTest {
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final SqsQueue queue = new SqsQueue("timers", "000000000000", "us-east-1", "aws", false, clock::get);
    private int sent;

    private void send() {
        String id = "m-" + sent++;
        queue.send(new SqsMessage(id, "body " + id, MessageMd5.ofBody("body " + id), Map.of(), null, Map.of(), null,
                clock.get(), "test", null, null, null), null);
    }

    private List<SqsQueue.Delivery> receive(int max) {
        return queue.receive(max, null, 0, null, arn -> null);
    }

    @Test
    void deletedMessagesDoNotStayInTheTimersOfABusyQueue() {
        for (int i = 0; i < 10_000; i++) {
            send();
            queue.delete(receive(1).get(0).receiptHandle());
        }
        // Each receive armed a 30 s visibility timer; without pruning all 10,000 (and their messages) were held.
        assertTrue(queue.heldTimers() <= 64 + 2, "timers held: " + queue.heldTimers());
    }

    @Test
    void messagesStillInFlightReappearAfterTheirTimeoutWhateverWasPruned() {
        Set<String> inFlight = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            send();
            SqsQueue.Delivery d = receive(1).get(0);
            if (i % 100 == 0) inFlight.add(d.message().messageId); // left in flight: its timer must survive pruning
            else queue.delete(d.receiptHandle());
        }
        assertEquals(0, receive(10).size());
        clock.addAndGet(31_000);
        Set<String> again = new HashSet<>();
        for (List<SqsQueue.Delivery> batch = receive(10); !batch.isEmpty(); batch = receive(10)) {
            batch.forEach(d -> again.add(d.message().messageId));
        }
        assertEquals(inFlight, again);
    }
}
