package dev.polystack.services.kms;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs CPU-heavy key generation on a few daemon platform threads instead of the virtual-thread carriers.
 * The operating system time-slices platform threads, so requests keep being served while keys are made;
 * a virtual thread waiting here unmounts and frees its carrier.
 */
final class KeyGeneration {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final ExecutorService POOL = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()), task -> {
                Thread t = new Thread(task, "kms-keygen-" + COUNT.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    private KeyGeneration() {
    }

    /** The supplier's result, computed on the pool when called from a virtual thread, else right here. */
    static <T> T offCarrier(Supplier<T> work) {
        if (!Thread.currentThread().isVirtual()) return work.get();
        CompletableFuture<T> result = CompletableFuture.supplyAsync(work, POOL);
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating a key", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }
}
