package dev.polystack.api;

/**
 * The client's end of a WebSocket a provider serves: what the provider writes to. Safe to call from any thread
 * (a {@code PostToConnection} request writes to a connection another thread reads); calls after the connection
 * closed are ignored.
 */
public interface WebSocketPeer {

    void sendText(String text);

    void sendBinary(byte[] data);

    /** Closes the connection with a close frame ({@code 1000} normal, {@code 1001} going away, ...). */
    void close(int code, String reason);
}
