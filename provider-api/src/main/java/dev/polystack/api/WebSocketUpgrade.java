package dev.polystack.api;

/**
 * A provider's answer to a WebSocket upgrade request ({@link ServiceProvider#acceptWebSocket}): either a handler for
 * the new connection, or the HTTP response that refuses the handshake (API Gateway's {@code $connect} route denying).
 */
public record WebSocketUpgrade(WebSocketHandler handler, HttpResponseData refusal) {

    public static WebSocketUpgrade accept(WebSocketHandler handler) {
        return new WebSocketUpgrade(handler, null);
    }

    public static WebSocketUpgrade refuse(HttpResponseData response) {
        return new WebSocketUpgrade(null, response);
    }

    public boolean accepted() {
        return handler != null;
    }
}
