package dev.polystack.gateway;

import dev.polystack.api.Config;

import java.lang.management.ManagementFactory;

/**
 * Starts Polystack: {@code java -cp ... dev.polystack.gateway.Main}. Prints one ready line with the address and
 * the start-up time (from launch) once the listener answers and the READY init hooks ran; SIGTERM or Ctrl-C
 * stops it cleanly (SHUTDOWN hooks, state saved).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        enoughCarrierThreads();
        Config config = Config.fromEnvironment();
        Logging.configure(config);
        Polystack polystack;
        try {
            polystack = new Polystack(config).start();
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

    /** Carriers kept for virtual threads (requests run on them) when the JVM options name none. */
    static final int MIN_CARRIER_THREADS = 8;

    /**
     * Every request runs on a virtual thread, and the JDK runs virtual threads on as many carrier threads as there
     * are cores. A virtual thread is never preempted: a CPU-bound request (an RSA-4096 key, a first Python import)
     * holds its carrier until it ends, and so does a blocking native call. On a 2-core machine two such requests
     * left health checks waiting for seconds. More carriers let the operating system share the cores among them.
     * Set before the first virtual thread exists (the scheduler reads it once); an explicit setting wins.
     */
    private static void enoughCarrierThreads() {
        String key = "jdk.virtualThreadScheduler.parallelism";
        if (System.getProperty(key) == null) {
            int carriers = Math.max(MIN_CARRIER_THREADS, Runtime.getRuntime().availableProcessors());
            System.setProperty(key, Integer.toString(carriers));
        }
    }
}
