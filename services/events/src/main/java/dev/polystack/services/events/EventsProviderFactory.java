package dev.polystack.services.events;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;

import java.util.Set;

/** The native EventBridge provider ({@code PROVIDER_OVERRIDE_EVENTS=native}, the default). */
public final class EventsProviderFactory implements ProviderFactory {
    @Override
    public String kind() {
        return "native";
    }

    @Override
    public Set<String> services() {
        return Set.of("events");
    }

    @Override
    public ServiceProvider create(String service, ProviderEnvironment environment) {
        return new EventsProvider(environment);
    }
}
