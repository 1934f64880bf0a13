package dev.polystack.gateway.http;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts between Helidon's request/response and the server-independent {@link HttpRequestData}/{@link HttpResponseData}. */
public final class HelidonExchange {
    private static final int COPY_BUFFER = 256 * 1024;
    private HelidonExchange() {
    }

    public static HttpRequestData request(ServerRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Header h : request.headers()) {
            headers.computeIfAbsent(h.name(), k -> new ArrayList<>()).addAll(RawHeaderValues.of(h));
        }
        String method = request.prologue().method().text();
        InputStream body = hasBody(request) ? new ClientBody(request.content().inputStream()) : InputStream.nullInputStream();
        return new HttpRequestData(method, request.path().rawPath(), request.query().rawValue(), headers, body);
    }

    private static boolean hasBody(ServerRequest request) {
        return request.content().hasEntity();
    }

    /**
     * Header values as HTTP can carry them: a character Helidon would refuse (controls, beyond ISO-8859-1)
     * becomes a space, as S3 does, and the value is trimmed, so that no stored value can turn a response into a 500.
     */
    static List<String> writable(List<String> values) {
        List<String> out = null;
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            String clean = v == null ? "" : writable(v);
            if (clean != v && out == null) out = new ArrayList<>(values);
            if (out != null) out.set(i, clean);
        }
        return out == null ? values : out;
    }

    private static String writable(String v) {
        StringBuilder b = null;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean ok = c == '\t' || (c >= 0x20 && c != 0x7F && c <= 0xFF);
            if (ok && b == null) continue;
            if (b == null) b = new StringBuilder(v.length()).append(v, 0, i);
            b.append(ok ? c : ' ');
        }
        String clean = b == null ? v : b.toString();
        // nor may a value start or end with whitespace (RFC 9110 field-value)
        if (!clean.isEmpty() && (isBlank(clean.charAt(0)) || isBlank(clean.charAt(clean.length() - 1)))) clean = clean.strip();
        return clean;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** Writes the response; a streamed body is copied and closed; HEAD responses keep their Content-Length. */
    public static void send(HttpResponseData data, ServerResponse response, boolean head) throws IOException {
        response.status(data.status());
        String contentLength = null;
        for (Map.Entry<String, List<String>> e : data.headers().entrySet()) {
            if (e.getKey().equalsIgnoreCase("Content-Length")) {
                contentLength = e.getValue().isEmpty() ? null : e.getValue().get(0);
                continue;
            }
            if (e.getValue().isEmpty()) continue;
            response.header(HeaderValues.create(HeaderNames.create(e.getKey()), writable(e.getValue())));
        }
        if (head) {
            long length = contentLength != null ? parseLength(contentLength) : data.bodyLength();
            if (length >= 0) response.header(HeaderValues.create(HeaderNames.CONTENT_LENGTH, length));
            closeQuietly(data);
            response.send();
            return;
        }
        if (!data.isStreamed()) {
            response.send(data.bodyBytes());
            return;
        }
        long length = data.bodyLength();
        if (length >= 0) response.contentLength(length);
        try (InputStream in = data.bodyStream(); OutputStream out = response.outputStream()) {
            copy(in, out, length);
        }
    }

    /**
     * Large bodies move in 256 KiB runs: InputStream.transferTo's 16 KiB buffer meant 512 socket writes for an
     * 8 MiB GET. Small or in-memory bodies keep transferTo (a byte array stream writes itself in one call).
     */
    static void copy(InputStream in, OutputStream out, long length) throws IOException {
        if (in instanceof java.io.ByteArrayInputStream || (length >= 0 && length <= COPY_BUFFER / 16)) {
            in.transferTo(out);
            return;
        }
        byte[] buffer = new byte[COPY_BUFFER];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (n == 0) continue;
            out.write(buffer, 0, n);
            // a body of unknown length may be an event stream whose events must reach the client as they come
            if (length < 0) out.flush();
        }
    }

    /**
     * The request body as providers read it. Helidon reports a client that hung up mid-body with unchecked
     * exceptions; readers of an InputStream expect an IOException (S3 answers it with a 400 IncompleteBody
     * instead of logging an internal error).
     */
    private static final class ClientBody extends FilterInputStream {
        ClientBody(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (RuntimeException e) {
                throw clientGone(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (RuntimeException e) {
                throw clientGone(e);
            }
        }

        private static IOException clientGone(RuntimeException e) {
            return new IOException("the client closed the connection before the request body ended", e);
        }
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void closeQuietly(HttpResponseData data) {
        if (!data.isStreamed()) return;
        try {
            data.bodyStream().close();
        } catch (IOException ignored) {
            // nothing to do: the body was never going to be sent
        }
    }
}
