package dev.polystack.services.dynamodb;

import dev.polystack.api.RequestContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Global tables under concurrent writes: every replica ends with every write, once, in the same order. */
class GlobalTablesTest {
    private static final String[] REGIONS = {"us-east-1", "eu-west-1", "ap-south-1"};

    private final DynamoEngine engine = new DynamoEngine(System::currentTimeMillis);
    private final DynamoProvider provider = new DynamoProvider(engine, null);

    private static RequestContext in(String region) {
        return RequestContext.internal("000000000000", region, "dynamodb");
    }

    private void globalTable() {
        provider.invoke(in(REGIONS[0]), "CreateTable", Map.of("TableName", "global", "BillingMode", "PAY_PER_REQUEST",
                "AttributeDefinitions", List.of(Map.of("AttributeName", "pk", "AttributeType", "S")),
                "KeySchema", List.of(Map.of("AttributeName", "pk", "KeyType", "HASH"))));
        for (int i = 1; i < REGIONS.length; i++) {
            provider.invoke(in(REGIONS[0]), "UpdateTable", Map.of("TableName", "global",
                    "ReplicaUpdates", List.of(Map.of("Create", Map.of("RegionName", REGIONS[i])))));
        }
    }

    @Test
    void concurrentAddsThroughEveryReplicaLeaveIdenticalReplicas() throws Exception {
        globalTable();
        int threads = 8, perThread = 150;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int worker = t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    provider.invoke(in(REGIONS[(worker + i) % REGIONS.length]), "UpdateItem", Map.of("TableName", "global",
                            "Key", Map.of("pk", Map.of("S", "counter")), "UpdateExpression", "ADD n :one",
                            "ExpressionAttributeValues", Map.of(":one", Map.of("N", "1"))));
                }
            }));
        }
        for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        pool.shutdown();
        String expected = String.valueOf(threads * perThread);
        List<Long> firstOrder = null;
        for (String region : REGIONS) {
            Map<String, Object> got = provider.invoke(in(region), "GetItem", Map.of("TableName", "global", "Key", Map.of("pk", Map.of("S", "counter"))));
            assertEquals(Map.of("N", expected), ((Map<?, ?>) got.get("Item")).get("n"), region);
            // Each replica's stream holds every change once, with the same sequence of values.
            Table t = engine.stores.get("000000000000", region).tables.get("global");
            List<Long> values = t.stream.all().stream().map(c -> ((AttrValue.N) c.newImage().get("n")).value().longValueExact()).toList();
            assertEquals(threads * perThread, values.size(), region);
            if (firstOrder == null) firstOrder = values; else assertEquals(firstOrder, values, region);
        }
    }

    @Test
    void deletingReplicasEndsTheGlobalTable() {
        globalTable();
        provider.invoke(in(REGIONS[1]), "DeleteTable", Map.of("TableName", "global"));
        provider.invoke(in(REGIONS[0]), "UpdateTable", Map.of("TableName", "global",
                "ReplicaUpdates", List.of(Map.of("Delete", Map.of("RegionName", REGIONS[2])))));
        Map<?, ?> table = (Map<?, ?>) provider.invoke(in(REGIONS[0]), "DescribeTable", Map.of("TableName", "global")).get("Table");
        assertNull(table.get("Replicas"));
        assertNull(engine.stores.get("000000000000", REGIONS[2]).tables.get("global"));
        provider.invoke(in(REGIONS[0]), "PutItem", Map.of("TableName", "global", "Item", Map.of("pk", Map.of("S", "alone"))));
        assertEquals(1L, engine.stores.get("000000000000", REGIONS[0]).tables.get("global").itemCount());
    }
}
