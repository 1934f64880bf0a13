package dev.polystack.services.firehose;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;

import java.util.Set;

/** The native Data Firehose provider ({@code PROVIDER_OVERRIDE_FIREHOSE=native}, the default). */
public final class FirehoseProviderFactory implements ProviderFactory {
    @Override
    public String kind() {
        return "native";
    }

    @Override
    public Set<String> services() {
        return Set.of("firehose");
    }

    @Override
    public ServiceProvider create(String service, ProviderEnvironment environment) {
        return new FirehoseProvider(environment);
    }
}
