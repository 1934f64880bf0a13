package dev.polystack.services.kms;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyGenerationTest {

    @Test
    void aVirtualThreadsKeyIsMadeOnAPlatformThread() throws InterruptedException {
        AtomicReference<Thread> worker = new AtomicReference<>();
        AtomicReference<Object> pair = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> pair.set(KeyGeneration.offCarrier(() -> {
            worker.set(Thread.currentThread());
            return KmsCrypto.generateKeyPair(KmsKeySpec.ECC_NIST_P256);
        })));
        caller.join();
        assertNotNull(pair.get());
        assertFalse(worker.get().isVirtual());
        assertTrue(worker.get().isDaemon());
        assertTrue(worker.get().getName().startsWith("kms-keygen-"));
    }

    @Test
    void aPlatformThreadMakesItsKeyItself() {
        Thread here = Thread.currentThread();
        assertEquals(here, KeyGeneration.offCarrier(Thread::currentThread));
    }

    @Test
    void failuresReachTheCaller() throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                KeyGeneration.offCarrier(() -> {
                    throw new IllegalArgumentException("bad spec");
                });
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        caller.join();
        assertEquals("bad spec", failure.get().getMessage());
    }
}
