package dev.polystack.bridge;

import dev.polystack.api.Config;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.ServiceException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Raw requests through moto-hosted SQS and SES (moto from POLYSTACK_MOTO_PATH or python3's site-packages). */
class MotoServiceProviderTest {
    private static final Config CONFIG = new Config(Map.of());
    private static MotoServiceProvider sqs;
    private static MotoServiceProvider ses;

    @BeforeAll
    static void start() {
        PythonRuntime runtime = BridgeTestSupport.runtime();
        sqs = new MotoServiceProvider("sqs", runtime.motoInterpreter(), CONFIG);
        ses = new MotoServiceProvider("ses", runtime.motoInterpreter(), CONFIG);
        sqs.startAsync();
        ses.startAsync();
    }

    private static HttpResponseData sqsCall(String region, String target, String json) {
        return sqs.handleHttp(BridgeTestSupport.context(region, "POST", "/", Map.of(
                "Content-Type", "application/x-amz-json-1.0", "X-Amz-Target", "AmazonSQS." + target,
                "Host", "localhost:4566"), json));
    }

    private static String text(HttpResponseData r) {
        return new String(r.bodyBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void sqsRoundTripWithLocalStackQueueUrls() {
        HttpResponseData created = sqsCall("eu-west-1", "CreateQueue", "{\"QueueName\":\"moto-q\"}");
        assertEquals(200, created.status(), text(created));
        assertEquals("running", sqs.state());
        String url = "http://sqs.eu-west-1.localhost.localstack.cloud:4566/000000000000/moto-q";
        assertTrue(text(created).contains(url), text(created));

        assertEquals(200, sqsCall("eu-west-1", "SendMessage", "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"hello moto\"}").status());
        HttpResponseData received = sqsCall("eu-west-1", "ReceiveMessage", "{\"QueueUrl\":\"" + url + "\"}");
        assertTrue(text(received).contains("\"Body\": \"hello moto\""), text(received));
        // Regions are isolated: the gateway's region reaches moto.
        assertTrue(!text(sqsCall("us-east-1", "ListQueues", "{}")).contains("moto-q"));
    }

    @Test
    void sqsErrorsAreMotosAwsErrors() {
        HttpResponseData missing = sqsCall("us-east-1", "GetQueueUrl", "{\"QueueName\":\"nope\"}");
        assertEquals(400, missing.status());
        assertTrue(text(missing).contains("QueueDoesNotExist"), text(missing));
    }

    @Test
    void sesQueryProtocol() {
        String form = "Action=VerifyEmailIdentity&Version=2010-12-01&EmailAddress=a%40example.com";
        HttpResponseData verified = ses.handleHttp(BridgeTestSupport.context("us-east-1", "POST", "/",
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Host", "localhost:4566"), form));
        assertEquals(200, verified.status(), text(verified));
        HttpResponseData listed = ses.handleHttp(BridgeTestSupport.context("us-east-1", "POST", "/",
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Host", "localhost:4566"),
                "Action=ListIdentities&Version=2010-12-01"));
        assertTrue(text(listed).contains("a@example.com"), text(listed));
    }

    @Test
    @SuppressWarnings("unchecked")
    void inProcessCallsSerialiseLikeAClient() {
        // query protocol (SES) and JSON protocol (SQS), parameters in, parsed output or AWS's error out
        var ctx = BridgeTestSupport.context("us-east-1", "POST", "/", Map.of(), "");
        ses.invoke(ctx, "VerifyEmailIdentity", Map.of("EmailAddress", "b@example.com"));
        assertTrue(((java.util.List<Object>) ses.invoke(ctx, "ListIdentities", Map.of()).get("Identities")).contains("b@example.com"));
        ServiceException rejected = assertThrows(ServiceException.class, () -> ses.invoke(ctx, "SendEmail", Map.of(
                "Source", "unverified@example.com", "Destination", Map.of("ToAddresses", java.util.List.of("x@example.com")),
                "Message", Map.of("Subject", Map.of("Data", "s"), "Body", Map.of("Text", Map.of("Data", "t"))))));
        assertEquals("MessageRejected", rejected.code());
        String url = (String) sqs.invoke(ctx, "CreateQueue", Map.of("QueueName", "in-process")).get("QueueUrl");
        assertTrue(url.endsWith("/in-process"), url);
        ServiceException missing = assertThrows(ServiceException.class, () -> sqs.invoke(ctx, "GetQueueUrl", Map.of("QueueName", "nope")));
        assertEquals(400, missing.status());
    }

    @Test
    void aPythonFailureInsideMotoIsInternalErrorAndTheServiceKeepsServing() {
        // A JSON body that is not an object makes moto's SQS handler raise (AttributeError) in Python.
        ServiceException e = assertThrows(ServiceException.class, () -> sqsCall("us-east-1", "ListQueues", "[1]"));
        assertEquals("InternalError", e.code());
        assertEquals(500, e.status());
        assertEquals(200, sqsCall("us-east-1", "ListQueues", "{}").status());
    }
}
