package dev.polystack.bench;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceProvider;
import dev.polystack.protocol.BotocoreCatalog;
import dev.polystack.protocol.ParsedRequest;
import dev.polystack.protocol.ServiceCodec;
import dev.polystack.services.dynamodb.DynamoProviderFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Where the server's CPU goes in the dynamodb-put-get scenario, without HTTP: thread CPU per PutItem+GetItem pair
 * for the JSON codec alone (parse both requests, serialize both answers) and for codec plus the DynamoDB provider
 * (typed conversion, validation, the write and the read). The difference is the provider's share; compare it with
 * the whole round trip bench/run.sh measures. Thread CPU time, not wall time, so a loaded box inflates it less.
 * Run from the repository root (the catalog reads vendor/):
 * {@code java -cp "bench/target/classes:bench/target/lib/*" dev.polystack.bench.DynamoDbProviderCpu [seconds]}.
 */
public final class DynamoDbProviderCpu {
    private static final String PAYLOAD = "x".repeat(160);

    private DynamoDbProviderCpu() {
    }

    interface Pair {
        long run(int i);
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        ServiceCodec codec = BotocoreCatalog.fromEnvironment().codec("dynamodb");
        ServiceProvider provider = new DynamoProviderFactory().create("dynamodb", null);
        RequestContext setup = RequestContext.internal("000000000000", "us-east-1", "dynamodb");
        provider.invoke(setup, "CreateTable", Map.of("TableName", "bench", "BillingMode", "PAY_PER_REQUEST",
                "AttributeDefinitions", List.of(Map.of("AttributeName", "pk", "AttributeType", "S")),
                "KeySchema", List.of(Map.of("AttributeName", "pk", "KeyType", "HASH"))));
        Map<String, Object> putAnswer = Map.of();
        Map<String, Object> getAnswer = Map.of("Item", Map.of("pk", Map.of("S", "w0-1"), "n", Map.of("N", "1"), "payload", Map.of("S", PAYLOAD)));
        Pair codecOnly = i -> {
            HttpRequestData put = request("PutItem", putBody(i));
            ParsedRequest p = codec.parse(put);
            long n = codec.serialize(context(put), p.operation(), putAnswer).status();
            HttpRequestData get = request("GetItem", getBody(i));
            ParsedRequest g = codec.parse(get);
            return n + codec.serialize(context(get), g.operation(), getAnswer).status();
        };
        Pair withProvider = i -> {
            HttpRequestData put = request("PutItem", putBody(i));
            RequestContext pc = context(put);
            ParsedRequest p = codec.parse(put);
            long n = codec.serialize(pc, p.operation(), provider.invoke(pc, p.operation(), p.params())).status();
            HttpRequestData get = request("GetItem", getBody(i));
            RequestContext gc = context(get);
            ParsedRequest g = codec.parse(get);
            return n + codec.serialize(gc, g.operation(), provider.invoke(gc, g.operation(), g.params())).status();
        };
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sink = 0;
        long warmEnd = System.nanoTime() + (long) (seconds * 2e9);
        for (int i = 0; System.nanoTime() < warmEnd; i++) sink += codecOnly.run(i) + withProvider.run(i);
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
        for (int round = 0; round < 3; round++) {
            Pair[] pairs = {codecOnly, withProvider};
            for (int k = 0; k < 2; k++) {
                long n = 0, cpu0 = mx.getCurrentThreadCpuTime(), wall0 = System.nanoTime();
                while (System.nanoTime() - wall0 < seconds * 1e9) {
                    for (int i = 0; i < 100; i++) sink += pairs[k].run((int) (n + i));
                    n += 100;
                }
                best[k] = Math.min(best[k], (mx.getCurrentThreadCpuTime() - cpu0) / 1000.0 / n);
            }
        }
        System.out.printf("codec only (parse 2 requests, serialize 2 answers): %6.2f us CPU per PutItem+GetItem%n", best[0]);
        System.out.printf("codec + DynamoDB provider:                          %6.2f us CPU per PutItem+GetItem%n", best[1]);
        System.out.printf("the provider's share:                               %6.2f us (best of 3 rounds each; load average %.1f; %d)%n",
                best[1] - best[0], ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), sink % 10);
    }

    private static String putBody(int i) {
        return "{\"TableName\":\"bench\",\"Item\":{\"pk\":{\"S\":\"w0-" + (i % 1000) + "\"},\"n\":{\"N\":\"" + i
                + "\"},\"payload\":{\"S\":\"" + PAYLOAD + "\"}}}";
    }

    private static String getBody(int i) {
        return "{\"TableName\":\"bench\",\"Key\":{\"pk\":{\"S\":\"w0-" + (i % 1000) + "\"}}}";
    }

    private static HttpRequestData request(String operation, String body) {
        return HttpRequestData.of("POST", "/", Map.of("X-Amz-Target", "DynamoDB_20120810." + operation,
                "Content-Type", "application/x-amz-json-1.0"), body.getBytes(StandardCharsets.UTF_8));
    }

    private static RequestContext context(HttpRequestData request) {
        return new RequestContext("000000000000", "us-east-1", "dynamodb", "bench-request-id", null, request);
    }
}
