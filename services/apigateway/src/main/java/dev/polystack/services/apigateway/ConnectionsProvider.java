package dev.polystack.services.apigateway;

import dev.polystack.api.HttpResponseData;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceProvider;

import java.util.Map;

/**
 * The API Gateway management API ({@code apigatewaymanagementapi}): PostToConnection, GetConnection and
 * DeleteConnection on {@code @connections/<id>}. Clients point it at the API's stage URL
 * ({@code http://<api-id>.execute-api.localhost.localstack.cloud:4566/<stage>}), so the path carries the stage in
 * front of {@code @connections}: it is answered from the raw request, whatever comes before {@code /@connections/}.
 */
final class ConnectionsProvider implements ServiceProvider {
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
}
