package dev.polystack.services.kms;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;

import java.util.Set;

/** The native KMS provider ({@code PROVIDER_OVERRIDE_KMS=native}, the default). */
public final class KmsProviderFactory implements ProviderFactory {
    @Override
    public String kind() {
        return "native";
    }

    @Override
    public Set<String> services() {
        return Set.of("kms");
    }

    @Override
    public ServiceProvider create(String service, ProviderEnvironment environment) {
        return new KmsProvider(environment);
    }
}
