package dev.polystack.services.apigateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open WebSocket connections of every WebSocket API, by connection id, and the {@code @connections} management
 * API on them (PostToConnection, GetConnection, DeleteConnection), answered in its rest-json shapes. Connection ids
 * are unique across accounts and regions, so the management API finds a connection by its id alone, as LocalStack does.
 */
final class WebSocketConnections {
    /** AWS's limit on one PostToConnection payload (and on one message). */
    static final int MAX_PAYLOAD = 128 * 1024;
    private static final String CONNECTIONS = "/@connections/";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, WebSocketConnection> open = new ConcurrentHashMap<>();

    /** AWS's form of a connection id: 11 random bytes in base64 ({@code L0SM9cOFvHcCIhw=}), kept URL-path safe. */
    String newId() {
        byte[] bytes = new byte[11];
        while (true) {
            RANDOM.nextBytes(bytes);
            String id = Base64.getEncoder().encodeToString(bytes);
            if (id.indexOf('/') < 0 && id.indexOf('+') < 0 && !open.containsKey(id)) return id;
        }
    }

    void add(WebSocketConnection connection) {
        open.put(connection.id(), connection);
    }

    void remove(WebSocketConnection connection) {
        open.remove(connection.id(), connection);
    }

    WebSocketConnection get(String id) {
        return id == null ? null : open.get(id);
    }

    /** Closes every open connection (a state reset). */
    void closeAll() {
        for (WebSocketConnection connection : List.copyOf(open.values())) connection.disconnect();
    }

    /** Whether the path addresses the management API: {@code [/<stage>]/@connections/<id>}. */
    static boolean isManagement(String path) {
        return path.contains(CONNECTIONS);
    }

    /** Answers a management request ({@code POST}, {@code GET} or {@code DELETE} on {@code .../@connections/<id>}). */
    HttpResponseData manage(HttpRequestData request) {
        String path = request.path();
        String id = URLDecoder.decode(path.substring(path.indexOf(CONNECTIONS) + CONNECTIONS.length()), StandardCharsets.UTF_8);
        WebSocketConnection connection = get(id);
        String method = request.method().toUpperCase();
        return switch (method) {
            case "POST" -> {
                byte[] data = request.bodyBytes();
                if (data.length > MAX_PAYLOAD) yield error(413, "PayloadTooLargeException", "Message too long");
                if (connection == null || !connection.send(data)) yield error(410, "GoneException", null);
                yield new HttpResponseData(200).header("Content-Type", "application/json");
            }
            case "GET" -> {
                if (connection == null) yield error(410, "GoneException", null);
                ObjectNode out = Invocation.JSON.createObjectNode();
                out.put("connectedAt", iso(connection.connectedAt()));
                ObjectNode identity = out.putObject("identity");
                identity.put("sourceIp", connection.sourceIp());
                if (connection.userAgent() != null) identity.put("userAgent", connection.userAgent());
                out.put("lastActiveAt", iso(connection.lastActiveAt()));
                yield new HttpResponseData(200).header("Content-Type", "application/json").body(out.toString());
            }
            case "DELETE" -> {
                if (connection == null) yield error(410, "GoneException", null);
                connection.disconnect();
                yield new HttpResponseData(204);
            }
            default -> error(403, "ForbiddenException", null);
        };
    }

    /** A rest-json error as AWS sends it: the code in {@code x-amzn-ErrorType}, the message in the body. */
    private static HttpResponseData error(int status, String code, String message) {
        ObjectNode body = Invocation.JSON.createObjectNode();
        if (message != null) body.put("message", message);
        return new HttpResponseData(status).header("Content-Type", "application/json")
                .header("x-amzn-ErrorType", code).body(body.toString());
    }

    private static String iso(Instant time) {
        return DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.MILLIS));
    }

    /** Text when the bytes are UTF-8 (what a client almost always posts), else null: they go out as a binary frame. */
    static String textOrNull(byte[] data) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
