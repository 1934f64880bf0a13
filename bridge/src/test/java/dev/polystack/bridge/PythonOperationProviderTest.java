package dev.polystack.bridge;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code python} kind against tests/python_providers/polystack_test_provider.py (no moto involved). */
class PythonOperationProviderTest {
    private static PythonOperationProvider provider;
    private static final RequestContext CTX = BridgeTestSupport.context("eu-west-1", "POST", "/", Map.of(), "{}");

    @BeforeAll
    static void start() {
        PythonRuntime runtime = BridgeTestSupport.runtime();
        provider = new PythonOperationProvider("sqs", runtime.providerInterpreter(),
                runtime.settings().providers().get("sqs"));
        assertEquals("available", provider.state());
    }

    @Test
    void callsSnakeCaseMethodsWithBotocoreParameters() {
        Map<String, Object> created = provider.invoke(CTX, "CreateQueue", Map.of("QueueName", "q1"));
        assertEquals("running", provider.state());
        assertEquals("http://sqs.eu-west-1.localhost.localstack.cloud:4566/000000000000/q1", created.get("QueueUrl"));
        // GetQueueUrl is bound with @handler to a method of another name.
        assertEquals(created, provider.invoke(CTX, "GetQueueUrl", Map.of("QueueName", "q1")));
    }

    @Test
    void blobsAndNumbersCrossBothWays() {
        String url = (String) provider.invoke(CTX, "CreateQueue", Map.of("QueueName", "blobs")).get("QueueUrl");
        Map<String, Object> attribute = Map.of("DataType", "Binary", "BinaryValue", new byte[]{1, 2, (byte) 0xfe});
        provider.invoke(CTX, "SendMessage", Map.of("QueueUrl", url, "MessageBody", "hi",
                "MessageAttributes", Map.of("raw", attribute)));
        Map<String, Object> received = provider.invoke(CTX, "ReceiveMessage", Map.of("QueueUrl", url, "MaxNumberOfMessages", 10));
        Map<?, ?> message = (Map<?, ?>) ((List<?>) received.get("Messages")).get(0);
        assertEquals("hi", message.get("Body"));
        Map<?, ?> raw = (Map<?, ?>) ((Map<?, ?>) message.get("MessageAttributes")).get("raw");
        assertArrayEquals(new byte[]{1, 2, (byte) 0xfe}, (byte[]) raw.get("BinaryValue"));
    }

    @Test
    void serviceExceptionsKeepCodeMessageStatusAndFault() {
        ServiceException e = assertThrows(ServiceException.class,
                () -> provider.invoke(CTX, "GetQueueUrl", Map.of("QueueName", "missing")));
        assertEquals("QueueDoesNotExist", e.code());
        assertEquals("The specified queue does not exist.", e.getMessage());
        assertEquals(400, e.status());
        assertTrue(e.senderFault());

        ServiceException teapot = assertThrows(ServiceException.class,
                () -> provider.invoke(CTX, "CreateQueue", Map.of("QueueName", "teapot-1")));
        assertEquals("Teapot", teapot.code());
        assertEquals(418, teapot.status());
    }

    @Test
    void pythonCrashIsInternalErrorAndTheNextCallWorks() {
        ServiceException e = assertThrows(ServiceException.class,
                () -> provider.invoke(CTX, "CreateQueue", Map.of("QueueName", "crash-1")));
        assertEquals("InternalError", e.code());
        assertEquals(500, e.status());
        assertFalse(e.senderFault());
        assertTrue(e.getMessage().contains("ZeroDivisionError"), e.getMessage());
        assertEquals("running", provider.state());
        assertTrue(provider.invoke(CTX, "CreateQueue", Map.of("QueueName", "after-crash")).containsKey("QueueUrl"));
    }

    @Test
    void missingOrNotImplementedOperationsAreUnsupported() {
        assertThrows(UnsupportedOperationException.class, () -> provider.invoke(CTX, "PurgeQueue", Map.of("QueueUrl", "x")));
        assertThrows(UnsupportedOperationException.class, () -> provider.invoke(CTX, "TagQueue", Map.of("QueueUrl", "x", "Tags", Map.of())));
    }

    @Test
    void aProviderThatCannotLoadIsInErrorAndAnswersServiceUnavailable() {
        PythonOperationProvider broken = new PythonOperationProvider("sns",
                BridgeTestSupport.runtime().providerInterpreter(), "no_such_module:Nothing");
        ServiceException e = assertThrows(ServiceException.class, () -> broken.invoke(CTX, "ListTopics", Map.of()));
        assertEquals("ServiceUnavailable", e.code());
        assertEquals(503, e.status());
        assertTrue(e.getMessage().contains("PROVIDER_OVERRIDE_SNS"), e.getMessage());
        assertEquals("error", broken.state());
    }
}
