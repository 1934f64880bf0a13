package dev.polystack.gateway;

import dev.polystack.api.Config;
import dev.polystack.api.InternalRoute;
import dev.polystack.gateway.dispatch.CatalogLoader;
import dev.polystack.gateway.dispatch.GatewayEnvironment;
import dev.polystack.gateway.dispatch.ProviderRegistry;
import dev.polystack.gateway.dispatch.ServiceDispatcher;
import dev.polystack.gateway.http.ServerCertificate;
import dev.polystack.gateway.platform.Cors;
import dev.polystack.gateway.platform.HealthEndpoint;
import dev.polystack.gateway.platform.InfoEndpoint;
import dev.polystack.gateway.platform.InitEndpoint;
import dev.polystack.gateway.platform.InitHooks;
import dev.polystack.gateway.platform.InternalRoutes;
import dev.polystack.gateway.routing.ClaimedHosts;
import dev.polystack.gateway.platform.PlatformRoute;
import dev.polystack.gateway.routing.ServiceRouter;
import dev.polystack.gateway.state.SnapshotManager;
import dev.polystack.protocol.ServiceCatalog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The whole server, wired from one {@link Config}: catalog, providers, router, platform endpoints, init hooks,
 * web server. {@link #start()} and {@link #stop()} run the life cycle in LocalStack's order.
 */
public final class Polystack {
    private static final Logger LOG = Logger.getLogger(Polystack.class.getName());

    private final Config config;
    private final ProviderRegistry registry;
    private final GatewayEnvironment environment;
    private final InitHooks initHooks;
    private final List<GatewayHooks> hooks = new CopyOnWriteArrayList<>();
    private final GatewayServer server;
    private volatile boolean stopped;

    public Polystack(Config config) {
        this(config, CatalogLoader.load(), ProviderRegistry.discoverFactories());
    }

    public Polystack(Config config, ServiceCatalog catalog, List<dev.polystack.api.ProviderFactory> factories) {
        this.config = config;
        this.registry = new ProviderRegistry(config, factories);
        ServiceDispatcher dispatcher = new ServiceDispatcher(catalog, registry);
        if (config.flag("ENFORCE_IAM")) dispatcher.enforceIam(new dev.polystack.gateway.dispatch.IamEnforcement(registry, dispatcher));
        ClaimedHosts claimedHosts = new ClaimedHosts();
        this.environment = new GatewayEnvironment(config, dispatcher, SnapshotManager.dataDirectory(config));
        environment.claimHostsWith(claimedHosts);
        registry.environment(environment);
        SnapshotManager snapshots = new SnapshotManager(config);
        environment.onStateChanged(snapshots::changedInBackground);
        hooks.add(new PersistenceHooks(snapshots, registry, dispatcher));

        List<ListenAddress> addresses = ListenAddress.parseAll(config.get("GATEWAY_LISTEN"));
        this.initHooks = new InitHooks(Path.of(config.get("POLYSTACK_INIT_DIR", "/etc/localstack/init")), scriptEnvironment());

        Supplier<Map<String, Object>> extraHealth = () -> {
            Map<String, Object> fields = new HashMap<>();
            for (GatewayHooks h : hooks) fields.putAll(h.healthFields());
            return fields;
        };
        Supplier<List<InternalRoute>> extraRoutes = () -> {
            List<InternalRoute> routes = new ArrayList<>();
            for (GatewayHooks h : hooks) routes.addAll(h.routes());
            return routes;
        };
        List<PlatformRoute> platform = List.of(
                new HealthEndpoint(registry::states, List.of(extraHealth)),
                new InfoEndpoint(config.flag("PERSISTENCE")),
                new InitEndpoint(initHooks),
                new InternalRoutes(registry, extraRoutes));
        Gateway gateway = new Gateway(new ServiceRouter(catalog, claimedHosts), dispatcher, platform, new Cors(config), hooks);
        this.server = new GatewayServer(addresses, gateway::handle, tlsCertificate(config), gateway::acceptWebSocket);
    }

    /** Adds a participant in the life cycle (before {@link #start()}). */
    public Polystack addHooks(GatewayHooks hook) {
        hooks.add(hook);
        return this;
    }

    public ProviderRegistry registry() {
        return registry;
    }

    public Config config() {
        return config;
    }

    /**
     * BOOT and START hooks, listen, providers ready (eager loading if asked), then READY hooks: when this returns,
     * the server answers and whatever the READY scripts create exists (the caller prints the ready line then,
     * which is what Testcontainers and scripts wait for).
     */
    public Polystack start() {
        initHooks.run(InitHooks.Stage.BOOT);
        initHooks.run(InitHooks.Stage.START);
        server.start();
        for (GatewayHooks h : hooks) h.providersReady(registry);
        if (config.flag("EAGER_SERVICE_LOADING")) {
            for (String service : registry.offeredServices()) {
                try {
                    registry.obtain(service);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "eager loading of " + service + " failed", e);
                }
            }
        } else {
            // A Python-hosted service named in SERVICES is wanted: create its provider now, which starts its imports
            // (seconds to minutes) in the background on the interpreter's own thread. Native ones stay lazy.
            for (String service : registry.listedServices()) {
                String kind = registry.kindOf(service);
                if (kind == null || kind.equals("native")) continue;
                try {
                    registry.obtain(service);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "warming " + service + " failed", e);
                }
            }
        }
        initHooks.run(InitHooks.Stage.READY);
        return this;
    }

    public String url() {
        return server.url();
    }

    /**
     * Blocks while the gateway serves. Returns false if its listener died without {@link #stop()} being
     * called (Helidon gives up its accept loop on errors such as running out of memory or file descriptors).
     */
    public boolean awaitListenerFailure() throws InterruptedException {
        while (!stopped) {
            if (!server.listening()) return stopped;
            Thread.sleep(1000);
        }
        return true;
    }

    public int port() {
        return server.port();
    }

    /**
     * SHUTDOWN hooks (server still answering), listener closed, shutdown hooks of extensions (state saved: after
     * the listener, so that no request changes state after the last save), providers closed.
     */
    public synchronized void stop() {
        if (stopped) return;
        stopped = true;
        initHooks.run(InitHooks.Stage.SHUTDOWN);
        server.stop();
        for (GatewayHooks h : hooks) {
            try {
                h.beforeShutdown();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "shutdown hook failed", e);
            }
        }
        registry.closeAll();
        environment.close();
    }

    /**
     * {@code USE_SSL=1}: the listeners speak TLS, with the certificate in {@code <DATA_DIR>/cache/server.test.pem}
     * (made and saved on first use; replace it with your own). Null otherwise.
     */
    static ServerCertificate tlsCertificate(Config config) {
        if (!config.flag("USE_SSL")) return null;
        return ServerCertificate.loadOrCreate(SnapshotManager.dataDirectory(config).resolve("cache").resolve("server.test.pem"));
    }

    private Map<String, String> scriptEnvironment() {
        Map<String, String> env = new HashMap<>();
        int port = config.gatewayPort();
        env.put("AWS_ENDPOINT_URL", (config.flag("USE_SSL") ? "https" : "http") + "://localhost:" + port);
        if (config.get("AWS_ACCESS_KEY_ID") == null) env.put("AWS_ACCESS_KEY_ID", "test");
        if (config.get("AWS_SECRET_ACCESS_KEY") == null) env.put("AWS_SECRET_ACCESS_KEY", "test");
        if (config.get("AWS_DEFAULT_REGION") == null) env.put("AWS_DEFAULT_REGION", Config.DEFAULT_REGION);
        return env;
    }
}
