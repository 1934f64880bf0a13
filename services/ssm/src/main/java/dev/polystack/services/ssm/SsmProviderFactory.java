package dev.polystack.services.ssm;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;

import java.util.Set;

/** The native SSM provider ({@code PROVIDER_OVERRIDE_SSM=native}, the default): Parameter Store. */
public final class SsmProviderFactory implements ProviderFactory {
    @Override
    public String kind() {
        return "native";
    }

    @Override
    public Set<String> services() {
        return Set.of("ssm");
    }

    @Override
    public ServiceProvider create(String service, ProviderEnvironment environment) {
        return new SsmProvider(environment);
    }
}
