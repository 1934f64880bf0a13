package dev.polystack.gateway.http;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.MalformedBodyException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Undoes request content encodings before the protocol layer sees the body (Helidon's own handling is off).
 * <ul>
 *   <li>{@code aws-chunked} (or a {@code STREAMING-*} payload hash): always decoded; {@code Content-Length}
 *       becomes {@code x-amz-decoded-content-length}; trailers join the headers at the end of the body.</li>
 *   <li>{@code gzip}: decoded for every service but S3, where {@code Content-Encoding} is object metadata.</li>
 * </ul>
 * Decoded encodings are removed from {@code Content-Encoding} (the header disappears when none is left).
 */
public final class ContentDecoding {
    private ContentDecoding() {
    }

    /** Decodes aws-chunked framing; the result shares nothing mutable with the input. */
    public static HttpRequestData decodeAwsChunked(HttpRequestData request) {
        if (!isAwsChunked(request)) return request;
        Map<String, List<String>> headers = copyHeaders(request);
        removeEncoding(headers, "aws-chunked");
        String decodedLength = request.header("x-amz-decoded-content-length");
        headers.keySet().removeIf(k -> k.equalsIgnoreCase("Content-Length") || k.equalsIgnoreCase("Transfer-Encoding"));
        if (decodedLength != null) headers.put("Content-Length", List.of(decodedLength.trim()));
        TrailerTarget target = new TrailerTarget();
        HttpRequestData decoded = new HttpRequestData(request.method(), request.path(), request.rawQuery(), headers,
                new AwsChunkedDecoder(request.body(), target, declaredLength(decodedLength)));
        target.request = decoded;
        return decoded;
    }

    /** Decodes a gzip body (not for S3). */
    public static HttpRequestData decodeGzip(HttpRequestData request) {
        if (!hasEncoding(request, "gzip") && !hasEncoding(request, "x-gzip")) return request;
        Map<String, List<String>> headers = copyHeaders(request);
        removeEncoding(headers, "gzip");
        removeEncoding(headers, "x-gzip");
        headers.keySet().removeIf(k -> k.equalsIgnoreCase("Content-Length"));
        return new HttpRequestData(request.method(), request.path(), request.rawQuery(), headers, new GzipBody(request.body()));
    }

    private static long declaredLength(String header) {
        if (header == null) return -1;
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * A gzip-decoding body that reads the gzip header on first read, not when built: a body that is not gzip then
     * fails inside the dispatcher, whose error is rendered in the service's protocol. Corrupt or truncated gzip
     * data is the client's error, reported as a {@link MalformedBodyException}.
     */
    private static final class GzipBody extends InputStream {
        private final InputStream raw;
        private GZIPInputStream gzip;

        GzipBody(InputStream raw) {
            this.raw = raw;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                if (gzip == null) gzip = new GZIPInputStream(raw, 8192);
                return gzip.read(b, off, len);
            } catch (ZipException | EOFException e) {
                throw MalformedBodyException.invalid("Content-Encoding is gzip, but the body is not valid gzip (" + e.getMessage() + ")");
            }
        }

        @Override
        public void close() throws IOException {
            if (gzip != null) gzip.close();
            else raw.close();
        }
    }

    static boolean isAwsChunked(HttpRequestData request) {
        if (hasEncoding(request, "aws-chunked")) return true;
        String sha = request.header("x-amz-content-sha256");
        return sha != null && sha.startsWith("STREAMING-");
    }

    static boolean hasEncoding(HttpRequestData request, String encoding) {
        List<String> values = request.headers().get("Content-Encoding");
        if (values == null) return false;
        for (String value : values) {
            for (String part : value.split(",")) {
                if (part.trim().equalsIgnoreCase(encoding)) return true;
            }
        }
        return false;
    }

    private static Map<String, List<String>> copyHeaders(HttpRequestData request) {
        Map<String, List<String>> copy = new java.util.LinkedHashMap<>();
        request.headers().forEach((k, v) -> copy.put(k, new ArrayList<>(v)));
        return copy;
    }

    private static void removeEncoding(Map<String, List<String>> headers, String encoding) {
        String key = null;
        for (String k : headers.keySet()) {
            if (k.equalsIgnoreCase("Content-Encoding")) key = k;
        }
        if (key == null) return;
        List<String> kept = new ArrayList<>();
        for (String value : headers.get(key)) {
            for (String part : value.split(",")) {
                String p = part.trim();
                if (!p.isEmpty() && !p.toLowerCase(Locale.ROOT).equals(encoding)) kept.add(p);
            }
        }
        if (kept.isEmpty()) headers.remove(key);
        else headers.put(key, List.of(String.join(",", kept)));
    }

    /** Puts aws-chunked trailers into the decoded request's headers. */
    private static final class TrailerTarget implements java.util.function.Consumer<Map<String, String>> {
        volatile HttpRequestData request;

        @Override
        public void accept(Map<String, String> trailers) {
            trailers.forEach((name, value) -> request.headers().put(name, new ArrayList<>(List.of(value))));
        }
    }
}
