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

    /**
     * The largest frame this connection accepts, in bytes (0: no limit). The gateway checks each frame as it arrives,
     * before fragments are joined, and closes the connection with {@code 1009} (message too big) on a larger one:
     * API Gateway's 32 KB WebSocket frame limit.
     */
    default int maxFrameBytes() {
        return 0;
    }

    /** The connection ended (a close frame from either side, or {@code 1006} when it broke without one). Called once. */
    default void onClose(int code, String reason) {
    }
}
