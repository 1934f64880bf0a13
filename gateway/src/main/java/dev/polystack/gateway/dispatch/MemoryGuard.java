package dev.polystack.gateway.dispatch;

import dev.polystack.api.ServiceException;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Keeps the server alive when its state outgrows the heap (POLYSTACK_XMX, or half the memory of the machine or
 * container). Once the heap is more than {@value #FULL_PERCENT}% full right after a collection, requests that add
 * state are refused with a 503 ServiceUnavailable in the service's protocol (reads, receives and deletes still
 * pass, so clients can drain queues and delete objects), and one log line says why and what to change; below
 * {@value #RELIEVED_PERCENT}% they are accepted again. An OutOfMemoryError that still happens while serving a
 * request becomes the same error instead of killing the server, and counts as memory short at once.
 *
 * <p>The figure is the heap in use after the most recent collection of each pool (live data plus what the last
 * collection could not reach), read four times a second by a daemon thread, so the request path reads one volatile
 * field. The same thread hands unused heap back ({@link HeapTrimmer}).
 */
public final class MemoryGuard {
    private static final Logger LOG = Logger.getLogger(MemoryGuard.class.getName());
    static final int FULL_PERCENT = 90;
    static final int RELIEVED_PERCENT = 80;

    /** Operations that only read or remove state: they pass while memory is short. */
    private static final List<String> RELIEVING_PREFIXES = List.of("Get", "List", "Describe", "Head", "Receive",
            "Delete", "Purge", "Remove", "Untag", "Change", "Query", "Scan", "BatchGet", "Select", "Check", "Lookup");

    private static final MemoryGuard INSTANCE = new MemoryGuard();

    private static final int RECHECK_SECONDS = 5;
    /** How often the watcher reads the heap (and lets {@link HeapTrimmer} act on it). */
    private static final int TICK_MILLIS = 250;

    private volatile boolean short_;
    /** The last reading, in MB: formatted into a message only when one is written (the watcher reads the heap
     *  four times a second for the life of the server, so a reading must cost next to nothing). */
    private volatile long usedMb;
    private volatile long maxMb;
    private Thread watcher;

    /** A guard fed only by {@link #update} (tests); the process's own is {@link #get()}. */
    MemoryGuard() {
    }

    /** The process's guard; its watcher thread starts on first use. */
    public static MemoryGuard get() {
        INSTANCE.startWatching();
        return INSTANCE;
    }

    private synchronized void startWatching() {
        if (watcher != null) return;
        watcher = Thread.ofPlatform().daemon().name("memory-guard").start(() -> {
            List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported()).toList();
            MemoryMXBean heap = ManagementFactory.getMemoryMXBean();
            HeapTrimmer trimmer = HeapTrimmer.forThisJvm();
            long max = Runtime.getRuntime().maxMemory();
            long lastRecheck = 0;
            while (true) {
                try {
                    Thread.sleep(TICK_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    long now = System.nanoTime() / 1_000_000;
                    // While short, a collection now and then finds out whether deletes freed memory (no requests
                    // may be allocating anything that would trigger one).
                    if (short_ && now - lastRecheck >= RECHECK_SECONDS * 1000L) {
                        lastRecheck = now;
                        System.gc();
                    }
                    long used = 0;
                    for (MemoryPoolMXBean pool : pools) {
                        MemoryUsage after = pool.getCollectionUsage();
                        if (after != null) used += after.getUsed();
                    }
                    update(used, max);
                    if (trimmer != null && !short_) {
                        trimmer.tick(now, heap.getHeapMemoryUsage().getCommitted(), used, HeapTrimmer.allocatedBytes());
                    }
                } catch (OutOfMemoryError e) {
                    // The watcher must outlive a full heap: it is what lets writes in again once memory frees.
                    short_ = true;
                }
            }
        });
    }

    /** Takes one reading: heap bytes in use after the last collection, of at most {@code max}. */
    void update(long usedAfterCollection, long max) {
        long percent = max <= 0 ? 0 : usedAfterCollection * 100 / max;
        usedMb = usedAfterCollection >> 20;
        maxMb = max >> 20;
        if (!short_ && percent > FULL_PERCENT) {
            short_ = true;
            LOG.severe("Polystack is running out of memory (" + state() + "): requests that add state are refused "
                    + "with 503 ServiceUnavailable until memory frees; reads, receives and deletes still work. "
                    + "Raise POLYSTACK_XMX (or the container's memory limit), or delete state.");
        } else if (short_ && percent < RELIEVED_PERCENT) {
            short_ = false;
            LOG.warning("Polystack has memory again (" + state() + "): requests that add state are accepted again");
        }
    }

    private String state() {
        return String.format(Locale.ROOT, "%d of %d MB of heap in use after garbage collection", usedMb, maxMb);
    }

    public boolean isShort() {
        return short_;
    }

    /**
     * Throws the 503 for a request that would add state while memory is short. {@code operation} may be null
     * (a raw HTTP request the provider answers itself): then the HTTP method decides (PUT adds state).
     */
    public void checkAdmits(String operation, String httpMethod) {
        if (!short_) return;
        if (operation == null ? "PUT".equals(httpMethod) : !relieving(operation)) throw refusal();
    }

    static boolean relieving(String operation) {
        for (String prefix : RELIEVING_PREFIXES) if (operation.startsWith(prefix)) return true;
        return false;
    }

    /** The AWS-shaped answer when memory is short, and for an OutOfMemoryError while serving a request. */
    public ServiceException refusal() {
        return new ServiceException("ServiceUnavailable", "Polystack is out of memory for new state (" + state()
                + "). Raise POLYSTACK_XMX or the container's memory limit, or delete state, then retry.", 503, false);
    }

    /** Logs an OutOfMemoryError caught while serving a request (the request gets {@link #refusal()}). */
    public void outOfMemory(String what, OutOfMemoryError e) {
        // An allocation outran the watcher: refuse new state from now on, so the heap left serves reads; the watcher
        // lets writes in again once a collection finds memory below RELIEVED_PERCENT.
        short_ = true;
        LOG.severe("Polystack ran out of memory serving " + what + " (" + e.getMessage() + "; " + state()
                + "): answered 503 ServiceUnavailable. Raise POLYSTACK_XMX or the container's memory limit.");
    }
}
