package dev.polystack.gateway;

import dev.polystack.api.HttpResponseData;
import dev.polystack.api.InternalRoute;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceProvider;
import dev.polystack.gateway.dispatch.ProviderRegistry;
import dev.polystack.gateway.dispatch.ServiceDispatcher;
import dev.polystack.gateway.state.ProviderAccess;
import dev.polystack.gateway.state.SnapshotManager;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Connects the {@link SnapshotManager} (PERSISTENCE) to the gateway's life cycle and provider registry. */
final class PersistenceHooks implements GatewayHooks {
    private final SnapshotManager snapshots;
    private final ProviderAccess access;

    PersistenceHooks(SnapshotManager snapshots, ProviderRegistry registry, ServiceDispatcher dispatcher) {
        this.snapshots = snapshots;
        this.access = new ProviderAccess() {
            @Override
            public Collection<String> services() {
                return registry.offeredServices();
            }

            @Override
            public ServiceProvider existing(String service) {
                return registry.existing(service);
            }

            @Override
            public ServiceProvider obtain(String service) {
                return registry.obtain(service);
            }
        };
        registry.onCreate(snapshots::afterCreate);
        // in-process calls (SNS delivering to SQS, S3 notifications) change the target service too
        dispatcher.afterCall((service, operation) -> snapshots.afterRequest(service, operation, null));
        snapshots.connect(access); // before the server listens: every change is tracked
    }

    @Override
    public void providersReady(ProviderRegistry registry) {
        snapshots.startup(access);
    }

    @Override
    public void afterRequest(RequestContext context, HttpResponseData response) {
        if (response.status() < 400) {
            snapshots.afterRequest(context.service(), context.operation(),
                    context.request() == null ? null : context.request().method());
        }
    }

    @Override
    public void beforeShutdown() {
        snapshots.shutdown();
    }

    @Override
    public Map<String, Object> healthFields() {
        return snapshots.enabled() ? Map.of("persistence", snapshots.status()) : Map.of();
    }

    @Override
    public List<InternalRoute> routes() {
        return snapshots.routes();
    }
}
