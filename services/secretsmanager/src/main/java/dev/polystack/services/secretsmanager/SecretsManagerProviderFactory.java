package dev.polystack.services.secretsmanager;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;

import java.util.Set;

/** The native Secrets Manager provider ({@code PROVIDER_OVERRIDE_SECRETSMANAGER=native}, the default). */
public final class SecretsManagerProviderFactory implements ProviderFactory {
    @Override
    public String kind() {
        return "native";
    }

    @Override
    public Set<String> services() {
        return Set.of("secretsmanager");
    }

    @Override
    public ServiceProvider create(String service, ProviderEnvironment environment) {
        return new SecretsManagerProvider(environment);
    }
}
