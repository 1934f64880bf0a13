package dev.polystack.protocol.model;

import dev.polystack.protocol.BotocoreCatalog;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ModelLoaderTest {
    static final BotocoreCatalog CATALOG = BotocoreCatalog.fromEnvironment();

    @Test
    void sqsMetadataOperationsAndErrors() {
        ServiceModel sqs = CATALOG.model("sqs");
        assertEquals("json", sqs.protocol());
        assertEquals(List.of("json", "query"), sqs.protocols());
        assertEquals("AmazonSQS", sqs.targetPrefix());
        assertEquals("1.0", sqs.jsonVersion());
        assertTrue(sqs.isAwsQueryCompatible());
        Operation send = sqs.operation("SendMessage");
        assertEquals("SendMessageRequest", send.input().name());
        assertTrue(send.input().member("QueueUrl").isRequired());
        assertEquals(ShapeType.MAP, send.input().member("MessageAttributes").type());
        Shape qdne = sqs.errorShape("QueueDoesNotExist");
        assertNotNull(qdne);
        assertEquals("AWS.SimpleQueueService.NonExistentQueue", qdne.errorCode());
        assertSame(qdne, sqs.errorShape("AWS.SimpleQueueService.NonExistentQueue"));
        assertEquals(400, qdne.errorHttpStatus());
        assertEquals(Boolean.TRUE, qdne.senderFault());
    }

    @Test
    void s3HttpBindings() {
        ServiceModel s3 = CATALOG.model("s3");
        assertEquals("rest-xml", s3.protocol());
        Operation put = s3.operation("PutObject");
        assertEquals("PUT", put.httpMethod());
        assertEquals(List.of("Bucket", "Key"), put.uriTemplate().labels());
        Member body = put.input().payloadMember();
        assertEquals("Body", body.name());
        assertTrue(body.isStreaming());
        assertEquals(Location.HEADERS, put.input().member("Metadata").location());
        assertEquals("x-amz-meta-", put.input().member("Metadata").locationName());
        assertEquals(Location.HEADER, put.input().member("ContentType").location());
        Map<String, String> labels = put.uriTemplate().match(UriTemplate.splitPath("/b/dir/a%20b.txt"), Map.of());
        assertEquals(Map.of("Bucket", "b", "Key", "dir/a b.txt"), labels);
        Operation cmu = s3.operation("CreateMultipartUpload");
        assertNull(cmu.uriTemplate().match(UriTemplate.splitPath("/b/k"), Map.of()));
        assertNotNull(cmu.uriTemplate().match(UriTemplate.splitPath("/b/k"), Map.of("uploads", List.of(""))));
    }

    @Test
    void uriTemplates() {
        UriTemplate t = UriTemplate.parse("/2015-03-31/functions/{FunctionName}/invocations");
        assertEquals(Map.of("FunctionName", "f"), t.match(UriTemplate.splitPath("/2015-03-31/functions/f/invocations"), Map.of()));
        assertNull(t.match(UriTemplate.splitPath("/2015-03-31/functions//invocations"), Map.of()));
        UriTemplate g = UriTemplate.parse("/{a}/x/{b+}/y");
        assertEquals(Map.of("a", "1", "b", "2/3"), g.match(UriTemplate.splitPath("/1/x/2/3/y"), Map.of()));
        assertNull(g.match(UriTemplate.splitPath("/1/x/y"), Map.of()));
        assertEquals(Map.of(), UriTemplate.parse("/").match(UriTemplate.splitPath("/"), Map.of()));
        assertEquals(Map.of("Bucket", "b"), UriTemplate.parse("/{Bucket}").match(UriTemplate.splitPath("/b/"), Map.of()));
    }

    @Test
    void everyInstalledSpecificationCompiles() {
        int n = 0;
        for (var info : CATALOG.all()) {
            ServiceModel m = ModelLoader.load(info.service(), CATALOG.dataDir().resolve(info.service())
                    .resolve(info.apiVersion() == null ? "" : info.apiVersion()).resolve("service-2.json.gz"));
            assertFalse(m.operations().isEmpty(), info.service());
            n++;
        }
        assertTrue(n > 400, "compiled " + n);
    }
}
