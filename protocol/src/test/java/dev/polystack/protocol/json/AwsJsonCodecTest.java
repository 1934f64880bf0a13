package dev.polystack.protocol.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.protocol.BotocoreCatalog;
import dev.polystack.protocol.ParsedRequest;
import dev.polystack.protocol.ServiceCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class AwsJsonCodecTest {
    static final BotocoreCatalog CATALOG = BotocoreCatalog.fromEnvironment();
    static final ObjectMapper JSON = new ObjectMapper();

    static HttpRequestData json(String target, String body) {
        return HttpRequestData.of("POST", "/", Map.of("X-Amz-Target", target, "Content-Type", "application/x-amz-json-1.0"),
                body.getBytes(StandardCharsets.UTF_8));
    }

    static RequestContext ctx(HttpRequestData r) {
        return new RequestContext("000000000000", "us-east-1", "sqs", "req-1", null, r);
    }

    @Test
    void sqsSendMessageRoundTrip() throws Exception {
        ServiceCodec sqs = CATALOG.codec("sqs");
        HttpRequestData req = json("AmazonSQS.SendMessage", """
                {"QueueUrl":"http://q/000000000000/q1","MessageBody":"hi","DelaySeconds":5,
                 "MessageAttributes":{"a":{"DataType":"Binary","BinaryValue":"AAEC"}},"Unknown":{"x":[1]}}""");
        ParsedRequest p = sqs.parse(req);
        assertEquals("SendMessage", p.operation());
        assertEquals("hi", p.params().get("MessageBody"));
        assertEquals(5, p.params().get("DelaySeconds"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> attrs = (Map<String, Map<String, Object>>) p.params().get("MessageAttributes");
        assertArrayEquals(new byte[]{0, 1, 2}, (byte[]) attrs.get("a").get("BinaryValue"));
        assertFalse(p.params().containsKey("Unknown"));

        HttpResponseData r = sqs.serialize(ctx(req), "SendMessage", Map.of("MessageId", "m1", "MD5OfMessageBody", "abc"));
        assertEquals(200, r.status());
        assertEquals("application/x-amz-json-1.0", r.header("Content-Type"));
        JsonNode body = JSON.readTree(r.bodyBytes());
        assertEquals("m1", body.get("MessageId").asText());
    }

    @Test
    void timestampsAndBlobsOut() throws Exception {
        ServiceCodec kms = CATALOG.codec("kms");
        HttpRequestData req = HttpRequestData.of("POST", "/", Map.of("X-Amz-Target", "TrentService.Encrypt"), "{\"KeyId\":\"k\",\"Plaintext\":\"aGk=\"}".getBytes());
        ParsedRequest p = kms.parse(req);
        assertArrayEquals("hi".getBytes(), (byte[]) p.params().get("Plaintext"));
        HttpResponseData r = kms.serialize(ctx(req), "DescribeKey", Map.of("KeyMetadata",
                Map.of("KeyId", "k", "CreationDate", Instant.ofEpochSecond(1700000000, 123_000_000))));
        assertEquals("{\"KeyMetadata\":{\"KeyId\":\"k\",\"CreationDate\":1700000000.123}}", new String(r.bodyBytes()));
    }

    @Test
    void errorsCarryQueryCompatibleCodes() throws Exception {
        ServiceCodec sqs = CATALOG.codec("sqs");
        HttpRequestData req = json("AmazonSQS.GetQueueUrl", "{\"QueueName\":\"x\"}");
        HttpResponseData r = sqs.serializeError(ctx(req), "GetQueueUrl", new ServiceException("QueueDoesNotExist", "The specified queue does not exist."));
        assertEquals(400, r.status());
        assertEquals("AWS.SimpleQueueService.NonExistentQueue;Sender", r.header("x-amzn-query-error"));
        JsonNode body = JSON.readTree(r.bodyBytes());
        assertEquals("QueueDoesNotExist", body.get("__type").asText());
        assertEquals("The specified queue does not exist.", body.get("message").asText());

        r = sqs.serializeError(ctx(req), "GetQueueUrl", new ServiceException("InvalidParameterValue", "bad"));
        assertEquals("InvalidParameterValue;Sender", r.header("x-amzn-query-error"));
        assertEquals("InvalidParameterValueException", JSON.readTree(r.bodyBytes()).get("__type").asText());
    }

    @Test
    void missingRequiredAndMalformedInput() {
        ServiceCodec sqs = CATALOG.codec("sqs");
        ServiceException e = assertThrows(ServiceException.class, () -> sqs.parse(json("AmazonSQS.SendMessage", "{\"QueueUrl\":\"u\"}")));
        assertEquals("MissingParameter", e.code());
        assertEquals("The request must contain the parameter MessageBody.", e.getMessage());
        e = assertThrows(ServiceException.class, () -> sqs.parse(json("AmazonSQS.SendMessage", "{\"QueueUrl\":5}")));
        assertEquals("SerializationException", e.code());
        e = assertThrows(ServiceException.class, () -> sqs.parse(json("AmazonSQS.Nope", "{}")));
        assertEquals("UnknownOperationException", e.code());

        ServiceCodec ddb = CATALOG.codec("dynamodb");
        e = assertThrows(ServiceException.class, () -> ddb.parse(HttpRequestData.of("POST", "/",
                Map.of("X-Amz-Target", "DynamoDB_20120810.PutItem"), "{\"Item\":{}}".getBytes())));
        assertEquals("ValidationException", e.code());
        assertEquals("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null", e.getMessage());
    }

    @Test
    void dynamoDbNestedAttributeValues() {
        ServiceCodec ddb = CATALOG.codec("dynamodb");
        ParsedRequest p = ddb.parse(HttpRequestData.of("POST", "/", Map.of("X-Amz-Target", "DynamoDB_20120810.PutItem"), """
                {"TableName":"t","Item":{"pk":{"S":"a"},"n":{"N":"1"},"m":{"M":{"l":{"L":[{"BOOL":true},{"NULL":true},{"B":"AA=="}]}}}}}
                """.getBytes()));
        @SuppressWarnings("unchecked")
        Map<String, Object> item = (Map<String, Object>) p.params().get("Item");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> l = (List<Map<String, Object>>) ((Map<String, Map<String, Map<String, Object>>>) item.get("m")).get("M").get("l").get("L");
        assertEquals(Boolean.TRUE, l.get(0).get("BOOL"));
        assertArrayEquals(new byte[]{0}, (byte[]) l.get(2).get("B"));
    }
}
