package dev.polystack.services.logs;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;

import java.util.Set;

/** The native CloudWatch Logs provider ({@code PROVIDER_OVERRIDE_LOGS=native}, the default). */
public final class LogsProviderFactory implements ProviderFactory {
    @Override
    public String kind() {
        return "native";
    }

    @Override
    public Set<String> services() {
        return Set.of("logs");
    }

    @Override
    public ServiceProvider create(String service, ProviderEnvironment environment) {
        return new LogsProvider(environment);
    }
}
