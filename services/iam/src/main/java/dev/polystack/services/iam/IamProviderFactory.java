package dev.polystack.services.iam;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;

import java.util.Set;

/** The native IAM provider ({@code PROVIDER_OVERRIDE_IAM=native}, the default). */
public final class IamProviderFactory implements ProviderFactory {
    @Override
    public String kind() {
        return "native";
    }

    @Override
    public Set<String> services() {
        return Set.of("iam");
    }

    @Override
    public ServiceProvider create(String service, ProviderEnvironment environment) {
        return new IamProvider();
    }
}
