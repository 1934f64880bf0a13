package dev.polystack.services.sts;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;

import java.util.Set;

/** The native STS provider ({@code PROVIDER_OVERRIDE_STS=native}, the default). */
public final class StsProviderFactory implements ProviderFactory {
    @Override
    public String kind() {
        return "native";
    }

    @Override
    public Set<String> services() {
        return Set.of("sts");
    }

    @Override
    public ServiceProvider create(String service, ProviderEnvironment environment) {
        return new StsProvider(environment);
    }
}
