package dev.polystack.gateway;

import dev.polystack.api.Config;
import dev.polystack.api.ProviderFactory;
import dev.polystack.gateway.dispatch.CatalogLoader;
import dev.polystack.gateway.dispatch.ProviderRegistry;
import dev.polystack.protocol.ServiceCatalog;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Starts Polystack: {@code java -cp ... dev.polystack.gateway.Main}. Prints one ready line with the address and
 * the start-up time (from launch) once the listener answers and the READY init hooks ran; SIGTERM or Ctrl-C
 * stops it cleanly (SHUTDOWN hooks, state saved).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Config config = Config.fromEnvironment();
        // The catalog's index and the providers' factories load on a second core while logging is set up (the
        // ready line comes sooner; each takes tens of milliseconds).
        FutureTask<ServiceCatalog> catalog = new FutureTask<>(CatalogLoader::load);
        FutureTask<List<ProviderFactory>> factories = new FutureTask<>(ProviderRegistry::discoverFactories);
        Thread.ofPlatform().name("polystack-start").start(() -> {
            catalog.run();
            factories.run();
        });
        Logging.configure(config);
        Polystack polystack;
        try {
            polystack = new Polystack(config, result(catalog), result(factories)).start();
        } catch (RuntimeException e) {
            System.err.println("Polystack failed to start: " + e.getMessage());
            if (config.flag("DEBUG")) e.printStackTrace();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(polystack::stop, "polystack-shutdown"));
        long millis = System.currentTimeMillis() - launchedAtMillis();
        // Ends with "Ready." like LocalStack's own line: tools such as Testcontainers wait for exactly that.
        System.out.println("Polystack on " + polystack.url() + " started in " + millis + " ms. Ready.");
        System.out.flush();
        try {
            if (!polystack.awaitListenerFailure()) {
                // Without this the JVM would end quietly with status 0 once Helidon's last listener thread is gone.
                System.err.println("Polystack: the HTTP listener stopped unexpectedly (its error is logged above); exiting");
                System.exit(2);  // shutdown hooks still run: SHUTDOWN init scripts, state saved
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The task's value, once it has run; its exception as is. */
    private static <T> T result(FutureTask<T> task) {
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error error) throw error;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
    }

    /**
     * When the launcher started ({@code POLYSTACK_LAUNCHED_AT_MS}, set by {@code ./polystack}), else when this JVM
     * started. (ProcessHandle's start instant is no substitute: Linux gives the boot time in whole seconds, so it
     * was up to a second off.)
     */
    private static long launchedAtMillis() {
        String launched = System.getenv("POLYSTACK_LAUNCHED_AT_MS");
        if (launched != null) {
            try {
                return Long.parseLong(launched.trim());
            } catch (NumberFormatException e) {
                // fall through: a malformed value only costs the figure's precision
            }
        }
        return ManagementFactory.getRuntimeMXBean().getStartTime();
    }
}
