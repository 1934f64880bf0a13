package dev.polystack.services.dynamodb;

import dev.polystack.api.RequestContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CreateGlobalTable (2017.11.29) replaces a joining table by a copy under the group's shared lock. A write that
 * resolved the table before and was waiting on its lock at that moment must land in the global table (and reach
 * every replica), not in the retired copy.
 */
class LegacyGlobalTableSwapTest {
    private static final String ACCOUNT = "000000000000";
    /** Sorted, eu-west-1 comes first: its lock becomes the group's, so the us-east-1 table is the one replaced. */
    private static final String SWAPPED = "us-east-1", OTHER = "eu-west-1";

    private final DynamoEngine engine = new DynamoEngine(System::currentTimeMillis);
    private final DynamoProvider provider = new DynamoProvider(engine, null);

    private static RequestContext in(String region) {
        return RequestContext.internal(ACCOUNT, region, "dynamodb");
    }

    private void createTable(String region) {
        provider.invoke(in(region), "CreateTable", Map.of("TableName", "legacy", "BillingMode", "PAY_PER_REQUEST",
                "AttributeDefinitions", List.of(Map.of("AttributeName", "pk", "AttributeType", "S")),
                "KeySchema", List.of(Map.of("AttributeName", "pk", "KeyType", "HASH")),
                "StreamSpecification", Map.of("StreamEnabled", true, "StreamViewType", "NEW_AND_OLD_IMAGES")));
    }

    private Map<String, Object> item(String region, String key) {
        return provider.invoke(in(region), "GetItem", Map.of("TableName", "legacy", "Key", Map.of("pk", Map.of("S", key))));
    }

    @Test
    void aWriteWaitingDuringTheSwapLandsInTheGlobalTable() throws Exception {
        createTable(SWAPPED);
        createTable(OTHER);
        Table before = engine.stores.get(ACCOUNT, SWAPPED).tables.get("legacy");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<?> writer;
        before.lock.lock();
        try {
            writer = pool.submit(() -> provider.invoke(in(SWAPPED), "PutItem",
                    Map.of("TableName", "legacy", "Item", Map.of("pk", Map.of("S", "waited")))));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!before.lock.hasQueuedThreads()) {
                assertTrue(System.nanoTime() < deadline, "the writer never reached the table's lock");
                Thread.onSpinWait();
            }
            // The lock is reentrant: CreateGlobalTable runs on this thread while the writer waits.
            provider.invoke(in(SWAPPED), "CreateGlobalTable", Map.of("GlobalTableName", "legacy",
                    "ReplicationGroup", List.of(Map.of("RegionName", SWAPPED), Map.of("RegionName", OTHER))));
        } finally {
            before.lock.unlock();
        }
        writer.get(60, TimeUnit.SECONDS);
        pool.shutdown();

        Table after = engine.stores.get(ACCOUNT, SWAPPED).tables.get("legacy");
        assertNotSame(before, after, "the table was not replaced: the test did not exercise the swap");
        assertEquals(Map.of("pk", Map.of("S", "waited")), item(SWAPPED, "waited").get("Item"));
        assertEquals(Map.of("pk", Map.of("S", "waited")), item(OTHER, "waited").get("Item"), "replicated");
        assertEquals(0L, before.itemCount(), "nothing lands in the retired copy");
    }
}
