package dev.polystack.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * A server under load and the HTTP helpers scenarios use. Requests carry an unverified SigV4 {@code Authorization}
 * header so servers route them by credential scope as they would an SDK's (neither server checks signatures).
 */
public final class Target {
    private final String name;
    private final String baseUrl;
    private final HttpClient client;

    public Target(String name, String baseUrl) {
        this.name = name;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    public String name() { return name; }

    public String baseUrl() { return baseUrl; }

    public static String authorization(String service, String region) {
        return "AWS4-HMAC-SHA256 Credential=test/20240101/" + region + "/" + service
                + "/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64);
    }

    /** A JSON-protocol call ({@code X-Amz-Target}); returns the body, throws on a status >= 400. */
    public String awsJson(String service, String target, String json, String jsonVersion) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/"))
                .header("Authorization", authorization(service, "us-east-1"))
                .header("X-Amz-Date", "20240101T000000Z")
                .header("X-Amz-Target", target)
                .header("Content-Type", "application/x-amz-json-" + jsonVersion)
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A query-protocol call (form body with Action and Version); returns the body, throws on a status >= 400. */
    public String query(String service, String form) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/"))
                .header("Authorization", authorization(service, "us-east-1"))
                .header("X-Amz-Date", "20240101T000000Z")
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    /** A REST call (S3 and the like) with an optional body; returns the body bytes. */
    public byte[] rest(String service, String method, String path, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", authorization(service, "us-east-1"))
                .header("X-Amz-Date", "20240101T000000Z")
                .header("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        check(r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        return r.body();
    }

    /** Any request; returns the body, throws on a status >= 400. */
    public String send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        check(r.statusCode(), r::body);
        return r.body();
    }

    private void check(int status, java.util.function.Supplier<String> body) throws IOException {
        if (status >= 400) {
            String text = body.get();
            throw new IOException(name + ": HTTP " + status + ": " + (text.length() > 300 ? text.substring(0, 300) : text));
        }
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
