package dev.polystack.bench.scenarios;

import dev.polystack.bench.Scenario;
import dev.polystack.bench.Target;

/**
 * ListObjectsV2 of one page of 1,000 keys from a bucket of 20,000 (setup creates them once per server, before
 * the clock starts); pages start at a different place each iteration.
 */
public final class S3ListPage implements Scenario {
    private static final String BUCKET = "bench-s3-list";
    private static final int KEYS = 20_000;

    @Override
    public String name() {
        return "s3-list-1000-of-20000";
    }

    @Override
    public void setup(Target target) throws Exception {
        S3Objects.createBucket(target, BUCKET);
        String probe = new String(target.rest("s3", "GET", "/" + BUCKET + "?list-type=2&max-keys=1&start-after=key-19998", null),
                java.nio.charset.StandardCharsets.UTF_8);
        if (probe.contains("<Key>key-19999</Key>")) return; // already filled by an earlier run
        S3Objects.fill(target, BUCKET, KEYS, i -> String.format("key-%05d", i));
    }

    @Override
    public void iterate(Target target, int worker, long iteration) throws Exception {
        long start = (iteration * 7919 + worker * 1000L) % (KEYS - 1000);
        String body = new String(target.rest("s3", "GET", "/" + BUCKET + "?list-type=2&max-keys=1000&start-after="
                + String.format("key-%05d", start), null), java.nio.charset.StandardCharsets.UTF_8);
        if (!body.contains("<KeyCount>1000</KeyCount>")) throw new IllegalStateException("not a full page");
    }
}
