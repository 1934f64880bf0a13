package dev.polystack.bench.jmh;

import dev.polystack.api.RequestContext;
import dev.polystack.services.kms.KmsProvider;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The KMS provider's own CPU per Encrypt + Decrypt round trip (64 bytes, an encryption context, one
 * symmetric key), called in process: no HTTP, no JSON, so what it shows is the provider's work alone
 * (key lookup, validation, AES-GCM, random IVs). Thread CPU time, summed over the worker threads, so
 * contention that burns CPU shows and waiting for a core on the loaded machine does not.
 * Run: {@code java -cp "bench/target/classes:bench/target/lib/*" dev.polystack.bench.jmh.KmsCpuTime [seconds]}.
 */
public final class KmsCpuTime {
    private KmsCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        KmsProvider kms = new KmsProvider(null);
        RequestContext ctx = RequestContext.internal("000000000000", "us-east-1", "kms");
        @SuppressWarnings("unchecked")
        String keyId = (String) ((Map<String, Object>) kms.invoke(ctx, "CreateKey", Map.of()).get("KeyMetadata")).get("KeyId");
        for (int threads : new int[] {1, 16, 1, 16}) run(kms, ctx, keyId, threads, seconds, false); // warm-up: C2 at both widths
        for (int threads : new int[] {1, 16, 1, 16}) run(kms, ctx, keyId, threads, seconds, true);
    }

    private static void run(KmsProvider kms, RequestContext ctx, String keyId, int threads, double seconds, boolean report)
            throws InterruptedException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        AtomicLong ops = new AtomicLong();
        AtomicLong cpu = new AtomicLong();
        CountDownLatch done = new CountDownLatch(threads);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        for (int t = 0; t < threads; t++) {
            Map<String, Object> context = Map.of("worker", Integer.toString(t));
            Thread.ofPlatform().start(() -> {
                long cpu0 = mx.getCurrentThreadCpuTime();
                long n = 0;
                byte[] plaintext = new byte[64];
                while (System.nanoTime() < end) {
                    Object blob = kms.invoke(ctx, "Encrypt", Map.of("KeyId", keyId, "Plaintext", plaintext, "EncryptionContext", context))
                            .get("CiphertextBlob");
                    Object back = kms.invoke(ctx, "Decrypt", Map.of("CiphertextBlob", blob, "EncryptionContext", context)).get("Plaintext");
                    if (((byte[]) back).length != 64) throw new IllegalStateException("round trip changed the data");
                    n++;
                }
                cpu.addAndGet(mx.getCurrentThreadCpuTime() - cpu0);
                ops.addAndGet(n);
                done.countDown();
            });
        }
        done.await();
        if (report) {
            System.out.printf("KMS Encrypt+Decrypt in process, %2d threads: %6.2f us CPU per round trip (%d round trips)%n",
                    threads, cpu.get() / 1000.0 / ops.get(), ops.get());
        }
    }
}
