package dev.polystack.services.cloudwatch;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;

import java.util.Set;

/** The native CloudWatch provider ({@code PROVIDER_OVERRIDE_CLOUDWATCH=native}, the default). */
public final class CloudWatchProviderFactory implements ProviderFactory {
    @Override
    public String kind() {
        return "native";
    }

    @Override
    public Set<String> services() {
        return Set.of("cloudwatch");
    }

    @Override
    public ServiceProvider create(String service, ProviderEnvironment environment) {
        return new CloudWatchProvider(environment);
    }
}
