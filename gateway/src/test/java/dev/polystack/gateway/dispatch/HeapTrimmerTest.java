package dev.polystack.gateway.dispatch;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HeapTrimmerTest {
    private static final long MB = 1 << 20;

    private final AtomicInteger cycles = new AtomicInteger();
    private final HeapTrimmer trimmer = new HeapTrimmer(cycles::incrementAndGet);

    @Test
    void leavesAHeapAloneWhileLittleOfItIsUnused() {
        trimmer.tick(0, 120 * MB, 30 * MB);  // 90 MB unused: within the 96 MB tolerated
        trimmer.tick(10_000, 790 * MB, 400 * MB);  // 390 MB unused of 400 live: a growing state needs that room
        assertEquals(0, cycles.get());
    }

    @Test
    void asksForACycleWhenMuchMoreIsCommittedThanUsed() {
        trimmer.tick(0, 480 * MB, 15 * MB);
        assertEquals(1, cycles.get());
    }

    @Test
    void spacesItsRequestsByAtLeastTwoSeconds() {
        trimmer.tick(0, 480 * MB, 15 * MB);
        trimmer.tick(250, 480 * MB, 15 * MB);
        trimmer.tick(1_999, 480 * MB, 15 * MB);
        assertEquals(1, cycles.get());
        trimmer.tick(2_000, 480 * MB, 15 * MB);
        assertEquals(2, cycles.get());
    }

    @Test
    void marksABigLiveSetLessOften() {
        // 640 MB of live data: at most one requested cycle per 20 s (a second per 32 MB).
        trimmer.tick(0, 1400 * MB, 640 * MB);
        trimmer.tick(19_999, 1400 * MB, 640 * MB);
        assertEquals(1, cycles.get());
        trimmer.tick(20_000, 1400 * MB, 640 * MB);
        assertEquals(2, cycles.get());
    }

    @Test
    void isOnlyActiveWhereAnExplicitCollectionIsConcurrent() {
        // This test JVM runs without -XX:+ExplicitGCInvokesConcurrent: System.gc() would stop the world.
        assertEquals(null, HeapTrimmer.forThisJvm());
    }
}
