package dev.polystack.gateway.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.Config;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.InternalRoute;
import dev.polystack.api.Persistable;
import dev.polystack.api.ServiceProvider;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Persistence ({@code PERSISTENCE=1}): saves each native service's state to
 * {@code <DATA_DIR>/state/<service>.snapshot} and restores it when the service's provider is created.
 *
 * <p>The gateway calls {@link #afterCreate} when it creates a provider (before it serves), {@link #afterRequest}
 * after each successful request, {@link #startup} once providers can be created, and {@link #shutdown} on a clean
 * stop. When persistence is off every call returns at once.
 *
 * <p>Default: save {@link SaveStrategy#ON_REQUEST} (coalesced, at most every {@value #MIN_SAVE_INTERVAL_MS} ms
 * per service, and at shutdown), load {@link LoadStrategy#ON_REQUEST}. A kill -9 loses at most the changes
 * of the last moments; clean stops lose nothing; start-up does not wait for state nobody asked for.
 */
public final class SnapshotManager {
    private static final System.Logger LOG = System.getLogger(SnapshotManager.class.getName());
    static final long MIN_SAVE_INTERVAL_MS = 500;

    /** Jackson only once a state endpoint is called: the gateway's start-up path stays free of it. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final boolean enabled;
    private final Path dataDir;
    private final SaveStrategy saveStrategy;
    private final LoadStrategy loadStrategy;
    private final int flushIntervalSeconds;
    private final Map<String, ServiceState> services = new ConcurrentHashMap<>();
    private volatile ProviderAccess providers;
    private ScheduledExecutorService saver;

    /** Per-service bookkeeping: dirty flag, one save at a time, last outcome. */
    private static final class ServiceState {
        final AtomicBoolean dirty = new AtomicBoolean();
        final AtomicBoolean saveQueued = new AtomicBoolean();
        final Object saveLock = new Object();
        volatile long lastSaveMillis;
        volatile Instant lastSaved;
        volatile Instant lastLoaded;
        volatile String lastError;
    }

    public SnapshotManager(Config config) {
        this.enabled = config.flag("PERSISTENCE");
        this.dataDir = dataDirectory(config);
        this.saveStrategy = SaveStrategy.parse(config.get("SNAPSHOT_SAVE_STRATEGY"), SaveStrategy.ON_REQUEST);
        this.loadStrategy = LoadStrategy.parse(config.get("SNAPSHOT_LOAD_STRATEGY"), LoadStrategy.ON_REQUEST);
        this.flushIntervalSeconds = Math.max(1, config.integer("SNAPSHOT_FLUSH_INTERVAL", 15));
    }

    /** {@code DATA_DIR}, else {@code $XDG_DATA_HOME/polystack} or {@code ~/.local/share/polystack}. */
    public static Path dataDirectory(Config config) {
        String dir = config.get("DATA_DIR");
        if (dir != null) return Path.of(dir);
        String xdg = config.get("XDG_DATA_HOME");
        Path base = xdg != null ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("polystack");
    }

    public boolean enabled() { return enabled; }

    public Path dataDir() { return dataDir; }

    public SaveStrategy saveStrategy() { return saveStrategy; }

    public LoadStrategy loadStrategy() { return loadStrategy; }

    Path snapshotFile(String service) {
        return dataDir.resolve("state").resolve(service + SnapshotFile.SUFFIX);
    }

    /**
     * Connects the manager to the gateway's providers: from now on changes are tracked and saved. Called before
     * the server listens, so that no request's change goes unnoticed. Deletes temporary files a killed save left.
     */
    public synchronized void connect(ProviderAccess access) {
        if (providers != null) return;
        this.providers = access;
        if (!enabled) return;
        SnapshotFile.deleteLeftovers(dataDir.resolve("state"));
        saver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "polystack-snapshots");
            t.setDaemon(true);
            return t;
        });
        if (saveStrategy == SaveStrategy.SCHEDULED) {
            saver.scheduleWithFixedDelay(this::saveDirty, flushIntervalSeconds, flushIntervalSeconds, TimeUnit.SECONDS);
        }
    }

    private static final List<String> CREDENTIAL_ISSUERS = List.of("iam", "sts");
    /**
     * Services with work of their own between requests (timers, pending retries, buffers, Lambda's event-source
     * pollers and queued asynchronous invocations): they load at once.
     */
    private static final List<String> BACKGROUND_WORKERS = List.of("events", "scheduler", "firehose", "cloudwatch", "lambda");

    /** Once providers can be created: connects (if not yet) and loads eagerly if {@code SNAPSHOT_LOAD_STRATEGY=ON_STARTUP}. */
    public void startup(ProviderAccess access) {
        connect(access);
        if (!enabled) return;
        if (loadStrategy == LoadStrategy.ON_STARTUP) {
            for (String service : access.services()) {
                if (Files.exists(snapshotFile(service))) access.obtain(service); // creation loads it
            }
        } else if (loadStrategy == LoadStrategy.ON_REQUEST) {
            // The services that issue access keys load at once: a request to any other service signed with a key
            // they issued (an IAM user's, an STS session's) must land in its account and meet its session policy.
            for (String service : CREDENTIAL_ISSUERS) {
                if (access.services().contains(service) && Files.exists(snapshotFile(service))) access.obtain(service);
            }
            // A schedule due, a retry pending or records buffered at shutdown must not wait for the next request.
            for (String service : BACKGROUND_WORKERS) {
                if (access.services().contains(service) && Files.exists(snapshotFile(service))) access.obtain(service);
            }
        }
        LOG.log(System.Logger.Level.INFO, "Persistence on: data in {0}, save {1}, load {2}", dataDir, saveStrategy, loadStrategy);
    }

    /** Called by the gateway right after it creates a provider, before the provider serves. */
    public void afterCreate(String service, ServiceProvider provider) {
        if (!enabled || loadStrategy == LoadStrategy.MANUAL || !(provider instanceof Persistable)) return;
        load(service, (Persistable) provider);
    }

    /**
     * Called after each successful request; marks the service changed unless the request only read. A request
     * the provider answered over raw HTTP (S3's browser POST upload) has no operation: its method tells.
     */
    public void afterRequest(String service, String operation, String httpMethod) {
        if (!enabled) return;
        if (operation != null ? isReadOnly(operation) : httpMethod == null || isReadOnlyMethod(httpMethod)) return;
        ProviderAccess access = providers;
        if (access != null && access.existing(service) instanceof Persistable) changed(service);
    }

    /** Saves every changed service unless the strategy is MANUAL; stops the background saver. */
    public void shutdown() {
        if (!enabled) return;
        if (saver != null) saver.shutdown();
        if (saveStrategy != SaveStrategy.MANUAL) saveDirty();
        if (saver != null) {
            try {
                saver.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Saves the named service (all created persistable services when null). Returns the services saved. */
    public List<String> save(String onlyService) {
        List<String> saved = new ArrayList<>();
        for (String service : selected(onlyService)) {
            if (providers.existing(service) instanceof Persistable p && saveNow(service, p)) saved.add(service);
        }
        return saved;
    }

    /** Drops the state of one service (all when null); the emptiness is persisted like any change. */
    public List<String> reset(String onlyService) {
        List<String> reset = new ArrayList<>();
        for (String service : selected(onlyService)) {
            ServiceProvider provider = providers.existing(service);
            // not created yet but saved: create it (which loads the snapshot) so that the reset reaches the disk
            if (provider == null && enabled && Files.exists(snapshotFile(service))) provider = providers.obtain(service);
            if (provider instanceof Persistable p) {
                p.resetState();
                reset.add(service);
                if (enabled) changed(service);
            }
        }
        return reset;
    }

    /** Reloads the named service (all when null) from disk: MANUAL load strategy. */
    public List<String> loadNow(String onlyService) {
        List<String> loaded = new ArrayList<>();
        if (!enabled) return loaded;
        for (String service : selected(onlyService)) {
            if (!Files.exists(snapshotFile(service))) continue;
            if (providers.obtain(service) instanceof Persistable p && load(service, p)) loaded.add(service);
        }
        return loaded;
    }

    /** The services an endpoint acts on: the named one, or every offered one when null; none before {@link #connect}. */
    private Collection<String> selected(String onlyService) {
        ProviderAccess access = providers;
        if (access == null) return List.of();
        if (onlyService == null) return access.services();
        return access.services().contains(onlyService) ? List.of(onlyService) : List.of();
    }

    /** For /_localstack/health and /_localstack/state. */
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", enabled);
        if (!enabled) return out;
        out.put("data_dir", dataDir.toString());
        out.put("save_strategy", saveStrategy.name());
        out.put("load_strategy", loadStrategy.name());
        Map<String, Object> perService = new LinkedHashMap<>();
        services.forEach((service, st) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            if (st.lastSaved != null) s.put("last_saved", st.lastSaved.toString());
            if (st.lastLoaded != null) s.put("last_loaded", st.lastLoaded.toString());
            s.put("unsaved_changes", st.dirty.get());
            if (st.lastError != null) s.put("error", st.lastError);
            perService.put(service, s);
        });
        out.put("services", perService);
        return out;
    }

    /**
     * {@code GET /_localstack/state}; {@code POST /_localstack/state/{reset,save,load}} for all services;
     * {@code POST /_localstack/state/<service>/{reset,save,load}} for one.
     */
    public List<InternalRoute> routes() {
        return List.of(new InternalRoute(null, "/_localstack/state", this::handle));
    }

    private HttpResponseData handle(HttpRequestData request) {
        String[] parts = request.path().replaceAll("/+$", "").split("/");
        // ["", "_localstack", "state", (service,) action]
        if (parts.length == 3 && request.method().equals("GET")) return json(200, status());
        if (!request.method().equals("POST") || parts.length < 4 || parts.length > 5) {
            return json(404, Map.of("error", "unknown state endpoint: " + request.method() + " " + request.path()));
        }
        String service = parts.length == 5 ? parts[3] : request.queryParameter("service");
        String action = parts[parts.length - 1];
        ProviderAccess access = providers;
        if (service != null && (access == null || !access.services().contains(service))) {
            return json(404, Map.of("error", "unknown service: " + service));
        }
        return switch (action) {
            case "reset" -> json(200, Map.of("reset", reset(service)));
            case "save" -> enabled ? json(200, Map.of("saved", save(service)))
                    : json(400, Map.of("error", "persistence is off: start with PERSISTENCE=1"));
            case "load" -> enabled ? json(200, Map.of("loaded", loadNow(service)))
                    : json(400, Map.of("error", "persistence is off: start with PERSISTENCE=1"));
            default -> json(404, Map.of("error", "unknown state action: " + action));
        };
    }

    private static HttpResponseData json(int status, Object body) {
        try {
            return new HttpResponseData(status).header("Content-Type", "application/json").body(Json.MAPPER.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isReadOnlyMethod(String httpMethod) {
        return httpMethod.equals("GET") || httpMethod.equals("HEAD") || httpMethod.equals("OPTIONS");
    }

    static boolean isReadOnly(String operation) {
        return operation.startsWith("Get") || operation.startsWith("List") || operation.startsWith("Describe")
                || operation.startsWith("Head") || operation.startsWith("BatchGet") || operation.equals("Query")
                || operation.equals("Scan");
    }

    private ServiceState state(String service) {
        return services.computeIfAbsent(service, s -> new ServiceState());
    }

    /** A provider changed its state outside a request (ProviderEnvironment.stateChanged). */
    public void changedInBackground(String service) {
        if (enabled) changed(service);
    }

    /** The service's state changed: it needs saving (soon, with ON_REQUEST). */
    private void changed(String service) {
        ServiceState st = state(service);
        st.dirty.set(true);
        if (saveStrategy == SaveStrategy.ON_REQUEST) scheduleSave(service, st);
    }

    private void scheduleSave(String service, ServiceState st) {
        if (saver == null || !st.saveQueued.compareAndSet(false, true)) return;
        long wait = Math.max(0, st.lastSaveMillis + MIN_SAVE_INTERVAL_MS - System.currentTimeMillis());
        try {
            saver.schedule(() -> {
                st.saveQueued.set(false);
                if (providers.existing(service) instanceof Persistable p && st.dirty.get()) saveNow(service, p);
            }, wait, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            st.saveQueued.set(false); // shutting down: shutdown() saves what is dirty
        }
    }

    private void saveDirty() {
        ProviderAccess access = providers;
        if (access == null) return;
        services.forEach((service, st) -> {
            if (st.dirty.get() && access.existing(service) instanceof Persistable p) saveNow(service, p);
        });
    }

    private boolean saveNow(String service, Persistable provider) {
        ServiceState st = state(service);
        synchronized (st.saveLock) {
            st.dirty.set(false); // changes from now on make it dirty again
            long start = System.nanoTime();
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream(); // closing it is harmless
                provider.saveState(out);
                SnapshotFile.write(snapshotFile(service), service, provider.stateVersion(), out.toByteArray());
                provider.stateSaved();
                st.lastSaveMillis = System.currentTimeMillis();
                st.lastSaved = Instant.now();
                st.lastError = null;
                LOG.log(System.Logger.Level.DEBUG, "Saved {0} ({1} bytes) in {2} ms", service, out.size(),
                        (System.nanoTime() - start) / 1_000_000);
                return true;
            } catch (IOException | RuntimeException e) {
                st.dirty.set(true);
                st.lastError = "save failed: " + e.getMessage();
                LOG.log(System.Logger.Level.ERROR, "Could not save the state of " + service, e);
                return false;
            }
        }
    }

    private boolean load(String service, Persistable provider) {
        Path file = snapshotFile(service);
        if (!Files.exists(file)) return false;
        ServiceState st = state(service);
        long start = System.nanoTime();
        try {
            SnapshotFile.Contents contents = SnapshotFile.read(file);
            if (contents.stateVersion() > provider.stateVersion()) {
                throw new IOException("snapshot written by a newer format (" + contents.stateVersion()
                        + ") than this version reads (" + provider.stateVersion() + ")");
            }
            provider.loadState(new ByteArrayInputStream(contents.payload()), contents.stateVersion());
            st.lastLoaded = Instant.now();
            LOG.log(System.Logger.Level.INFO, "Restored {0} from {1} ({2} bytes, saved {3}) in {4} ms", service, file,
                    contents.payload().length, contents.savedAt(), (System.nanoTime() - start) / 1_000_000);
            return true;
        } catch (IOException | RuntimeException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
            try {
                Files.move(file, aside);
            } catch (IOException moveFailed) {
                aside = file;
            }
            provider.resetState();
            st.lastError = "snapshot unreadable, moved to " + aside + ": " + e.getMessage();
            LOG.log(System.Logger.Level.WARNING, "The snapshot of {0} is unreadable ({1}); moved it to {2} and started {0} empty",
                    service, e.getMessage(), aside);
            return false;
        }
    }
}
