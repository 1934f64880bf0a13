package dev.polystack.gateway;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Helidon configuration ARCHITECTURE §3 asks for, checked over raw sockets. */
class GatewayServerTest {
    private static GatewayServer server;

    /** Echoes what the gateway saw: method, path, query, a few headers, body length and SHA-256. */
    private static HttpResponseData echo(HttpRequestData r) {
        if (r.path().equals("/stream")) {
            byte[] data = new byte[300_000];
            return new HttpResponseData(200).body(new ByteArrayInputStream(data), data.length);
        }
        if (r.method().equals("HEAD")) return new HttpResponseData(200).header("Content-Length", "12345").header("ETag", "\"e\"");
        byte[] body = r.bodyBytes();
        String text = r.method() + " " + r.path() + " ?" + r.rawQuery() + " enc=" + r.header("Content-Encoding")
                + " big=" + (r.header("X-Big") == null ? 0 : r.header("X-Big").length()) + " len=" + body.length + " sha=" + sha(body);
        return new HttpResponseData(200).header("x-amz-Custom-Case", "Kept").body(text);
    }

    private static String sha(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)).substring(0, 16);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void start() {
        server = new GatewayServer(List.of(new ListenAddress("127.0.0.1", 0)), GatewayServerTest::echo).start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void listeningFollowsTheListenerThreadsOfThisServerOnly() throws Exception {
        GatewayServer other = new GatewayServer(List.of(new ListenAddress("127.0.0.1", 0)), GatewayServerTest::echo).start();
        assertTrue(other.listening());
        other.stop();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (other.listening() && System.nanoTime() < deadline) Thread.sleep(20);
        assertFalse(other.listening(), "a stopped server's listener thread ended");
        assertTrue(server.listening(), "another server's stop does not count against this one");
    }

    private static String exchange(String head, byte[] body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            return head.startsWith("HEAD") ? readHead(in) : readResponse(in);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) break;
            head.append((char) b);
        }
        return head.toString();
    }

    /** Reads one response (Content-Length framed, or just the head for HEAD/no body). */
    private static String readResponse(InputStream in) throws IOException {
        String h = readHead(in);
        int at = h.toLowerCase().indexOf("content-length: ");
        if (at < 0) return h;
        int len = Integer.parseInt(h.substring(at + 16, h.indexOf("\r\n", at)).trim());
        return h + new String(in.readNBytes(len), StandardCharsets.UTF_8);
    }

    @Test
    void contentEncodingsPassThroughUntouched() throws IOException {
        byte[] body = "not really gzip".getBytes();
        String r = exchange("PUT /bucket/key HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n", body);
        assertTrue(r.startsWith("HTTP/1.1 200"), r);
        assertTrue(r.contains("enc=gzip ") && r.contains(" len=15 "), r);
    }

    @Test
    void largeHeadersAndRequestLinesAreAccepted() throws IOException {
        String big = "v".repeat(40_000);
        String path = "/b/" + "k".repeat(20_000);
        String r = exchange("GET " + path + "?x=%2F%20 HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\nConnection: close\r\n\r\n", null);
        assertTrue(r.startsWith("HTTP/1.1 200"), r.substring(0, Math.min(200, r.length())));
        assertTrue(r.contains("big=40000") && r.contains("?x=%2F%20"), r.substring(0, 300));
    }

    @Test
    void pathsStayPercentEncodedAndHeaderCaseIsKept() throws IOException {
        String r = exchange("GET /bucket/a%2Fb%20c+d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", null);
        assertTrue(r.contains("GET /bucket/a%2Fb%20c+d ?"), r);
        assertTrue(r.contains("x-amz-Custom-Case: Kept"), r);
    }

    @Test
    void chunkedUploadsAndExpectContinueWork() throws IOException {
        String r = exchange("PUT /b/k HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n".getBytes());
        assertTrue(r.contains("len=11 sha=" + sha("hello world".getBytes())), r);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String interim = readResponse(in);
            assertTrue(interim.startsWith("HTTP/1.1 100"), interim);
            out.write("abc".getBytes());
            out.flush();
            assertTrue(readResponse(in).contains("len=3"));
        }
    }

    @Test
    void headKeepsTheProvidersContentLength() throws IOException {
        String r = exchange("HEAD /b/k HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", null);
        assertTrue(r.startsWith("HTTP/1.1 200"), r);
        assertTrue(r.toLowerCase().contains("content-length: 12345"), r);
    }

    @Test
    void streamedBodiesKeepTheirLength() throws IOException {
        String r = exchange("GET /stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", null);
        assertTrue(r.toLowerCase().contains("content-length: 300000"), r.substring(0, 200));
        assertEquals(300_000, r.length() - r.indexOf("\r\n\r\n") - 4);
    }
}
