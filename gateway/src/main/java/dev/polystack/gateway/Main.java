package dev.polystack.gateway;

import dev.polystack.api.Config;

import java.time.Duration;
import java.time.Instant;

/**
 * Starts Polystack: {@code java -cp ... dev.polystack.gateway.Main}. Prints one ready line with the address and
 * the start-up time (from JVM start); SIGTERM or Ctrl-C stops it cleanly (SHUTDOWN hooks, state saved).
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
        long millis = ProcessHandle.current().info().startInstant()
                .map(start -> Duration.between(start, Instant.now()).toMillis()).orElse(-1L);
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
}
