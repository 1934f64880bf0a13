package dev.polystack.gateway;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.WebSocketHandler;
import dev.polystack.api.WebSocketPeer;
import dev.polystack.api.WebSocketUpgrade;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** WebSocket upgrades through the gateway's server: accepted (from any origin), refused with an HTTP answer, or not WebSockets at all. */
class WebSocketServerTest {
    private static GatewayServer server;
    private static final BlockingQueue<String> closes = new LinkedBlockingQueue<>();

    /** {@code /echo} answers each text upper-cased; {@code /refuse} refuses with a 403; other paths serve no WebSocket. */
    private static WebSocketUpgrade accept(HttpRequestData request) {
        return switch (request.path()) {
            case "/echo" -> WebSocketUpgrade.accept(new WebSocketHandler() {
                private WebSocketPeer peer;

                @Override
                public void onOpen(WebSocketPeer peer) {
                    this.peer = peer;
                }

                @Override
                public void onText(String text) {
                    peer.sendText(text.toUpperCase() + " " + request.queryParameter("q"));
                }

                @Override
                public void onClose(int code, String reason) {
                    closes.add(code + " " + reason);
                }
            });
            case "/refuse" -> WebSocketUpgrade.refuse(new HttpResponseData(403).body("{\"message\":\"Forbidden\"}"));
            default -> null;
        };
    }

    @BeforeAll
    static void start() {
        server = new GatewayServer(List.of(new ListenAddress("127.0.0.1", 0)),
                r -> new HttpResponseData(200).body("plain " + r.path()), null, WebSocketServerTest::accept).start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static CompletionStage<WebSocket> connect(String path, BlockingQueue<String> received) {
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Origin", "http://another-origin.example:3000")
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + path), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        received.add(data.toString());
                        ws.request(1);
                        return null;
                    }
                });
    }

    @Test
    void acceptedFromAnyOriginAndEchoes() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        WebSocket ws = connect("/echo?q=7", received).toCompletableFuture().get(10, TimeUnit.SECONDS);
        ws.sendText("hello", true).get(10, TimeUnit.SECONDS);
        assertEquals("HELLO 7", received.poll(10, TimeUnit.SECONDS));
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        assertEquals("1000 bye", closes.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void refusalIsTheHandshakeAnswer() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> connect("/refuse", new LinkedBlockingQueue<>()).toCompletableFuture().get(10, TimeUnit.SECONDS));
        WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
        assertEquals(403, refused.getResponse().statusCode());
        assertEquals("{\"message\":\"Forbidden\"}", refused.getResponse().body());
    }

    @Test
    void withoutAWebSocketTheRequestIsPlainHttp() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> connect("/other", new LinkedBlockingQueue<>()).toCompletableFuture().get(10, TimeUnit.SECONDS));
        WebSocketHandshakeException notWs = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
        assertEquals(200, notWs.getResponse().statusCode());
        assertEquals("plain /other", notWs.getResponse().body());
    }
}
