package dev.polystack.services.apigateway;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;

import java.util.Set;

/** The native API Gateway providers: REST APIs ({@code apigateway}) and HTTP APIs ({@code apigatewayv2}). */
public final class ApiGatewayProviderFactory implements ProviderFactory {
    /** REST and HTTP APIs share the execute-api URLs: the REST provider hands over ids it does not know. */
    private volatile ApiGatewayV2Provider v2;

    @Override
    public String kind() {
        return "native";
    }

    @Override
    public Set<String> services() {
        return Set.of("apigateway", "apigatewayv2");
    }

    @Override
    public ServiceProvider create(String service, ProviderEnvironment environment) {
        if (service.equals("apigatewayv2")) {
            v2 = new ApiGatewayV2Provider(environment);
            return v2;
        }
        return new ApiGatewayProvider(environment, () -> v2);
    }
}
