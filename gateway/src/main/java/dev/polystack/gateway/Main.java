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
}
