package dev.polystack.gateway.dispatch;

import dev.polystack.api.Config;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.model.Operation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.stream.Stream;

/**
 * What providers get from the gateway. The scheduler and the data folders are created on first use.
 * Data folders: with {@code PERSISTENCE=1} under {@code DATA_DIR} (they outlive the process); otherwise under a
 * temporary folder removed at shutdown.
 */
public final class GatewayEnvironment implements ProviderEnvironment, AutoCloseable {
    private final Config config;
    private final ServiceDispatcher dispatcher;
    private final Path persistentRoot;
    private volatile ScheduledThreadPoolExecutor scheduler;
    private volatile Path temporaryRoot;
    private volatile java.util.function.Consumer<String> stateListener = service -> { };
    private volatile dev.polystack.gateway.routing.ClaimedHosts claimedHosts = new dev.polystack.gateway.routing.ClaimedHosts();

    /** @param persistentRoot where service files live with PERSISTENCE=1 (null: always temporary) */
    public GatewayEnvironment(Config config, ServiceDispatcher dispatcher, Path persistentRoot) {
        this.config = config;
        this.dispatcher = dispatcher;
        this.persistentRoot = persistentRoot;
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public Map<String, Object> call(RequestContext context, String service, String operation, Map<String, Object> input) {
        return dispatcher.call(context, service, operation, input);
    }

    @Override
    public Object call(RequestContext context, Operation<?> operation, Object request) {
        return dispatcher.call(context, operation, request);
    }

    @Override
    public ScheduledExecutorService scheduler() {
        ScheduledThreadPoolExecutor s = scheduler;
        if (s == null) {
            synchronized (this) {
                if (scheduler == null) {
                    ScheduledThreadPoolExecutor created = new ScheduledThreadPoolExecutor(2,
                            Thread.ofPlatform().daemon().name("polystack-timer-", 0).factory());
                    created.setRemoveOnCancelPolicy(true);
                    scheduler = created;
                }
                s = scheduler;
            }
        }
        return s;
    }

    /** Where {@link #stateChanged} reports (persistence, when on). */
    public void onStateChanged(java.util.function.Consumer<String> listener) {
        this.stateListener = listener;
    }

    @Override
    public void stateChanged(String service) {
        stateListener.accept(service);
    }

    /** Where {@link #claimHost} records claims: the router's. */
    public void claimHostsWith(dev.polystack.gateway.routing.ClaimedHosts hosts) {
        this.claimedHosts = hosts;
    }

    @Override
    public void claimHost(String host, String service) {
        claimedHosts.claim(host, service);
    }

    @Override
    public Path dataDirectory(String service) {
        Path dir = (persistentRoot != null && config.flag("PERSISTENCE") ? persistentRoot : temporaryRoot()).resolve(service);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data folder " + dir, e);
        }
    }

    private synchronized Path temporaryRoot() {
        if (temporaryRoot == null) {
            try {
                temporaryRoot = Files.createTempDirectory("polystack-data-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return temporaryRoot;
    }

    @Override
    public void close() {
        if (scheduler != null) scheduler.shutdownNow();
        Path tmp = temporaryRoot;
        if (tmp != null) {
            try (Stream<Path> files = Files.walk(tmp)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort: the OS cleans temp eventually
            }
        }
    }
}
