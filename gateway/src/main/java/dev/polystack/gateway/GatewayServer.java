package dev.polystack.gateway;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.WebSocketUpgrade;
import dev.polystack.gateway.dispatch.FallbackErrors;
import dev.polystack.gateway.dispatch.MemoryGuard;
import dev.polystack.gateway.http.HelidonExchange;
import dev.polystack.gateway.http.WebSocketBridge;
import dev.polystack.gateway.http.ServerCertificate;
import io.helidon.common.socket.SocketOptions;
import io.helidon.common.tls.Tls;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http2.Http2Config;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The Helidon SE web server, configured as ARCHITECTURE §3 says: no automatic content-encoding handling
 * (the gateway decodes aws-chunked and gzip itself), 64 KiB request line and headers, relaxed header and path
 * validation (AWS headers and S3 keys are not always RFC-pretty), TCP_NODELAY. Every request goes to the {@link Gateway}.
 */
public final class GatewayServer {
    static final int MAX_PROLOGUE = 64 * 1024;
    static final int MAX_HEADERS = 64 * 1024;

    private final WebServer server;
    private final List<ListenAddress> addresses;
    private final boolean tls;
    private volatile List<Thread> listenerThreads = List.of();

    /** Plain HTTP (HTTP/1.1 and h2c) on every address. */
    public GatewayServer(List<ListenAddress> addresses, Function<HttpRequestData, HttpResponseData> gateway) {
        this(addresses, gateway, null);
    }

    /**
     * @param gateway     answers each request (the {@link Gateway}; tests pass a function)
     * @param certificate when not null, every listener speaks TLS with it (HTTP/1.1, and h2 by ALPN)
     */
    public GatewayServer(List<ListenAddress> addresses, Function<HttpRequestData, HttpResponseData> gateway,
                         ServerCertificate certificate) {
        this(addresses, gateway, certificate, request -> null);
    }

    /**
     * @param webSockets answers WebSocket upgrade requests (the {@link Gateway}'s {@code acceptWebSocket}): null lets
     *                   the request be served as plain HTTP
     */
    public GatewayServer(List<ListenAddress> addresses, Function<HttpRequestData, HttpResponseData> gateway,
                         ServerCertificate certificate, Function<HttpRequestData, WebSocketUpgrade> webSockets) {
        this.addresses = addresses;
        this.tls = certificate != null;
        Tls serverTls = certificate == null ? null : Tls.builder()
                .privateKey(certificate.key())
                .privateKeyCertChain(certificate.chain())
                .build();
        Handler handler = (req, res) -> handle(gateway, req, res);
        WebServerConfig.Builder builder = WebServer.builder()
                .shutdownHook(false)
                .featuresDiscoverServices(false);
        ListenAddress main = addresses.get(0);
        configure(builder, main);
        if (serverTls != null) builder.tls(serverTls);
        builder.routing(r -> r.any(handler));
        builder.addRouting(webSocketRouting(webSockets));
        for (int i = 1; i < addresses.size(); i++) {
            ListenAddress extra = addresses.get(i);
            String name = "listen-" + i;
            builder.putSocket(name, socket -> {
                socket.host(extra.host()).port(extra.port());
                socket.contentEncoding(noEncodings()).maxPayloadSize(-1).protocolsDiscoverServices(false)
                        .connectionOptions(GatewayServer::noDelay).addProtocol(http1()).addProtocol(http2())
                        .addProtocol(webSocket()).addRouting(webSocketRouting(webSockets));
                if (serverTls != null) socket.tls(serverTls);
            });
            builder.routing(name, r -> r.any(handler));
        }
        this.server = builder.build();
    }

    private static void configure(WebServerConfig.Builder builder, ListenAddress address) {
        builder.host(address.host())
                .port(address.port())
                .contentEncoding(noEncodings())
                .maxPayloadSize(-1)
                .shutdownGracePeriod(Duration.ofMillis(500))
                .protocolsDiscoverServices(false)
                .connectionOptions(GatewayServer::noDelay)
                .addProtocol(http1())
                .addProtocol(http2())
                .addProtocol(webSocket());
    }

    /**
     * TCP_NODELAY on accepted connections (Helidon leaves Nagle on): a response written in more than one piece
     * (headers, then a streamed body) must not wait for the client's delayed ACK.
     */
    private static void noDelay(SocketOptions.Builder options) {
        options.tcpNoDelay(true);
    }

    private static ContentEncodingContext noEncodings() {
        return ContentEncodingContext.builder().contentEncodingsDiscoverServices(false).build();
    }

    private static Http1Config http1() {
        return Http1Config.builder()
                .maxPrologueLength(MAX_PROLOGUE)
                .maxHeadersSize(MAX_HEADERS)
                .validateRequestHeaders(false)
                .validateRequestHostHeader(false)
                .validatePath(false)
                .validatePrologue(false)
                .build();
    }

    /** WebSocket upgrades of HTTP/1.1 requests, with no origin check (as LocalStack: any client may connect). */
    private static WsConfig webSocket() {
        return WsConfig.builder().name("websocket").build();
    }

    /**
     * Every path may be a WebSocket (API Gateway's WebSocket APIs are served on their execute-api hosts): each
     * upgrade request gets its own {@link WebSocketBridge}, which asks the gateway whether a provider serves it.
     */
    private static WsRouting.Builder webSocketRouting(Function<HttpRequestData, WebSocketUpgrade> webSockets) {
        return WsRouting.builder().endpoint("/*", () -> new WebSocketBridge(webSockets));
    }

    /** HTTP/2 beside HTTP/1.1 on every listener: h2c by prior knowledge or Upgrade, h2 by ALPN under TLS. */
    private static Http2Config http2() {
        return Http2Config.builder()
                .maxHeaderListSize(MAX_HEADERS)
                .validatePath(false)
                .sendErrorDetails(false)
                .build();
    }

    private static void handle(Function<HttpRequestData, HttpResponseData> gateway, ServerRequest req, ServerResponse res)
            throws Exception {
        HttpRequestData request = HelidonExchange.request(req);
        boolean head = request.method().equals("HEAD");
        try {
            HttpResponseData refused = WebSocketBridge.takeRefusal(); // a WebSocket upgrade of this request the provider refused
            HttpResponseData response = refused != null ? refused : gateway.apply(request);
            HelidonExchange.send(response, res, head);
        } catch (OutOfMemoryError e) {
            // Writing the answer ran out of heap (the gateway itself catches what happens while serving): answer the
            // same AWS-shaped 503 as MemoryGuard rather than Helidon's bare 500, unless bytes have already gone out.
            if (res.isSent()) throw e;
            MemoryGuard memory = MemoryGuard.get();
            memory.outOfMemory(request.method() + " " + request.path(), e);
            HelidonExchange.send(FallbackErrors.render(request, null, memory.refusal(), RequestIds.next()), res, head);
        }
    }

    public GatewayServer start() {
        java.util.Set<Thread> before = listenerThreadsNow();
        server.start();
        listenerThreads = listenerThreadsNow().stream().filter(t -> !before.contains(t)).toList();
        return this;
    }

    /**
     * Whether every listener still accepts connections. Helidon's accept loop ends on any error it cannot handle
     * (out of memory, out of file descriptors) after logging one line, while {@link WebServer#isRunning()} stays
     * true; its listener threads are the only trace, so this watches them.
     */
    public boolean listening() {
        return !listenerThreads.isEmpty() && listenerThreads.stream().allMatch(Thread::isAlive);
    }

    private static java.util.Set<Thread> listenerThreadsNow() {
        java.util.Set<Thread> threads = new java.util.HashSet<>(Thread.getAllStackTraces().keySet());
        threads.removeIf(t -> !(t.getName().startsWith("server-") && t.getName().endsWith("-listener")));  // Helidon's naming
        return threads;
    }

    /** The port actually bound by the main listener (0 in GATEWAY_LISTEN picks a free one). */
    public int port() {
        return server.port();
    }

    public String url() {
        return addresses.get(0).url(port(), tls);
    }

    public void stop() {
        server.stop();
    }
}
