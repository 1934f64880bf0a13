package dev.polystack.services.s3;

import dev.polystack.api.Config;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.s3.storage.MemoryBlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static dev.polystack.services.s3.S3TestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** Lifecycle rules applied by the sweep, with the provider's clock moved forward instead of waiting days. */
class S3LifecycleTest {
    @TempDir
    Path dir;
    S3Provider s3;
    final List<String> sqsBodies = new CopyOnWriteArrayList<>();
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    /** Plays SQS for one queue "q" and records what S3 sends it; the periodic sweep is off (tests call it). */
    final ProviderEnvironment env = new ProviderEnvironment() {
        public Config config() {
            return new Config(Map.of("S3_LIFECYCLE_SWEEP_SECONDS", "0"));
        }

        public Map<String, Object> call(RequestContext ctx, String service, String operation, Map<String, Object> input) {
            switch (operation) {
                case "GetQueueUrl" -> {
                    if (!"q".equals(input.get("QueueName"))) throw new ServiceException("QueueDoesNotExist", "no such queue");
                    return Map.of("QueueUrl", "http://localhost/000000000000/q");
                }
                case "SendMessage" -> sqsBodies.add((String) input.get("MessageBody"));
                default -> throw new UnsupportedOperationException(operation);
            }
            return Map.of();
        }

        public ScheduledExecutorService scheduler() {
            return scheduler;
        }

        public Path dataDirectory(String service) {
            return dir.resolve(service);
        }
    };

    @BeforeEach
    void setUp() {
        s3 = new S3Provider(new MemoryBlobStore(dir.resolve("spill"), 1024 * 1024, 64L * 1024 * 1024), env);
        s3.invoke(ctx(), "CreateBucket", params("Bucket", "bkt"));
    }

    @AfterEach
    void tearDown() {
        s3.close();
        scheduler.shutdownNow();
    }

    private void later(Duration d) {
        s3.clock(Clock.offset(Clock.systemUTC(), d));
    }

    private void lifecycle(Map<String, Object>... rules) {
        s3.invoke(ctx(), "PutBucketLifecycleConfiguration", params("Bucket", "bkt",
                "LifecycleConfiguration", Map.of("Rules", List.of(rules))));
    }

    private boolean exists(String key) {
        try {
            s3.invoke(ctx(), "HeadObject", params("Bucket", "bkt", "Key", key));
            return true;
        } catch (ServiceException e) {
            return false;
        }
    }

    private List<Object> versions() {
        Map<String, Object> out = s3.invoke(ctx(), "ListObjectVersions", params("Bucket", "bkt"));
        List<Object> all = new java.util.ArrayList<>();
        all.addAll((List<Object>) out.getOrDefault("Versions", List.of()));
        all.addAll((List<Object>) out.getOrDefault("DeleteMarkers", List.of()));
        return all;
    }

    @Test
    void expiryRoundsUpToTheNextMidnightUtc() {
        assertEquals(Instant.parse("2026-01-17T00:00:00Z"), S3Lifecycle.expiry(Instant.parse("2026-01-15T10:30:00Z"), 1));
        assertEquals(Instant.parse("2026-01-16T00:00:00Z"), S3Lifecycle.expiry(Instant.parse("2026-01-15T00:00:00Z"), 1));
    }

    @Test
    void expirationDaysRemovesMatchingObjectsOnceDue() {
        lifecycle(Map.of("ID", "logs", "Status", "Enabled", "Filter", Map.of("Prefix", "logs/"), "Expiration", Map.of("Days", 1)),
                Map.of("ID", "off", "Status", "Disabled", "Filter", Map.of("Prefix", ""), "Expiration", Map.of("Days", 1)));
        put(s3, "bkt", "logs/a", "a".getBytes(StandardCharsets.UTF_8));
        put(s3, "bkt", "keep/b", "b".getBytes(StandardCharsets.UTF_8));
        assertEquals(0, s3.sweepLifecycle()); // not due yet
        later(Duration.ofHours(1));
        assertEquals(0, s3.sweepLifecycle());
        later(Duration.ofDays(2)); // past the next midnight after one day
        assertEquals(1, s3.sweepLifecycle());
        assertFalse(exists("logs/a"));
        assertTrue(exists("keep/b"));
    }

    @Test
    void tagAndSizeFiltersAndDates() {
        lifecycle(Map.of("ID", "tagged", "Status", "Enabled", "Filter", Map.of("And", Map.of("Prefix", "",
                        "Tags", List.of(Map.of("Key", "tmp", "Value", "yes")), "ObjectSizeGreaterThan", 2)),
                "Expiration", Map.of("Date", Instant.parse("2020-01-01T00:00:00Z"))));
        put(s3, "bkt", "tagged-big", "abcdef".getBytes(StandardCharsets.UTF_8), "Tagging", "tmp=yes");
        put(s3, "bkt", "tagged-small", "a".getBytes(StandardCharsets.UTF_8), "Tagging", "tmp=yes");
        put(s3, "bkt", "untagged", "abcdef".getBytes(StandardCharsets.UTF_8));
        assertEquals(1, s3.sweepLifecycle()); // the date has passed: due at once
        assertFalse(exists("tagged-big"));
        assertTrue(exists("tagged-small"));
        assertTrue(exists("untagged"));
    }

    @Test
    void versionedBucketsGetDeleteMarkersThenLoseNoncurrentVersionsAndTheLastMarker() {
        s3.invoke(ctx(), "PutBucketVersioning", params("Bucket", "bkt", "VersioningConfiguration", Map.of("Status", "Enabled")));
        lifecycle(Map.of("ID", "all", "Status", "Enabled", "Filter", Map.of("Prefix", ""),
                "Expiration", Map.of("Days", 1), "NoncurrentVersionExpiration", Map.of("NoncurrentDays", 1)),
                Map.of("ID", "markers", "Status", "Enabled", "Filter", Map.of("Prefix", "x"),
                        "Expiration", Map.of("ExpiredObjectDeleteMarker", true)));
        put(s3, "bkt", "x", "one".getBytes(StandardCharsets.UTF_8));
        put(s3, "bkt", "x", "two".getBytes(StandardCharsets.UTF_8));
        assertEquals(2, versions().size());
        later(Duration.ofDays(3));
        s3.sweepLifecycle(); // the current version is hidden behind a delete marker
        assertFalse(exists("x"));
        assertEquals(3, versions().size());
        s3.sweepLifecycle(); // both noncurrent versions are past NoncurrentDays
        assertEquals(1, versions().size());
        s3.sweepLifecycle(); // a delete marker with nothing behind it is removed
        assertEquals(0, versions().size());
    }

    @Test
    void lifecycleNeverRemovesVersionsObjectLockProtects() {
        s3.invoke(ctx(), "CreateBucket", params("Bucket", "locked", "ObjectLockEnabledForBucket", true));
        s3.invoke(ctx(), "PutBucketLifecycleConfiguration", params("Bucket", "locked", "LifecycleConfiguration",
                Map.of("Rules", List.of(Map.of("ID", "all", "Status", "Enabled", "Filter", Map.of("Prefix", ""),
                        "Expiration", Map.of("Days", 1), "NoncurrentVersionExpiration", Map.of("NoncurrentDays", 1))))));
        // "held" under a legal hold, "kept" retained for 10 days, "free" unprotected
        s3.invoke(ctx(), "PutObject", params("Bucket", "locked", "Key", "held", "Body", "a".getBytes(StandardCharsets.UTF_8),
                "ObjectLockLegalHoldStatus", "ON"));
        s3.invoke(ctx(), "PutObject", params("Bucket", "locked", "Key", "kept", "Body", "b".getBytes(StandardCharsets.UTF_8),
                "ObjectLockMode", "GOVERNANCE", "ObjectLockRetainUntilDate", Instant.now().plus(Duration.ofDays(10))));
        s3.invoke(ctx(), "PutObject", params("Bucket", "locked", "Key", "free", "Body", "c".getBytes(StandardCharsets.UTF_8)));
        later(Duration.ofDays(3));
        s3.sweepLifecycle(); // current versions are hidden behind delete markers (allowed on locked versions)
        s3.sweepLifecycle(); // noncurrent: only the unprotected one goes
        Map<String, Object> out = s3.invoke(ctx(), "ListObjectVersions", params("Bucket", "locked"));
        List<String> left = ((List<Map<String, Object>>) out.getOrDefault("Versions", List.of())).stream()
                .map(v -> v.get("Key").toString()).sorted().toList();
        assertEquals(List.of("held", "kept"), left);
        later(Duration.ofDays(12)); // the retention has ended; the legal hold has not
        s3.sweepLifecycle();
        out = s3.invoke(ctx(), "ListObjectVersions", params("Bucket", "locked"));
        left = ((List<Map<String, Object>>) out.getOrDefault("Versions", List.of())).stream().map(v -> v.get("Key").toString()).toList();
        assertEquals(List.of("held"), left);
    }

    @Test
    void staleMultipartUploadsAreAborted() {
        lifecycle(Map.of("ID", "mpu", "Status", "Enabled", "Filter", Map.of("Prefix", ""),
                "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 7)));
        s3.invoke(ctx(), "CreateMultipartUpload", params("Bucket", "bkt", "Key", "big"));
        later(Duration.ofDays(3));
        assertEquals(0, s3.sweepLifecycle());
        later(Duration.ofDays(9));
        assertEquals(1, s3.sweepLifecycle());
        assertNull(s3.invoke(ctx(), "ListMultipartUploads", params("Bucket", "bkt")).get("Uploads"));
    }

    @Test
    void expirationsAreReportedAsLifecycleEvents() throws Exception {
        s3.invoke(ctx(), "PutBucketNotificationConfiguration", params("Bucket", "bkt", "NotificationConfiguration",
                Map.of("QueueConfigurations", List.of(Map.of("Id", "lc", "QueueArn", "arn:aws:sqs:us-east-1:000000000000:q",
                        "Events", List.of("s3:LifecycleExpiration:*"))))));
        lifecycle(Map.of("ID", "all", "Status", "Enabled", "Filter", Map.of("Prefix", ""), "Expiration", Map.of("Days", 1)));
        put(s3, "bkt", "gone soon", "x".getBytes(StandardCharsets.UTF_8));
        s3.invoke(ctx(), "DeleteObject", params("Bucket", "bkt", "Key", "not-this")); // nothing there: no event
        later(Duration.ofDays(2));
        assertEquals(1, s3.sweepLifecycle());
        long deadline = System.currentTimeMillis() + 5_000;
        while (sqsBodies.size() < 2 && System.currentTimeMillis() < deadline) Thread.sleep(10);
        assertEquals(2, sqsBodies.size(), sqsBodies.toString());
        assertTrue(sqsBodies.get(0).contains("\"Event\":\"s3:TestEvent\""));
        String record = sqsBodies.get(1);
        assertTrue(record.contains("\"eventName\":\"LifecycleExpiration:Delete\""), record);
        assertTrue(record.contains("\"key\":\"gone+soon\""), record);
        assertTrue(record.contains("\"principalId\":\"s3.amazonaws.com\""), record);
        assertTrue(record.contains("\"configurationId\":\"lc\""), record);
    }
}
