package dev.polystack.services.s3;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** An upload in progress: what CreateMultipartUpload said about the object, and the parts so far. */
public final class MultipartUpload {
    public final String uploadId;
    public final String key;
    public final Instant initiated;
    public final String ownerAccount;
    public final Map<String, String> headers;
    public final Map<String, String> metadata;
    public final String storageClass;
    public final Map<String, String> encryption;
    /** The checksum the parts carry: the requested one, else CRC64NVME (S3's default). */
    public final ChecksumAlgorithm checksumAlgorithm;
    /** Whether the client asked for a checksum algorithm (it is then echoed back). */
    public final boolean checksumRequested;
    /** COMPOSITE or FULL_OBJECT. */
    public final String checksumType;
    public final List<Map<String, Object>> tags;
    public final Map<String, Object> acl;
    final ConcurrentSkipListMap<Integer, Part> parts = new ConcurrentSkipListMap<>();
    /**
     * Creation order, for listing uploads of one key in the order they began (initiation times have whole seconds).
     * Snapshots save uploads in this order, so restored ones get it again.
     */
    final long sequence = SEQUENCE.incrementAndGet();
    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();
    /** The Object Lock the completed object gets, from CreateMultipartUpload's headers. */
    volatile ObjectVersion.Lock lock;
    /**
     * The key's newest version when the upload began (null: none), so a conditional completion can tell that
     * the key was written or deleted meanwhile (AWS's 409 ConditionalRequestConflict). Snapshots keep it;
     * {@link #keyStateKnown} is false only for uploads restored from a snapshot older than that, which skip the check.
     */
    volatile ObjectVersion keyAtStart;
    volatile boolean keyStateKnown;

    public MultipartUpload(String uploadId, String key, Instant initiated, String ownerAccount, Map<String, String> headers,
                           Map<String, String> metadata, String storageClass, Map<String, String> encryption,
                           ChecksumAlgorithm checksumAlgorithm, boolean checksumRequested, String checksumType,
                           List<Map<String, Object>> tags, Map<String, Object> acl) {
        this.uploadId = uploadId;
        this.key = key;
        this.initiated = initiated;
        this.ownerAccount = ownerAccount;
        this.headers = Map.copyOf(headers);
        this.metadata = Map.copyOf(metadata);
        this.storageClass = storageClass;
        this.encryption = Map.copyOf(encryption);
        this.checksumAlgorithm = checksumAlgorithm;
        this.checksumRequested = checksumRequested;
        this.checksumType = checksumType;
        this.tags = tags == null ? List.of() : List.copyOf(tags);
        this.acl = acl;
    }

    public Map<Integer, Part> parts() {
        return parts;
    }

    /** One uploaded part; {@code etag} is quoted. */
    public record Part(int partNumber, String etag, long size, Instant lastModified, String blobId, String checksum) {
    }
}
