package dev.polystack.services.sqs;

import dev.polystack.api.Config;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** A provider on a controllable clock, and helpers to call it the way the gateway does. */
class SqsTestSupport {
    static final String ACCOUNT = "000000000000";
    static final String REGION = "us-east-1";
    static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sqs-test-scheduler");
        t.setDaemon(true);
        return t;
    });

    final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    SqsProvider provider = new SqsProvider(new Config(Map.of()), SCHEDULER, clock::get);

    /** A JSON-protocol context for the default account and region. */
    static RequestContext ctx() {
        return ctx(ACCOUNT, REGION);
    }

    static RequestContext ctx(String account, String region) {
        RequestContext ctx = new RequestContext(account, region, "sqs", "req", "test",
                HttpRequestData.of("POST", "/", Map.of("X-Amz-Target", "AmazonSQS.Op", "Host", "localhost:4566"), new byte[0]));
        ctx.protocol("json");
        return ctx;
    }

    /** A query-protocol context posted to {@code path}. */
    static RequestContext queryCtx(String path) {
        RequestContext ctx = new RequestContext(ACCOUNT, REGION, "sqs", "req", "test",
                HttpRequestData.of("POST", path, Map.of("Content-Type", "application/x-www-form-urlencoded"), new byte[0]));
        ctx.protocol("query");
        return ctx;
    }

    Map<String, Object> call(String op, Object... keyValues) {
        return provider.invoke(ctx(), op, params(keyValues));
    }

    static Map<String, Object> params(Object... keyValues) {
        Map<String, Object> in = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) in.put((String) keyValues[i], keyValues[i + 1]);
        return in;
    }

    ServiceException error(String op, Object... keyValues) {
        return assertThrows(ServiceException.class, () -> call(op, keyValues));
    }

    String createQueue(String name, Map<String, String> attributes) {
        return (String) call("CreateQueue", "QueueName", name, "Attributes", attributes).get("QueueUrl");
    }

    String send(String url, String body, Object... more) {
        Object[] kv = new Object[4 + more.length];
        kv[0] = "QueueUrl";
        kv[1] = url;
        kv[2] = "MessageBody";
        kv[3] = body;
        System.arraycopy(more, 0, kv, 4, more.length);
        return (String) call("SendMessage", kv).get("MessageId");
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> receive(String url, Object... more) {
        Object[] kv = new Object[2 + more.length];
        kv[0] = "QueueUrl";
        kv[1] = url;
        System.arraycopy(more, 0, kv, 2, more.length);
        Object messages = call("ReceiveMessage", kv).get("Messages");
        return messages == null ? List.of() : (List<Map<String, Object>>) messages;
    }

    void advanceSeconds(double seconds) {
        clock.addAndGet((long) (seconds * 1000));
    }
}
