package dev.polystack.protocol.restxml;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.StreamingBody;
import dev.polystack.protocol.ParsedRequest;
import dev.polystack.protocol.xml.TestSpecs;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.polystack.protocol.xml.TestSpecs.context;
import static org.junit.jupiter.api.Assertions.*;

class RestXmlCodecTest {
    static final RestXmlCodec S3 = new RestXmlCodec(TestSpecs.model("s3"));
    static final RestXmlCodec ROUTE53 = new RestXmlCodec(TestSpecs.model("route53"));

    static HttpRequestData req(String method, String pathAndQuery, Map<String, String> headers, String body) {
        return HttpRequestData.of(method, pathAndQuery, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    static String body(HttpResponseData r) {
        return new String(r.bodyBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void putObjectKeepsTheBodyAStreamAndReadsLabelsHeadersAndMetadata() {
        InputStream data = new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8));
        HttpRequestData r = new HttpRequestData("PUT", "/my-bucket/dir/a%20b%2Bc.txt", "", Map.of(
                "Content-Type", List.of("text/plain"), "Content-Length", List.of("5"), "x-amz-meta-Color", List.of("red"),
                "x-amz-tagging", List.of("a=b"), "x-amz-object-lock-retain-until-date", List.of("Tue, 03 Jun 2008 11:05:30 GMT")), data);
        ParsedRequest p = S3.parse(r);
        assertEquals("PutObject", p.operation());
        assertEquals("my-bucket", p.params().get("Bucket"));
        assertEquals("dir/a b+c.txt", p.params().get("Key"));
        assertEquals("text/plain", p.params().get("ContentType"));
        assertEquals(5L, p.params().get("ContentLength"));
        assertEquals(Map.of("color", "red"), p.params().get("Metadata"));
        assertEquals(Instant.parse("2008-06-03T11:05:30Z"), p.params().get("ObjectLockRetainUntilDate"));
        StreamingBody body = (StreamingBody) p.params().get("Body");
        assertSame(data, body.stream(), "the body must not be buffered");
        assertEquals(5, body.length());
    }

    @Test
    void routesByQueryKeysAndRequiredHeaders() {
        assertEquals("CopyObject", S3.parse(req("PUT", "/b/k", Map.of("x-amz-copy-source", "/src/k"), "")).operation());
        assertEquals("ListObjectsV2", S3.parse(req("GET", "/b?list-type=2&prefix=a%2F", Map.of(), null)).operation());
        assertEquals("a/", S3.parse(req("GET", "/b?list-type=2&prefix=a%2F", Map.of(), null)).params().get("Prefix"));
        assertEquals("ListObjects", S3.parse(req("GET", "/b", Map.of(), null)).operation());
        assertEquals("ListBuckets", S3.parse(req("GET", "/", Map.of(), null)).operation());
        assertEquals("GetObject", S3.parse(req("GET", "/b/a/b/c", Map.of(), null)).operation());
        assertEquals("HeadObject", S3.parse(req("HEAD", "/b/k", Map.of(), null)).operation());
        assertEquals("CreateMultipartUpload", S3.parse(req("POST", "/b/k?uploads", Map.of(), "")).operation());
        ParsedRequest part = S3.parse(req("PUT", "/b/k?partNumber=2&uploadId=u1", Map.of(), "x"));
        assertEquals("UploadPart", part.operation());
        assertEquals(2, part.params().get("PartNumber"));
        assertEquals("UploadPartCopy", S3.parse(req("PUT", "/b/k?partNumber=2&uploadId=u1", Map.of("x-amz-copy-source", "s/k"), "")).operation());
        assertEquals("PutObject", S3.parse(req("PUT", "/b/k?x-id=PutObject", Map.of(), "x")).operation());
        ServiceException e = assertThrows(ServiceException.class, () -> S3.parse(req("PATCH", "/b/k", Map.of(), null)));
        assertEquals(405, e.status());
    }

    @Test
    void parsesXmlPayloadsWithNamespacesAndFlattenedLists() {
        ParsedRequest tagging = S3.parse(req("PUT", "/b?tagging", Map.of(), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet><Tag><Key>k1</Key><Value>v1</Value></Tag>"
                + "<Tag><Key>k2</Key><Value></Value></Tag></TagSet></Tagging>"));
        assertEquals("PutBucketTagging", tagging.operation());
        assertEquals(Map.of("TagSet", List.of(Map.of("Key", "k1", "Value", "v1"), Map.of("Key", "k2", "Value", ""))),
                tagging.params().get("Tagging"));

        ParsedRequest delete = S3.parse(req("POST", "/b?delete", Map.of(), "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<Object><Key>a</Key></Object><Object><Key>b</Key><VersionId>v</VersionId></Object><Quiet>true</Quiet></Delete>"));
        assertEquals(Map.of("Objects", List.of(Map.of("Key", "a"), Map.of("Key", "b", "VersionId", "v")), "Quiet", true),
                delete.params().get("Delete"));

        ParsedRequest complete = S3.parse(req("POST", "/b/k?uploadId=u", Map.of(), "<CompleteMultipartUpload>"
                + "<Part><ETag>\"e1\"</ETag><PartNumber>1</PartNumber></Part><Part><ETag>\"e2\"</ETag><PartNumber>2</PartNumber></Part>"
                + "</CompleteMultipartUpload>"));
        assertEquals("CompleteMultipartUpload", complete.operation());
        @SuppressWarnings("unchecked")
        Map<String, Object> mpu = (Map<String, Object>) complete.params().get("MultipartUpload");
        assertEquals(List.of(Map.of("ETag", "\"e1\"", "PartNumber", 1), Map.of("ETag", "\"e2\"", "PartNumber", 2)), mpu.get("Parts"));

        ParsedRequest create = S3.parse(req("PUT", "/b", Map.of(), "<CreateBucketConfiguration><LocationConstraint>eu-west-1"
                + "</LocationConstraint></CreateBucketConfiguration>"));
        assertEquals(Map.of("LocationConstraint", "eu-west-1"), create.params().get("CreateBucketConfiguration"));
        assertFalse(S3.parse(req("PUT", "/b", Map.of(), "")).params().containsKey("CreateBucketConfiguration"));

        ServiceException bad = assertThrows(ServiceException.class, () -> S3.parse(req("PUT", "/b?tagging", Map.of(), "<Tagging><TagSet>")));
        assertEquals("MalformedXML", bad.code());
        ServiceException empty = assertThrows(ServiceException.class, () -> S3.parse(req("PUT", "/b?tagging", Map.of(), "")));
        assertEquals("MissingRequestBodyError", empty.code());
    }

    @Test
    void serializesListBucketResultWithS3RootNamespaceAndFlattenedContentsLast() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("IsTruncated", false);
        out.put("Contents", List.of(Map.of("Key", "a&b", "LastModified", Instant.parse("2024-01-02T03:04:05.120Z"), "Size", 3L)));
        out.put("Name", "b");
        out.put("KeyCount", 1);
        HttpResponseData r = S3.serialize(context(req("GET", "/b?list-type=2", Map.of(), null)), "ListObjectsV2", out);
        assertEquals(200, r.status());
        assertEquals("application/xml", r.header("Content-Type"));
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<IsTruncated>false</IsTruncated><Name>b</Name><KeyCount>1</KeyCount><Contents><Key>a&amp;b</Key>"
                + "<LastModified>2024-01-02T03:04:05.120Z</LastModified><Size>3</Size></Contents></ListBucketResult>", body(r));
        assertEquals("req-1", r.header("x-amz-request-id"));
    }

    @Test
    void listAllMyBucketsResultStartsWithOwner() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Buckets", List.of(Map.of("Name", "b", "CreationDate", Instant.parse("2024-01-02T03:04:05Z"))));
        out.put("Owner", Map.of("ID", "abc"));
        String xml = body(S3.serialize(context(req("GET", "/", Map.of(), null)), "ListBuckets", out));
        assertTrue(xml.contains("<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>abc</ID></Owner>"
                + "<Buckets><Bucket><Name>b</Name><CreationDate>2024-01-02T03:04:05.000Z</CreationDate></Bucket></Buckets>"), xml);
    }

    @Test
    void emptyOutputsSendAnEmptyBodyAndHeadersKeepAwsCase() {
        HttpResponseData r = S3.serialize(context(req("PUT", "/b/k", Map.of(), "x")), "PutObject",
                Map.of("ETag", "\"abc\"", "VersionId", "v1"));
        assertEquals(0, r.bodyBytes().length);
        assertEquals("\"abc\"", r.header("ETag"));
        assertTrue(r.headers().containsKey("x-amz-version-id"));
        HttpResponseData none = S3.serialize(context(req("DELETE", "/b", Map.of(), null)), "DeleteBucket", Map.of());
        assertEquals(204, none.status());
        assertEquals(0, none.bodyBytes().length);
    }

    @Test
    void getObjectStreamsItsBodyAndHonoursTheProvidersStatus() {
        InputStream data = new ByteArrayInputStream("ell".getBytes(StandardCharsets.UTF_8));
        RequestContext ctx = context(req("GET", "/b/k", Map.of("Range", "bytes=1-3"), null));
        ctx.response().status(206);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Body", new StreamingBody(data, 3));
        out.put("ContentLength", 3L);
        out.put("ContentRange", "bytes 1-3/5");
        out.put("LastModified", Instant.parse("2008-06-03T11:05:30Z"));
        out.put("Metadata", Map.of("color", "red"));
        out.put("ContentType", "text/plain");
        HttpResponseData r = S3.serialize(ctx, "GetObject", out);
        assertEquals(206, r.status());
        assertTrue(r.isStreamed());
        assertSame(data, r.bodyStream());
        assertEquals(3, r.bodyLength());
        assertEquals("Tue, 03 Jun 2008 11:05:30 GMT", r.header("Last-Modified"));
        assertTrue(r.headers().containsKey("Last-Modified"));
        assertEquals("red", r.header("x-amz-meta-color"));
        assertEquals("3", r.header("Content-Length"));
        assertEquals("text/plain", r.header("Content-Type"));
    }

    @Test
    void payloadStructuresAndBucketLocation() {
        HttpResponseData copy = S3.serialize(context(null), "CopyObject", Map.of("CopyObjectResult",
                Map.of("ETag", "\"e\"", "LastModified", Instant.parse("2020-01-01T00:00:00Z"))));
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CopyObjectResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<ETag>\"e\"</ETag><LastModified>2020-01-01T00:00:00.000Z</LastModified></CopyObjectResult>", body(copy));
        HttpResponseData loc = S3.serialize(context(null), "GetBucketLocation", Map.of("LocationConstraint", "eu-west-1"));
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "eu-west-1</LocationConstraint>", body(loc));
        HttpResponseData usEast = S3.serialize(context(null), "GetBucketLocation", Map.of());
        assertTrue(body(usEast).endsWith("<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></LocationConstraint>"));
        HttpResponseData policy = S3.serialize(context(null), "GetBucketPolicy", Map.of("Policy", "{\"Version\":\"2012-10-17\"}"));
        assertEquals("{\"Version\":\"2012-10-17\"}", body(policy));
    }

    @Test
    void aclGranteesDeclareTheirXsiPrefix() {
        Map<String, Object> grantee = Map.of("Type", "CanonicalUser", "ID", "abc");
        HttpResponseData r = S3.serialize(context(null), "GetBucketAcl", Map.of("Owner", Map.of("ID", "abc"),
                "Grants", List.of(Map.of("Grantee", grantee, "Permission", "FULL_CONTROL"))));
        assertTrue(body(r).contains("<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>abc</ID>"
                + "</Grantee>"), body(r));
        assertTrue(body(r).contains("<AccessControlList><Grant>"), body(r));
    }

    @Test
    void s3ErrorsAreUnwrappedWithExtraFieldsAndHeadErrorsHaveNoBody() {
        HttpResponseData r = S3.serializeError(context(req("GET", "/b/k", Map.of(), null)), "GetObject",
                new ServiceException("NoSuchKey", "The specified key does not exist.").with("Key", "k"));
        assertEquals(404, r.status());
        String b = body(r);
        assertTrue(b.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
                + "<Message>The specified key does not exist.</Message><Key>k</Key><RequestId>req-1</RequestId><HostId>"), b);
        HttpResponseData head = S3.serializeError(context(req("HEAD", "/b/k", Map.of(), null)), "HeadObject",
                new ServiceException("NoSuchKey", "x"));
        assertEquals(404, head.status());
        assertEquals(0, head.bodyBytes().length);
        HttpResponseData bucket = S3.serializeError(context(null), "ListObjects",
                new ServiceException("NoSuchBucket", "The specified bucket does not exist").with("BucketName", "b"));
        assertEquals(404, bucket.status());
        assertTrue(body(bucket).contains("<BucketName>b</BucketName>"));
    }

    @Test
    void route53UsesItsNamespaceAndWrappedErrors() {
        ParsedRequest p = ROUTE53.parse(req("POST", "/2013-04-01/hostedzone", Map.of(),
                "<CreateHostedZoneRequest xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Name>example.com</Name>"
                        + "<CallerReference>r1</CallerReference></CreateHostedZoneRequest>"));
        assertEquals("CreateHostedZone", p.operation());
        assertEquals("example.com", p.params().get("Name"));
        HttpResponseData err = ROUTE53.serializeError(context(null), "GetHostedZone", new ServiceException("NoSuchHostedZone", "nope"));
        assertEquals(404, err.status());
        assertTrue(body(err).contains("<ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Error><Type>Sender</Type>"
                + "<Code>NoSuchHostedZone</Code><Message>nope</Message></Error><RequestId>req-1</RequestId></ErrorResponse>"), body(err));
        HttpResponseData ok = ROUTE53.serialize(context(null), "GetHostedZone", Map.of("HostedZone", Map.of("Id", "/hostedzone/Z1",
                "Name", "example.com.", "CallerReference", "r1")));
        assertTrue(body(ok).contains("<GetHostedZoneResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><HostedZone>"), body(ok));
    }
}
