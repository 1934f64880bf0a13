package dev.polystack.services.sqs;

import dev.polystack.api.Config;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine under real time and real threads: long polling, and many producers and consumers at once. */
class SqsQueueEngineTest extends SqsTestSupport {

    SqsQueueEngineTest() {
        provider = new SqsProvider(new Config(Map.of()), SCHEDULER, System::currentTimeMillis);
    }

    @Test
    void longPollReturnsAsSoonAsAMessageArrives() throws Exception {
        String url = createQueue("long-poll", Map.of());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<Map<String, Object>>> poll = threads.submit(() -> receive(url, "WaitTimeSeconds", 20));
            Thread.sleep(200);
            send(url, "wake up");
            // far below the 20 s wait: the poll was woken, not timed out
            List<Map<String, Object>> got = poll.get(10, TimeUnit.SECONDS);
            assertEquals("wake up", got.get(0).get("Body"));
        }
    }

    @Test
    void longPollWakesWhenADelayedMessageBecomesVisible() throws Exception {
        String url = createQueue("long-poll-delay", Map.of());
        send(url, "later", "DelaySeconds", 1);
        List<Map<String, Object>> got = receive(url, "WaitTimeSeconds", 5);
        assertEquals("later", got.get(0).get("Body"));
    }

    @Test
    void longPollOnAnEmptyQueueReturnsEmptyAfterTheWait() {
        String url = createQueue("long-poll-empty", Map.of());
        assertTrue(receive(url, "WaitTimeSeconds", 1).isEmpty());
    }

    @Test
    void manyLongPollsOnVirtualThreadsEachGetOneMessage() throws Exception {
        String url = createQueue("many-polls", Map.of());
        int n = 500;
        Set<String> received = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(n);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> polls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                polls.add(threads.submit(() -> {
                    started.countDown();
                    for (Map<String, Object> m : receive(url, "WaitTimeSeconds", 20)) {
                        if (!received.add((String) m.get("Body"))) duplicates.incrementAndGet();
                    }
                    return null;
                }));
            }
            started.await();
            for (int i = 0; i < n; i++) send(url, "m" + i);
            for (Future<?> f : polls) f.get(30, TimeUnit.SECONDS);
        }
        assertEquals(n, received.size());
        assertEquals(0, duplicates.get());
    }

    @Test
    void concurrentProducersAndConsumersOnAStandardQueueLoseAndDuplicateNothing() throws Exception {
        String url = createQueue("concurrent", Map.of("VisibilityTimeout", "60"));
        int producers = 8, perProducer = 400, total = producers * perProducer;
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger deleted = new AtomicInteger();
        try (ExecutorService threads = Executors.newFixedThreadPool(16)) {
            List<Future<?>> all = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int id = p;
                all.add(threads.submit(() -> {
                    for (int i = 0; i < perProducer; i++) send(url, id + "-" + i);
                    return null;
                }));
            }
            for (int c = 0; c < 8; c++) {
                all.add(threads.submit(() -> {
                    while (deleted.get() < total) {
                        for (Map<String, Object> m : receive(url, "MaxNumberOfMessages", 10, "WaitTimeSeconds", 1)) {
                            if (!seen.add((String) m.get("Body"))) duplicates.incrementAndGet();
                            call("DeleteMessage", "QueueUrl", url, "ReceiptHandle", m.get("ReceiptHandle"));
                            deleted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) f.get(60, TimeUnit.SECONDS);
        }
        assertEquals(total, seen.size());
        assertEquals(0, duplicates.get());
        Map<?, ?> counts = (Map<?, ?>) call("GetQueueAttributes", "QueueUrl", url, "AttributeNames", List.of("All")).get("Attributes");
        assertEquals("0", counts.get("ApproximateNumberOfMessages"));
        assertEquals("0", counts.get("ApproximateNumberOfMessagesNotVisible"));
    }

    @Test
    void concurrentConsumersOfAFifoQueueKeepGroupOrder() throws Exception {
        String url = createQueue("concurrent.fifo", Map.of("FifoQueue", "true", "VisibilityTimeout", "60"));
        int groups = 6, perGroup = 300, total = groups * perGroup;
        Map<String, List<Integer>> order = new ConcurrentHashMap<>();
        AtomicInteger deleted = new AtomicInteger();
        try (ExecutorService threads = Executors.newFixedThreadPool(14)) {
            List<Future<?>> all = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                String group = "g" + g;
                all.add(threads.submit(() -> {
                    for (int i = 0; i < perGroup; i++) {
                        call("SendMessage", "QueueUrl", url, "MessageBody", group + ":" + i, "MessageGroupId", group,
                                "MessageDeduplicationId", group + "-" + i);
                    }
                    return null;
                }));
            }
            for (int c = 0; c < 8; c++) {
                all.add(threads.submit(() -> {
                    while (deleted.get() < total) {
                        for (Map<String, Object> m : receive(url, "MaxNumberOfMessages", 10, "WaitTimeSeconds", 1)) {
                            String[] parts = ((String) m.get("Body")).split(":");
                            // recorded before the delete: the group stays locked until then
                            order.computeIfAbsent(parts[0], k -> Collections.synchronizedList(new ArrayList<>()))
                                    .add(Integer.parseInt(parts[1]));
                            call("DeleteMessage", "QueueUrl", url, "ReceiptHandle", m.get("ReceiptHandle"));
                            deleted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) f.get(60, TimeUnit.SECONDS);
        }
        assertEquals(groups, order.size());
        for (Map.Entry<String, List<Integer>> e : order.entrySet()) {
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < perGroup; i++) expected.add(i);
            assertEquals(expected, e.getValue(), "group " + e.getKey());
        }
    }

    @Test
    void md5OfAttributesMatchesAwsAlgorithm() {
        Map<String, MessageAttribute> attrs = new HashMap<>();
        attrs.put("Hello", new MessageAttribute("String", "There", null));
        assertEquals("a311262e065454b75da111d535b8dacd", MessageMd5.ofAttributes(attrs));
        assertEquals(null, MessageMd5.ofAttributes(Map.of()));
        assertEquals(new HashSet<>(List.of("098f6bcd4621d373cade4e832627b4f6")), Set.of(MessageMd5.ofBody("test")));
    }

    @Test
    void queueUrlParsing() {
        assertEquals(new QueueUrls.QueueAddress("eu-west-1", "123456789012", "q"),
                QueueUrls.parse("https://sqs.eu-west-1.amazonaws.com/123456789012/q"));
        assertEquals(new QueueUrls.QueueAddress("ap-south-1", "000000000000", "q.fifo"),
                QueueUrls.parse("http://localhost:4566/queue/ap-south-1/000000000000/q.fifo"));
        assertEquals(new QueueUrls.QueueAddress(null, "000000000000", "q"), QueueUrls.parse("/000000000000/q"));
        assertEquals(new QueueUrls.QueueAddress("us-east-1", "000000000000", "q"),
                QueueUrls.parse("http://queue.localhost.localstack.cloud:4566/000000000000/q"));
        assertEquals(null, QueueUrls.parse("/"));
        assertEquals(null, QueueUrls.parse("http://localhost:4566/a/b/c"));
    }
}
