package dev.polystack.services.lambda;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;

import java.util.Set;

/** The native Lambda provider ({@code PROVIDER_OVERRIDE_LAMBDA=native}, the default). */
public final class LambdaProviderFactory implements ProviderFactory {
    @Override
    public String kind() {
        return "native";
    }

    @Override
    public Set<String> services() {
        return Set.of("lambda");
    }

    @Override
    public ServiceProvider create(String service, ProviderEnvironment environment) {
        return new LambdaProvider(environment);
    }
}
