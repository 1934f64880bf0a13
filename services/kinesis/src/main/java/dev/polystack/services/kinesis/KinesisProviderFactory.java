package dev.polystack.services.kinesis;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;

import java.util.Set;

/** The native Kinesis provider ({@code PROVIDER_OVERRIDE_KINESIS=native}, the default). */
public final class KinesisProviderFactory implements ProviderFactory {
    @Override
    public String kind() {
        return "native";
    }

    @Override
    public Set<String> services() {
        return Set.of("kinesis");
    }

    @Override
    public ServiceProvider create(String service, ProviderEnvironment environment) {
        return new KinesisProvider(environment);
    }
}
