package dev.polystack.services.scheduler;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;

import java.util.Set;

/** The native EventBridge Scheduler provider ({@code PROVIDER_OVERRIDE_SCHEDULER=native}, the default). */
public final class SchedulerProviderFactory implements ProviderFactory {
    @Override
    public String kind() {
        return "native";
    }

    @Override
    public Set<String> services() {
        return Set.of("scheduler");
    }

    @Override
    public ServiceProvider create(String service, ProviderEnvironment environment) {
        return new SchedulerProvider(environment);
    }
}
