package dev.polystack.gateway.dispatch;

import java.lang.management.ManagementFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gives back heap that the server committed but no longer uses, once it has gone quiet. G1 (JDK 25) grows its
 * heap whenever collections take more than a small share of the time (the share it tolerates scales down to 1%
 * while the heap is small next to its cap, half the machine's memory), but shrinks only at the end of a
 * concurrent cycle, and a server with little state starts one only 15 s after its last collection (the launcher's
 * {@code G1PeriodicGCInterval}). After a burst of requests the heap sat at hundreds of MB holding 15 MB of data.
 *
 * <p>So, read four times a second by {@link MemoryGuard}'s watcher: once the process has allocated less than
 * {@link #QUIET_BYTES_PER_SECOND} for {@link #QUIET_MILLIS} (the load stopped) and the committed heap exceeds
 * what is in use after the last collection by more than {@link #slackLimit}, this asks for a concurrent cycle
 * ({@code System.gc()} with {@code -XX:+ExplicitGCInvokesConcurrent}, which the launcher sets), at whose end G1
 * uncommits down to {@code MaxHeapFreeRatio}. Once per quiet period, and never while requests are being served:
 * cycles forced under load (an earlier version asked every 2 s) cost 14-25 % of the throughput at 8 clients.
 * Requests are also spaced by {@link #millisBetween} (a heap full of real state is not marked over and over).
 * Inactive under another collector or without that option (an explicit collection would then stop the world).
 */
final class HeapTrimmer {
    private static final Logger LOG = Logger.getLogger(HeapTrimmer.class.getName());
    private static final long MB = 1 << 20;
    /** Unused committed heap tolerated, at least (a quiet server's heap then stays under about 100 MB of RSS). */
    static final long MIN_SLACK = 32 * MB;
    static final long MIN_SECONDS_BETWEEN = 2;
    /** Allocation slower than this counts as quiet: an idle server allocates almost nothing, one client's
     *  SQS round trips about 30 MB/s. */
    static final long QUIET_BYTES_PER_SECOND = 4 * MB;
    /** How long allocation must have stayed quiet before a cycle is asked for. */
    static final long QUIET_MILLIS = 1000;

    /** Serial: no full collection asked for above this much live data (the pause grows with it). */
    static final long SERIAL_MAX_LIVE = 256 * MB;

    private final Runnable requestCycle;
    private final long maxLive;
    private long lastRequestMillis = Long.MIN_VALUE / 2;
    private long lastTickMillis = Long.MIN_VALUE;
    private long lastAllocated;
    private long busyUntilMillis = Long.MIN_VALUE / 2;
    /** Whether a cycle was asked for since the server was last busy (one per quiet period: when a cycle leaves
     *  the heap as it was, asking again only marks the same data again). */
    private boolean askedSinceBusy;

    /** @param maxLive no cycle is asked for while more than this is in use after the last collection */
    HeapTrimmer(Runnable requestCycle, long maxLive) {
        this.requestCycle = requestCycle;
        this.maxLive = maxLive;
    }

    /**
     * The process's trimmer, or null when the collector and its options do not allow a cheap cycle: G1 with
     * {@code -XX:+ExplicitGCInvokesConcurrent} (a concurrent cycle), or Serial, whose only way to shrink its heap is
     * a full collection: it stops the world, so it is asked for only while the live data is small enough
     * ({@link #SERIAL_MAX_LIVE}) for the pause to stay in the tens of milliseconds.
     */
    static HeapTrimmer forThisJvm() {
        try {
            var collectors = ManagementFactory.getGarbageCollectorMXBeans();
            boolean g1 = collectors.stream().anyMatch(gc -> gc.getName().startsWith("G1"));
            boolean serial = collectors.stream().anyMatch(gc -> gc.getName().equals("MarkSweepCompact"));
            var options = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            boolean concurrent = Boolean.parseBoolean(options.getVMOption("ExplicitGCInvokesConcurrent").getValue());
            boolean explicitOff = Boolean.parseBoolean(options.getVMOption("DisableExplicitGC").getValue());
            if (allocatedBytes() < 0 || explicitOff) return null;
            if (g1 && concurrent) return new HeapTrimmer(System::gc, Long.MAX_VALUE);
            if (serial) return new HeapTrimmer(System::gc, SERIAL_MAX_LIVE);
            return null;
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "heap trimming off", e);
            return null;
        }
    }

    /** Looked up once: the platform MXBean lookup is a search that showed in the profile of a busy server. */
    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Bytes allocated by all threads since the JVM started (virtual threads count on their carriers), or -1. */
    static long allocatedBytes() {
        if (THREADS instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
            return threads.getTotalThreadAllocatedBytes();
        }
        return -1;
    }

    /**
     * Unused committed heap tolerated: 32 MB, or as much as is live when that is more (G1 starts its own cycles
     * once the old generation fills about half the heap; a growing state needs that room, and marking it more
     * often only costs CPU).
     */
    static long slackLimit(long usedAfterCollection) {
        return Math.max(MIN_SLACK, usedAfterCollection);
    }

    /** The shortest time between two requested cycles: 2 s, or a second per 32 MB of live data. */
    static long millisBetween(long usedAfterCollection) {
        return 1000 * Math.max(MIN_SECONDS_BETWEEN, usedAfterCollection / (32 * MB));
    }

    /**
     * One reading: the time, committed heap bytes, bytes in use after the last collection, and bytes allocated
     * since the JVM started ({@link #allocatedBytes()}).
     */
    void tick(long nowMillis, long committed, long usedAfterCollection, long allocated) {
        boolean first = lastTickMillis == Long.MIN_VALUE;
        long elapsed = nowMillis - lastTickMillis;
        long bytes = allocated - lastAllocated;
        lastTickMillis = nowMillis;
        lastAllocated = allocated;
        if (first || elapsed <= 0 || bytes * 1000 > QUIET_BYTES_PER_SECOND * elapsed) {
            busyUntilMillis = nowMillis + QUIET_MILLIS;
            askedSinceBusy = false;
            return;
        }
        if (nowMillis < busyUntilMillis || askedSinceBusy) return;
        if (committed - usedAfterCollection <= slackLimit(usedAfterCollection) || usedAfterCollection > maxLive) return;
        if (nowMillis - lastRequestMillis < millisBetween(usedAfterCollection)) return;
        lastRequestMillis = nowMillis;
        askedSinceBusy = true;
        requestCycle.run();
    }
}
