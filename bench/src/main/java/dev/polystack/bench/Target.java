package dev.polystack.bench;

import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.DefaultConnectionReuseStrategy;
import org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.http.protocol.HttpCoreContext;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A server under load and the HTTP helpers scenarios use. Requests carry an unverified SigV4 {@code Authorization}
 * header so servers route them by credential scope as they would an SDK's (neither server checks signatures).
 *
 * <p>HTTP goes over blocking keep-alive HTTP/1.1 connections (Apache HttpCore), one per worker in flight: a worker
 * takes an idle connection (or opens one), sends one request, reads the whole response and gives the connection
 * back. The generator then costs a few microseconds of CPU per request, so a c=1 figure measures the server.
 */
public final class Target {
    private static final int TIMEOUT_MILLIS = 30_000;

    private final String name;
    private final String baseUrl;
    private final InetSocketAddress address;
    private final String hostHeader;
    private final ConcurrentLinkedDeque<DefaultBHttpClientConnection> idle = new ConcurrentLinkedDeque<>();

    public Target(String name, String baseUrl) {
        this.name = name;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        URI uri = URI.create(this.baseUrl);
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        this.address = new InetSocketAddress(uri.getHost(), port);
        this.hostHeader = uri.getHost() + ":" + port;
    }

    public String name() { return name; }

    public String baseUrl() { return baseUrl; }

    public static String authorization(String service, String region) {
        return "AWS4-HMAC-SHA256 Credential=test/20240101/" + region + "/" + service
                + "/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64);
    }

    /** A JSON-protocol call ({@code X-Amz-Target}); returns the body, throws on a status >= 400. */
    public String awsJson(String service, String target, String json, String jsonVersion) throws IOException {
        ClassicHttpRequest r = request("POST", "/", service);
        r.setHeader("X-Amz-Target", target);
        withBody(r, json.getBytes(StandardCharsets.UTF_8), "application/x-amz-json-" + jsonVersion);
        return new String(execute(r), StandardCharsets.UTF_8);
    }

    /** A query-protocol call (form body with Action and Version); returns the body, throws on a status >= 400. */
    public String query(String service, String form) throws IOException {
        ClassicHttpRequest r = request("POST", "/", service);
        withBody(r, form.getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded; charset=utf-8");
        return new String(execute(r), StandardCharsets.UTF_8);
    }

    /** A REST call (S3 and the like) with an optional body; returns the body bytes, throws on a status >= 400. */
    public byte[] rest(String service, String method, String path, byte[] body) throws IOException {
        ClassicHttpRequest r = request(method, path, service);
        r.setHeader("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD");
        if (body != null) withBody(r, body, "application/octet-stream");
        else if (method.equals("PUT") || method.equals("POST")) r.setHeader("Content-Length", "0");
        return execute(r);
    }

    /** A REST-JSON call (API Gateway, Lambda ...) with a JSON body; returns the body, throws on a status >= 400. */
    public String restJson(String service, String method, String path, String json) throws IOException {
        ClassicHttpRequest r = request(method, path, service);
        withBody(r, json.getBytes(StandardCharsets.UTF_8), "application/json");
        return new String(execute(r), StandardCharsets.UTF_8);
    }

    /** A plain GET of {@code path}; returns the body, throws on a status >= 400. */
    public String get(String path) throws IOException {
        ClassicHttpRequest r = new BasicClassicHttpRequest("GET", path);
        r.setHeader("Host", hostHeader);
        return new String(execute(r), StandardCharsets.UTF_8);
    }

    /** The body and its framing headers (HttpCore's connection sends exactly the headers it is given). */
    private static void withBody(ClassicHttpRequest r, byte[] body, String contentType) {
        r.setHeader("Content-Type", contentType);
        r.setHeader("Content-Length", Integer.toString(body.length));
        r.setEntity(new ByteArrayEntity(body, null));
    }

    private ClassicHttpRequest request(String method, String path, String service) {
        ClassicHttpRequest r = new BasicClassicHttpRequest(method, path);
        r.setHeader("Host", hostHeader);
        r.setHeader("Authorization", authorization(service, "us-east-1"));
        r.setHeader("X-Amz-Date", "20240101T000000Z");
        return r;
    }

    /**
     * Sends one request on an idle (or new) connection and reads the whole response; throws on a status >= 400.
     * A kept-alive connection the server has closed meanwhile fails before any response: then once more on a new one.
     */
    private byte[] execute(ClassicHttpRequest request) throws IOException {
        DefaultBHttpClientConnection pooled = idle.pollFirst();
        if (pooled != null) {
            try {
                return exchange(pooled, request);
            } catch (NoHttpResponseException | SocketException stale) {
                // fall through to a fresh connection
            }
        }
        return exchange(connect(), request);
    }

    private byte[] exchange(DefaultBHttpClientConnection connection, ClassicHttpRequest request) throws IOException {
        boolean reusable = false;
        try {
            connection.sendRequestHeader(request);
            connection.sendRequestEntity(request);
            connection.flush();
            ClassicHttpResponse response = connection.receiveResponseHeader();
            byte[] body = new byte[0];
            int status = response.getCode();
            if (!request.getMethod().equals("HEAD") && status >= 200 && status != 204 && status != 304) {
                connection.receiveResponseEntity(response);
                HttpEntity entity = response.getEntity();
                if (entity != null) body = EntityUtils.toByteArray(entity);
            }
            reusable = DefaultConnectionReuseStrategy.INSTANCE.keepAlive(request, response, HttpCoreContext.create());
            if (status >= 400) {
                String text = new String(body, StandardCharsets.UTF_8);
                throw new IOException(name + ": HTTP " + status + ": " + (text.length() > 300 ? text.substring(0, 300) : text));
            }
            return body;
        } catch (HttpException e) {
            reusable = false;
            throw new IOException(name + ": " + e.getMessage(), e);
        } finally {
            if (reusable) idle.offerFirst(connection);
            else connection.close();
        }
    }

    private DefaultBHttpClientConnection connect() throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, 5_000);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        DefaultBHttpClientConnection connection = new DefaultBHttpClientConnection(Http1Config.DEFAULT);
        connection.bind(socket);
        return connection;
    }

    /** The text between the first {@code <tag>} and {@code </tag>}, or null (enough XML for scenarios). */
    public static String xmlValue(String xml, String tag) {
        int start = xml.indexOf("<" + tag + ">");
        if (start < 0) return null;
        start += tag.length() + 2;
        int end = xml.indexOf("</" + tag + ">", start);
        return end < 0 ? null : xml.substring(start, end);
    }

    /** The string value of the first {@code "field": "..."} in a JSON text, or null (enough JSON for scenarios). */
    public static String jsonValue(String json, String field) {
        int at = json.indexOf("\"" + field + "\"");
        if (at < 0) return null;
        int colon = json.indexOf(':', at);
        int open = json.indexOf('"', colon + 1);
        if (colon < 0 || open < 0) return null;
        StringBuilder sb = new StringBuilder();
        for (int i = open + 1; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '\\' && i + 1 < json.length()) {
                char n = json.charAt(++i);
                sb.append(n == 'n' ? '\n' : n == 't' ? '\t' : n == '/' ? '/' : n);
            } else if (c == '"') {
                return sb.toString();
            } else {
                sb.append(c);
            }
        }
        return null;
    }
}
