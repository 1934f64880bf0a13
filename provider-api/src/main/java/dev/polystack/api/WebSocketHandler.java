package dev.polystack.api;

/**
 * A provider's side of one WebSocket connection (API Gateway's WebSocket APIs). The gateway calls it from the
 * connection's own thread, one message at a time, text messages already joined from their fragments.
 */
public interface WebSocketHandler {

    /** The handshake completed: from now on the provider may write to {@code peer}. */
    default void onOpen(WebSocketPeer peer) {
    }

    default void onText(String text) {
    }

    default void onBinary(byte[] data) {
    }

    /** The connection ended (a close frame from either side, or {@code 1006} when it broke without one). Called once. */
    default void onClose(int code, String reason) {
    }
}
