package dev.polystack.services.s3;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One version of an object (or a delete marker). Immutable except for tags, ACL and lock, which have their
 * own operations; the bytes are one or more blobs ({@link #segments}: one for a simple PUT, the parts
 * of a completed multipart upload, with no copying at completion).
 */
public final class ObjectVersion {
    public final String key;
    /** The version id, {@code "null"} when written while versioning was never enabled or suspended. */
    public final String versionId;
    public final boolean deleteMarker;
    public final Instant lastModified;
    /** Quoted: {@code "d41d8cd98f00b204e9800998ecf8427e"} or {@code "...-3"}. */
    public final String etag;
    public final long size;
    public final String ownerAccount;
    public final List<Segment> segments;
    /** Standard headers: ContentType, CacheControl, ContentDisposition, ContentEncoding, ContentLanguage, Expires (ISO), WebsiteRedirectLocation. */
    public final Map<String, String> headers;
    /** User metadata (x-amz-meta-*), lower-case names. */
    public final Map<String, String> metadata;
    public final String storageClass;
    /** Server-side encryption settings echoed back (ServerSideEncryption, SSEKMSKeyId, BucketKeyEnabled...). */
    public final Map<String, String> encryption;
    public final ChecksumAlgorithm checksumAlgorithm;
    public final String checksumValue;
    /** FULL_OBJECT or COMPOSITE; null without a checksum. */
    public final String checksumType;
    /** Number of parts for multipart objects, else 0. */
    public final int partsCount;
    private volatile List<Map<String, Object>> tags;
    private volatile Map<String, Object> acl;
    /** Object Lock retention and legal hold; null when neither was ever set. */
    private volatile Lock lock;
    /** Until when a restored copy of an archived (GLACIER, DEEP_ARCHIVE) version is readable; null if never restored. */
    private volatile Instant restoredUntil;

    public ObjectVersion(String key, String versionId, boolean deleteMarker, Instant lastModified, String etag, long size,
                         String ownerAccount, List<Segment> segments, Map<String, String> headers,
                         Map<String, String> metadata, String storageClass, Map<String, String> encryption,
                         ChecksumAlgorithm checksumAlgorithm, String checksumValue, String checksumType, int partsCount,
                         List<Map<String, Object>> tags, Map<String, Object> acl) {
        this.key = key;
        this.versionId = versionId;
        this.deleteMarker = deleteMarker;
        this.lastModified = lastModified;
        this.etag = etag;
        this.size = size;
        this.ownerAccount = ownerAccount;
        this.segments = List.copyOf(segments);
        this.headers = Map.copyOf(headers);
        this.metadata = Map.copyOf(metadata);
        this.storageClass = storageClass;
        this.encryption = Map.copyOf(encryption);
        this.checksumAlgorithm = checksumAlgorithm;
        this.checksumValue = checksumValue;
        this.checksumType = checksumType;
        this.partsCount = partsCount;
        this.tags = tags == null ? List.of() : List.copyOf(tags);
        this.acl = acl;
    }

    public static ObjectVersion deleteMarker(String key, String versionId, Instant now, String ownerAccount) {
        return new ObjectVersion(key, versionId, true, now, null, 0, ownerAccount, List.of(), Map.of(), Map.of(),
                null, Map.of(), null, null, null, 0, List.of(), null);
    }

    public List<Map<String, Object>> tags() {
        return tags;
    }

    public void tags(List<Map<String, Object>> tags) {
        this.tags = List.copyOf(tags);
    }

    public Map<String, Object> acl() {
        return acl;
    }

    public void acl(Map<String, Object> acl) {
        this.acl = acl;
    }

    public Lock lock() {
        return lock;
    }

    public ObjectVersion lock(Lock lock) {
        this.lock = lock;
        return this;
    }

    public Instant restoredUntil() {
        return restoredUntil;
    }

    public ObjectVersion restoredUntil(Instant until) {
        this.restoredUntil = until;
        return this;
    }

    /** Object Lock state: mode GOVERNANCE/COMPLIANCE with its date (both or neither), legal hold ON/OFF or null. */
    public record Lock(String mode, Instant retainUntil, String legalHold) {
    }

    /**
     * A run of object bytes stored as one blob; for a multipart object one part, with the part's checksum
     * (in the object's algorithm; null for single-part objects), which GetObject with a part number answers.
     */
    public record Segment(String blobId, long size, String checksum) {
        public Segment(String blobId, long size) {
            this(blobId, size, null);
        }
    }
}
