package dev.polystack.services.sqs;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;

import java.util.Set;

/** Registers the native SQS provider ({@code PROVIDER_OVERRIDE_SQS=native}, the default). */
public final class SqsProviderFactory implements ProviderFactory {
    @Override
    public String kind() {
        return "native";
    }

    @Override
    public Set<String> services() {
        return Set.of("sqs");
    }

    @Override
    public ServiceProvider create(String service, ProviderEnvironment environment) {
        return new SqsProvider(environment);
    }
}
