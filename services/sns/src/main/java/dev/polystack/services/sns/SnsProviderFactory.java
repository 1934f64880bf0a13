package dev.polystack.services.sns;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;

import java.util.Set;

/** The native SNS provider ({@code PROVIDER_OVERRIDE_SNS=native}, the default). */
public final class SnsProviderFactory implements ProviderFactory {
    @Override
    public String kind() {
        return "native";
    }

    @Override
    public Set<String> services() {
        return Set.of("sns");
    }

    @Override
    public ServiceProvider create(String service, ProviderEnvironment environment) {
        return new SnsProvider(environment);
    }
}
