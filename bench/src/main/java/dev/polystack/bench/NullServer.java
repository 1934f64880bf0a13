package dev.polystack.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal keep-alive HTTP/1.1 server answering every request with the same 200-byte response, without
 * parsing anything it does not need. Load against it measures the generator's own ceiling on this machine.
 */
public final class NullServer implements AutoCloseable {
    private static final byte[] RESPONSE;

    static {
        String body = "x".repeat(200);
        RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
    }

    private final ServerSocket socket;

    public NullServer() throws IOException {
        socket = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptLoop);
    }

    public String url() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                Thread.ofPlatform().daemon().start(() -> serve(s)); // as cheap per request as it gets (see LoadRunner)
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void serve(Socket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            s.setTcpNoDelay(true);
            while (true) {
                long contentLength = readHeaders(in);
                if (contentLength < 0) return;
                in.skipNBytes(contentLength);
                out.write(RESPONSE);
                out.flush();
            }
        } catch (IOException ignored) {
            // client went away
        }
    }

    /** Reads one request head; returns its Content-Length (0 if none), or -1 at end of stream. */
    private static long readHeaders(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        long length = 0;
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String l = line.toString().trim();
                if (l.isEmpty()) return length;
                if (l.regionMatches(true, 0, "content-length:", 0, 15)) length = Long.parseLong(l.substring(15).trim());
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
