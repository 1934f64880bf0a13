package dev.polystack.protocol.query;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.ServiceException;
import dev.polystack.protocol.ParsedRequest;
import dev.polystack.protocol.xml.TestSpecs;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.polystack.protocol.xml.TestSpecs.context;
import static dev.polystack.protocol.xml.TestSpecs.form;
import static org.junit.jupiter.api.Assertions.*;

class QueryCodecTest {
    static final QueryCodec SNS = new QueryCodec(TestSpecs.model("sns"));
    static final QueryCodec STS = new QueryCodec(TestSpecs.model("sts"));
    static final QueryCodec IAM = new QueryCodec(TestSpecs.model("iam"));

    @Test
    void parsesMapsWithLocationNamesListsAndBlobs() {
        ParsedRequest p = SNS.parse(form("Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At"
                + "&Message=hello+world&MessageAttributes.entry.1.Name=color&MessageAttributes.entry.1.Value.DataType=String"
                + "&MessageAttributes.entry.1.Value.StringValue=red&MessageAttributes.entry.2.Name=bin"
                + "&MessageAttributes.entry.2.Value.DataType=Binary&MessageAttributes.entry.2.Value.BinaryValue=AAEC"));
        assertEquals("Publish", p.operation());
        Map<String, Object> in = p.params();
        assertEquals("arn:aws:sns:us-east-1:000000000000:t", in.get("TopicArn"));
        assertEquals("hello world", in.get("Message"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> attrs = (Map<String, Map<String, Object>>) in.get("MessageAttributes");
        assertEquals(List.of("color", "bin"), List.copyOf(attrs.keySet()));
        assertEquals(Map.of("DataType", "String", "StringValue", "red"), attrs.get("color"));
        assertArrayEquals(new byte[]{0, 1, 2}, (byte[]) attrs.get("bin").get("BinaryValue"));
    }

    @Test
    void parsesMemberListsDefaultMapNamesAndEmptyLists() {
        ParsedRequest p = SNS.parse(form("Action=CreateTopic&Name=t&Attributes.entry.1.key=DisplayName&Attributes.entry.1.value=d"
                + "&Tags.member.2.Key=k2&Tags.member.2.Value=v2&Tags.member.1.Key=k1&Tags.member.1.Value=v1"));
        assertEquals(Map.of("DisplayName", "d"), p.params().get("Attributes"));
        assertEquals(List.of(Map.of("Key", "k1", "Value", "v1"), Map.of("Key", "k2", "Value", "v2")), p.params().get("Tags"));
        ParsedRequest empty = SNS.parse(form("Action=CreateTopic&Name=t&Tags="));
        assertEquals(List.of(), empty.params().get("Tags"));
    }

    @Test
    void parsesQueryStringNumbersAndTimestamps() {
        ParsedRequest p = STS.parse(HttpRequestData.of("GET", "/?Action=AssumeRole&RoleArn=arn&RoleSessionName=s&DurationSeconds=900", Map.of(), null));
        assertEquals(900, p.params().get("DurationSeconds"));
        ServiceException e = assertThrows(ServiceException.class,
                () -> STS.parse(form("Action=AssumeRole&RoleArn=arn&RoleSessionName=s&DurationSeconds=abc")));
        assertEquals("ValidationError", e.code());
        assertTrue(e.getMessage().contains("'durationSeconds'"), e.getMessage());
    }

    @Test
    void missingRequiredMembersGiveCoralValidationErrors() {
        ServiceException e = assertThrows(ServiceException.class, () -> STS.parse(form("Action=AssumeRole&RoleArn=arn")));
        assertEquals("ValidationError", e.code());
        assertEquals("1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null",
                e.getMessage());
        // SNS names a top-level parameter sent not at all as InvalidParameter (recorded), nested members as Coral does
        ServiceException sns = assertThrows(ServiceException.class, () -> SNS.parse(form("Action=Publish&TopicArn=x")));
        assertEquals("InvalidParameter", sns.code());
        assertEquals("Invalid parameter: Message Reason: no value for required parameter", sns.getMessage());
        // a missing required map is left to the provider, which checks the ARN beside it first
        assertEquals(null, SNS.parse(form("Action=SetEndpointAttributes&EndpointArn=x")).params().get("Attributes"));
        ServiceException nested = assertThrows(ServiceException.class, () -> SNS.parse(form(
                "Action=Publish&Message=m&MessageAttributes.entry.1.Name=attr1&MessageAttributes.entry.1.Value.StringValue=x")));
        assertEquals("1 validation error detected: Value null at 'messageAttributes.attr1.member.dataType' failed to satisfy constraint: "
                + "Member must not be null", nested.getMessage());
    }

    @Test
    void unknownAndMissingActions() {
        ServiceException e = assertThrows(ServiceException.class, () -> SNS.parse(form("Action=Nope")));
        assertEquals("InvalidAction", e.code());
        assertEquals("MissingAction", assertThrows(ServiceException.class, () -> SNS.parse(form("Foo=1"))).code());
    }

    @Test
    void serializesResultWrapperListsMapsAndMetadata() {
        HttpRequestData req = form("Action=ListTopics");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Topics", List.of(Map.of("TopicArn", "arn:1"), Map.of("TopicArn", "arn:<2>")));
        HttpResponseData r = SNS.serialize(context(req), "ListTopics", out);
        assertEquals(200, r.status());
        assertEquals("text/xml", r.header("Content-Type"));
        assertEquals("<ListTopicsResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><ListTopicsResult><Topics>"
                + "<member><TopicArn>arn:1</TopicArn></member><member><TopicArn>arn:&lt;2&gt;</TopicArn></member></Topics>"
                + "</ListTopicsResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></ListTopicsResponse>", body(r));

        HttpResponseData attrs = SNS.serialize(context(req), "GetTopicAttributes", Map.of("Attributes", Map.of("Policy", "{\"a\":1}")));
        assertTrue(body(attrs).contains("<Attributes><entry><key>Policy</key><value>{\"a\":1}</value></entry></Attributes>"), body(attrs));
    }

    @Test
    void serializesTimestampsAsIso8601AndOperationsWithoutOutput() {
        Map<String, Object> creds = Map.of("AccessKeyId", "ASIA", "SecretAccessKey", "s", "SessionToken", "t",
                "Expiration", Instant.parse("2026-01-02T03:04:05Z"));
        HttpResponseData r = STS.serialize(context(form("Action=AssumeRole")), "AssumeRole", Map.of("Credentials", creds));
        assertTrue(body(r).contains("<Expiration>2026-01-02T03:04:05Z</Expiration>"), body(r));
        HttpResponseData none = IAM.serialize(context(form("Action=DeleteUser")), "DeleteUser", Map.of());
        assertEquals("<DeleteUserResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ResponseMetadata><RequestId>req-1"
                + "</RequestId></ResponseMetadata></DeleteUserResponse>", body(none));
    }

    @Test
    void errorsUseTheSpecificationsCodeStatusAndFault() {
        HttpResponseData r = SNS.serializeError(context(form("Action=GetTopicAttributes")), "GetTopicAttributes",
                new ServiceException("NotFoundException", "Topic does not exist"));
        assertEquals(404, r.status());
        assertEquals("<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code>"
                + "<Message>Topic does not exist</Message></Error><RequestId>req-1</RequestId></ErrorResponse>", body(r));
        HttpResponseData unmodelled = SNS.serializeError(context(null), null, new ServiceException("InternalError", "boom", 500));
        assertEquals(500, unmodelled.status());
        assertTrue(body(unmodelled).contains("<Type>Receiver</Type><Code>InternalError</Code>"), body(unmodelled));
        HttpResponseData custom = SNS.serializeError(context(null), null,
                new ServiceException("QueueDoesNotExist", "x").queryCode("AWS.SimpleQueueService.NonExistentQueue"));
        assertTrue(body(custom).contains("<Code>AWS.SimpleQueueService.NonExistentQueue</Code>"), body(custom));
    }

    @Test
    void recognizesFormsAndActionQueries() {
        assertTrue(SNS.recognizes(form("Action=ListTopics")));
        assertTrue(SNS.recognizes(HttpRequestData.of("GET", "/?Action=ListTopics", Map.of(), null)));
        assertFalse(SNS.recognizes(HttpRequestData.of("POST", "/", Map.of("X-Amz-Target", "AmazonSQS.ListQueues",
                "Content-Type", "application/x-amz-json-1.0"), new byte[0])));
    }

    static String body(HttpResponseData r) {
        return new String(r.bodyBytes(), StandardCharsets.UTF_8);
    }
}
