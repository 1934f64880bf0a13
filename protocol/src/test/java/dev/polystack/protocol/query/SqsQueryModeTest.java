package dev.polystack.protocol.query;

import dev.polystack.api.HttpResponseData;
import dev.polystack.api.ServiceException;
import dev.polystack.protocol.ParsedRequest;
import dev.polystack.protocol.xml.TestSpecs;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.polystack.protocol.query.QueryCodecTest.body;
import static dev.polystack.protocol.xml.TestSpecs.context;
import static dev.polystack.protocol.xml.TestSpecs.form;
import static org.junit.jupiter.api.Assertions.*;

/** SQS spoken in the query protocol: names from the overlay that restores the query traits botocore's JSON spec lost. */
class SqsQueryModeTest {
    static final QueryCodec SQS = new QueryCodec(TestSpecs.model("sqs"));

    @Test
    void parsesFlattenedAttributeMapsAndNamedLists() {
        ParsedRequest p = SQS.parse(form("Action=SendMessage&Version=2012-11-05&QueueUrl=http%3A%2F%2Fq%2F000000000000%2Fq1"
                + "&MessageBody=hi&DelaySeconds=5&MessageAttribute.1.Name=a&MessageAttribute.1.Value.DataType=String"
                + "&MessageAttribute.1.Value.StringValue=x&MessageSystemAttribute.1.Name=AWSTraceHeader"
                + "&MessageSystemAttribute.1.Value.DataType=String&MessageSystemAttribute.1.Value.StringValue=Root%3D1"));
        Map<String, Object> in = p.params();
        assertEquals("http://q/000000000000/q1", in.get("QueueUrl"));
        assertEquals(5, in.get("DelaySeconds"));
        assertEquals(Map.of("a", Map.of("DataType", "String", "StringValue", "x")), in.get("MessageAttributes"));
        assertEquals(Map.of("AWSTraceHeader", Map.of("DataType", "String", "StringValue", "Root=1")), in.get("MessageSystemAttributes"));

        ParsedRequest r = SQS.parse(form("Action=ReceiveMessage&QueueUrl=u&AttributeName.1=All&MessageAttributeName.1=a&MessageAttributeName.2=b"
                + "&MaxNumberOfMessages=10"));
        assertEquals(List.of("All"), r.params().get("AttributeNames"));
        assertEquals(List.of("a", "b"), r.params().get("MessageAttributeNames"));

        ParsedRequest c = SQS.parse(form("Action=CreateQueue&QueueName=q&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=40"
                + "&Tag.1.Key=k&Tag.1.Value=v"));
        assertEquals(Map.of("VisibilityTimeout", "40"), c.params().get("Attributes"));
        assertEquals(Map.of("k", "v"), c.params().get("tags"));

        ParsedRequest b = SQS.parse(form("Action=SendMessageBatch&QueueUrl=u&SendMessageBatchRequestEntry.1.Id=one"
                + "&SendMessageBatchRequestEntry.1.MessageBody=b1&SendMessageBatchRequestEntry.2.Id=two&SendMessageBatchRequestEntry.2.MessageBody=b2"));
        assertEquals(List.of(Map.of("Id", "one", "MessageBody", "b1"), Map.of("Id", "two", "MessageBody", "b2")), b.params().get("Entries"));
    }

    @Test
    void aRequestPostedToTheQueueUrlNamesTheQueueByItsPath() {
        ParsedRequest p = SQS.parse(dev.polystack.api.HttpRequestData.of("POST", "/000000000000/q1",
                Map.of("Content-Type", "application/x-www-form-urlencoded"), "Action=SendMessage&MessageBody=x".getBytes()));
        assertEquals("/000000000000/q1", p.params().get("QueueUrl"));
        ParsedRequest explicit = SQS.parse(dev.polystack.api.HttpRequestData.of("POST", "/000000000000/q1",
                Map.of("Content-Type", "application/x-www-form-urlencoded"), "Action=SendMessage&MessageBody=x&QueueUrl=u".getBytes()));
        assertEquals("u", explicit.params().get("QueueUrl"));
        assertFalse(SQS.parse(form("Action=ListQueues")).params().containsKey("QueueUrl"));
    }

    @Test
    void missingParametersAreReportedAsSqsDoes() {
        ServiceException e = assertThrows(ServiceException.class, () -> SQS.parse(form("Action=SendMessage&QueueUrl=u")));
        assertEquals("MissingParameter", e.code());
        assertEquals("The request must contain the parameter MessageBody.", e.getMessage());
        HttpResponseData r = SQS.serializeError(context(form("Action=SendMessage")), "SendMessage", e);
        assertEquals(400, r.status());
        assertEquals("<ErrorResponse><Error><Type>Sender</Type>"
                + "<Code>MissingParameter</Code><Message>The request must contain the parameter MessageBody.</Message><Detail></Detail>"
                + "</Error><RequestId>req-1</RequestId></ErrorResponse>", body(r));
    }

    @Test
    void errorsCarryTheQueryCodes() {
        HttpResponseData r = SQS.serializeError(context(form("Action=GetQueueUrl")), "GetQueueUrl",
                new ServiceException("QueueDoesNotExist", "The specified queue does not exist."));
        assertEquals(400, r.status());
        assertTrue(body(r).contains("<Code>AWS.SimpleQueueService.NonExistentQueue</Code>"), body(r));
    }

    @Test
    void serializesFlattenedMessagesAndAttributes() {
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("MessageId", "m1");
        msg.put("ReceiptHandle", "rh");
        msg.put("MD5OfBody", "md5");
        msg.put("Body", "<b>&");
        msg.put("Attributes", Map.of("SentTimestamp", "1"));
        msg.put("MessageAttributes", Map.of("a", Map.of("DataType", "String", "StringValue", "x")));
        HttpResponseData r = SQS.serialize(context(form("Action=ReceiveMessage")), "ReceiveMessage", Map.of("Messages", List.of(msg)));
        assertEquals("<ReceiveMessageResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><ReceiveMessageResult>"
                + "<Message><MessageId>m1</MessageId><ReceiptHandle>rh</ReceiptHandle><MD5OfBody>md5</MD5OfBody><Body>&lt;b&gt;&amp;</Body>"
                + "<Attribute><Name>SentTimestamp</Name><Value>1</Value></Attribute>"
                + "<MessageAttribute><Name>a</Name><Value><StringValue>x</StringValue><DataType>String</DataType></Value></MessageAttribute>"
                + "</Message></ReceiveMessageResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></ReceiveMessageResponse>",
                body(r));
        HttpResponseData list = SQS.serialize(context(form("Action=ListQueues")), "ListQueues", Map.of("QueueUrls", List.of("u1", "u2")));
        assertTrue(body(list).contains("<ListQueuesResult><QueueUrl>u1</QueueUrl><QueueUrl>u2</QueueUrl></ListQueuesResult>"), body(list));
    }
}
