package dev.polystack.services.s3;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.StreamingBody;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static dev.polystack.services.s3.S3TestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class S3ProviderTest {
    @TempDir
    Path dir;
    S3Provider s3;

    @BeforeEach
    void setUp() {
        s3 = memoryProvider(dir);
        s3.invoke(ctx(), "CreateBucket", params("Bucket", "bkt"));
    }

    private static String md5Hex(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    @Test
    void bucketLifecycleAndNamingRules() {
        assertEquals("/bkt", s3.invoke(ctx(), "CreateBucket", params("Bucket", "bkt")).get("Location")); // us-east-1: idempotent
        error("BucketAlreadyExists", () -> s3.invoke(ctx("111111111111", "us-east-1", Map.of()), "CreateBucket", params("Bucket", "bkt")));
        error("BucketAlreadyOwnedByYou", () -> s3.invoke(ctx(ACCOUNT, "eu-west-1", Map.of()), "CreateBucket",
                params("Bucket", "bkt", "CreateBucketConfiguration", Map.of("LocationConstraint", "eu-west-1"))));
        error("InvalidBucketName", () -> s3.invoke(ctx(), "CreateBucket", params("Bucket", "Upper")));
        error("InvalidBucketName", () -> s3.invoke(ctx(), "CreateBucket", params("Bucket", "ab")));
        error("InvalidLocationConstraint", () -> s3.invoke(ctx(), "CreateBucket",
                params("Bucket", "cc1", "CreateBucketConfiguration", Map.of("LocationConstraint", "us-east-1"))));
        error("IllegalLocationConstraintException", () -> s3.invoke(ctx(ACCOUNT, "eu-west-1", Map.of()), "CreateBucket",
                params("Bucket", "cc2")));
        s3.invoke(ctx(), "CreateBucket", params("Bucket", "cc3", "CreateBucketConfiguration", Map.of("LocationConstraint", "eu-central-1")));
        assertEquals("eu-central-1", s3.invoke(ctx(), "GetBucketLocation", params("Bucket", "cc3")).get("LocationConstraint"));
        assertNull(s3.invoke(ctx(), "GetBucketLocation", params("Bucket", "bkt")).get("LocationConstraint"));
        assertEquals("eu-central-1", s3.invoke(ctx(), "HeadBucket", params("Bucket", "cc3")).get("BucketRegion"));
        List<?> buckets = (List<?>) s3.invoke(ctx(), "ListBuckets", params()).get("Buckets");
        assertEquals(2, buckets.size());
        assertTrue(((List<?>) s3.invoke(ctx("111111111111", "us-east-1", Map.of()), "ListBuckets", params()).get("Buckets")).isEmpty());
        put(s3, "cc3", "k", new byte[1]);
        error("BucketNotEmpty", () -> s3.invoke(ctx(), "DeleteBucket", params("Bucket", "cc3")));
        s3.invoke(ctx(), "DeleteObject", params("Bucket", "cc3", "Key", "k"));
        s3.invoke(ctx(), "DeleteBucket", params("Bucket", "cc3"));
        error("NoSuchBucket", () -> s3.invoke(ctx(), "HeadBucket", params("Bucket", "cc3")));
        // the name is free again, for any account
        s3.invoke(ctx("111111111111", "us-east-1", Map.of()), "CreateBucket", params("Bucket", "cc3"));
    }

    @Test
    void putGetHeadWithMetadataAndHeaders() throws Exception {
        byte[] data = "hello world".getBytes(StandardCharsets.UTF_8);
        Map<String, Object> out = put(s3, "bkt", "dir/a.txt", data, "ContentType", "text/plain", "Metadata", Map.of("Color", "blue"),
                "CacheControl", "max-age=60", "ContentEncoding", "aws-chunked");
        assertEquals("\"" + md5Hex(data) + "\"", out.get("ETag"));
        assertEquals(ChecksumAlgorithm.CRC64NVME.of(data), out.get("ChecksumCRC64NVME"));
        Map<String, Object> head = s3.invoke(ctx(), "HeadObject", params("Bucket", "bkt", "Key", "dir/a.txt"));
        assertEquals(11L, head.get("ContentLength"));
        assertEquals("text/plain", head.get("ContentType"));
        assertEquals("max-age=60", head.get("CacheControl"));
        assertFalse(head.containsKey("ContentEncoding"), "aws-chunked is not stored");
        assertEquals(Map.of("color", "blue"), head.get("Metadata"));
        assertFalse(head.containsKey("Body"));
        assertArrayEquals(data, get(s3, "bkt", "dir/a.txt"));
        error("NoSuchKey", () -> s3.invoke(ctx(), "GetObject", params("Bucket", "bkt", "Key", "missing")));
        error("NoSuchBucket", () -> s3.invoke(ctx(), "GetObject", params("Bucket", "nope", "Key", "x")));
    }

    @Test
    void rangesGive206AndInvalidRange416() {
        put(s3, "bkt", "r", "0123456789".getBytes());
        RequestContext c = ctx();
        Map<String, Object> out = s3.invoke(c, "GetObject", params("Bucket", "bkt", "Key", "r", "Range", "bytes=2-4"));
        assertEquals("234", new String(body(out)));
        assertEquals(206, c.response().status());
        assertEquals("bytes 2-4/10", out.get("ContentRange"));
        assertEquals("789", new String(body(s3.invoke(ctx(), "GetObject", params("Bucket", "bkt", "Key", "r", "Range", "bytes=-3")))));
        assertEquals("89", new String(body(s3.invoke(ctx(), "GetObject", params("Bucket", "bkt", "Key", "r", "Range", "bytes=8-")))));
        assertEquals("89", new String(body(s3.invoke(ctx(), "GetObject", params("Bucket", "bkt", "Key", "r", "Range", "bytes=8-100")))));
        ServiceException e = error("InvalidRange", () -> s3.invoke(ctx(), "GetObject", params("Bucket", "bkt", "Key", "r", "Range", "bytes=10-20")));
        assertEquals(416, e.status());
        assertEquals("10", e.fields().get("ActualObjectSize"));
    }

    @Test
    void conditionalReadsAndWrites() {
        Map<String, Object> put = put(s3, "bkt", "c", "x".getBytes());
        String etag = (String) put.get("ETag");
        RequestContext c = ctx();
        s3.invoke(c, "GetObject", params("Bucket", "bkt", "Key", "c", "IfNoneMatch", etag));
        assertEquals(304, c.response().status());
        error("PreconditionFailed", () -> s3.invoke(ctx(), "GetObject", params("Bucket", "bkt", "Key", "c", "IfMatch", "\"nope\"")));
        error("PreconditionFailed", () -> s3.invoke(ctx(), "HeadObject",
                params("Bucket", "bkt", "Key", "c", "IfUnmodifiedSince", Instant.now().minusSeconds(3600))));
        RequestContext c2 = ctx();
        s3.invoke(c2, "GetObject", params("Bucket", "bkt", "Key", "c", "IfModifiedSince", Instant.now().plusSeconds(60)));
        assertEquals(200, c2.response().status()); // a date in the future is ignored, as S3 does
        RequestContext c3 = ctx();
        s3.invoke(c3, "GetObject", params("Bucket", "bkt", "Key", "c", "IfModifiedSince", Instant.now().plusSeconds(1)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minusSeconds(1)));
        assertEquals(304, c3.response().status());
        assertArrayEquals("x".getBytes(), body(s3.invoke(ctx(), "GetObject", params("Bucket", "bkt", "Key", "c", "IfMatch", etag))));
        error("PreconditionFailed", () -> put(s3, "bkt", "c", "y".getBytes(), "IfNoneMatch", "*"));
        put(s3, "bkt", "new", "y".getBytes(), "IfNoneMatch", "*");
        error("PreconditionFailed", () -> put(s3, "bkt", "c", "z".getBytes(), "IfMatch", "\"bad\""));
        put(s3, "bkt", "c", "z".getBytes(), "IfMatch", etag);
        assertArrayEquals("z".getBytes(), get(s3, "bkt", "c"));
        error("NoSuchKey", () -> put(s3, "bkt", "absent", "z".getBytes(), "IfMatch", etag));
    }

    @Test
    void integrityChecks() {
        byte[] data = "payload".getBytes();
        error("BadDigest", () -> put(s3, "bkt", "m", data, "ContentMD5", Base64.getEncoder().encodeToString(new byte[16])));
        error("InvalidDigest", () -> put(s3, "bkt", "m", data, "ContentMD5", "__invalid__"));
        error("NoSuchKey", () -> get(s3, "bkt", "m"));
        error("BadDigest", () -> put(s3, "bkt", "m", data, "ChecksumCRC32", ChecksumAlgorithm.CRC32.of("other".getBytes())));
        error("InvalidRequest", () -> put(s3, "bkt", "m", data, "ChecksumSHA256", "abc"));
        error("InvalidRequest", () -> put(s3, "bkt", "m", data, "ChecksumCRC32", ChecksumAlgorithm.CRC32.of(data),
                "ChecksumSHA1", ChecksumAlgorithm.SHA1.of(data)));
        for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
            Map<String, Object> out = put(s3, "bkt", "m", data, a.member, a.of(data));
            assertEquals(a.of(data), out.get(a.member));
            Map<String, Object> head = s3.invoke(ctx(), "HeadObject", params("Bucket", "bkt", "Key", "m", "ChecksumMode", "ENABLED"));
            assertEquals(a.of(data), head.get(a.member));
        }
        // aws-chunked trailer: the algorithm is announced in x-amz-trailer, the value arrives with the end of the body
        Map<String, String> headers = new java.util.HashMap<>(Map.of("x-amz-trailer", "x-amz-checksum-crc32c"));
        RequestContext c = ctx(ACCOUNT, "us-east-1", headers);
        c.request().headers().put("x-amz-checksum-crc32c", List.of(ChecksumAlgorithm.CRC32C.of("wrong".getBytes())));
        error("BadDigest", () -> s3.invoke(c, "PutObject", params("Bucket", "bkt", "Key", "t", "Body", StreamingBody.of(data))));
        RequestContext ok = ctx(ACCOUNT, "us-east-1", headers);
        ok.request().headers().put("x-amz-checksum-crc32c", List.of(ChecksumAlgorithm.CRC32C.of(data)));
        assertEquals(ChecksumAlgorithm.CRC32C.of(data),
                s3.invoke(ok, "PutObject", params("Bucket", "bkt", "Key", "t", "Body", StreamingBody.of(data))).get("ChecksumCRC32C"));
    }

    @Test
    void crc64NvmeCheckValue() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        Crc64Nvme crc = new Crc64Nvme();
        crc.update(check, 0, check.length);
        assertEquals(0xae8b14860a799888L, crc.getValue());
    }

    /** CRC-64/NVME one bit at a time: the definition the table-driven code must agree with. */
    private static long crc64NvmeBitwise(byte[] b, int off, int len) {
        long crc = ~0L;
        for (int i = off; i < off + len; i++) {
            crc ^= b[i] & 0xffL;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9a6c9329ac4bc9b5L : crc >>> 1;
        }
        return ~crc;
    }

    @Test
    void crc64NvmeMatchesTheBitwiseDefinitionAtEveryLengthOffsetAndSplit() {
        byte[] data = new byte[5000];
        new java.util.Random(7).nextBytes(data);
        for (int off = 0; off < 9; off++) {
            for (int len = 0; len <= 200; len++) {
                Crc64Nvme crc = new Crc64Nvme();
                crc.update(data, off, len);
                assertEquals(crc64NvmeBitwise(data, off, len), crc.getValue(), "off " + off + " len " + len);
            }
        }
        Crc64Nvme split = new Crc64Nvme();
        split.update(data, 0, 5);
        split.update(data, 5, 1001);
        split.update(data, 1006, data.length - 1006);
        assertEquals(crc64NvmeBitwise(data, 0, data.length), split.getValue());
    }

    @Test
    void largeBodyDigestedInParallelRunsKeepsEtagChecksumAndBytes() throws Exception {
        // over DigestingInputStream.PARALLEL_RUN many times, with a ragged end: MD5 and CRC64NVME run side by side
        byte[] data = new byte[3 * 1024 * 1024 + 5];
        new java.util.Random(3).nextBytes(data);
        Map<String, Object> out = put(s3, "bkt", "big.bin", data);
        assertEquals("\"" + md5Hex(data) + "\"", out.get("ETag"));
        long crc = crc64NvmeBitwise(data, 0, data.length);
        assertEquals(Base64.getEncoder().encodeToString(ChecksumAlgorithm.bigEndian(crc, 8)), out.get("ChecksumCRC64NVME"));
        assertArrayEquals(data, get(s3, "bkt", "big.bin"));
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(data);
        Map<String, Object> withSha = put(s3, "bkt", "big-sha.bin", data, "ChecksumAlgorithm", "SHA256");
        assertEquals(Base64.getEncoder().encodeToString(sha), withSha.get("ChecksumSHA256"));
    }

    @Test
    void crcCombineMatchesDirectComputation() {
        byte[] a = new byte[1000003];
        byte[] b = new byte[77];
        new java.util.Random(1).nextBytes(a);
        new java.util.Random(2).nextBytes(b);
        byte[] ab = new byte[a.length + b.length];
        System.arraycopy(a, 0, ab, 0, a.length);
        System.arraycopy(b, 0, ab, a.length, b.length);
        for (ChecksumAlgorithm alg : List.of(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32C, ChecksumAlgorithm.CRC64NVME)) {
            assertEquals(alg.of(ab), CrcCombine.combineBase64(alg, new String[]{alg.of(a), alg.of(b)}, new long[]{a.length, b.length}));
        }
    }

    @Test
    void listingsWithPrefixDelimiterPagingAndUrlEncoding() {
        for (String k : List.of("a/1", "a/2", "b/1", "c", "d e+f", "z/y/x")) put(s3, "bkt", k, new byte[]{1});
        Map<String, Object> out = s3.invoke(ctx(), "ListObjectsV2", params("Bucket", "bkt", "Delimiter", "/"));
        assertEquals(List.of("c", "d e+f"), keys(out));
        assertEquals(List.of("a/", "b/", "z/"), prefixes(out));
        assertEquals(5, out.get("KeyCount"));
        out = s3.invoke(ctx(), "ListObjectsV2", params("Bucket", "bkt", "Prefix", "a/"));
        assertEquals(List.of("a/1", "a/2"), keys(out));
        out = s3.invoke(ctx(), "ListObjectsV2", params("Bucket", "bkt", "EncodingType", "url"));
        assertTrue(keys(out).contains("d%20e%2Bf"));
        // page through with max-keys 2 and a delimiter: prefixes count as entries and are never repeated
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            Map<String, Object> in = params("Bucket", "bkt", "Delimiter", "/", "MaxKeys", 2);
            if (token != null) in.put("ContinuationToken", token);
            out = s3.invoke(ctx(), "ListObjectsV2", in);
            seen.addAll(prefixes(out));
            seen.addAll(keys(out));
            token = (String) out.get("NextContinuationToken");
            assertEquals(token != null, out.get("IsTruncated"));
        } while (token != null);
        assertEquals(List.of("a/", "b/", "c", "d e+f", "z/"), seen.stream().sorted().toList());
        out = s3.invoke(ctx(), "ListObjects", params("Bucket", "bkt", "Delimiter", "/", "MaxKeys", 2));
        assertEquals("b/", out.get("NextMarker"));
        out = s3.invoke(ctx(), "ListObjects", params("Bucket", "bkt", "Delimiter", "/", "Marker", "b/"));
        assertEquals(List.of("c", "d e+f"), keys(out));
        assertEquals(List.of("z/"), prefixes(out));
        out = s3.invoke(ctx(), "ListObjectsV2", params("Bucket", "bkt", "StartAfter", "c"));
        assertEquals(List.of("d e+f", "z/y/x"), keys(out));
        error("InvalidArgument", () -> s3.invoke(ctx(), "ListObjectsV2", params("Bucket", "bkt", "ContinuationToken", "garbage!")));
    }

    @Test
    void twentyThousandKeysPageThrough() {
        for (int i = 0; i < 20000; i++) put(s3, "bkt", String.format("key-%05d", i), new byte[0]);
        int total = 0;
        String token = null;
        String last = "";
        do {
            Map<String, Object> in = params("Bucket", "bkt");
            if (token != null) in.put("ContinuationToken", token);
            Map<String, Object> out = s3.invoke(ctx(), "ListObjectsV2", in);
            List<String> keys = keys(out);
            assertTrue(keys.size() <= 1000);
            for (String k : keys) {
                assertTrue(k.compareTo(last) > 0);
                last = k;
            }
            total += keys.size();
            token = (String) out.get("NextContinuationToken");
        } while (token != null);
        assertEquals(20000, total);
    }

    @SuppressWarnings("unchecked")
    static List<String> keys(Map<String, Object> out) {
        List<String> keys = new ArrayList<>();
        for (Object o : (List<Object>) out.getOrDefault("Contents", List.of())) keys.add((String) ((Map<String, Object>) o).get("Key"));
        return keys;
    }

    @SuppressWarnings("unchecked")
    static List<String> prefixes(Map<String, Object> out) {
        List<String> p = new ArrayList<>();
        for (Object o : (List<Object>) out.getOrDefault("CommonPrefixes", List.of())) p.add((String) ((Map<String, Object>) o).get("Prefix"));
        return p;
    }

    @Test
    void multipartUploadLifecycleAndErrors() throws Exception {
        String id = (String) s3.invoke(ctx(), "CreateMultipartUpload", params("Bucket", "bkt", "Key", "big",
                "Metadata", Map.of("m", "1"))).get("UploadId");
        byte[] p1 = new byte[5 * 1024 * 1024];
        new java.util.Random(3).nextBytes(p1);
        byte[] p2 = "tail".getBytes();
        String e1 = (String) s3.invoke(ctx(), "UploadPart", params("Bucket", "bkt", "Key", "big", "UploadId", id, "PartNumber", 1,
                "Body", StreamingBody.of(p1))).get("ETag");
        String e2 = (String) s3.invoke(ctx(), "UploadPart", params("Bucket", "bkt", "Key", "big", "UploadId", id, "PartNumber", 2,
                "Body", StreamingBody.of(p2))).get("ETag");
        error("InvalidArgument", () -> s3.invoke(ctx(), "UploadPart", params("Bucket", "bkt", "Key", "big", "UploadId", id,
                "PartNumber", 0, "Body", StreamingBody.of(p2))));
        Map<String, Object> parts = s3.invoke(ctx(), "ListParts", params("Bucket", "bkt", "Key", "big", "UploadId", id));
        assertEquals(2, ((List<?>) parts.get("Parts")).size());
        assertEquals(1, ((List<?>) s3.invoke(ctx(), "ListMultipartUploads", params("Bucket", "bkt")).get("Uploads")).size());
        error("InvalidPartOrder", () -> complete(id, List.of(part(2, e2), part(1, e1))));
        error("InvalidPart", () -> complete(id, List.of(part(1, e1), part(2, "\"0000\""))));
        String e3 = (String) s3.invoke(ctx(), "UploadPart", params("Bucket", "bkt", "Key", "big", "UploadId", id, "PartNumber", 3,
                "Body", StreamingBody.of(p2))).get("ETag");
        error("EntityTooSmall", () -> complete(id, List.of(part(2, e2), part(3, e3))));
        Map<String, Object> done = complete(id, List.of(part(1, e1), part(2, e2)));
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update(MessageDigest.getInstance("MD5").digest(p1));
        md5.update(MessageDigest.getInstance("MD5").digest(p2));
        assertEquals("\"" + HexFormat.of().formatHex(md5.digest()) + "-2\"", done.get("ETag"));
        byte[] whole = new byte[p1.length + p2.length];
        System.arraycopy(p1, 0, whole, 0, p1.length);
        System.arraycopy(p2, 0, whole, p1.length, p2.length);
        assertEquals(ChecksumAlgorithm.CRC64NVME.of(whole), done.get("ChecksumCRC64NVME"));
        assertEquals("FULL_OBJECT", done.get("ChecksumType"));
        assertArrayEquals(whole, get(s3, "bkt", "big"));
        // a range across the part boundary, and a single part by number
        byte[] across = body(s3.invoke(ctx(), "GetObject", params("Bucket", "bkt", "Key", "big", "Range",
                "bytes=" + (p1.length - 2) + "-" + (p1.length + 1))));
        assertArrayEquals(new byte[]{p1[p1.length - 2], p1[p1.length - 1], 't', 'a'}, across);
        Map<String, Object> part2 = s3.invoke(ctx(), "GetObject", params("Bucket", "bkt", "Key", "big", "PartNumber", 2));
        assertArrayEquals(p2, body(part2));
        assertEquals(2, part2.get("PartsCount"));
        error("NoSuchUpload", () -> s3.invoke(ctx(), "ListParts", params("Bucket", "bkt", "Key", "big", "UploadId", id)));
        String id2 = (String) s3.invoke(ctx(), "CreateMultipartUpload", params("Bucket", "bkt", "Key", "x")).get("UploadId");
        s3.invoke(ctx(), "AbortMultipartUpload", params("Bucket", "bkt", "Key", "x", "UploadId", id2));
        error("NoSuchUpload", () -> s3.invoke(ctx(), "AbortMultipartUpload", params("Bucket", "bkt", "Key", "x", "UploadId", id2)));
    }

    @Test
    void compositeChecksumMultipart() {
        String id = (String) s3.invoke(ctx(), "CreateMultipartUpload", params("Bucket", "bkt", "Key", "cs",
                "ChecksumAlgorithm", "SHA256")).get("UploadId");
        byte[] p1 = "only part".getBytes();
        Map<String, Object> up = s3.invoke(ctx(), "UploadPart", params("Bucket", "bkt", "Key", "cs", "UploadId", id, "PartNumber", 1,
                "Body", StreamingBody.of(p1), "ChecksumSHA256", ChecksumAlgorithm.SHA256.of(p1)));
        error("InvalidRequest", () -> complete(id, List.of(part(1, (String) up.get("ETag")))));
        Map<String, Object> withChecksum = part(1, (String) up.get("ETag"));
        withChecksum.put("ChecksumSHA256", up.get("ChecksumSHA256"));
        Map<String, Object> done = complete(id, List.of(withChecksum));
        assertEquals(ChecksumAlgorithm.SHA256.of(Base64.getDecoder().decode((String) up.get("ChecksumSHA256"))) + "-1",
                done.get("ChecksumSHA256"));
        assertEquals("COMPOSITE", done.get("ChecksumType"));
    }

    private Map<String, Object> complete(String id, List<Object> parts) {
        return s3.invoke(ctx(), "CompleteMultipartUpload", params("Bucket", "bkt", "Key", keyOf(id),
                "UploadId", id, "MultipartUpload", Map.of("Parts", parts)));
    }

    private String keyOf(String uploadId) {
        @SuppressWarnings("unchecked") List<Object> uploads = (List<Object>) s3.invoke(ctx(), "ListMultipartUploads",
                params("Bucket", "bkt")).getOrDefault("Uploads", List.of());
        for (Object o : uploads) {
            @SuppressWarnings("unchecked") Map<String, Object> u = (Map<String, Object>) o;
            if (uploadId.equals(u.get("UploadId"))) return (String) u.get("Key");
        }
        return "big";
    }

    private static Map<String, Object> part(int n, String etag) {
        return params("PartNumber", n, "ETag", etag);
    }

    @Test
    void versioningAndDeleteMarkers() {
        s3.invoke(ctx(), "PutBucketVersioning", params("Bucket", "bkt", "VersioningConfiguration", Map.of("Status", "Enabled")));
        assertEquals("Enabled", s3.invoke(ctx(), "GetBucketVersioning", params("Bucket", "bkt")).get("Status"));
        String v1 = (String) put(s3, "bkt", "k", "one".getBytes()).get("VersionId");
        String v2 = (String) put(s3, "bkt", "k", "two".getBytes()).get("VersionId");
        assertNotEquals(v1, v2);
        assertArrayEquals("two".getBytes(), get(s3, "bkt", "k"));
        assertArrayEquals("one".getBytes(), body(s3.invoke(ctx(), "GetObject", params("Bucket", "bkt", "Key", "k", "VersionId", v1))));
        Map<String, Object> del = s3.invoke(ctx(), "DeleteObject", params("Bucket", "bkt", "Key", "k"));
        assertEquals(true, del.get("DeleteMarker"));
        String marker = (String) del.get("VersionId");
        RequestContext c = ctx();
        error("NoSuchKey", () -> s3.invoke(c, "GetObject", params("Bucket", "bkt", "Key", "k")));
        assertEquals("true", c.response().header("x-amz-delete-marker"));
        error("MethodNotAllowed", () -> s3.invoke(ctx(), "GetObject", params("Bucket", "bkt", "Key", "k", "VersionId", marker)));
        assertTrue(keys(s3.invoke(ctx(), "ListObjectsV2", params("Bucket", "bkt"))).isEmpty());
        Map<String, Object> versions = s3.invoke(ctx(), "ListObjectVersions", params("Bucket", "bkt"));
        assertEquals(2, ((List<?>) versions.get("Versions")).size());
        assertEquals(1, ((List<?>) versions.get("DeleteMarkers")).size());
        error("BucketNotEmpty", () -> s3.invoke(ctx(), "DeleteBucket", params("Bucket", "bkt")));
        // removing the marker brings the object back
        s3.invoke(ctx(), "DeleteObject", params("Bucket", "bkt", "Key", "k", "VersionId", marker));
        assertArrayEquals("two".getBytes(), get(s3, "bkt", "k"));
        s3.invoke(ctx(), "DeleteObject", params("Bucket", "bkt", "Key", "k", "VersionId", v2));
        assertArrayEquals("one".getBytes(), get(s3, "bkt", "k"));
        error("NoSuchVersion", () -> s3.invoke(ctx(), "GetObject", params("Bucket", "bkt", "Key", "k", "VersionId", v2)));
        // suspended: writes replace the "null" version
        s3.invoke(ctx(), "PutBucketVersioning", params("Bucket", "bkt", "VersioningConfiguration", Map.of("Status", "Suspended")));
        assertNull(put(s3, "bkt", "k", "three".getBytes()).get("VersionId"));
        put(s3, "bkt", "k", "four".getBytes());
        Map<String, Object> after = s3.invoke(ctx(), "ListObjectVersions", params("Bucket", "bkt"));
        assertEquals(2, ((List<?>) after.get("Versions")).size()); // v1 and one "null"
    }

    @Test
    void copyObjectAndDeleteObjects() {
        put(s3, "bkt", "src", "data".getBytes(), "Metadata", Map.of("a", "1"), "ContentType", "text/x");
        s3.invoke(ctx(), "CreateBucket", params("Bucket", "other"));
        Map<String, Object> out = s3.invoke(ctx(), "CopyObject", params("Bucket", "other", "Key", "dst", "CopySource", "bkt/src"));
        assertNotNull(((Map<?, ?>) out.get("CopyObjectResult")).get("ETag"));
        Map<String, Object> head = s3.invoke(ctx(), "HeadObject", params("Bucket", "other", "Key", "dst"));
        assertEquals(Map.of("a", "1"), head.get("Metadata"));
        assertEquals("text/x", head.get("ContentType"));
        s3.invoke(ctx(), "CopyObject", params("Bucket", "other", "Key", "dst2", "CopySource", "/bkt/src",
                "MetadataDirective", "REPLACE", "Metadata", Map.of("b", "2")));
        assertEquals(Map.of("b", "2"), s3.invoke(ctx(), "HeadObject", params("Bucket", "other", "Key", "dst2")).get("Metadata"));
        error("InvalidRequest", () -> s3.invoke(ctx(), "CopyObject", params("Bucket", "bkt", "Key", "src", "CopySource", "bkt/src")));
        error("PreconditionFailed", () -> s3.invoke(ctx(), "CopyObject", params("Bucket", "bkt", "Key", "x", "CopySource", "bkt/src",
                "CopySourceIfMatch", "\"nope\"")));
        error("NoSuchKey", () -> s3.invoke(ctx(), "CopyObject", params("Bucket", "bkt", "Key", "x", "CopySource", "bkt/none")));
        Map<String, Object> del = s3.invoke(ctx(), "DeleteObjects", params("Bucket", "other", "Delete",
                Map.of("Objects", List.of(Map.of("Key", "dst"), Map.of("Key", "dst2"), Map.of("Key", "never")))));
        assertEquals(3, ((List<?>) del.get("Deleted")).size());
        Map<String, Object> quiet = s3.invoke(ctx(), "DeleteObjects", params("Bucket", "other", "Delete",
                Map.of("Objects", List.of(Map.of("Key", "x")), "Quiet", true)));
        assertFalse(quiet.containsKey("Deleted"));
        assertTrue(keys(s3.invoke(ctx(), "ListObjectsV2", params("Bucket", "other"))).isEmpty());
    }

    @Test
    void bucketConfigurationsStoredAndReturned() {
        error("NoSuchTagSet", () -> s3.invoke(ctx(), "GetBucketTagging", params("Bucket", "bkt")));
        s3.invoke(ctx(), "PutBucketTagging", params("Bucket", "bkt", "Tagging", Map.of("TagSet", List.of(Map.of("Key", "k", "Value", "v")))));
        assertEquals(List.of(Map.of("Key", "k", "Value", "v")), s3.invoke(ctx(), "GetBucketTagging", params("Bucket", "bkt")).get("TagSet"));
        s3.invoke(ctx(), "DeleteBucketTagging", params("Bucket", "bkt"));
        error("NoSuchTagSet", () -> s3.invoke(ctx(), "GetBucketTagging", params("Bucket", "bkt")));
        error("NoSuchBucketPolicy", () -> s3.invoke(ctx(), "GetBucketPolicy", params("Bucket", "bkt")));
        error("MalformedPolicy", () -> s3.invoke(ctx(), "PutBucketPolicy", params("Bucket", "bkt", "Policy", "nope")));
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
        s3.invoke(ctx(), "PutBucketPolicy", params("Bucket", "bkt", "Policy", policy));
        assertEquals(policy, s3.invoke(ctx(), "GetBucketPolicy", params("Bucket", "bkt")).get("Policy"));
        assertNotNull(s3.invoke(ctx(), "GetBucketEncryption", params("Bucket", "bkt")).get("ServerSideEncryptionConfiguration"));
        assertNotNull(s3.invoke(ctx(), "GetBucketOwnershipControls", params("Bucket", "bkt")).get("OwnershipControls"));
        assertNotNull(s3.invoke(ctx(), "GetPublicAccessBlock", params("Bucket", "bkt")).get("PublicAccessBlockConfiguration"));
        s3.invoke(ctx(), "PutBucketAcl", params("Bucket", "bkt", "ACL", "public-read"));
        assertEquals(2, ((List<?>) s3.invoke(ctx(), "GetBucketAcl", params("Bucket", "bkt")).get("Grants")).size());
        error("NoSuchCORSConfiguration", () -> s3.invoke(ctx(), "GetBucketCors", params("Bucket", "bkt")));
        error("InvalidRequest", () -> s3.invoke(ctx(), "PutBucketCors", params("Bucket", "bkt", "CORSConfiguration",
                Map.of("CORSRules", List.of(Map.of("AllowedMethods", List.of("MYMETHOD"), "AllowedOrigins", List.of("*")))))));
        s3.invoke(ctx(), "PutBucketLifecycleConfiguration", params("Bucket", "bkt", "LifecycleConfiguration",
                Map.of("Rules", List.of(Map.of("ID", "r", "Filter", Map.of(), "Status", "Enabled", "Expiration", Map.of("Days", 1))))));
        assertEquals(1, ((List<?>) s3.invoke(ctx(), "GetBucketLifecycleConfiguration", params("Bucket", "bkt")).get("Rules")).size());
        assertEquals(1, ((List<?>) s3.invoke(ctx(), "GetBucketLifecycle", params("Bucket", "bkt")).get("Rules")).size());
        error("NoSuchWebsiteConfiguration", () -> s3.invoke(ctx(), "GetBucketWebsite", params("Bucket", "bkt")));
        s3.invoke(ctx(), "PutBucketWebsite", params("Bucket", "bkt", "WebsiteConfiguration", Map.of("IndexDocument", Map.of("Suffix", "index.html"))));
        assertEquals(Map.of("Suffix", "index.html"), s3.invoke(ctx(), "GetBucketWebsite", params("Bucket", "bkt")).get("IndexDocument"));
        assertTrue(s3.invoke(ctx(), "GetBucketNotificationConfiguration", params("Bucket", "bkt")).isEmpty());
    }

    @Test
    void expectedBucketOwner() {
        put(s3, "bkt", "k", new byte[1], "ExpectedBucketOwner", ACCOUNT);
        error("AccessDenied", () -> put(s3, "bkt", "k", new byte[1], "ExpectedBucketOwner", "111111111111"));
        error("InvalidBucketOwnerAWSAccountID", () -> s3.invoke(ctx(), "HeadBucket", params("Bucket", "bkt", "ExpectedBucketOwner", "abcd")));
    }

    @Test
    void objectTagging() {
        put(s3, "bkt", "t", new byte[1], "Tagging", "a=1&b=2");
        assertEquals(2, ((List<?>) s3.invoke(ctx(), "GetObjectTagging", params("Bucket", "bkt", "Key", "t")).get("TagSet")).size());
        s3.invoke(ctx(), "PutObjectTagging", params("Bucket", "bkt", "Key", "t", "Tagging", Map.of("TagSet", List.of(Map.of("Key", "x", "Value", "y")))));
        assertEquals(List.of(Map.of("Key", "x", "Value", "y")),
                s3.invoke(ctx(), "GetObjectTagging", params("Bucket", "bkt", "Key", "t")).get("TagSet"));
        error("InvalidTag", () -> s3.invoke(ctx(), "PutObjectTagging", params("Bucket", "bkt", "Key", "t",
                "Tagging", Map.of("TagSet", List.of(Map.of("Key", "aws:x", "Value", "y"))))));
    }
}
