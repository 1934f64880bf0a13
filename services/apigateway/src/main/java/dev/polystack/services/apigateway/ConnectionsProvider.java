package dev.polystack.services.apigateway;

import dev.polystack.api.HttpResponseData;
import dev.polystack.api.Persistable;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The API Gateway management API ({@code apigatewaymanagementapi}): PostToConnection, GetConnection and
 * DeleteConnection on {@code @connections/<id>}. Clients point it at the API's stage URL
 * ({@code http://<api-id>.execute-api.localhost.localstack.cloud:4566/<stage>}), so the path carries the stage in
 * front of {@code @connections}: it is answered from the raw request, whatever comes before {@code /@connections/}.
 */
final class ConnectionsProvider implements ServiceProvider, Persistable {
    private final WebSocketConnections connections;

    ConnectionsProvider(WebSocketConnections connections) {
        this.connections = connections;
    }

    @Override
    public String service() {
        return "apigatewaymanagementapi";
    }

    @Override
    public HttpResponseData handleHttp(RequestContext context) {
        return WebSocketConnections.isManagement(context.request().path()) ? connections.manage(context.request()) : null;
    }

    @Override
    public Map<String, Object> invoke(RequestContext context, String operation, Map<String, Object> input) {
        throw new UnsupportedOperationException(operation); // every operation is on @connections, answered in handleHttp
    }

    // Open connections are sockets: they end with the process, so a snapshot keeps nothing (the WebSocket APIs
    // themselves are apigatewayv2's state). A state reset closes them.

    @Override
    public void saveState(OutputStream out) throws IOException {
        out.write("{}".getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void loadState(InputStream in, int version) {
    }

    @Override
    public void resetState() {
        connections.closeAll();
    }
}
