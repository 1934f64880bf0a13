package dev.polystack.bench.scenarios;

import dev.polystack.bench.Scenario;
import dev.polystack.bench.Target;

/** S3 PutObject then GetObject of a 1 KiB object (one iteration = both requests); keys cycle per worker. */
public final class S3PutGetSmall implements Scenario {
    private static final String BUCKET = "bench-s3-small";
    private static final byte[] BODY = S3Objects.payload(1024);

    @Override
    public String name() {
        return "s3-put-get-1kib";
    }

    @Override
    public void setup(Target target) throws Exception {
        S3Objects.createBucket(target, BUCKET);
    }

    @Override
    public void iterate(Target target, int worker, long iteration) throws Exception {
        String path = "/" + BUCKET + "/w" + worker + "/k" + (iteration % 100);
        target.rest("s3", "PUT", path, BODY);
        byte[] got = target.rest("s3", "GET", path, null);
        if (got.length != BODY.length) throw new IllegalStateException("short read: " + got.length);
    }
}
