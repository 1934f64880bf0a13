package dev.polystack.api;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class AccountRegionStoreTest {

    @Test
    void sameNamesInTwoAccountsAndTwoRegionsStayApart() {
        AccountRegionStore<Map<String, String>> store = new AccountRegionStore<>((a, r) -> new ConcurrentHashMap<>());
        store.get("111111111111", "us-east-1").put("queue", "a1-east");
        store.get("222222222222", "us-east-1").put("queue", "a2-east");
        store.get("111111111111", "eu-west-1").put("queue", "a1-west");
        assertEquals("a1-east", store.get("111111111111", "us-east-1").get("queue"));
        assertEquals("a2-east", store.get("222222222222", "us-east-1").get("queue"));
        assertEquals("a1-west", store.get("111111111111", "eu-west-1").get("queue"));
        assertNull(store.get("222222222222", "eu-west-1").get("queue"));
    }

    @Test
    void theFactorySeesItsAccountAndRegionAndRunsOncePerPairUnderContention() throws Exception {
        AtomicInteger created = new AtomicInteger();
        AccountRegionStore<String> store = new AccountRegionStore<>((a, r) -> {
            created.incrementAndGet();
            return a + "/" + r;
        });
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
                assertEquals("000000000000/us-east-1", store.get("000000000000", "us-east-1"));
            }));
        }
        go.countDown();
        for (Thread t : threads) t.join();
        assertEquals(1, created.get());
    }

    @Test
    void globalStateIsOnePerAccountAndPartitionWhateverTheRegion() {
        AccountRegionStore<Map<String, String>> store = new AccountRegionStore<>((a, r) -> new ConcurrentHashMap<>());
        store.global(RequestContext.internal("111111111111", "us-east-1", "iam")).put("role", "r");
        assertEquals("r", store.global(RequestContext.internal("111111111111", "eu-west-1", "iam")).get("role"));
        assertNull(store.global(RequestContext.internal("111111111111", "cn-north-1", "iam")).get("role"));
        assertNull(store.global(RequestContext.internal("222222222222", "us-east-1", "iam")).get("role"));
        assertNull(store.peek("111111111111", "us-east-1"), "not mixed with the regional state");
        assertSame(store.peek("111111111111", AccountRegionStore.globalScope("aws")),
                store.global(RequestContext.internal("111111111111", "us-west-2", "iam")));
    }

    @Test
    void peekDoesNotCreateAndClearDropsEverything() {
        AccountRegionStore<StringBuilder> store = new AccountRegionStore<>((a, r) -> new StringBuilder());
        assertNull(store.peek("000000000000", "us-east-1"));
        store.get("000000000000", "us-east-1").append("x");
        assertNotNull(store.peek("000000000000", "us-east-1"));
        store.clear();
        assertNull(store.peek("000000000000", "us-east-1"));
        assertTrue(store.all().isEmpty());
    }

    @Test
    void accessKeysMapToAccountsAsLocalStackDoes() {
        assertEquals("000000000000", AccessKeys.accountFor("test"));
        assertEquals("000000000000", AccessKeys.accountFor(null));
        assertEquals("123456789012", AccessKeys.accountFor("123456789012"));
        AccessKeys.register("ASIATEMPORARYKEY0001", "444455556666");
        assertEquals("444455556666", AccessKeys.accountFor("ASIATEMPORARYKEY0001"));
    }
}
