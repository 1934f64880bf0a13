package dev.polystack.services.s3;

import dev.polystack.api.RequestContext;
import dev.polystack.services.s3.storage.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * All S3 state: buckets by name (names are global within a partition, across accounts and regions, so
 * the index is one map per partition rather than an account/region store) and the blob store.
 * Also the few primitives every operation shares: lookup, publish a version, open an object's bytes.
 */
final class S3State {
    /** The canonical user id LocalStack shows for its default account. */
    static final String DEFAULT_CANONICAL_ID = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._".toCharArray();

    /** partition → bucket name → bucket. */
    final ConcurrentHashMap<String, ConcurrentHashMap<String, Bucket>> partitions = new ConcurrentHashMap<>();
    final BlobStore blobs;
    /** The time source for expiry decisions (presigned URLs, POST policies, lifecycle): tests move it. */
    volatile java.time.Clock clock = java.time.Clock.systemUTC();
    /** Event notifications: object operations report what they changed here. */
    final S3Notifications notifications;
    /** The scheme of the URLs S3 hands out (bucket and object locations): https under {@code USE_SSL}. */
    final String urlScheme;

    S3State(BlobStore blobs) {
        this(blobs, null);
    }

    /** In-process calls to other services (KMS key checks); null in unit tests without an environment. */
    final dev.polystack.api.ProviderEnvironment env;
    /** Typed calls to whichever provider serves KMS (SSE-KMS key checks); null without an environment. */
    final dev.polystack.services.kms.api.KmsApi kms;

    S3State(BlobStore blobs, dev.polystack.api.ProviderEnvironment env) {
        this.blobs = blobs;
        this.env = env;
        this.kms = env == null ? null : dev.polystack.services.kms.api.KmsApi.client(env);
        this.notifications = new S3Notifications(env);
        this.urlScheme = env == null ? "http" : env.config().externalScheme();
    }

    ConcurrentHashMap<String, Bucket> buckets(String partition) {
        return partitions.computeIfAbsent(partition, p -> new ConcurrentHashMap<>());
    }

    /** The bucket, or NoSuchBucket. Buckets of other accounts are visible (no IAM enforcement, as LocalStack). */
    Bucket bucket(RequestContext ctx, String name) {
        if (name == null) throw S3Errors.noSuchBucket("");
        Bucket b = buckets(ctx.partition()).get(name);
        if (b == null) throw S3Errors.noSuchBucket(name);
        return b;
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    static String newVersionId() {
        char[] c = new char[32];
        for (int i = 0; i < c.length; i++) c[i] = ID_CHARS[RANDOM.nextInt(ID_CHARS.length)];
        return new String(c);
    }

    static String newUploadId() {
        byte[] b = new byte[36];
        RANDOM.nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String canonicalId(String accountId) {
        if (dev.polystack.api.Config.DEFAULT_ACCOUNT.equals(accountId)) return DEFAULT_CANONICAL_ID;
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(("polystack-owner-" + accountId).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An Owner / Initiator element: AWS no longer sends DisplayName (2025), only the canonical ID. */
    static java.util.Map<String, Object> owner(String accountId) {
        java.util.LinkedHashMap<String, Object> o = new java.util.LinkedHashMap<>();
        o.put("ID", canonicalId(accountId));
        return o;
    }

    /**
     * Atomically replaces the entry of {@code key} with {@code change(old)} (old may be null; returning
     * null removes the key). The change may throw to refuse (conditional writes); it may run more than
     * once, so it must be free of side effects. Blobs of versions the change dropped are freed.
     */
    KeyEntry update(Bucket bucket, String key, java.util.function.BiFunction<KeyEntry, List<ObjectVersion>, KeyEntry> change) {
        List<ObjectVersion> removed = new ArrayList<>();
        KeyEntry result = bucket.objects.compute(key, (k, old) -> {
            removed.clear();
            return change.apply(old, removed);
        });
        for (ObjectVersion v : removed) freeBlobs(v);
        return result;
    }

    void freeBlobs(ObjectVersion v) {
        for (ObjectVersion.Segment s : v.segments) blobs.delete(s.blobId());
    }

    /** Stores a new version as the latest (replacing the "null" version when versioning is off). */
    void publish(Bucket bucket, ObjectVersion version, UnaryOperator<KeyEntry> precondition) {
        update(bucket, version.key, (old, removed) -> {
            if (precondition != null) precondition.apply(old);
            return old == null ? new KeyEntry(List.of(version)) : old.with(version, removed);
        });
    }

    /** The bytes [offset, offset+length) of a version, across its segments. */
    InputStream open(ObjectVersion v, long offset, long length) throws IOException {
        List<ObjectVersion.Segment> segs = v.segments;
        if (segs.size() == 1) return blobs.open(segs.get(0).blobId(), offset, length);
        List<long[]> plan = new ArrayList<>(); // {segment index, offset in segment, length}
        long pos = 0;
        long remaining = length;
        for (int i = 0; i < segs.size() && remaining > 0; i++) {
            long size = segs.get(i).size();
            if (offset < pos + size) {
                long from = Math.max(0, offset - pos);
                long n = Math.min(size - from, remaining);
                plan.add(new long[]{i, from, n});
                remaining -= n;
            }
            pos += size;
        }
        if (plan.isEmpty()) return InputStream.nullInputStream();
        // The first run opens now (a concurrent delete shows up here, where the caller can retry); later runs
        // open when reached, so a 10,000-part object does not hold 10,000 files open.
        InputStream first = blobs.open(segs.get((int) plan.get(0)[0]).blobId(), plan.get(0)[1], plan.get(0)[2]);
        Iterator<long[]> rest = plan.subList(1, plan.size()).iterator();
        Enumeration<InputStream> streams = new Enumeration<>() {
            boolean firstGiven;

            public boolean hasMoreElements() {
                return !firstGiven || rest.hasNext();
            }

            public InputStream nextElement() {
                if (!firstGiven) {
                    firstGiven = true;
                    return first;
                }
                long[] p = rest.next();
                try {
                    return blobs.open(segs.get((int) p[0]).blobId(), p[1], p[2]);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        return new SequenceInputStream(streams);
    }

    void clear() {
        partitions.clear();
        blobs.clear();
    }

    static <T> List<T> unmodifiable(List<T> l) {
        return Collections.unmodifiableList(l);
    }
}
