package dev.polystack.gateway.dispatch;

import java.lang.management.ManagementFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gives back heap that a busy server committed but does not use. G1 (JDK 25) grows its heap whenever collections
 * take more than a small share of the time (the share it tolerates scales down to 1% while the heap is small next
 * to its cap, half the machine's memory), but shrinks only at the end of a concurrent cycle, and a busy server
 * with little state never starts one (its periodic cycle waits for 15 s without any collection). Under a steady
 * request load that grew the heap to hundreds of MB holding 15 MB of live data.
 *
 * <p>So, read four times a second by {@link MemoryGuard}'s watcher: when the committed heap exceeds what is in use after
 * the last collection by more than {@link #slackLimit}, this asks for a concurrent cycle ({@code System.gc()}
 * with {@code -XX:+ExplicitGCInvokesConcurrent}, which the launcher sets), at whose end G1 uncommits down to
 * {@code MaxHeapFreeRatio}. A cycle marks the live data on one background thread, so requests are spaced by
 * {@link #millisBetween}: at least 2 s, and a second per 32 MB of live data (a heap full of real state is not
 * marked over and over). Inactive under another collector or without that option (an explicit collection would
 * then stop the world).
 */
final class HeapTrimmer {
    private static final Logger LOG = Logger.getLogger(HeapTrimmer.class.getName());
    private static final long MB = 1 << 20;
    static final long MIN_SLACK = 96 * MB;
    static final long MIN_SECONDS_BETWEEN = 2;

    private final Runnable requestCycle;
    private long lastRequestMillis = Long.MIN_VALUE / 2;

    HeapTrimmer(Runnable requestCycle) {
        this.requestCycle = requestCycle;
    }

    /** The process's trimmer, or null when the collector and its options do not allow a cheap cycle. */
    static HeapTrimmer forThisJvm() {
        try {
            boolean g1 = ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .anyMatch(gc -> gc.getName().startsWith("G1"));
            var options = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            boolean concurrent = Boolean.parseBoolean(options.getVMOption("ExplicitGCInvokesConcurrent").getValue());
            return g1 && concurrent ? new HeapTrimmer(System::gc) : null;
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "heap trimming off", e);
            return null;
        }
    }

    /**
     * Unused committed heap tolerated: 96 MB, or as much as is live when that is more (G1 starts its own cycles
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

    /** One reading: the time, committed heap bytes, and bytes in use after the last collection. */
    void tick(long nowMillis, long committed, long usedAfterCollection) {
        if (committed - usedAfterCollection <= slackLimit(usedAfterCollection)) return;
        if (nowMillis - lastRequestMillis < millisBetween(usedAfterCollection)) return;
        lastRequestMillis = nowMillis;
        requestCycle.run();
    }
}
