package dev.polystack.bench.scenarios;

import dev.polystack.bench.Target;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Shared S3 helpers for the S3 scenarios: idempotent bucket creation and a fixed payload. */
final class S3Objects {
    private S3Objects() {
    }

    static void createBucket(Target target, String bucket) throws Exception {
        try {
            target.rest("s3", "PUT", "/" + bucket, null);
        } catch (java.io.IOException e) {
            if (!e.getMessage().contains("BucketAlreadyOwnedByYou") && !e.getMessage().contains("409")) throw e;
        }
    }

    static byte[] payload(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    /** Creates {@code count} small objects named by {@code keyOf} with 32 requests in flight. */
    static void fill(Target target, String bucket, int count, java.util.function.IntFunction<String> keyOf) throws Exception {
        byte[] body = payload(16);
        try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    for (int i = first; i < count; i += 32) target.rest("s3", "PUT", "/" + bucket + "/" + keyOf.apply(i), body);
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        }
    }
}
