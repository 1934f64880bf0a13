package dev.polystack.gateway.http;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.MalformedBodyException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AwsChunkedDecoderTest {

    private static byte[] chunked(byte[] data, int chunkSize, boolean signed, String trailers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < data.length; i += chunkSize) {
            int n = Math.min(chunkSize, data.length - i);
            String header = Integer.toHexString(n) + (signed ? ";chunk-signature=" + "ab".repeat(32) : "") + "\r\n";
            out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
            out.write(data, i, n);
            out.writeBytes("\r\n".getBytes());
        }
        out.writeBytes(("0" + (signed ? ";chunk-signature=" + "cd".repeat(32) : "") + "\r\n").getBytes());
        if (trailers != null) out.writeBytes(trailers.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes("\r\n".getBytes());
        return out.toByteArray();
    }

    private static byte[] readSmallReads(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[7];
        int n;
        while ((n = in.read(buf, 0, buf.length)) >= 0) out.write(buf, 0, n);
        return out.toByteArray();
    }

    @Test
    void decodesSignedChunks() throws IOException {
        byte[] data = new byte[200_000];
        new Random(1).nextBytes(data);
        Map<String, String> trailers = new HashMap<>();
        InputStream in = new AwsChunkedDecoder(new ByteArrayInputStream(chunked(data, 65_536, true, null)), trailers::putAll);
        assertArrayEquals(data, in.readAllBytes());
        assertEquals(Map.of(), trailers);
    }

    @Test
    void decodesUnsignedChunksWithTrailersInSmallReads() throws IOException {
        byte[] data = "hello world, this is aws-chunked".getBytes();
        Map<String, String> trailers = new LinkedHashMap<>();
        InputStream in = new AwsChunkedDecoder(new ByteArrayInputStream(chunked(data, 5, false,
                "x-amz-checksum-crc32:rK0DXg==\r\nx-amz-trailer-signature:00ff\r\n")), trailers::putAll);
        assertArrayEquals(data, readSmallReads(in));
        assertEquals("rK0DXg==", trailers.get("x-amz-checksum-crc32"));
        assertEquals(-1, in.read());
    }

    private static String failure(byte[] body, long declaredLength) {
        return assertThrows(MalformedBodyException.class,
                () -> new AwsChunkedDecoder(new ByteArrayInputStream(body), t -> { }, declaredLength).readAllBytes()).code();
    }

    @Test
    void truncatedBodiesAreIncompleteAndBrokenFramingIsInvalid() {
        byte[] full = chunked("abcdef".getBytes(), 6, false, null);
        assertEquals("IncompleteBody", failure(java.util.Arrays.copyOf(full, 6), -1), "ends inside the chunk");
        assertEquals("IncompleteBody", failure(java.util.Arrays.copyOf(full, 11), -1), "ends before the final chunk");
        assertEquals("IncompleteBody", failure(full, 7), "shorter than x-amz-decoded-content-length");
        assertEquals("InvalidRequest", failure(full, 5), "longer than x-amz-decoded-content-length");
        assertEquals("InvalidRequest", failure("zz\r\nabc".getBytes(), -1), "chunk size is not hex");
        assertEquals("InvalidRequest", failure("2\r\nabc\r\n0\r\n\r\n".getBytes(), -1), "chunk longer than declared");
        assertEquals("InvalidRequest", failure(chunked("ab".getBytes(), 2, false, "no colon\r\n"), -1), "bad trailer");
    }

    @Test
    void gzipThatIsNotGzipIsAMalformedBody() {
        HttpRequestData raw = HttpRequestData.of("POST", "/", Map.of("Content-Encoding", "gzip"), "{\"not\":\"gzip\"}".getBytes());
        HttpRequestData decoded = ContentDecoding.decodeGzip(raw);
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, decoded::bodyBytes);
        assertEquals("InvalidRequest", MalformedBodyException.in(e).code());
    }

    @Test
    void requestDecodingMovesTrailersIntoHeadersAndFixesLength() {
        byte[] data = "payload".getBytes();
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Encoding", "aws-chunked,gzip");
        h.put("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
        h.put("x-amz-decoded-content-length", "7");
        h.put("x-amz-trailer", "x-amz-checksum-crc32");
        h.put("Content-Length", "999");
        HttpRequestData raw = HttpRequestData.of("PUT", "/b/k", h, chunked(data, 3, false, "x-amz-checksum-crc32:abc=\r\n"));
        HttpRequestData decoded = ContentDecoding.decodeAwsChunked(raw);
        assertEquals("7", decoded.header("content-length"));
        assertEquals("gzip", decoded.header("Content-Encoding"), "S3 keeps gzip as object metadata");
        assertNull(decoded.header("x-amz-checksum-crc32"), "trailers arrive at the end of the body");
        assertArrayEquals(data, decoded.bodyBytes());
        assertEquals("abc=", decoded.header("x-amz-checksum-crc32"));
    }

    @Test
    void streamingPayloadHashMeansChunkedEvenWithoutContentEncoding() {
        Map<String, String> h = Map.of("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
                "x-amz-decoded-content-length", "3");
        HttpRequestData decoded = ContentDecoding.decodeAwsChunked(
                HttpRequestData.of("PUT", "/b/k", h, chunked("abc".getBytes(), 2, true, null)));
        assertArrayEquals("abc".getBytes(), decoded.bodyBytes());
    }

    @Test
    void gzipBodiesAreDecoded() throws IOException {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write("Action=PutMetricData&Version=2010-08-01".getBytes());
        }
        HttpRequestData raw = HttpRequestData.of("POST", "/", Map.of("Content-Encoding", "gzip",
                "Content-Type", "application/x-www-form-urlencoded"), zipped.toByteArray());
        HttpRequestData decoded = ContentDecoding.decodeGzip(raw);
        assertNull(decoded.header("Content-Encoding"));
        assertEquals("Action=PutMetricData&Version=2010-08-01", new String(decoded.bodyBytes()));
        HttpRequestData plain = HttpRequestData.of("POST", "/", Map.of(), "x".getBytes());
        assertEquals(plain, ContentDecoding.decodeGzip(plain));
    }
}
