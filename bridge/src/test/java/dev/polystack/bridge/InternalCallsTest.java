package dev.polystack.bridge;

import dev.polystack.api.Config;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Java end of LocalStack's in-process internal clients: account from the key, trees both ways, errors as data. */
class InternalCallsTest {
    private final AtomicReference<RequestContext> seen = new AtomicReference<>();
    private final AtomicReference<Map<String, Object>> input = new AtomicReference<>();

    @AfterEach
    void unbind() {
        InternalCalls.bind(null);
    }

    private void serve(java.util.function.Function<String, Map<String, Object>> answer) {
        InternalCalls.bind(new ProviderEnvironment() {
            @Override
            public Config config() {
                return Config.fromEnvironment();
            }

            @Override
            public Map<String, Object> call(RequestContext context, String service, String operation, Map<String, Object> in) {
                seen.set(context);
                input.set(in);
                return answer.apply(service + "." + operation);
            }

            @Override
            public ScheduledExecutorService scheduler() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Path dataDirectory(String service) {
                throw new UnsupportedOperationException();
            }
        });
    }

    @Test
    void callsTheServiceAsTheKeysAccountAndReturnsTheTree() {
        serve(op -> Map.of("Entries", java.util.List.of(Map.of("EventId", "e-1")), "At", Instant.ofEpochMilli(1_000)));
        String answer = InternalCalls.call("events", "PutEvents", "111122223333", "eu-west-1",
                "{\"Entries\":[{\"Source\":\"s\",\"Data\":{\"$b\":\"AQI=\"}}]}");
        assertEquals("111122223333", seen.get().accountId());
        assertEquals("eu-west-1", seen.get().region());
        Map<?, ?> entry = (Map<?, ?>) ((java.util.List<?>) input.get().get("Entries")).get(0);
        assertArrayEquals(new byte[]{1, 2}, (byte[]) entry.get("Data"));
        Map<?, ?> output = (Map<?, ?>) ((Map<?, ?>) TreeCodec.read(answer)).get("output");
        assertEquals(Instant.ofEpochMilli(1_000), output.get("At"));
        assertEquals("e-1", ((Map<?, ?>) ((java.util.List<?>) output.get("Entries")).get(0)).get("EventId"));
    }

    @Test
    void aKeyOfNoAccountIsTheDefaultAccount() {
        serve(op -> Map.of());
        InternalCalls.call("sqs", "ListQueues", "__internal_call__", "us-east-1", "{}");
        assertEquals(Config.DEFAULT_ACCOUNT, seen.get().accountId());
    }

    @Test
    void serviceErrorsComeBackAsDataWithTheQueryCodeAClientSees() {
        serve(op -> {
            throw new ServiceException("QueueDoesNotExist", "The specified queue does not exist.", 400, true)
                    .queryCode("AWS.SimpleQueueService.NonExistentQueue");
        });
        Map<?, ?> error = (Map<?, ?>) ((Map<?, ?>) TreeCodec.read(
                InternalCalls.call("sqs", "GetQueueUrl", "test", "us-east-1", "{\"QueueName\":\"nope\"}"))).get("error");
        assertEquals("AWS.SimpleQueueService.NonExistentQueue", error.get("code"));
        assertEquals("The specified queue does not exist.", error.get("message"));
        assertEquals(400, error.get("status"));
        assertEquals(true, error.get("sender_fault"));
    }

    @Test
    void unimplementedAndCrashingOperationsAreErrorsNotExceptions() {
        serve(op -> {
            throw new UnsupportedOperationException(op);
        });
        Map<?, ?> error = (Map<?, ?>) ((Map<?, ?>) TreeCodec.read(InternalCalls.call("sqs", "Nope", null, "us-east-1", ""))).get("error");
        assertEquals("NotImplemented", error.get("code"));
        assertEquals(501, error.get("status"));
        serve(op -> {
            throw new IllegalStateException("boom");
        });
        error = (Map<?, ?>) ((Map<?, ?>) TreeCodec.read(InternalCalls.call("sqs", "ListQueues", null, "us-east-1", "{}"))).get("error");
        assertEquals("InternalError", error.get("code"));
        assertEquals(500, error.get("status"));
    }

    @Test
    void unboundIsServiceUnavailable() {
        Map<?, ?> error = (Map<?, ?>) ((Map<?, ?>) TreeCodec.read(InternalCalls.call("sqs", "ListQueues", null, "us-east-1", "{}"))).get("error");
        assertEquals("ServiceUnavailable", error.get("code"));
    }
}
