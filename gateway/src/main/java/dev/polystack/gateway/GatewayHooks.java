package dev.polystack.gateway;

import dev.polystack.api.HttpResponseData;
import dev.polystack.api.InternalRoute;
import dev.polystack.api.RequestContext;
import dev.polystack.gateway.dispatch.ProviderRegistry;

import java.util.List;
import java.util.Map;

/**
 * Points in the server's life where another part of the gateway (the snapshot manager in
 * {@code dev.polystack.gateway.state}) takes part. Provider creation is observed through
 * {@link ProviderRegistry#onCreate}.
 */
public interface GatewayHooks {

    /** The registry is built and the server listens; nothing has been served yet. */
    default void providersReady(ProviderRegistry registry) {
    }

    /** After each service request was answered (not platform endpoints). */
    default void afterRequest(RequestContext context, HttpResponseData response) {
    }

    /** Shutdown: after SHUTDOWN init hooks and after the listener closed (no more requests), before providers are closed. */
    default void beforeShutdown() {
    }

    /** Extra top-level fields for {@code /_localstack/health}. */
    default Map<String, Object> healthFields() {
        return Map.of();
    }

    /** Extra platform endpoints ({@code /_localstack/state/...}). */
    default List<InternalRoute> routes() {
        return List.of();
    }
}
