package dev.polystack.services.sqs;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.model.TreeConverter;
import dev.polystack.services.sqs.api.GetQueueAttributesRequest;
import dev.polystack.services.sqs.api.ListQueuesRequest;
import dev.polystack.services.sqs.api.ListQueuesResult;
import dev.polystack.services.sqs.api.MessageAttributeValue;
import dev.polystack.services.sqs.api.QueueAttributeName;
import dev.polystack.services.sqs.api.QueueDoesNotExistException;
import dev.polystack.services.sqs.api.SendMessageRequest;
import dev.polystack.services.sqs.api.SqsApi;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated SQS API and the generic conversion and dispatch around it. */
class SqsTypedApiTest extends SqsTestSupport {

    @Test
    void anOperationNobodyImplementedAnswersNotImplemented() {
        SqsApi nothing = new SqsApi() {
        };
        assertThrows(UnsupportedOperationException.class,
                () -> SqsApi.OPERATIONS.invoke(nothing, ctx(), "ListQueues", Map.of()));
        assertThrows(UnsupportedOperationException.class, () -> nothing.listQueues(ctx(), ListQueuesRequest.builder().build()));
    }

    @Test
    void everyOperationOfTheSpecificationIsInTheTable() {
        assertEquals(23, SqsApi.OPERATIONS.operations().size());
        assertEquals("SendMessage", SqsApi.OPERATIONS.operation("SendMessage").name());
        assertNull(SqsApi.OPERATIONS.operation("NoSuchOperation"));
    }

    @Test
    void treeToTypedKeepsTypesAndUnknownEnumValues() {
        Map<String, Object> tree = params("QueueUrl", "http://localhost:4566/000000000000/q", "MessageBody", "hi",
                "DelaySeconds", 5, "MessageAttributes",
                Map.of("bin", Map.of("DataType", "Binary", "BinaryValue", "x".getBytes(StandardCharsets.UTF_8))),
                "NotAMember", "ignored");
        SendMessageRequest r = TreeConverter.fromTree(SendMessageRequest.SHAPE, tree);
        assertEquals("hi", r.messageBody());
        assertEquals(5, r.delaySeconds());
        MessageAttributeValue bin = r.messageAttributes().get("bin");
        assertEquals("Binary", bin.dataType());
        assertArrayEquals("x".getBytes(StandardCharsets.UTF_8), bin.binaryValue());

        GetQueueAttributesRequest g = TreeConverter.fromTree(GetQueueAttributesRequest.SHAPE,
                params("AttributeNames", List.of("VisibilityTimeout", "Bogus")));
        assertEquals(List.of(QueueAttributeName.VISIBILITY_TIMEOUT, QueueAttributeName.UNKNOWN), g.attributeNames());
        assertEquals(List.of("VisibilityTimeout", "Bogus"), g.attributeNamesAsStrings());
    }

    @Test
    void typedToTreeLeavesAbsentMembersOut() {
        Map<String, Object> tree = TreeConverter.toTree(ListQueuesResult.SHAPE,
                ListQueuesResult.builder().queueUrls(List.of("u1", "u2")).build());
        assertEquals(Map.of("QueueUrls", List.of("u1", "u2")), tree);
        assertTrue(TreeConverter.toTree(ListQueuesResult.SHAPE, ListQueuesResult.builder().build()).isEmpty());
    }

    @Test
    void aValueOfTheWrongShapeIsAClientError() {
        ServiceException e = assertThrows(ServiceException.class,
                () -> TreeConverter.fromTree(SendMessageRequest.SHAPE, params("MessageAttributes", "not a map")));
        assertEquals(400, e.status());
        assertTrue(e.senderFault());
    }

    @Test
    void modelledErrorsCarryCodeStatusAndFault() {
        QueueDoesNotExistException e = new QueueDoesNotExistException("The specified queue does not exist.");
        assertEquals("QueueDoesNotExist", e.code());
        assertEquals(400, e.status());
        assertTrue(e.senderFault());
    }

    @Test
    void theProviderServesTypedCallsAndTreeCallsAlike() {
        String url = createQueue("typed", Map.of());
        provider.sendMessage(ctx(), SendMessageRequest.builder().queueUrl(url).messageBody("typed body").build());
        assertEquals("typed body", receive(url).get(0).get("Body"));
        assertFalse(call("ListQueues").isEmpty());
    }

    @Test
    void theClientCallsThroughTheEnvironmentWithTrees() {
        List<String> calls = new ArrayList<>();
        ProviderEnvironment env = new TestEnvironment() {
            @Override
            public Map<String, Object> call(RequestContext context, String service, String operation, Map<String, Object> input) {
                calls.add(service + "." + operation + " " + input);
                return provider.invoke(context, operation, input);
            }
        };
        String url = createQueue("via-client", Map.of());
        SqsApi client = SqsApi.client(env);
        String id = client.sendMessage(RequestContext.internal(ACCOUNT, REGION, "sqs"),
                SendMessageRequest.builder().queueUrl(url).messageBody("from another service").build()).messageId();
        assertEquals(List.of("sqs.SendMessage {QueueUrl=" + url + ", MessageBody=from another service}"), calls);
        assertEquals(id, receive(url).get(0).get("MessageId"));
        assertThrows(QueueDoesNotExistException.class, () -> { throw new QueueDoesNotExistException("x"); });
    }

    /** An environment with nothing but calls (the test overrides {@code call}). */
    abstract static class TestEnvironment implements ProviderEnvironment {
        @Override
        public dev.polystack.api.Config config() {
            return new dev.polystack.api.Config(Map.of());
        }

        @Override
        public java.util.concurrent.ScheduledExecutorService scheduler() {
            return SCHEDULER;
        }

        @Override
        public java.nio.file.Path dataDirectory(String service) {
            throw new UnsupportedOperationException();
        }
    }
}
