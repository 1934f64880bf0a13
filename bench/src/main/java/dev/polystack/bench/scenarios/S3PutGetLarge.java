package dev.polystack.bench.scenarios;

import dev.polystack.bench.Scenario;
import dev.polystack.bench.Target;

/**
 * S3 PutObject then GetObject of an 8 MiB object: one iteration moves 16 MiB (MiB/s = iterations/s x 16).
 * One key per worker, overwritten, so the stored data stays bounded.
 */
public final class S3PutGetLarge implements Scenario {
    private static final String BUCKET = "bench-s3-large";
    private static final byte[] BODY = S3Objects.payload(8 * 1024 * 1024);

    @Override
    public String name() {
        return "s3-put-get-8mib";
    }

    @Override
    public void setup(Target target) throws Exception {
        S3Objects.createBucket(target, BUCKET);
    }

    @Override
    public void iterate(Target target, int worker, long iteration) throws Exception {
        String path = "/" + BUCKET + "/w" + worker;
        target.rest("s3", "PUT", path, BODY);
        byte[] got = target.rest("s3", "GET", path, null);
        if (got.length != BODY.length) throw new IllegalStateException("short read: " + got.length);
    }
}
