package dev.polystack.services.sqs;

import dev.polystack.api.Config;
import dev.polystack.api.ServiceException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Provider-level tests: operations called with botocore-shaped parameter trees, time driven by a fake clock. */
class SqsProviderTest extends SqsTestSupport {

    @Test
    void queueLifecycleAndStandardUrl() {
        String url = createQueue("orders", Map.of());
        assertEquals("http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/orders", url);
        assertEquals(url, call("GetQueueUrl", "QueueName", "orders").get("QueueUrl"));
        assertEquals(List.of(url), call("ListQueues").get("QueueUrls"));
        // same name, same attributes: the existing URL
        assertEquals(url, createQueue("orders", Map.of("VisibilityTimeout", "30")));
        ServiceException e = error("CreateQueue", "QueueName", "orders", "Attributes", Map.of("DelaySeconds", "5"));
        assertEquals("QueueNameExists", e.code());
        assertEquals("QueueAlreadyExists", e.queryCode());
        assertEquals("A queue already exists with the same name and a different value for attribute DelaySeconds", e.getMessage());
        call("DeleteQueue", "QueueUrl", url);
        ServiceException gone = error("GetQueueUrl", "QueueName", "orders");
        assertEquals("QueueDoesNotExist", gone.code());
        assertEquals("AWS.SimpleQueueService.NonExistentQueue", gone.queryCode());
        assertEquals("The specified queue does not exist.", gone.getMessage());
        assertNull(call("ListQueues").get("QueueUrls"));
    }

    @Test
    void queryProtocolWordsNonExistentQueueDifferentlyAndTakesQueueFromPath() {
        String url = createQueue("by-path", Map.of());
        ServiceException e = assertThrows(ServiceException.class,
                () -> provider.invoke(queryCtx("/000000000000/missing"), "GetQueueAttributes", params()));
        assertEquals("The specified queue does not exist for this wsdl version.", e.getMessage());
        provider.invoke(queryCtx("/000000000000/by-path"), "SendMessage", params("MessageBody", "via path"));
        assertEquals("via path", receive(url).get(0).get("Body"));
    }

    @Test
    void queueUrlsInEveryFormResolve() {
        createQueue("anyform", Map.of());
        for (String form : List.of("http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/anyform",
                "http://queue.localhost.localstack.cloud:4566/000000000000/anyform",
                "http://localhost:4566/queue/us-east-1/000000000000/anyform",
                "http://localhost:4566/000000000000/anyform",
                "https://sqs.us-east-1.amazonaws.com/000000000000/anyform")) {
            assertNotNull(call("GetQueueAttributes", "QueueUrl", form, "AttributeNames", List.of("QueueArn")).get("Attributes"), form);
        }
        assertThrows(ServiceException.class, () -> call("GetQueueAttributes", "QueueUrl",
                "http://sqs.eu-west-1.localhost.localstack.cloud:4566/000000000000/anyform"));
    }

    @Test
    void endpointStrategies() {
        Map<String, String> expected = Map.of(
                "standard", "http://sqs.eu-west-1.localhost.localstack.cloud:4566/000000000000/q",
                "domain", "http://eu-west-1.queue.localhost.localstack.cloud:4566/000000000000/q",
                "path", "http://localhost.localstack.cloud:4566/queue/eu-west-1/000000000000/q",
                "off", "http://localhost:4566/000000000000/q");
        expected.forEach((strategy, url) -> {
            SqsProvider p = new SqsProvider(new Config(Map.of("SQS_ENDPOINT_STRATEGY", strategy)), SCHEDULER, clock::get);
            Object created = p.invoke(ctx(ACCOUNT, "eu-west-1"), "CreateQueue", params("QueueName", "q")).get("QueueUrl");
            assertEquals(url, created, strategy);
            assertNotNull(p.invoke(ctx(ACCOUNT, "eu-west-1"), "GetQueueAttributes", params("QueueUrl", url)));
        });
        SqsProvider custom = new SqsProvider(new Config(Map.of("LOCALSTACK_HOST", "myhost:1234")), SCHEDULER, clock::get);
        assertEquals("http://sqs.us-east-1.myhost:1234/000000000000/q",
                custom.invoke(ctx(), "CreateQueue", params("QueueName", "q")).get("QueueUrl"));
    }

    @Test
    void accountsAndRegionsAreIsolated() {
        provider.invoke(ctx("111111111111", "us-east-1"), "CreateQueue", params("QueueName", "shared-name"));
        provider.invoke(ctx("222222222222", "eu-west-1"), "CreateQueue", params("QueueName", "shared-name"));
        assertNull(call("ListQueues").get("QueueUrls"));
        assertEquals(1, ((List<?>) provider.invoke(ctx("111111111111", "us-east-1"), "ListQueues", params()).get("QueueUrls")).size());
        assertThrows(ServiceException.class, () -> provider.invoke(ctx("111111111111", "eu-west-1"), "GetQueueUrl",
                params("QueueName", "shared-name")));
        // another account's queue, by owner id
        assertNotNull(provider.invoke(ctx("222222222222", "us-east-1"), "GetQueueUrl",
                params("QueueName", "shared-name", "QueueOwnerAWSAccountId", "111111111111")).get("QueueUrl"));
    }

    @Test
    void listQueuesPrefixAndPagination() {
        for (int i = 0; i < 5; i++) createQueue("page-" + i, Map.of());
        createQueue("other", Map.of());
        assertEquals(5, ((List<?>) call("ListQueues", "QueueNamePrefix", "page-").get("QueueUrls")).size());
        Map<String, Object> first = call("ListQueues", "QueueNamePrefix", "page-", "MaxResults", 2);
        assertEquals(2, ((List<?>) first.get("QueueUrls")).size());
        List<Object> all = new ArrayList<>((List<?>) first.get("QueueUrls"));
        Object token = first.get("NextToken");
        while (token != null) {
            Map<String, Object> next = call("ListQueues", "QueueNamePrefix", "page-", "MaxResults", 2, "NextToken", token);
            all.addAll((List<?>) next.get("QueueUrls"));
            token = next.get("NextToken");
        }
        assertEquals(5, all.size());
        assertTrue(((String) all.get(4)).endsWith("page-4"));
    }

    @Test
    void attributesDefaultsValidationAndComputedCounts() {
        String url = createQueue("attrs", Map.of("VisibilityTimeout", "20", "ReceiveMessageWaitTimeSeconds", "0"));
        @SuppressWarnings("unchecked")
        Map<String, String> a = (Map<String, String>) call("GetQueueAttributes", "QueueUrl", url, "AttributeNames", List.of("All")).get("Attributes");
        assertEquals("20", a.get("VisibilityTimeout"));
        assertEquals("1048576", a.get("MaximumMessageSize"));
        assertEquals("345600", a.get("MessageRetentionPeriod"));
        assertEquals("true", a.get("SqsManagedSseEnabled"));
        assertEquals("arn:aws:sqs:us-east-1:000000000000:attrs", a.get("QueueArn"));
        assertFalse(a.containsKey("FifoQueue"));
        assertFalse(a.containsKey("Policy"));
        assertEquals("InvalidAttributeValue", error("SetQueueAttributes", "QueueUrl", url,
                "Attributes", Map.of("VisibilityTimeout", "43201")).code());
        assertEquals("Unknown Attribute Nope.", error("SetQueueAttributes", "QueueUrl", url,
                "Attributes", Map.of("Nope", "1")).getMessage());
        assertEquals("Unknown Attribute FifoQueue.", error("SetQueueAttributes", "QueueUrl", url,
                "Attributes", Map.of("FifoQueue", "true")).getMessage());
        assertEquals("InvalidAttributeName", error("GetQueueAttributes", "QueueUrl", url,
                "AttributeNames", List.of("Bogus")).code());
        ServiceException sse = error("SetQueueAttributes", "QueueUrl", url,
                "Attributes", Map.of("KmsMasterKeyId", "k", "SqsManagedSseEnabled", "true"));
        assertEquals("InvalidAttributeName", sse.code());
        call("SetQueueAttributes", "QueueUrl", url, "Attributes", Map.of("KmsMasterKeyId", "testKeyId"));
        Map<?, ?> kms = (Map<?, ?>) call("GetQueueAttributes", "QueueUrl", url, "AttributeNames", List.of("All")).get("Attributes");
        assertEquals("false", kms.get("SqsManagedSseEnabled"));
        assertEquals("300", kms.get("KmsDataKeyReusePeriodSeconds"));

        send(url, "a");
        send(url, "b", "DelaySeconds", 10);
        receive(url);
        Map<?, ?> counts = (Map<?, ?>) call("GetQueueAttributes", "QueueUrl", url, "AttributeNames",
                List.of("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed")).get("Attributes");
        assertEquals(Map.of("ApproximateNumberOfMessages", "0", "ApproximateNumberOfMessagesNotVisible", "1",
                "ApproximateNumberOfMessagesDelayed", "1"), counts);
    }

    @Test
    void standardQueueRejectsFifoAttributes() {
        assertEquals("Unknown Attribute ContentBasedDeduplication.", error("CreateQueue", "QueueName", "std",
                "Attributes", Map.of("ContentBasedDeduplication", "true")).getMessage());
        assertEquals("You can specify the DeduplicationScope only when FifoQueue is set to true.", error("CreateQueue",
                "QueueName", "std", "Attributes", Map.of("DeduplicationScope", "queue")).getMessage());
        assertEquals("InvalidParameterValueException", error("CreateQueue", "QueueName", "bad.fifo").code());
        assertEquals("InvalidParameterValueException", error("CreateQueue", "QueueName", "nofifo",
                "Attributes", Map.of("FifoQueue", "true")).code());
    }

    @Test
    void sendReceiveDeleteWithMd5sAndSystemAttributes() {
        String url = createQueue("md5", Map.of());
        Map<String, Object> sent = call("SendMessage", "QueueUrl", url, "MessageBody", "msg", "MessageAttributes", Map.of(
                "General", Map.of("DataType", "String", "StringValue", "Kenobi"),
                "Hello", Map.of("DataType", "String", "StringValue", "There"),
                "Help.Me", Map.of("DataType", "String", "StringValue", "Me")),
                "MessageSystemAttributes", Map.of("AWSTraceHeader", Map.of("DataType", "String", "StringValue", "Root=1-abc")));
        assertEquals("6e2baaf3b97dbeef01c0043275f9a0e7", sent.get("MD5OfMessageBody"));
        assertEquals("4c360f3fdafd970e05fae2f149d997f5", sent.get("MD5OfMessageAttributes"));
        assertNotNull(sent.get("MD5OfMessageSystemAttributes"));

        Map<String, Object> m = receive(url, "MessageAttributeNames", List.of("Hello", "General", "Nope"),
                "MessageSystemAttributeNames", List.of("All")).get(0);
        assertEquals(sent.get("MessageId"), m.get("MessageId"));
        assertEquals("fca026605781cb4126a1e9044df24232", m.get("MD5OfMessageAttributes"));
        Map<?, ?> attrs = (Map<?, ?>) m.get("Attributes");
        assertEquals("1", attrs.get("ApproximateReceiveCount"));
        assertEquals(String.valueOf(clock.get()), attrs.get("SentTimestamp"));
        assertEquals("000000000000", attrs.get("SenderId"));
        assertEquals("Root=1-abc", attrs.get("AWSTraceHeader"));
        assertNotNull(attrs.get("ApproximateFirstReceiveTimestamp"));
        call("DeleteMessage", "QueueUrl", url, "ReceiptHandle", m.get("ReceiptHandle"));
        advanceSeconds(31);
        assertTrue(receive(url).isEmpty());
    }

    @Test
    void md5OfBinaryAndPrefixFilters() {
        String url = createQueue("binary", Map.of());
        byte[] value = "traceparent\u001e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01".getBytes(StandardCharsets.UTF_8);
        Map<String, Object> sent = call("SendMessage", "QueueUrl", url, "MessageBody", "test",
                "MessageAttributes", Map.of("attr1", Map.of("DataType", "Binary", "BinaryValue", value)));
        assertEquals("8cbe4db156db8a94db8b801b7addb984", sent.get("MD5OfMessageAttributes"));
        String url2 = createQueue("prefix", Map.of());
        call("SendMessage", "QueueUrl", url2, "MessageBody", "msg", "MessageAttributes", Map.of(
                "General", Map.of("DataType", "String", "StringValue", "Kenobi"),
                "Hello", Map.of("DataType", "String", "StringValue", "There"),
                "Help.Me", Map.of("DataType", "String", "StringValue", "Me")));
        Map<String, Object> m = receive(url2, "MessageAttributeNames", List.of("He.*")).get(0);
        assertNull(m.get("MessageAttributes"), "He.* matches names starting with 'He.'");
        call("ChangeMessageVisibility", "QueueUrl", url2, "ReceiptHandle", m.get("ReceiptHandle"), "VisibilityTimeout", 0);
        m = receive(url2, "MessageAttributeNames", List.of("Help.*")).get(0);
        assertEquals(List.of("Help.Me"), new ArrayList<>(((Map<?, ?>) m.get("MessageAttributes")).keySet()));
    }

    @Test
    void messageValidation() {
        String url = createQueue("validate", Map.of("MaximumMessageSize", "1024"));
        ServiceException big = error("SendMessage", "QueueUrl", url, "MessageBody", "x".repeat(1025));
        assertEquals("One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.", big.getMessage());
        assertEquals("InvalidParameterValue", big.queryCode());
        ServiceException empty = error("SendMessage", "QueueUrl", url, "MessageBody", "");
        assertEquals("MissingParameter", empty.queryCode());
        ServiceException chars = error("SendMessage", "QueueUrl", url, "MessageBody", "bad\u0000char");
        assertEquals("InvalidMessageContents", chars.code());
        assertEquals("Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.",
                error("SendMessage", "QueueUrl", url, "MessageBody", "x", "MessageAttributes",
                        Map.of("ErrorDetails", Map.of("DataType", "String", "StringValue", ""))).getMessage());
        assertEquals("Value group 123 for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include "
                + "alphanumeric and punctuation characters. 1 to 128 in length.",
                error("SendMessage", "QueueUrl", url, "MessageBody", "x", "MessageGroupId", "group 123").getMessage());
        assertNotNull(send(url, "emoji \uD83D\uDE00 ok"));
    }

    @Test
    void receiveParameterValidation() {
        String url = createQueue("recv-params", Map.of());
        assertEquals("Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.",
                error("ReceiveMessage", "QueueUrl", url, "MaxNumberOfMessages", 11).getMessage());
        assertEquals("Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.",
                error("ReceiveMessage", "QueueUrl", url, "WaitTimeSeconds", 21).getMessage());
    }

    @Test
    void visibilityTimeoutAndReceiptHandles() {
        String url = createQueue("vis", Map.of("VisibilityTimeout", "5"));
        send(url, "hello");
        Map<String, Object> first = receive(url).get(0);
        assertTrue(receive(url).isEmpty());
        advanceSeconds(5);
        Map<String, Object> second = receive(url, "AttributeNames", List.of("ApproximateReceiveCount")).get(0);
        assertNotEquals(first.get("ReceiptHandle"), second.get("ReceiptHandle"));
        assertEquals("2", ((Map<?, ?>) second.get("Attributes")).get("ApproximateReceiveCount"));
        call("ChangeMessageVisibility", "QueueUrl", url, "ReceiptHandle", second.get("ReceiptHandle"), "VisibilityTimeout", 60);
        advanceSeconds(30);
        assertTrue(receive(url).isEmpty());
        advanceSeconds(31);
        assertEquals(1, receive(url, "VisibilityTimeout", 0).size());
        assertEquals(1, receive(url).size(), "VisibilityTimeout=0 left it visible");
        assertEquals("ReceiptHandleIsInvalid", error("DeleteMessage", "QueueUrl", url, "ReceiptHandle", "garbage").code());
        // an old handle still deletes on a standard queue
        call("DeleteMessage", "QueueUrl", url, "ReceiptHandle", first.get("ReceiptHandle"));
        advanceSeconds(10);
        assertTrue(receive(url).isEmpty());
    }

    @Test
    void delaysPerQueueAndPerMessage() {
        String url = createQueue("delay", Map.of("DelaySeconds", "2"));
        send(url, "queue delay");
        send(url, "message delay", "DelaySeconds", 5);
        send(url, "no delay", "DelaySeconds", 0);
        assertEquals(List.of("no delay"), bodies(receive(url, "MaxNumberOfMessages", 10)));
        advanceSeconds(2);
        assertEquals(List.of("queue delay"), bodies(receive(url, "MaxNumberOfMessages", 10)));
        advanceSeconds(3);
        assertEquals(List.of("message delay"), bodies(receive(url, "MaxNumberOfMessages", 10)));
    }

    @Test
    void retentionExpiresMessages() {
        String url = createQueue("retention", Map.of("MessageRetentionPeriod", "60"));
        send(url, "old");
        advanceSeconds(30);
        send(url, "young");
        advanceSeconds(31);
        assertEquals(List.of("young"), bodies(receive(url, "MaxNumberOfMessages", 10)));
    }

    @Test
    void batchesAndTheirErrors() {
        String url = createQueue("batch", Map.of("MaximumMessageSize", "1024"));
        Map<String, Object> r = call("SendMessageBatch", "QueueUrl", url, "Entries", List.of(
                Map.of("Id", "a", "MessageBody", "one"),
                Map.of("Id", "b", "MessageBody", "x".repeat(2000)),
                Map.of("Id", "c", "MessageBody", "three")));
        assertEquals(2, ((List<?>) r.get("Successful")).size());
        Map<?, ?> failed = (Map<?, ?>) ((List<?>) r.get("Failed")).get(0);
        assertEquals("b", failed.get("Id"));
        assertEquals("InvalidParameterValue", failed.get("Code"));
        assertEquals(true, failed.get("SenderFault"));
        assertEquals("One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.", failed.get("Message"));

        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 20; i++) many.add(Map.of("Id", "e" + i, "MessageBody", "m"));
        ServiceException tooMany = error("SendMessageBatch", "QueueUrl", url, "Entries", many);
        assertEquals("Maximum number of entries per request are 10. You have sent 20.", tooMany.getMessage());
        assertEquals("AWS.SimpleQueueService.TooManyEntriesInBatchRequest", tooMany.queryCode());
        assertEquals("EmptyBatchRequest", error("DeleteMessageBatch", "QueueUrl", url, "Entries", List.of()).code());
        assertEquals("BatchEntryIdsNotDistinct", error("SendMessageBatch", "QueueUrl", url, "Entries", List.of(
                Map.of("Id", "x", "MessageBody", "1"), Map.of("Id", "x", "MessageBody", "2"))).code());
        assertEquals("InvalidBatchEntryId", error("SendMessageBatch", "QueueUrl", url, "Entries", List.of(
                Map.of("Id", "invalid:id", "MessageBody", "1"))).code());

        List<Map<String, Object>> got = receive(url, "MaxNumberOfMessages", 10);
        List<Map<String, Object>> deletes = new ArrayList<>();
        for (int i = 0; i < got.size(); i++) deletes.add(Map.of("Id", "d" + i, "ReceiptHandle", got.get(i).get("ReceiptHandle")));
        deletes.add(Map.of("Id", "bad", "ReceiptHandle", "not-a-handle"));
        Map<String, Object> d = call("DeleteMessageBatch", "QueueUrl", url, "Entries", deletes);
        assertEquals(2, ((List<?>) d.get("Successful")).size());
        assertEquals("ReceiptHandleIsInvalid", ((Map<?, ?>) ((List<?>) d.get("Failed")).get(0)).get("Code"));
    }

    @Test
    void batchTooLong() {
        String url = createQueue("too-long", Map.of());
        List<Map<String, Object>> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) entries.add(Map.of("Id", "e" + i, "MessageBody", "x".repeat(262_144)));
        ServiceException e = error("SendMessageBatch", "QueueUrl", url, "Entries", entries);
        assertEquals("BatchRequestTooLong", e.code());
    }

    @Test
    void purgeAndPurgeInProgress() {
        String url = createQueue("purge", Map.of());
        send(url, "a");
        send(url, "b");
        call("PurgeQueue", "QueueUrl", url);
        assertTrue(receive(url).isEmpty());
        ServiceException e = error("PurgeQueue", "QueueUrl", url);
        assertEquals(403, e.status());
        assertEquals("Only one PurgeQueue operation on purge is allowed every 60 seconds.", e.getMessage());
        advanceSeconds(61);
        call("PurgeQueue", "QueueUrl", url);
    }

    @Test
    void deadLetterRedriveAndSourceListing() {
        String dlqUrl = createQueue("dlq", Map.of());
        String dlqArn = "arn:aws:sqs:us-east-1:000000000000:dlq";
        String url = createQueue("source", Map.of("VisibilityTimeout", "1",
                "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"2\"}"));
        send(url, "poison");
        assertEquals(1, receive(url).size());
        advanceSeconds(1);
        assertEquals(1, receive(url).size());
        advanceSeconds(1);
        assertTrue(receive(url).isEmpty(), "third receive moves it to the DLQ");
        Map<String, Object> dead = receive(dlqUrl, "MessageSystemAttributeNames", List.of("All")).get(0);
        Map<?, ?> attrs = (Map<?, ?>) dead.get("Attributes");
        assertEquals("3", attrs.get("ApproximateReceiveCount"));
        assertEquals("arn:aws:sqs:us-east-1:000000000000:source", attrs.get("DeadLetterQueueSourceArn"));
        assertEquals(List.of(url), call("ListDeadLetterSourceQueues", "QueueUrl", dlqUrl).get("queueUrls"));
        Map<?, ?> policy = (Map<?, ?>) call("GetQueueAttributes", "QueueUrl", url, "AttributeNames", List.of("RedrivePolicy")).get("Attributes");
        assertEquals("{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":2}", policy.get("RedrivePolicy"));
        call("SetQueueAttributes", "QueueUrl", url, "Attributes", Map.of("RedrivePolicy", ""));
        assertEquals(List.of(), call("ListDeadLetterSourceQueues", "QueueUrl", dlqUrl).get("queueUrls"));
        ServiceException missing = error("SetQueueAttributes", "QueueUrl", url, "Attributes", Map.of("RedrivePolicy",
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:nope\",\"maxReceiveCount\":1}"));
        assertEquals("InvalidParameterValue", missing.queryCode());
    }

    @Test
    void redriveAllowPolicyDecidesWhichSourcesMayUseADeadLetterQueue() {
        String dlq = createQueue("guarded-dlq", Map.of());
        String dlqArn = "arn:aws:sqs:us-east-1:000000000000:guarded-dlq";
        String allowed = createQueue("allowed-source", Map.of());
        String other = createQueue("other-source", Map.of());
        call("SetQueueAttributes", "QueueUrl", dlq, "Attributes", Map.of("RedriveAllowPolicy",
                "{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":[\"arn:aws:sqs:us-east-1:000000000000:allowed-source\"]}"));
        String policy = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":3}";
        call("SetQueueAttributes", "QueueUrl", allowed, "Attributes", Map.of("RedrivePolicy", policy));
        assertEquals("InvalidParameterValue", error("SetQueueAttributes", "QueueUrl", other,
                "Attributes", Map.of("RedrivePolicy", policy)).queryCode());
        call("SetQueueAttributes", "QueueUrl", dlq, "Attributes", Map.of("RedriveAllowPolicy", "{\"redrivePermission\":\"denyAll\"}"));
        assertThrows(ServiceException.class, () -> call("SetQueueAttributes", "QueueUrl", other, "Attributes", Map.of("RedrivePolicy", policy)));
        assertEquals("InvalidAttributeValue", error("SetQueueAttributes", "QueueUrl", dlq,
                "Attributes", Map.of("RedriveAllowPolicy", "{\"redrivePermission\":\"sometimes\"}")).code());
    }

    @Test
    void fifoOrderGroupLockingAndDeduplication() {
        String url = createQueue("jobs.fifo", Map.of("FifoQueue", "true", "VisibilityTimeout", "5"));
        for (int i = 0; i < 3; i++) call("SendMessage", "QueueUrl", url, "MessageBody", "a" + i, "MessageGroupId", "A", "MessageDeduplicationId", "a" + i);
        for (int i = 0; i < 2; i++) call("SendMessage", "QueueUrl", url, "MessageBody", "b" + i, "MessageGroupId", "B", "MessageDeduplicationId", "b" + i);
        Map<String, Object> dup = call("SendMessage", "QueueUrl", url, "MessageBody", "again", "MessageGroupId", "A", "MessageDeduplicationId", "a0");
        assertNotNull(dup.get("SequenceNumber"));

        List<Map<String, Object>> first = receive(url, "MaxNumberOfMessages", 2);
        assertEquals(List.of("a0", "a1"), bodies(first));
        // group A is locked while a0/a1 are in flight: the next consumer gets group B
        assertEquals(List.of("b0", "b1"), bodies(receive(url, "MaxNumberOfMessages", 10)));
        assertTrue(receive(url).isEmpty());
        call("DeleteMessage", "QueueUrl", url, "ReceiptHandle", first.get(0).get("ReceiptHandle"));
        assertTrue(receive(url).isEmpty(), "a1 is still in flight");
        call("DeleteMessage", "QueueUrl", url, "ReceiptHandle", first.get(1).get("ReceiptHandle"));
        Map<String, Object> a2 = receive(url, "AttributeNames", List.of("All")).get(0);
        assertEquals("a2", a2.get("Body"));
        Map<?, ?> attrs = (Map<?, ?>) a2.get("Attributes");
        assertEquals("A", attrs.get("MessageGroupId"));
        assertEquals("a2", attrs.get("MessageDeduplicationId"));
        assertEquals(20, ((String) attrs.get("SequenceNumber")).length());
        // an expired FIFO receipt handle cannot delete
        advanceSeconds(6);
        ServiceException expired = error("DeleteMessage", "QueueUrl", url, "ReceiptHandle", a2.get("ReceiptHandle"));
        assertTrue(expired.getMessage().endsWith("Reason: The receipt handle has expired."));
    }

    @Test
    void fifoGroupServesItsHeadAgainOnceVisibleUpToTheFirstMessageStillInFlight() {
        String url = createQueue("extend.fifo", Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true",
                "VisibilityTimeout", "5"));
        for (String body : List.of("foo", "bar", "baz")) call("SendMessage", "QueueUrl", url, "MessageBody", body, "MessageGroupId", "g");
        List<Map<String, Object>> all = receive(url, "MaxNumberOfMessages", 10);
        assertEquals(List.of("foo", "bar", "baz"), bodies(all));
        call("ChangeMessageVisibility", "QueueUrl", url, "ReceiptHandle", all.get(1).get("ReceiptHandle"), "VisibilityTimeout", 60);
        advanceSeconds(6);
        assertEquals(List.of("foo"), bodies(receive(url, "MaxNumberOfMessages", 10)));
    }

    @Test
    void fifoRequirements() {
        String url = createQueue("req.fifo", Map.of("FifoQueue", "true"));
        ServiceException noGroup = error("SendMessage", "QueueUrl", url, "MessageBody", "x", "MessageDeduplicationId", "d");
        assertEquals("MissingParameter", noGroup.queryCode());
        assertEquals("The request must contain the parameter MessageGroupId.", noGroup.getMessage());
        assertEquals("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
                error("SendMessage", "QueueUrl", url, "MessageBody", "x", "MessageGroupId", "g").getMessage());
        assertEquals("Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.",
                error("SendMessage", "QueueUrl", url, "MessageBody", "x", "MessageGroupId", "g", "MessageDeduplicationId", "d", "DelaySeconds", 2).getMessage());
        ServiceException batch = error("SendMessageBatch", "QueueUrl", url, "Entries", List.of(Map.of("Id", "1", "MessageBody", "x")));
        assertEquals("InvalidParameterValue", batch.queryCode());
        call("SetQueueAttributes", "QueueUrl", url, "Attributes", Map.of("FifoQueue", "true")); // restating it is fine
        ServiceException change = error("SetQueueAttributes", "QueueUrl", url, "Attributes", Map.of("FifoQueue", "false"));
        assertEquals("Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.", change.getMessage());
    }

    @Test
    void fifoContentDeduplicationAndScopes() {
        String url = createQueue("content.fifo", Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true"));
        Object id1 = call("SendMessage", "QueueUrl", url, "MessageBody", "same", "MessageGroupId", "g1").get("MessageId");
        Object id2 = call("SendMessage", "QueueUrl", url, "MessageBody", "same", "MessageGroupId", "g2").get("MessageId");
        assertEquals(id1, id2, "queue-scope deduplication ignores the group");
        assertEquals(1, receive(url, "MaxNumberOfMessages", 10).size());
        advanceSeconds(301);
        call("SendMessage", "QueueUrl", url, "MessageBody", "same", "MessageGroupId", "g1");
        String perGroup = createQueue("group.fifo", Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true",
                "DeduplicationScope", "messageGroup", "FifoThroughputLimit", "perMessageGroupId"));
        call("SendMessage", "QueueUrl", perGroup, "MessageBody", "same", "MessageGroupId", "g1");
        call("SendMessage", "QueueUrl", perGroup, "MessageBody", "same", "MessageGroupId", "g2");
        assertEquals(2, receive(perGroup, "MaxNumberOfMessages", 10).size());
    }

    @Test
    void fifoReceiveRequestAttemptIdReturnsTheSameMessages() {
        String url = createQueue("attempt.fifo", Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true"));
        call("SendMessage", "QueueUrl", url, "MessageBody", "one", "MessageGroupId", "g");
        List<Map<String, Object>> a = receive(url, "ReceiveRequestAttemptId", "try-1");
        List<Map<String, Object>> b = receive(url, "ReceiveRequestAttemptId", "try-1");
        assertEquals(a.get(0).get("ReceiptHandle"), b.get(0).get("ReceiptHandle"));
    }

    @Test
    void tags() {
        String url = (String) call("CreateQueue", "QueueName", "tagged", "tags", Map.of("team", "a")).get("QueueUrl");
        call("TagQueue", "QueueUrl", url, "Tags", Map.of("env", "dev", "team", "b"));
        assertEquals(Map.of("env", "dev", "team", "b"), call("ListQueueTags", "QueueUrl", url).get("Tags"));
        call("UntagQueue", "QueueUrl", url, "TagKeys", List.of("env", "team"));
        assertNull(call("ListQueueTags", "QueueUrl", url).get("Tags"));
    }

    @Test
    void permissions() throws Exception {
        String url = createQueue("shared", Map.of());
        call("AddPermission", "QueueUrl", url, "Label", "p1", "AWSAccountIds", List.of("111111111111"), "Actions", List.of("ReceiveMessage"));
        assertEquals("Value p1 for parameter Label is invalid. Reason: Already exists.", error("AddPermission", "QueueUrl", url,
                "Label", "p1", "AWSAccountIds", List.of("1"), "Actions", List.of("SendMessage")).getMessage());
        String policy = (String) ((Map<?, ?>) call("GetQueueAttributes", "QueueUrl", url, "AttributeNames", List.of("Policy")).get("Attributes")).get("Policy");
        var node = QueueAttributes.JSON.readTree(policy);
        assertEquals("p1", node.path("Statement").get(0).path("Sid").asText());
        assertEquals("arn:aws:iam::111111111111:root", node.path("Statement").get(0).path("Principal").path("AWS").asText());
        assertEquals("SQS:ReceiveMessage", node.path("Statement").get(0).path("Action").asText());
        call("RemovePermission", "QueueUrl", url, "Label", "p1");
        assertNull(call("GetQueueAttributes", "QueueUrl", url, "AttributeNames", List.of("Policy")).get("Attributes"));
        assertEquals("Value p1 for parameter Label is invalid. Reason: can't find label.",
                error("RemovePermission", "QueueUrl", url, "Label", "p1").getMessage());
    }

    @Test
    void persistenceRoundTrip() throws Exception {
        String std = createQueue("persist", Map.of("VisibilityTimeout", "10"));
        String fifo = createQueue("persist.fifo", Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true"));
        call("TagQueue", "QueueUrl", std, "Tags", Map.of("k", "v"));
        send(std, "visible", "MessageAttributes", Map.of("n", Map.of("DataType", "Number", "StringValue", "42"),
                "b", Map.of("DataType", "Binary", "BinaryValue", new byte[]{1, 2, 3})));
        send(std, "delayed", "DelaySeconds", 30);
        send(std, "inflight");
        List<Map<String, Object>> got = receive(std, "MaxNumberOfMessages", 1);
        assertEquals("visible", got.get(0).get("Body"));
        call("SendMessage", "QueueUrl", fifo, "MessageBody", "f1", "MessageGroupId", "g");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        provider.saveState(out);
        SqsProvider restored = new SqsProvider(new Config(Map.of()), SCHEDULER, clock::get);
        restored.loadState(new ByteArrayInputStream(out.toByteArray()), provider.stateVersion());
        provider = restored;

        assertEquals(Map.of("k", "v"), call("ListQueueTags", "QueueUrl", std).get("Tags"));
        Map<?, ?> counts = (Map<?, ?>) call("GetQueueAttributes", "QueueUrl", std, "AttributeNames", List.of("All")).get("Attributes");
        assertEquals("1", counts.get("ApproximateNumberOfMessages"));
        assertEquals("1", counts.get("ApproximateNumberOfMessagesNotVisible"));
        assertEquals("1", counts.get("ApproximateNumberOfMessagesDelayed"));
        assertEquals("10", counts.get("VisibilityTimeout"));
        // the in-flight receipt handle still works after the restart
        call("DeleteMessage", "QueueUrl", std, "ReceiptHandle", got.get(0).get("ReceiptHandle"));
        advanceSeconds(31);
        List<Map<String, Object>> rest = receive(std, "MaxNumberOfMessages", 10, "MessageAttributeNames", List.of("All"));
        assertEquals(List.of("delayed", "inflight"), bodies(rest).stream().sorted().toList());
        // deduplication state survived too
        Object again = call("SendMessage", "QueueUrl", fifo, "MessageBody", "f1", "MessageGroupId", "g").get("MessageId");
        assertEquals(1, receive(fifo, "MaxNumberOfMessages", 10).size());
        assertNotNull(again);
        restored.resetState();
        assertNull(call("ListQueues").get("QueueUrls"));
    }

    @Test
    void peekEndpointDoesNotChangeVisibility() {
        String url = createQueue("peek", Map.of());
        send(url, "one");
        send(url, "two");
        receive(url);
        var route = provider.internalRoutes().get(0);
        var resp = route.handler().apply(dev.polystack.api.HttpRequestData.of("GET",
                "/_aws/sqs/messages?QueueUrl=" + url, Map.of("Accept", "application/json"), new byte[0]));
        assertEquals(200, resp.status());
        String json = new String(resp.bodyBytes(), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"two\"") && !json.contains("\"one\""), json);
        var all = route.handler().apply(dev.polystack.api.HttpRequestData.of("GET",
                "/_aws/sqs/messages/us-east-1/000000000000/peek?ShowInvisible=true", Map.of(), new byte[0]));
        String xml = new String(all.bodyBytes(), StandardCharsets.UTF_8);
        assertTrue(xml.contains("<Body>one</Body>") && xml.contains("<Body>two</Body>"), xml);
        assertEquals(1, receive(url, "MaxNumberOfMessages", 10).size(), "peeking left 'two' visible and 'one' in flight");
        var missing = route.handler().apply(dev.polystack.api.HttpRequestData.of("GET",
                "/_aws/sqs/messages?QueueUrl=http://localhost/000000000000/nope", Map.of(), new byte[0]));
        assertEquals(400, missing.status());
    }

    static List<String> bodies(List<Map<String, Object>> messages) {
        return messages.stream().map(m -> (String) m.get("Body")).toList();
    }
}
