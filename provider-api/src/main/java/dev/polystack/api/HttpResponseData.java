package dev.polystack.api;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A raw HTTP response, independent of the web server. Header names keep the case given (AWS's case).
 * The body is either bytes or a stream with a known length (-1: unknown, sent chunked).
 */
public final class HttpResponseData {
    private int status = 200;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private byte[] body = new byte[0];
    private InputStream bodyStream;
    private long streamLength = -1;

    public HttpResponseData() {
    }

    public HttpResponseData(int status) {
        this.status = status;
    }

    public int status() { return status; }

    public HttpResponseData status(int status) {
        this.status = status;
        return this;
    }

    public Map<String, List<String>> headers() { return headers; }

    /** Replaces the values of a header (matched case-insensitively, stored with the given case). */
    public HttpResponseData header(String name, String value) {
        headers.keySet().removeIf(k -> k.equalsIgnoreCase(name));
        headers.put(name, new ArrayList<>(List.of(value)));
        return this;
    }

    public HttpResponseData addHeader(String name, String value) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                e.getValue().add(value);
                return this;
            }
        }
        headers.put(name, new ArrayList<>(List.of(value)));
        return this;
    }

    public String header(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) return e.getValue().get(0);
        }
        return null;
    }

    public HttpResponseData body(byte[] body) {
        this.body = body == null ? new byte[0] : body;
        this.bodyStream = null;
        return this;
    }

    public HttpResponseData body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A streamed body; {@code length} -1 when unknown. The gateway closes the stream. */
    public HttpResponseData body(InputStream stream, long length) {
        this.bodyStream = stream;
        this.streamLength = length;
        this.body = null;
        return this;
    }

    public boolean isStreamed() { return bodyStream != null; }

    /** The buffered body (empty when streamed). */
    public byte[] bodyBytes() { return body == null ? new byte[0] : body; }

    public InputStream bodyStream() { return bodyStream != null ? bodyStream : new ByteArrayInputStream(bodyBytes()); }

    /** Length of the body: the byte count, or the stream's declared length (-1 unknown). */
    public long bodyLength() { return bodyStream != null ? streamLength : body.length; }
}
