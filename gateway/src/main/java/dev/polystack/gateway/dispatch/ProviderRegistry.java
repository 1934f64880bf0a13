package dev.polystack.gateway.dispatch;

import dev.polystack.api.Config;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Which provider serves which service, and the providers themselves, created on first use (once, thread-safe).
 * <ul>
 *   <li>Factories come from {@link ServiceLoader} (loading one is cheap; nothing is created at start).</li>
 *   <li>{@code PROVIDER_OVERRIDE_<SERVICE>} picks a kind ({@code native}, {@code localstack}, {@code python}, {@code moto});
 *       otherwise the first available of native, localstack, python, moto.</li>
 *   <li>{@code SERVICES} (comma-separated) limits what is offered: the rest is reported as disabled.</li>
 * </ul>
 */
public final class ProviderRegistry {
    private static final Logger LOG = Logger.getLogger(ProviderRegistry.class.getName());
    private static final List<String> DEFAULT_KINDS = List.of("native", "localstack", "python", "moto");

    /** What a service has: a provider to create, nothing, or a deliberate switch-off. */
    public enum Availability { OFFERED, DISABLED, NOT_IMPLEMENTED, MISCONFIGURED }

    private final Config config;
    private final List<ProviderFactory> factories;
    private final Set<String> enabledOnly;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, ServiceProvider>> creationListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile ProviderEnvironment environment;

    public ProviderRegistry(Config config, List<ProviderFactory> factories) {
        this.config = config;
        this.factories = List.copyOf(factories);
        this.enabledOnly = parseServices(config.get("SERVICES"));
    }

    /** Factories listed in {@code META-INF/services/dev.polystack.api.ProviderFactory} on the class path. */
    public static List<ProviderFactory> discoverFactories() {
        List<ProviderFactory> found = new ArrayList<>();
        for (ServiceLoader.Provider<ProviderFactory> p : ServiceLoader.load(ProviderFactory.class).stream().toList()) {
            try {
                found.add(p.get());
            } catch (Throwable e) {
                LOG.log(Level.WARNING, "provider factory " + p.type().getName() + " failed to load", e);
            }
        }
        return found;
    }

    /** Set once, before the first request: providers receive it on creation. */
    public void environment(ProviderEnvironment environment) {
        this.environment = environment;
    }

    /** Called with each provider right after it is created, before it serves (snapshot loading). */
    public void onCreate(BiConsumer<String, ServiceProvider> listener) {
        creationListeners.add(listener);
    }

    public Availability availability(String service) {
        if (!isEnabled(service)) return Availability.DISABLED;
        String override = overrideKind(service);
        if (override != null && factoryFor(service) == null) return Availability.MISCONFIGURED;
        return factoryFor(service) == null ? Availability.NOT_IMPLEMENTED : Availability.OFFERED;
    }

    /** Every service some factory can serve, sorted (the health endpoint's list). */
    public Set<String> knownServices() {
        Set<String> all = new java.util.TreeSet<>();
        for (ProviderFactory f : factories) all.addAll(f.services());
        return all;
    }

    /** Services that are offered (enabled and with a provider). */
    public Set<String> offeredServices() {
        Set<String> offered = new LinkedHashSet<>();
        for (String s : knownServices()) {
            if (availability(s) == Availability.OFFERED) offered.add(s);
        }
        return offered;
    }

    /** The services named in {@code SERVICES} (empty when it is not set). */
    public Set<String> listedServices() {
        return enabledOnly;
    }

    /** The provider if already created, else null. */
    public ServiceProvider existing(String service) {
        Slot slot = slots.get(service);
        return slot == null ? null : slot.provider;
    }

    /**
     * The provider for an offered service, created now if needed.
     *
     * @throws ServiceException when the service is disabled, not implemented or its provider failed to start
     */
    public ServiceProvider obtain(String service) {
        Slot slot = slots.get(service);
        if (slot != null && slot.provider != null) return slot.provider;
        switch (availability(service)) {
            case DISABLED -> throw GatewayErrors.serviceDisabled(service);
            case NOT_IMPLEMENTED -> throw notImplemented(service, null);
            case MISCONFIGURED -> throw GatewayErrors.overrideUnavailable(service, overrideSetting(service), overrideKind(service));
            case OFFERED -> { }
        }
        return slots.computeIfAbsent(service, s -> new Slot()).get(service);
    }

    /**
     * The error for a service no provider serves: not implemented, or in the native-only container image
     * ({@code POLYSTACK_IMAGE_VARIANT=native}) not available in this image.
     */
    public ServiceException notImplemented(String service, String operation) {
        if ("native".equalsIgnoreCase(config.get("POLYSTACK_IMAGE_VARIANT"))) return GatewayErrors.notInThisImage(service);
        return GatewayErrors.serviceNotImplemented(service, operation);
    }

    /** Readiness for {@code /_localstack/health}: available, running, starting, error, disabled. */
    public String state(String service) {
        if (!isEnabled(service)) return "disabled";
        Slot slot = slots.get(service);
        if (slot == null) return factoryFor(service) == null ? "error" : "available";
        if (slot.failure != null) return "error";
        if (slot.provider == null) return "starting";
        try {
            return slot.provider.state();
        } catch (RuntimeException e) {
            return "error";
        }
    }

    /** name → state for every known service. */
    public Map<String, String> states() {
        Map<String, String> states = new TreeMap<>();
        for (String s : knownServices()) states.put(s, state(s));
        return states;
    }

    /** The kind serving a service ({@code native}, {@code python}, {@code moto}), or null. */
    public String kindOf(String service) {
        ProviderFactory f = factoryFor(service);
        return f == null ? null : f.kind();
    }

    /** Closes every created provider (at shutdown); errors are logged, not thrown. */
    public void closeAll() {
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            ServiceProvider p = e.getValue().provider;
            if (p == null) continue;
            try {
                p.close();
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "closing provider " + e.getKey() + " failed", ex);
            }
        }
    }

    /** The factory chosen for a service under the override and defaults, or null. */
    ProviderFactory factoryFor(String service) {
        String override = overrideKind(service);
        List<String> kinds = override != null ? List.of(override) : DEFAULT_KINDS;
        for (String kind : kinds) {
            for (ProviderFactory f : factories) {
                if (f.kind().equals(kind) && f.services().contains(service) && available(f)) return f;
            }
        }
        return null;
    }

    private static boolean available(ProviderFactory f) {
        try {
            return f.available();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The override's kind, or null for the defaults ({@code default} and empty mean defaults too). */
    String overrideKind(String service) {
        String value = config.get(overrideSetting(service));
        if (value == null) return null;
        String kind = value.toLowerCase(Locale.ROOT);
        return kind.equals("default") ? null : kind;
    }

    static String overrideSetting(String service) {
        return "PROVIDER_OVERRIDE_" + service.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private boolean isEnabled(String service) {
        return enabledOnly.isEmpty() || enabledOnly.contains(service);
    }

    static Set<String> parseServices(String value) {
        if (value == null) return Collections.emptySet();
        Set<String> set = new LinkedHashSet<>();
        for (String s : value.split(",")) {
            String name = s.trim().toLowerCase(Locale.ROOT);
            if (!name.isEmpty()) set.add(name);
        }
        return Set.copyOf(set);
    }

    /** Holds one service's provider; creation happens once, under the slot's lock. */
    private final class Slot {
        volatile ServiceProvider provider;
        volatile Throwable failure;

        synchronized ServiceProvider get(String service) {
            if (provider != null) return provider;
            ProviderFactory factory = factoryFor(service);
            if (factory == null) throw GatewayErrors.serviceNotImplemented(service, null);
            try {
                ServiceProvider created = factory.create(service, environment);
                for (BiConsumer<String, ServiceProvider> l : creationListeners) l.accept(service, created);
                failure = null;
                provider = created;
                return created;
            } catch (ServiceException e) {
                failure = e;
                throw e;
            } catch (RuntimeException | LinkageError e) {
                failure = e;
                LOG.log(Level.SEVERE, "provider for " + service + " (" + factory.kind() + ") failed to start", e);
                throw GatewayErrors.providerFailed(service, factory.kind(), e);
            }
        }
    }
}
