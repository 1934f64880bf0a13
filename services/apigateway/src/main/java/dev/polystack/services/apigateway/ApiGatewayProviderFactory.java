package dev.polystack.services.apigateway;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;

import java.util.Set;

/**
 * The native API Gateway providers: REST APIs ({@code apigateway}), HTTP and WebSocket APIs ({@code apigatewayv2}), and
 * the WebSocket management API ({@code apigatewaymanagementapi}, {@code @connections}).
 */
public final class ApiGatewayProviderFactory implements ProviderFactory {
    /** REST and HTTP APIs share the execute-api URLs: the REST provider hands over ids it does not know. */
    private volatile ApiGatewayV2Provider v2;
    /** The open WebSocket connections: served by v2, written to through the management API ({@code @connections}). */
    private final WebSocketConnections connections = new WebSocketConnections();
    /** Custom domain names: one store for both APIs, as on AWS. */
    private volatile CustomDomains customDomains;
    private volatile ApiGatewayProvider v1;

    @Override
    public String kind() {
        return "native";
    }

    @Override
    public Set<String> services() {
        return Set.of("apigateway", "apigatewayv2", "apigatewaymanagementapi");
    }

    @Override
    public ServiceProvider create(String service, ProviderEnvironment environment) {
        if (service.equals("apigatewaymanagementapi")) return new ConnectionsProvider(connections);
        CustomDomains domains = customDomains(environment);
        if (service.equals("apigatewayv2")) {
            v2 = new ApiGatewayV2Provider(environment, connections, domains, () -> v1);
            return v2;
        }
        v1 = new ApiGatewayProvider(environment, () -> v2, domains);
        return v1;
    }

    private synchronized CustomDomains customDomains(ProviderEnvironment environment) {
        if (customDomains == null) customDomains = new CustomDomains(environment);
        return customDomains;
    }
}
