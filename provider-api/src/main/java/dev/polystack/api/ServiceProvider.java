package dev.polystack.api;

import java.util.Map;

/**
 * Serves one AWS service.
 *
 * <p><b>Parameter trees</b> (input and output) use these Java types, as botocore shapes them:
 * structure → {@code Map<String,Object>} keyed by member name; list → {@code List<Object>};
 * map → {@code Map<String,Object>}; string and enum → {@code String}; integer → {@code Integer};
 * long → {@code Long}; float/double → {@code Double}; boolean → {@code Boolean};
 * blob → {@code byte[]}; streaming blob → {@link StreamingBody}; timestamp → {@link java.time.Instant};
 * document → plain Java values (Map, List, String, Number, Boolean, null).
 * Absent members are absent keys (never null values). Serializers accept any {@link Number} for
 * numeric members and a {@code String} for any scalar.
 */
public interface ServiceProvider {

    /** The service's botocore name, for example {@code sqs}, {@code s3}, {@code dynamodb}. */
    String service();

    /**
     * Handles one operation.
     *
     * @param context   who is calling, where, and the raw HTTP request
     * @param operation the operation name as in the service specification, for example {@code SendMessage}
     * @param input     the parsed parameter tree (never null; empty for operations without input)
     * @return the output parameter tree (empty map for operations without output)
     * @throws ServiceException for any AWS error
     * @throws UnsupportedOperationException when this provider lacks the operation (→ 501 NotImplemented)
     */
    Map<String, Object> invoke(RequestContext context, String operation, Map<String, Object> input);

    /**
     * Lets a provider answer the raw HTTP request before the protocol layer parses it: S3 browser POST
     * uploads, or a provider that speaks HTTP itself (moto's WSGI application). Return null to let the
     * gateway parse and call {@link #invoke}. Called for every request routed to this service, so keep
     * the check cheap.
     */
    default HttpResponseData handleHttp(RequestContext context) {
        return null;
    }

    /**
     * Answers a WebSocket upgrade request ({@code GET} with {@code Upgrade: websocket}) routed to this service, as
     * {@link #handleHttp} would route it: a handler for the connection, a refusal, or null when this provider serves
     * no WebSocket there (the request is then answered as plain HTTP). Runs before the handshake completes, so it may
     * take as long as an ordinary request.
     */
    default WebSocketUpgrade acceptWebSocket(RequestContext context) {
        return null;
    }

    /** Internal endpoints this provider adds (LocalStack's {@code /_aws/<service>/...} routes). */
    default java.util.List<InternalRoute> internalRoutes() {
        return java.util.List.of();
    }

    /** Readiness shown in {@code /_localstack/health}: {@code available}, {@code running}, {@code starting}, {@code error}. */
    default String state() {
        return "running";
    }

    /** Releases threads and files; called once at shutdown (after the state is saved). */
    default void close() {
    }
}
