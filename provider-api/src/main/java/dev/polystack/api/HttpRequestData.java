package dev.polystack.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A raw HTTP request, independent of the web server. Header names are case-insensitive.
 * The body is a stream, read at most once; {@link #bodyBytes()} buffers it for small bodies.
 * aws-chunked and gzip content encodings have already been decoded by the gateway.
 */
public final class HttpRequestData {
    private static final int SIZED_READ_LIMIT = 1 << 20;

    private final String method;
    private final String path;
    private final String rawQuery;
    private final Map<String, List<String>> headers;
    private InputStream body;
    private byte[] bodyBytes;
    private Map<String, List<String>> queryParameters;

    /**
     * @param path     the decoded-once path without the query, for example {@code /bucket/a%2Fb} stays raw: it is
     *                 the path exactly as sent (percent-encoded), protocol parsers decode labels themselves
     * @param rawQuery the raw query string without {@code ?}, or empty
     */
    public HttpRequestData(String method, String path, String rawQuery, Map<String, List<String>> headers, InputStream body) {
        this.method = method;
        this.path = path;
        this.rawQuery = rawQuery == null ? "" : rawQuery;
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        this.headers = h;
        this.body = body == null ? InputStream.nullInputStream() : body;
    }

    public static HttpRequestData of(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
        int q = pathAndQuery.indexOf('?');
        Map<String, List<String>> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> h.put(k, List.of(v)));
        HttpRequestData r = new HttpRequestData(method, q < 0 ? pathAndQuery : pathAndQuery.substring(0, q),
                q < 0 ? "" : pathAndQuery.substring(q + 1), h, new ByteArrayInputStream(body == null ? new byte[0] : body));
        return r;
    }

    public String method() { return method; }

    /** The path as sent, still percent-encoded. */
    public String path() { return path; }

    public String rawQuery() { return rawQuery; }

    /** Case-insensitive view of all headers. */
    public Map<String, List<String>> headers() { return headers; }

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** Query parameters, decoded ({@code +} as space), in order; a key without {@code =} maps to "". */
    public Map<String, List<String>> queryParameters() {
        if (queryParameters == null) queryParameters = decodeForm(rawQuery);
        return queryParameters;
    }

    public String queryParameter(String name) {
        List<String> v = queryParameters().get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** The body as a stream (consumed once, unless {@link #bodyBytes()} buffered it). */
    public InputStream body() {
        return bodyBytes != null ? new ByteArrayInputStream(bodyBytes) : body;
    }

    /** The whole body, buffered on first call. Only for bodies known to be small (not S3 object data). */
    public byte[] bodyBytes() {
        if (bodyBytes == null) {
            try (InputStream in = body) {
                bodyBytes = readAll(in, contentLength());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bodyBytes;
    }

    /**
     * Reads to the end of the stream. A declared length up to 1 MiB sizes the buffer exactly: readAllBytes starts
     * with a 16 KiB buffer, which was most of the garbage of a small JSON request. The declared length is only a hint
     * (a decoded body may be shorter or longer).
     */
    private static byte[] readAll(InputStream in, long declared) throws IOException {
        if (declared < 0 || declared > SIZED_READ_LIMIT) return in.readAllBytes();
        byte[] exact = new byte[(int) declared];
        int n = in.readNBytes(exact, 0, exact.length);
        if (n < exact.length) return Arrays.copyOf(exact, n);
        int next = in.read();
        if (next < 0) return exact;
        byte[] rest = in.readAllBytes();
        byte[] all = Arrays.copyOf(exact, exact.length + 1 + rest.length);
        all[exact.length] = (byte) next;
        System.arraycopy(rest, 0, all, exact.length + 1, rest.length);
        return all;
    }

    /** Declared Content-Length, or -1. */
    public long contentLength() {
        String v = header("Content-Length");
        if (v == null) return -1;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Decodes {@code a=1&b=2} form or query text; keys and values are URL-decoded as UTF-8. */
    public static Map<String, List<String>> decodeForm(String text) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) return out;
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.computeIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), x -> new ArrayList<>())
                    .add(URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }
}
