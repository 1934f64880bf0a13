package dev.polystack.services.sns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnsProviderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "111111111111";
    private final RecordingEnvironment env = new RecordingEnvironment();
    private final SnsProvider sns = new SnsProvider(env);
    private final RequestContext ctx = RequestContext.internal(ACCOUNT, "us-east-1", "sns");

    @AfterEach
    void close() {
        sns.close();
    }

    private Map<String, Object> call(String op, Object... kv) {
        Map<String, Object> in = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) in.put((String) kv[i], kv[i + 1]);
        return sns.invoke(ctx, op, in);
    }

    private ServiceException error(String op, Object... kv) {
        return assertThrows(ServiceException.class, () -> call(op, kv));
    }

    private String topic(String name, Map<String, Object> attributes) {
        return (String) call("CreateTopic", "Name", name, "Attributes", attributes).get("TopicArn");
    }

    private void settle() throws InterruptedException {
        assertTrue(sns.awaitDeliveries(Duration.ofSeconds(30))); // a bound, not a sleep: generous for a loaded machine
    }

    @Test
    void topicLifecycleAndErrors() {
        String arn = topic("orders", Map.of("DisplayName", "Orders"));
        assertEquals("arn:aws:sns:us-east-1:" + ACCOUNT + ":orders", arn);
        assertEquals(arn, topic("orders", Map.of())); // idempotent
        ServiceException diff = error("CreateTopic", "Name", "orders", "Attributes", Map.of("DisplayName", "Other"));
        assertEquals("InvalidParameterException", diff.code());
        assertEquals("Invalid parameter: Attributes Reason: Topic already exists with different attributes", diff.getMessage());
        @SuppressWarnings("unchecked")
        Map<String, String> attrs = (Map<String, String>) call("GetTopicAttributes", "TopicArn", arn).get("Attributes");
        assertEquals("Orders", attrs.get("DisplayName"));
        assertEquals(ACCOUNT, attrs.get("Owner"));
        assertFalse(attrs.containsKey("FifoTopic"));
        assertTrue(attrs.get("Policy").contains("__default_policy_ID"));
        assertTrue(attrs.get("EffectiveDeliveryPolicy").contains("\"numRetries\":3"));
        assertEquals("Invalid parameter: Topic Name", error("CreateTopic", "Name", "bad name").getMessage());
        assertEquals("Invalid parameter: Topic Name", error("CreateTopic", "Name", "x.fifo").getMessage());
        assertEquals("Invalid parameter: AttributeName",
                error("SetTopicAttributes", "TopicArn", arn, "AttributeName", "FifoTopic", "AttributeValue", "false").getMessage());
        ServiceException nf = error("GetTopicAttributes", "TopicArn", arn + "-missing");
        assertEquals("NotFoundException", nf.code());
        assertEquals(404, nf.status());
        assertEquals("Topic does not exist", nf.getMessage());
        assertEquals("Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1",
                error("GetTopicAttributes", "TopicArn", "randomstring").getMessage());
        assertEquals("Invalid parameter: TopicArn",
                error("GetTopicAttributes", "TopicArn", arn.replace("us-east-1", "eu-west-1")).getMessage());
        call("DeleteTopic", "TopicArn", arn);
        call("DeleteTopic", "TopicArn", arn);
        assertEquals("NotFoundException", error("GetTopicAttributes", "TopicArn", arn).code());
    }

    @Test
    void listTopicsPaginates() {
        for (int i = 0; i < 105; i++) topic("t" + i, Map.of());
        Map<String, Object> first = call("ListTopics");
        assertEquals(100, ((List<?>) first.get("Topics")).size());
        Map<String, Object> second = call("ListTopics", "NextToken", first.get("NextToken"));
        assertEquals(5, ((List<?>) second.get("Topics")).size());
        assertFalse(second.containsKey("NextToken"));
    }

    @Test
    void tags() {
        String arn = topic("tagged", Map.of());
        call("TagResource", "ResourceArn", arn, "Tags", List.of(Map.of("Key", "k1", "Value", "v1"), Map.of("Key", "k2", "Value", "v2")));
        call("UntagResource", "ResourceArn", arn, "TagKeys", List.of("k1"));
        assertEquals(List.of(Map.of("Key", "k2", "Value", "v2")), call("ListTagsForResource", "ResourceArn", arn).get("Tags"));
        assertEquals("Invalid parameter: Duplicated keys are not allowed.", error("TagResource", "ResourceArn", arn,
                "Tags", List.of(Map.of("Key", "k", "Value", "1"), Map.of("Key", "k", "Value", "2"))).getMessage());
    }

    @Test
    void publishFansOutToSqsWithEnvelopeAndRawDelivery() throws Exception {
        String arn = topic("fanout", Map.of());
        String q1 = env.queue(ACCOUNT, "us-east-1", "q1");
        String q2 = env.queue(ACCOUNT, "us-east-1", "q2");
        String sub1 = (String) call("Subscribe", "TopicArn", arn, "Protocol", "sqs", "Endpoint", q1).get("SubscriptionArn");
        call("Subscribe", "TopicArn", arn, "Protocol", "sqs", "Endpoint", q2, "Attributes", Map.of("RawMessageDelivery", "true"));
        Map<String, Object> out = call("Publish", "TopicArn", arn, "Message", "hello", "Subject", "greeting",
                "MessageAttributes", Map.of("attr1", Map.of("DataType", "Number", "StringValue", "99.12")));
        assertNotNull(out.get("MessageId"));
        settle();
        RecordingEnvironment.Call c1 = env.sent("q1").get(0);
        JsonNode envelope = JSON.readTree((String) c1.input().get("MessageBody"));
        assertEquals("Notification", envelope.get("Type").asText());
        assertEquals(out.get("MessageId"), envelope.get("MessageId").asText());
        assertEquals(arn, envelope.get("TopicArn").asText());
        assertEquals("greeting", envelope.get("Subject").asText());
        assertEquals("hello", envelope.get("Message").asText());
        assertEquals("1", envelope.get("SignatureVersion").asText());
        assertTrue(envelope.get("SigningCertURL").asText().contains("/_aws/sns/SimpleNotificationService-"));
        assertTrue(envelope.get("UnsubscribeURL").asText().endsWith("Action=Unsubscribe&SubscriptionArn=" + sub1));
        assertEquals("Number", envelope.at("/MessageAttributes/attr1/Type").asText());
        assertEquals("99.12", envelope.at("/MessageAttributes/attr1/Value").asText());
        List<String> fields = new ArrayList<>();
        envelope.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion", "Signature",
                "SigningCertURL", "UnsubscribeURL", "MessageAttributes"), fields);
        assertFalse(c1.input().containsKey("MessageAttributes"));
        RecordingEnvironment.Call c2 = env.sent("q2").get(0);
        assertEquals("hello", c2.input().get("MessageBody"));
        assertEquals(Map.of("attr1", Map.of("DataType", "Number", "StringValue", "99.12")), c2.input().get("MessageAttributes"));
    }

    @Test
    void signatureVerifiesWithServedCertificate() throws Exception {
        String arn = topic("signed", Map.of("SignatureVersion", "2"));
        call("Subscribe", "TopicArn", arn, "Protocol", "sqs", "Endpoint", env.queue(ACCOUNT, "us-east-1", "sq"));
        call("Publish", "TopicArn", arn, "Message", "verify me");
        settle();
        JsonNode e = JSON.readTree((String) env.sent("sq").get(0).input().get("MessageBody"));
        String path = e.get("SigningCertURL").asText().replaceFirst("^https?://[^/]+", "");
        var route = sns.internalRoutes().stream().filter(r -> path.startsWith(r.pathPrefix())).findFirst().orElseThrow();
        var response = route.handler().apply(dev.polystack.api.HttpRequestData.of("GET", path, Map.of(), null));
        assertEquals(200, response.status());
        var cert = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(response.bodyBytes()));
        String canonical = "Message\nverify me\nMessageId\n" + e.get("MessageId").asText() + "\nTimestamp\n" + e.get("Timestamp").asText()
                + "\nTopicArn\n" + arn + "\nType\nNotification\n";
        var verifier = java.security.Signature.getInstance("SHA256withRSA");
        verifier.initVerify(cert.getPublicKey());
        verifier.update(canonical.getBytes(StandardCharsets.UTF_8));
        assertTrue(verifier.verify(java.util.Base64.getDecoder().decode(e.get("Signature").asText())));
    }

    @Test
    void filterPoliciesOnAttributesAndBody() throws Exception {
        String arn = topic("filtered", Map.of());
        call("Subscribe", "TopicArn", arn, "Protocol", "sqs", "Endpoint", env.queue(ACCOUNT, "us-east-1", "attrs"),
                "Attributes", Map.of("FilterPolicy", "{\"attr1\":[{\"numeric\":[\">\",0,\"<=\",100]}]}"));
        call("Subscribe", "TopicArn", arn, "Protocol", "sqs", "Endpoint", env.queue(ACCOUNT, "us-east-1", "body"),
                "Attributes", Map.of("FilterPolicy", "{\"object\":{\"key\":[{\"prefix\":\"auto-\"}]}}", "FilterPolicyScope", "MessageBody"));
        call("Publish", "TopicArn", arn, "Message", "{\"object\":{\"key\":\"auto-test\"}}",
                "MessageAttributes", Map.of("attr1", Map.of("DataType", "Number", "StringValue", "150")));
        call("Publish", "TopicArn", arn, "Message", "{\"object\":{\"key\":\"home\"}}",
                "MessageAttributes", Map.of("attr1", Map.of("DataType", "Number", "StringValue", "99")));
        settle();
        assertEquals(1, env.sent("attrs").size());
        assertTrue(((String) env.sent("attrs").get(0).input().get("MessageBody")).contains("home"));
        assertEquals(1, env.sent("body").size());
        assertTrue(((String) env.sent("body").get(0).input().get("MessageBody")).contains("auto-test"));
    }

    @Test
    void subscriptionAttributeValidation() {
        String arn = topic("subs", Map.of());
        String q = env.queue(ACCOUNT, "us-east-1", "v");
        assertEquals("Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [wrongvalue]. Must be true or false.",
                error("Subscribe", "TopicArn", arn, "Protocol", "sqs", "Endpoint", q, "Attributes", Map.of("RawMessageDelivery", "wrongvalue")).getMessage());
        assertEquals("Invalid parameter: Amazon SNS does not support this protocol string: test-protocol",
                error("Subscribe", "TopicArn", arn, "Protocol", "test-protocol", "Endpoint", q).getMessage());
        assertEquals("Invalid parameter: SQS endpoint ARN",
                error("Subscribe", "TopicArn", arn, "Protocol", "sqs", "Endpoint", "http://sqs.us-east-1.localhost/111/q").getMessage());
        String sub = (String) call("Subscribe", "TopicArn", arn, "Protocol", "sqs", "Endpoint", q).get("SubscriptionArn");
        assertEquals(sub, call("Subscribe", "TopicArn", arn, "Protocol", "sqs", "Endpoint", q).get("SubscriptionArn"));
        assertEquals("Invalid parameter: Attributes Reason: Subscription already exists with different attributes",
                error("Subscribe", "TopicArn", arn, "Protocol", "sqs", "Endpoint", q, "Attributes", Map.of("RawMessageDelivery", "true")).getMessage());
        assertEquals("Invalid parameter: AttributeName",
                error("SetSubscriptionAttributes", "SubscriptionArn", sub, "AttributeName", "Fake", "AttributeValue", "x").getMessage());
        assertEquals("Invalid parameter: RawMessageDelivery: Invalid value []. Must be true or false.",
                error("SetSubscriptionAttributes", "SubscriptionArn", sub, "AttributeName", "RawMessageDelivery", "AttributeValue", "").getMessage());
        assertEquals("Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn",
                error("SetSubscriptionAttributes", "SubscriptionArn", sub, "AttributeName", "RedrivePolicy",
                        "AttributeValue", "{\"deadLetterTargetArn\":\"fake\"}").getMessage());
        assertTrue(error("SetSubscriptionAttributes", "SubscriptionArn", sub, "AttributeName", "FilterPolicy", "AttributeValue", "{invalid")
                .getMessage().startsWith("Invalid parameter: FilterPolicy: failed to parse JSON. Unexpected character ('i' (code 105))"));
        assertEquals("Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy",
                error("SetSubscriptionAttributes", "SubscriptionArn", sub, "AttributeName", "FilterPolicy",
                        "AttributeValue", "{\"a\":{\"b\":[\"c\"]}}").getMessage());
        assertEquals("Invalid parameter: FilterPolicyScope: Invalid value [RandomValue]. Please use either MessageBody or MessageAttributes",
                error("SetSubscriptionAttributes", "SubscriptionArn", sub, "AttributeName", "FilterPolicyScope", "AttributeValue", "RandomValue").getMessage());
        call("SetSubscriptionAttributes", "SubscriptionArn", sub, "AttributeName", "RawMessageDelivery", "AttributeValue", "true");
        @SuppressWarnings("unchecked")
        Map<String, String> attrs = (Map<String, String>) call("GetSubscriptionAttributes", "SubscriptionArn", sub).get("Attributes");
        assertEquals("true", attrs.get("RawMessageDelivery"));
        assertEquals("false", attrs.get("PendingConfirmation"));
        assertEquals(q, attrs.get("Endpoint"));
        call("Unsubscribe", "SubscriptionArn", sub);
        call("Unsubscribe", "SubscriptionArn", sub);
        ServiceException gone = error("GetSubscriptionAttributes", "SubscriptionArn", sub);
        assertEquals("Subscription does not exist", gone.getMessage());
        assertEquals("Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1",
                error("Unsubscribe", "SubscriptionArn", "randomstring").getMessage());
    }

    @Test
    void publishValidation() {
        String arn = topic("pv", Map.of());
        assertEquals("Invalid parameter: Empty message", error("Publish", "TopicArn", arn, "Message", "").getMessage());
        assertEquals("Invalid parameter: Subject", error("Publish", "TopicArn", arn, "Message", "m", "Subject", "").getMessage());
        assertEquals("Invalid parameter: Message too long", error("Publish", "TopicArn", arn, "Message", "x".repeat(262_145)).getMessage());
        assertEquals("Invalid parameter: Message Structure - No default entry in JSON message body",
                error("Publish", "TopicArn", arn, "Message", "{\"sqs\":\"x\"}", "MessageStructure", "json").getMessage());
        assertEquals("Invalid parameter: Message Structure - JSON message body failed to parse",
                error("Publish", "TopicArn", arn, "Message", "{oops", "MessageStructure", "json").getMessage());
        ServiceException attr = error("Publish", "TopicArn", arn, "Message", "m", "MessageAttributes", Map.of("attr1", Map.of("DataType", "String", "StringValue", "")));
        assertEquals("InvalidParameterValueException", attr.code());
        assertEquals("The message attribute 'attr1' must contain non-empty message attribute value for message attribute type 'String'.", attr.getMessage());
        assertEquals("Invalid non-alphanumeric character '#x5E' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.",
                error("Publish", "TopicArn", arn, "Message", "m", "MessageAttributes", Map.of("a^b", Map.of("DataType", "String", "StringValue", "x"))).getMessage());
        assertEquals("1 validation error detected: Value null at 'messageAttributes.attr1.member.dataType' failed to satisfy constraint: Member must not be null",
                error("Publish", "TopicArn", arn, "Message", "m", "MessageAttributes", Map.of("attr1", Map.of("StringValue", "x"))).getMessage());
        assertEquals("Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type",
                error("Publish", "TopicArn", arn, "Message", "m", "MessageDeduplicationId", "d").getMessage());
        assertEquals("NotFoundException", error("Publish", "TopicArn", arn + "x", "Message", "m").code());
    }

    @Test
    void fifoTopicKeepsIdsOrderAndDeduplicates() throws Exception {
        String arn = topic("orders.fifo", Map.of("FifoTopic", "true", "ContentBasedDeduplication", "true"));
        String q = env.queue(ACCOUNT, "us-east-1", "orders.fifo");
        assertEquals("Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics",
                error("Subscribe", "TopicArn", topic("std", Map.of()), "Protocol", "sqs", "Endpoint", q).getMessage());
        call("Subscribe", "TopicArn", arn, "Protocol", "sqs", "Endpoint", q, "Attributes", Map.of("RawMessageDelivery", "true"));
        assertEquals("Invalid parameter: The MessageGroupId parameter is required for FIFO topics",
                error("Publish", "TopicArn", arn, "Message", "m").getMessage());
        List<String> sequence = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sequence.add((String) call("Publish", "TopicArn", arn, "Message", "m" + i, "MessageGroupId", "g").get("SequenceNumber"));
        }
        Map<String, Object> dup = call("Publish", "TopicArn", arn, "Message", "m0", "MessageGroupId", "g");
        assertEquals(sequence.get(0), dup.get("SequenceNumber"));
        settle();
        List<RecordingEnvironment.Call> sent = env.sent("orders.fifo");
        assertEquals(50, sent.size());
        for (int i = 0; i < 50; i++) {
            assertEquals("m" + i, sent.get(i).input().get("MessageBody"));
            assertEquals("g", sent.get(i).input().get("MessageGroupId"));
            assertEquals(64, ((String) sent.get(i).input().get("MessageDeduplicationId")).length());
        }
        for (int i = 1; i < sequence.size(); i++) assertTrue(sequence.get(i).compareTo(sequence.get(i - 1)) > 0);
        String noDedup = topic("plain.fifo", Map.of("FifoTopic", "true"));
        assertEquals("Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
                error("Publish", "TopicArn", noDedup, "Message", "m", "MessageGroupId", "g").getMessage());
    }

    @Test
    void publishBatch() throws Exception {
        String arn = topic("batch", Map.of());
        call("Subscribe", "TopicArn", arn, "Protocol", "sqs", "Endpoint", env.queue(ACCOUNT, "us-east-1", "bq"));
        Map<String, Object> out = call("PublishBatch", "TopicArn", arn, "PublishBatchRequestEntries",
                List.of(Map.of("Id", "1", "Message", "a"), Map.of("Id", "2", "Message", "b")));
        assertEquals(2, ((List<?>) out.get("Successful")).size());
        assertEquals(List.of(), out.get("Failed"));
        settle();
        assertEquals(2, env.sent("bq").size());
        assertEquals("BatchEntryIdsNotDistinctException", error("PublishBatch", "TopicArn", arn, "PublishBatchRequestEntries",
                List.of(Map.of("Id", "1", "Message", "a"), Map.of("Id", "1", "Message", "b"))).code());
        List<Map<String, Object>> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) eleven.add(Map.of("Id", "i" + i, "Message", "m"));
        assertEquals("The batch request contains more entries than permissible.",
                error("PublishBatch", "TopicArn", arn, "PublishBatchRequestEntries", eleven).getMessage());
        assertEquals("The Id of a batch entry in the batch request contains an impermissible character: message.id",
                error("PublishBatch", "TopicArn", arn, "PublishBatchRequestEntries", List.of(Map.of("Id", "message.id", "Message", "m"))).getMessage());
        assertEquals("1 validation error detected: Value null at 'publishBatchRequestEntries.1.member.messageAttributes.attr1.member.dataType' failed to satisfy constraint: Member must not be null",
                error("PublishBatch", "TopicArn", arn, "PublishBatchRequestEntries", List.of(Map.of("Id", "1", "Message", "m",
                        "MessageAttributes", Map.of("attr1", Map.of("StringValue", "x"))))).getMessage());
    }

    @Test
    void messageStructureJsonPicksSqsEntry() throws Exception {
        String arn = topic("structured", Map.of());
        call("Subscribe", "TopicArn", arn, "Protocol", "sqs", "Endpoint", env.queue(ACCOUNT, "us-east-1", "js"),
                "Attributes", Map.of("RawMessageDelivery", "true"));
        call("Publish", "TopicArn", arn, "Message", "{\"default\":\"d\",\"sqs\":\"for sqs\"}", "MessageStructure", "json");
        settle();
        assertEquals("for sqs", env.sent("js").get(0).input().get("MessageBody"));
    }

    @Test
    void missingQueueGoesToDeadLetterQueue() throws Exception {
        String arn = topic("dlq", Map.of());
        String dlq = env.queue(ACCOUNT, "us-east-1", "dead");
        call("Subscribe", "TopicArn", arn, "Protocol", "sqs", "Endpoint", "arn:aws:sqs:us-east-1:" + ACCOUNT + ":missing",
                "Attributes", Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + dlq + "\"}"));
        call("Publish", "TopicArn", arn, "Message", "lost");
        settle();
        assertEquals(1, env.sent("dead").size());
    }

    @Test
    void httpSubscriptionIsPendingAndTokenEndpointAnswers() throws Exception {
        String arn = topic("web", Map.of());
        assertEquals("pending confirmation",
                call("Subscribe", "TopicArn", arn, "Protocol", "http", "Endpoint", "http://127.0.0.1:9/hook").get("SubscriptionArn"));
        String sub = (String) call("Subscribe", "TopicArn", arn, "Protocol", "http", "Endpoint", "http://127.0.0.1:9/hook",
                "ReturnSubscriptionArn", true).get("SubscriptionArn");
        var route = sns.internalRoutes().get(0);
        var response = route.handler().apply(dev.polystack.api.HttpRequestData.of("GET", "/_aws/sns/subscription-tokens/" + sub, Map.of(), null));
        assertEquals(200, response.status());
        String token = JSON.readTree(response.bodyBytes()).get("subscription_token").asText();
        assertEquals("Invalid parameter: Token", error("ConfirmSubscription", "TopicArn", arn, "Token", "ab".repeat(32)).getMessage());
        assertEquals("Invalid token", error("ConfirmSubscription", "TopicArn", arn, "Token", "not-a-token").getMessage());
        assertEquals(sub, call("ConfirmSubscription", "TopicArn", arn, "Token", token).get("SubscriptionArn"));
        @SuppressWarnings("unchecked")
        Map<String, String> attrs = (Map<String, String>) call("GetSubscriptionAttributes", "SubscriptionArn", sub).get("Attributes");
        assertEquals("false", attrs.get("PendingConfirmation"));
        assertEquals(404, route.handler().apply(dev.polystack.api.HttpRequestData.of("GET",
                "/_aws/sns/subscription-tokens/" + arn + ":00000000-0000-0000-0000-000000000000", Map.of(), null)).status());
    }

    private List<RecordingEnvironment.Call> callsTo(String service, String operation, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<RecordingEnvironment.Call> found;
        do {
            found = env.calls.stream().filter(c -> c.service().equals(service) && c.operation().equals(operation)).toList();
            if (found.size() >= atLeast) return found;
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        return found;
    }

    @Test
    @SuppressWarnings("unchecked")
    void lambdaFirehoseAndEmailTargetsReceiveTheMessage() throws Exception {
        String arn = topic("targets", Map.of());
        String function = "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:handler";
        call("Subscribe", "TopicArn", arn, "Protocol", "lambda", "Endpoint", function);
        call("Subscribe", "TopicArn", arn, "Protocol", "firehose", "Endpoint", "arn:aws:firehose:us-east-1:" + ACCOUNT + ":deliverystream/stream",
                "Attributes", Map.of("SubscriptionRoleArn", "arn:aws:iam::" + ACCOUNT + ":role/r", "RawMessageDelivery", "true"));
        String mail = (String) call("Subscribe", "TopicArn", arn, "Protocol", "email", "Endpoint", "me@example.com",
                "ReturnSubscriptionArn", true).get("SubscriptionArn");
        // the confirmation email goes out at once; the token in it confirms
        Map<String, Object> confirmation = callsTo("ses", "SendEmail", 1).get(0).input();
        assertEquals(List.of("me@example.com"), ((Map<String, Object>) confirmation.get("Destination")).get("ToAddresses"));
        String text = (String) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) confirmation.get("Message"))
                .get("Body")).get("Text")).get("Data");
        String token = text.substring(text.indexOf("Token=") + 6).trim();
        assertEquals(mail, call("ConfirmSubscription", "TopicArn", arn, "Token", token).get("SubscriptionArn"));
        assertEquals(1, callsTo("ses", "VerifyEmailIdentity", 1).size());

        call("Publish", "TopicArn", arn, "Message", "hello targets", "Subject", "Greetings");
        settle();
        var invoke = callsTo("lambda", "Invoke", 1).get(0).input();
        assertEquals(function, invoke.get("FunctionName"));
        assertEquals("Event", invoke.get("InvocationType"));
        var record = JSON.readTree((byte[]) invoke.get("Payload")).get("Records").get(0);
        assertEquals("aws:sns", record.get("EventSource").asText());
        assertEquals("hello targets", record.get("Sns").get("Message").asText());
        assertEquals("Greetings", record.get("Sns").get("Subject").asText());
        var put = callsTo("firehose", "PutRecord", 1).get(0).input();
        assertEquals("stream", put.get("DeliveryStreamName"));
        assertEquals("hello targets", new String((byte[]) ((Map<String, Object>) put.get("Record")).get("Data"), java.nio.charset.StandardCharsets.UTF_8));
        Map<String, Object> email = callsTo("ses", "SendEmail", 2).get(1).input();
        assertEquals(SnsDelivery.EMAIL_SENDER, email.get("Source"));
        Map<String, Object> message = (Map<String, Object>) email.get("Message");
        assertEquals("Greetings", ((Map<String, Object>) message.get("Subject")).get("Data"));
        assertTrue(((String) ((Map<String, Object>) ((Map<String, Object>) message.get("Body")).get("Text")).get("Data"))
                .startsWith("hello targets\n"));
    }

    @Test
    void stateRoundTrips() throws Exception {
        String arn = topic("persisted.fifo", Map.of("FifoTopic", "true", "DisplayName", "P"));
        call("TagResource", "ResourceArn", arn, "Tags", List.of(Map.of("Key", "k", "Value", "v")));
        String sub = (String) call("Subscribe", "TopicArn", arn, "Protocol", "sqs", "Endpoint", env.queue(ACCOUNT, "us-east-1", "p.fifo"),
                "Attributes", Map.of("FilterPolicy", "{\"a\":[\"b\"]}")).get("SubscriptionArn");
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        sns.saveState(saved);
        SnsProvider restored = new SnsProvider(env);
        try {
            restored.loadState(new ByteArrayInputStream(saved.toByteArray()), sns.stateVersion());
            @SuppressWarnings("unchecked")
            Map<String, String> attrs = (Map<String, String>) restored.invoke(ctx, "GetTopicAttributes", Map.of("TopicArn", arn)).get("Attributes");
            assertEquals("P", attrs.get("DisplayName"));
            assertEquals("true", attrs.get("FifoTopic"));
            assertEquals("1", attrs.get("SubscriptionsConfirmed"));
            assertEquals(List.of(Map.of("Key", "k", "Value", "v")), restored.invoke(ctx, "ListTagsForResource", Map.of("ResourceArn", arn)).get("Tags"));
            restored.invoke(ctx, "Publish", Map.of("TopicArn", arn, "Message", "{}", "MessageGroupId", "g", "MessageDeduplicationId", "1",
                    "MessageAttributes", Map.of("a", Map.of("DataType", "String", "StringValue", "b"))));
            assertTrue(restored.awaitDeliveries(Duration.ofSeconds(10)));
            assertEquals(1, env.sent("p.fifo").size());
            assertEquals(sub, ((List<?>) restored.invoke(ctx, "ListSubscriptionsByTopic", Map.of("TopicArn", arn)).get("Subscriptions"))
                    .stream().map(m -> ((Map<?, ?>) m).get("SubscriptionArn")).findFirst().orElseThrow());
            restored.resetState();
            assertEquals(List.of(), restored.invoke(ctx, "ListTopics", Map.of()).get("Topics"));
        } finally {
            restored.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void platformApplicationsAndEndpoints() throws Exception {
        assertEquals("1 validation error detected: Value null at 'attributes' failed to satisfy constraint: Member must not be null",
                error("CreatePlatformApplication", "Name", "app", "Platform", "ADM").getMessage());
        assertEquals("Invalid parameter: Platform Reason: AAA is not supported",
                error("CreatePlatformApplication", "Name", "app", "Platform", "AAA", "Attributes",
                        Map.of("PlatformPrincipal", "p", "PlatformCredential", "c")).getMessage());
        // an empty map is what the query protocol sends for none: AWS's ValidationError (recorded)
        assertEquals("ValidationError", error("CreatePlatformApplication", "Name", "app", "Platform", "ADM", "Attributes", Map.of()).code());
        assertEquals("Invalid parameter: Attributes Reason: PlatformPrincipal attribute provided without PlatformCredential",
                error("CreatePlatformApplication", "Name", "app", "Platform", "ADM", "Attributes", Map.of("PlatformPrincipal", "p")).getMessage());
        String app = (String) call("CreatePlatformApplication", "Name", "app", "Platform", "ADM",
                "Attributes", Map.of("PlatformPrincipal", "p", "PlatformCredential", "c")).get("PlatformApplicationArn");
        assertEquals("arn:aws:sns:us-east-1:" + ACCOUNT + ":app/ADM/app", app);
        assertEquals(Map.of("Enabled", "true"), call("GetPlatformApplicationAttributes", "PlatformApplicationArn", app).get("Attributes"));
        String endpoint = (String) call("CreatePlatformEndpoint", "PlatformApplicationArn", app, "Token", "token_1").get("EndpointArn");
        assertTrue(endpoint.startsWith("arn:aws:sns:us-east-1:" + ACCOUNT + ":endpoint/ADM/app/"));
        assertEquals(endpoint, call("CreatePlatformEndpoint", "PlatformApplicationArn", app, "Token", "token_1").get("EndpointArn"));
        assertEquals("Invalid parameter: Token Reason: Endpoint " + endpoint + " already exists with the same Token, but different attributes.",
                error("CreatePlatformEndpoint", "PlatformApplicationArn", app, "Token", "token_1", "CustomUserData", "x").getMessage());
        assertEquals("Invalid parameter: Attributes Reason: Invalid attribute name: PlatformPrincipal",
                error("SetEndpointAttributes", "EndpointArn", endpoint, "Attributes", Map.of("PlatformPrincipal", "x")).getMessage());
        String id = (String) call("Publish", "TargetArn", endpoint, "Message", "push").get("MessageId");
        var route = sns.internalRoutes().stream().filter(r -> r.pathPrefix().endsWith("platform-endpoint-messages")).findFirst().orElseThrow();
        JsonNode sent = JSON.readTree(route.handler().apply(dev.polystack.api.HttpRequestData.of("GET",
                "/_aws/sns/platform-endpoint-messages?accountId=" + ACCOUNT + "&region=us-east-1", Map.of(), null)).bodyBytes());
        assertEquals(id, sent.at("/platform_endpoint_messages").get(endpoint).get(0).get("MessageId").asText());
        call("SetEndpointAttributes", "EndpointArn", endpoint, "Attributes", Map.of("Enabled", "false"));
        assertEquals("EndpointDisabledException", error("Publish", "TargetArn", endpoint, "Message", "push").code());
        assertEquals(1, ((List<?>) call("ListEndpointsByPlatformApplication", "PlatformApplicationArn", app).get("Endpoints")).size());
        call("DeletePlatformApplication", "PlatformApplicationArn", app);
        assertEquals("PlatformApplication does not exist",
                error("ListEndpointsByPlatformApplication", "PlatformApplicationArn", app).getMessage());
        assertEquals("Endpoint does not exist", error("GetEndpointAttributes", "EndpointArn", endpoint).getMessage());
    }
}
