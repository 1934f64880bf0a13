package dev.polystack.services.s3;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A bucket: its keys in a sorted concurrent map (listing a page is a walk from a starting key, whatever
 * the bucket size), its multipart uploads, and its configurations stored as the parameter trees they
 * were put with.
 */
public final class Bucket {
    public final String name;
    public final String accountId;
    public final String region;
    public final Instant created;
    /** The LocationConstraint given at creation (null for us-east-1 without one). */
    public final String locationConstraint;
    public final boolean objectLockEnabled;
    final ConcurrentSkipListMap<String, KeyEntry> objects = new ConcurrentSkipListMap<>(KeyOrder.INSTANCE);
    final ConcurrentHashMap<String, MultipartUpload> uploads = new ConcurrentHashMap<>();
    /** Configuration name (tagging, cors, policy ...) → the stored tree. */
    final ConcurrentHashMap<String, Object> configurations = new ConcurrentHashMap<>();
    /** null (never enabled), Enabled or Suspended. */
    volatile String versioning;
    volatile String mfaDelete;

    public Bucket(String name, String accountId, String region, Instant created, String locationConstraint,
                  boolean objectLockEnabled) {
        this.name = name;
        this.accountId = accountId;
        this.region = region;
        this.created = created;
        this.locationConstraint = locationConstraint;
        this.objectLockEnabled = objectLockEnabled;
    }

    /** Whether new writes keep older versions. */
    boolean versioningEnabled() {
        return "Enabled".equals(versioning);
    }

    public String versioning() {
        return versioning;
    }

    public Map<String, KeyEntry> objects() {
        return objects;
    }
}
