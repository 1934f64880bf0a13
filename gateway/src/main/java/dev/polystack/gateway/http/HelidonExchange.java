package dev.polystack.gateway.http;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts between Helidon's request/response and the server-independent {@link HttpRequestData}/{@link HttpResponseData}. */
public final class HelidonExchange {
    private HelidonExchange() {
    }

    public static HttpRequestData request(ServerRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Header h : request.headers()) {
            headers.computeIfAbsent(h.name(), k -> new ArrayList<>()).addAll(h.allValues());
        }
        String method = request.prologue().method().text();
        InputStream body = hasBody(request) ? request.content().inputStream() : InputStream.nullInputStream();
        return new HttpRequestData(method, request.path().rawPath(), request.query().rawValue(), headers, body);
    }

    private static boolean hasBody(ServerRequest request) {
        return request.content().hasEntity();
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
            response.header(HeaderValues.create(HeaderNames.create(e.getKey()), e.getValue()));
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
            in.transferTo(out);
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
