package dev.polystack.gateway.dispatch;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeapTrimmerTest {
    private static final long MB = 1 << 20;

    private final AtomicInteger cycles = new AtomicInteger();
    private final HeapTrimmer trimmer = new HeapTrimmer(cycles::incrementAndGet, Long.MAX_VALUE);
    /** Bytes allocated so far, as the JVM would report them. */
    private long allocated;

    /** One reading 250 ms after the previous one, with {@code mbPerSecond} allocated in between. */
    private void tick(long nowMillis, long committedMb, long usedMb, long mbPerSecond) {
        allocated += mbPerSecond * MB / 4;
        trimmer.tick(nowMillis, committedMb * MB, usedMb * MB, allocated);
    }

    /** Readings every 250 ms from {@code fromMillis} to {@code toMillis}, allocation and heap unchanged. */
    private void ticks(long fromMillis, long toMillis, long committedMb, long usedMb, long mbPerSecond) {
        for (long t = fromMillis; t <= toMillis; t += 250) tick(t, committedMb, usedMb, mbPerSecond);
    }

    @Test
    void neverAsksWhileTheServerIsAllocating() {
        // Under load (30 MB/s and more) the heap may be far bigger than what is live: no cycle, however long.
        ticks(0, 60_000, 480, 15, 30);
        ticks(60_250, 70_000, 480, 15, 400);
        assertEquals(0, cycles.get());
    }

    @Test
    void asksOnceTheAllocationHasStayedQuietForASecond() {
        ticks(0, 5_000, 480, 15, 100);
        ticks(5_250, 5_750, 480, 15, 1);  // quiet for 750 ms: not yet
        assertEquals(0, cycles.get());
        tick(6_000, 480, 15, 0);
        assertEquals(1, cycles.get());
    }

    @Test
    void aBurstOfRequestsRestartsTheQuietSecond() {
        ticks(0, 1_000, 480, 15, 100);
        ticks(1_250, 1_750, 480, 15, 0);
        tick(2_000, 480, 15, 50);  // a burst: quiet again only from 3 s on
        ticks(2_250, 2_750, 480, 15, 0);
        assertEquals(0, cycles.get());
        tick(3_000, 480, 15, 0);
        assertEquals(1, cycles.get());
    }

    @Test
    void leavesAQuietHeapAloneWhileLittleOfItIsUnused() {
        ticks(0, 5_000, 45, 15, 0);  // 30 MB unused: within the 32 MB tolerated
        ticks(5_250, 20_000, 790, 400, 0);  // 390 MB unused of 400 live: a growing state needs that room
        assertEquals(0, cycles.get());
    }

    @Test
    void asksOncePerQuietPeriod() {
        ticks(0, 10_000, 480, 15, 0);  // the cycle left the heap as it was: no point marking it again
        assertEquals(1, cycles.get());
        tick(10_250, 480, 15, 100);
        ticks(10_500, 11_250, 480, 15, 0);
        assertEquals(2, cycles.get());
    }

    @Test
    void spacesItsRequestsByAtLeastTwoSeconds() {
        ticks(0, 1_000, 480, 15, 0);
        assertEquals(1, cycles.get());
        tick(1_250, 480, 15, 100);  // a short burst, quiet again from 2.25 s
        ticks(1_500, 2_750, 480, 15, 0);
        assertEquals(1, cycles.get());
        tick(3_000, 480, 15, 0);  // 2 s after the first request
        assertEquals(2, cycles.get());
    }

    @Test
    void marksABigLiveSetLessOften() {
        // 640 MB of live data: at most one requested cycle per 20 s (a second per 32 MB).
        ticks(0, 1_000, 1400, 640, 0);
        assertEquals(1, cycles.get());
        tick(1_250, 1400, 640, 100);
        ticks(1_500, 20_750, 1400, 640, 0);
        assertEquals(1, cycles.get());
        tick(21_000, 1400, 640, 0);
        assertEquals(2, cycles.get());
    }

    @Test
    void neverAsksAboveItsLiveDataLimit() {
        // Serial's full collection stops the world for a time that grows with the live data: above the limit, none.
        HeapTrimmer serial = new HeapTrimmer(cycles::incrementAndGet, HeapTrimmer.SERIAL_MAX_LIVE);
        long bytes = 0;
        for (long t = 0; t <= 5_000; t += 250) serial.tick(t, 1400 * MB, 300 * MB, bytes);
        assertEquals(0, cycles.get());
        for (long t = 5_250; t <= 10_000; t += 250) serial.tick(t, 1400 * MB, 200 * MB, bytes);
        assertEquals(1, cycles.get());
    }

    @Test
    void isOffUnderG1WithoutConcurrentExplicitCycles() {
        // The test JVM runs G1 (the build's surefire default on this box) without -XX:+ExplicitGCInvokesConcurrent:
        // System.gc() would be a full stop-the-world collection there.
        boolean g1 = java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .anyMatch(gc -> gc.getName().startsWith("G1"));
        if (g1) assertEquals(null, HeapTrimmer.forThisJvm());
        assertTrue(HeapTrimmer.allocatedBytes() > 0, "this JVM reports what its threads allocated");
    }
}
