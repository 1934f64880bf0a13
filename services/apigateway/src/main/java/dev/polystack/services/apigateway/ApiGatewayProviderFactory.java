package dev.polystack.services.apigateway;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;

import java.util.Set;

/** The native API Gateway provider ({@code PROVIDER_OVERRIDE_APIGATEWAY=native}, the default). */
public final class ApiGatewayProviderFactory implements ProviderFactory {
    @Override
    public String kind() {
        return "native";
    }

    @Override
    public Set<String> services() {
        return Set.of("apigateway");
    }

    @Override
    public ServiceProvider create(String service, ProviderEnvironment environment) {
        return new ApiGatewayProvider(environment);
    }
}
