package dev.polystack.services.s3;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.StreamingBody;
import dev.polystack.api.model.TreeConverter;
import dev.polystack.services.s3.api.Checksum;
import dev.polystack.services.s3.api.CopyObjectOutput;
import dev.polystack.services.s3.api.CopyObjectRequest;
import dev.polystack.services.s3.api.CopyObjectResult;
import dev.polystack.services.s3.api.Delete;
import dev.polystack.services.s3.api.DeleteObjectTaggingOutput;
import dev.polystack.services.s3.api.DeleteObjectTaggingRequest;
import dev.polystack.services.s3.api.DeleteObjectsOutput;
import dev.polystack.services.s3.api.DeleteObjectsRequest;
import dev.polystack.services.s3.api.DeletedObject;
import dev.polystack.services.s3.api.GetObjectAttributesOutput;
import dev.polystack.services.s3.api.GetObjectAttributesParts;
import dev.polystack.services.s3.api.GetObjectAttributesRequest;
import dev.polystack.services.s3.api.GetObjectTaggingOutput;
import dev.polystack.services.s3.api.GetObjectTaggingRequest;
import dev.polystack.services.s3.api.ObjectIdentifier;
import dev.polystack.services.s3.api.ObjectPart;
import dev.polystack.services.s3.api.PutObjectTaggingOutput;
import dev.polystack.services.s3.api.PutObjectTaggingRequest;
import dev.polystack.services.s3.api.RestoreObjectOutput;
import dev.polystack.services.s3.api.RestoreObjectRequest;
import dev.polystack.services.s3.api.DeleteObjectOutput;
import dev.polystack.services.s3.api.DeleteObjectRequest;
import dev.polystack.services.s3.api.GetObjectOutput;
import dev.polystack.services.s3.api.GetObjectRequest;
import dev.polystack.services.s3.api.HeadObjectOutput;
import dev.polystack.services.s3.api.HeadObjectRequest;
import dev.polystack.services.s3.api.PutObjectOutput;
import dev.polystack.services.s3.api.PutObjectRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Object operations: put, get, head, delete (one and many), copy, object tagging and ACL. */
final class ObjectOps {
    static final Set<String> STORAGE_CLASSES = Set.of("STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA",
            "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR", "SNOW", "EXPRESS_ONEZONE");
    /** Standard headers kept with an object, by member name. */
    static final List<String> STANDARD_HEADERS = List.of("ContentType", "CacheControl", "ContentDisposition",
            "ContentEncoding", "ContentLanguage", "Expires", "WebsiteRedirectLocation");
    private static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";

    private final S3State state;

    ObjectOps(S3State state) {
        this.state = state;
    }

    // ---- PutObject -------------------------------------------------------------------------------------------

    /** @param createdBy the ObjectCreated event it causes: Put, or Post for browser uploads */
    PutObjectOutput putObject(RequestContext ctx, PutObjectRequest in, String createdBy) {
        Bucket bucket = state.bucket(ctx, in.bucket());
        String key = in.key();
        String storageClass = storageClass(in.storageClassAsString());
        Map<String, String> headers = standardHeaders(new StandardHeaders(in.contentType(), in.cacheControl(),
                in.contentDisposition(), in.contentEncoding(), in.contentLanguage(), in.expires(), in.websiteRedirectLocation()));
        Map<String, String> encryption = encryption(state, ctx, bucket, new EncryptionRequest(in.serverSideEncryptionAsString(),
                in.ssekmsKeyId(), in.bucketKeyEnabled(), in.sseCustomerAlgorithm(), in.sseCustomerKey(), in.sseCustomerKeyMD5()));
        List<Map<String, Object>> tags = Tagging.parseHeader(in.tagging());
        Map<String, Object> acl = Acls.fromRequest(in.aclAsString(), new Acls.Grants(in.grantFullControl(), in.grantRead(),
                in.grantReadACP(), null, in.grantWriteACP()), bucket.accountId, bucket.accountId);
        ObjectVersion.Lock lock = ObjectLocks.forWrite(bucket, in.objectLockModeAsString(), in.objectLockRetainUntilDate(),
                in.objectLockLegalHoldStatusAsString(), state.clock.instant());
        Conditions.WriteCondition condition = Conditions.write(in.ifMatch(), in.ifNoneMatch(), key);
        if (condition != null) condition.check(bucket.objects.get(key)); // fail fast, before reading the body
        Writes.ChecksumRequest checksum = Writes.checksumRequest(ctx, new Writes.ChecksumHeaders(in.checksumCRC32(),
                in.checksumCRC32C(), in.checksumCRC64NVME(), in.checksumSHA1(), in.checksumSHA256()),
                in.checksumAlgorithmAsString(), ChecksumAlgorithm.CRC64NVME);
        Writes.Written w = Writes.write(state, ctx, in.body(), in.contentMD5(), checksum, null);
        ObjectVersion v = new ObjectVersion(key, newVersionId(bucket), false, S3State.now(), SseC.etag(encryption, w.etag()), w.blob().size(),
                ctx.accountId(), List.of(new ObjectVersion.Segment(w.blob().id(), w.blob().size())), headers,
                storedMetadata(in.metadata()), storageClass, encryption, w.algorithm(), w.checksum(), "FULL_OBJECT", 0, tags, acl).lock(lock);
        publishOrFree(bucket, v, condition);
        state.notifications.objectCreated(ctx, bucket, v, createdBy);
        PutObjectOutput.Builder out = PutObjectOutput.builder().eTag(v.etag).checksumType("FULL_OBJECT");
        switch (w.algorithm()) {
            case CRC32 -> out.checksumCRC32(w.checksum());
            case CRC32C -> out.checksumCRC32C(w.checksum());
            case CRC64NVME -> out.checksumCRC64NVME(w.checksum());
            case SHA1 -> out.checksumSHA1(w.checksum());
            case SHA256 -> out.checksumSHA256(w.checksum());
        }
        Encryption e = Encryption.of(v);
        out.serverSideEncryption(e.sse()).ssekmsKeyId(e.kmsKeyId()).bucketKeyEnabled(e.bucketKeyEnabled())
                .sseCustomerAlgorithm(e.customerAlgorithm()).sseCustomerKeyMD5(e.customerKeyMd5());
        if (!"null".equals(v.versionId)) out.versionId(v.versionId);
        return out.expiration(S3Lifecycle.expirationHeader(bucket, v)).build();
    }

    /** A version's encryption as answer members (each null when not set). */
    record Encryption(String sse, String kmsKeyId, Boolean bucketKeyEnabled, String customerAlgorithm, String customerKeyMd5) {
        static Encryption of(ObjectVersion v) {
            Map<String, String> e = v.encryption;
            String bucketKey = e.get("BucketKeyEnabled");
            return new Encryption(e.get("ServerSideEncryption"), e.get("SSEKMSKeyId"), bucketKey == null ? null : Boolean.valueOf(bucketKey),
                    e.get(SseC.ALGORITHM), e.get(SseC.KEY_MD5));
        }
    }

    /** Makes {@code v} current if the write condition still holds at that moment; otherwise frees its blobs and rethrows. */
    private void publishOrFree(Bucket bucket, ObjectVersion v, Conditions.WriteCondition condition) {
        try {
            state.publish(bucket, v, condition == null ? null : old -> {
                condition.check(old);
                return old;
            });
        } catch (RuntimeException e) {
            state.freeBlobs(v);
            throw e;
        }
    }

    static String newVersionId(Bucket bucket) {
        return bucket.versioningEnabled() ? S3State.newVersionId() : "null";
    }

    static String storageClass(Map<String, Object> in) {
        return storageClass(In.str(in, "StorageClass"));
    }

    static String storageClass(String sc) {
        if (sc == null) return "STANDARD";
        if (!STORAGE_CLASSES.contains(sc)) {
            throw new ServiceException("InvalidStorageClass", "The storage class you specified is not valid", 400)
                    .with("StorageClassRequested", sc);
        }
        return sc;
    }

    /** The standard headers a write may set (any may be null), kept with the object. */
    record StandardHeaders(String contentType, String cacheControl, String contentDisposition, String contentEncoding,
                           String contentLanguage, String expires, String websiteRedirectLocation) {
        static StandardHeaders of(Map<String, Object> in) {
            return new StandardHeaders(text(in, "ContentType"), text(in, "CacheControl"), text(in, "ContentDisposition"),
                    text(in, "ContentEncoding"), text(in, "ContentLanguage"), text(in, "Expires"), text(in, "WebsiteRedirectLocation"));
        }

        private static String text(Map<String, Object> in, String member) {
            Object v = in.get(member);
            return v == null ? null : v.toString(); // an Instant (Expires) as its ISO form
        }
    }

    static Map<String, String> standardHeaders(Map<String, Object> in) {
        return standardHeaders(StandardHeaders.of(in));
    }

    /** The headers kept, by member name (the names {@link #STANDARD_HEADERS} lists). */
    static Map<String, String> standardHeaders(StandardHeaders given) {
        Map<String, String> h = new LinkedHashMap<>();
        if (given.contentType() != null) h.put("ContentType", given.contentType());
        if (given.cacheControl() != null) h.put("CacheControl", given.cacheControl());
        if (given.contentDisposition() != null) h.put("ContentDisposition", given.contentDisposition());
        if (given.contentEncoding() != null) h.put("ContentEncoding", given.contentEncoding());
        if (given.contentLanguage() != null) h.put("ContentLanguage", given.contentLanguage());
        if (given.expires() != null) h.put("Expires", given.expires());
        if (given.websiteRedirectLocation() != null) h.put("WebsiteRedirectLocation", given.websiteRedirectLocation());
        String enc = h.get("ContentEncoding");
        if (enc != null) {
            // aws-chunked is a transfer detail the gateway already decoded; S3 does not store it
            List<String> kept = new ArrayList<>();
            for (String part : enc.split(",")) {
                String p = part.trim();
                if (!p.isEmpty() && !p.equalsIgnoreCase("aws-chunked")) kept.add(p);
            }
            if (kept.isEmpty()) h.remove("ContentEncoding");
            else h.put("ContentEncoding", String.join(",", kept));
        }
        return h;
    }

    static Map<String, String> metadata(Map<String, Object> in) {
        return storedMetadata(In.stringMap(in, "Metadata"));
    }

    /** x-amz-meta-* as stored: names in lower case, values decoded as AWS decodes them. */
    static Map<String, String> storedMetadata(Map<String, String> given) {
        Map<String, String> m = new LinkedHashMap<>();
        if (given != null) given.forEach((k, v) -> m.put(k.toLowerCase(Locale.ROOT), UserMetadata.fromHeader(v == null ? "" : v)));
        return m;
    }

    /** A write's encryption headers (any may be null): SSE-S3/KMS, and SSE-C's three. */
    record EncryptionRequest(String sse, String kmsKeyId, Boolean bucketKeyEnabled, String customerAlgorithm, String customerKey,
                             String customerKeyMd5) {
        static EncryptionRequest of(Map<String, Object> in) {
            return new EncryptionRequest(In.str(in, "ServerSideEncryption"), In.str(in, "SSEKMSKeyId"),
                    in.get("BucketKeyEnabled") == null ? null : In.bool(in, "BucketKeyEnabled"), In.str(in, "SSECustomerAlgorithm"),
                    In.str(in, "SSECustomerKey"), In.str(in, "SSECustomerKeyMD5"));
        }
    }

    static Map<String, String> encryption(Bucket bucket, EncryptionRequest in) {
        Map<String, String> customer = SseC.fromRequest(in.customerAlgorithm(), in.customerKey(), in.customerKeyMd5());
        if (customer != null) {
            if (in.sse() != null) throw SseC.incompatible(in.sse());
            return customer;
        }
        Map<String, String> e = new LinkedHashMap<>();
        String sse = in.sse();
        if (sse == null) {
            // the bucket's default encryption applies; every bucket has at least SSE-S3 (AES256)
            Map<String, Object> rule = ConfigOps.defaultEncryptionRule(bucket);
            sse = rule == null ? "AES256" : String.valueOf(rule.getOrDefault("SSEAlgorithm", "AES256"));
            if (rule != null && rule.get("KMSMasterKeyID") != null) e.put("SSEKMSKeyId", rule.get("KMSMasterKeyID").toString());
        } else if (!sse.equals("AES256") && !sse.startsWith("aws:kms")) {
            throw new ServiceException("InvalidArgument", "The encryption method specified is not supported", 400)
                    .with("ArgumentName", "x-amz-server-side-encryption").with("ArgumentValue", sse);
        }
        e.put("ServerSideEncryption", sse);
        if (in.kmsKeyId() != null) e.put("SSEKMSKeyId", in.kmsKeyId());
        if (sse.startsWith("aws:kms") && !e.containsKey("SSEKMSKeyId")) {
            e.put("SSEKMSKeyId", "arn:aws:kms:" + bucket.region + ":" + bucket.accountId + ":alias/aws/s3");
        }
        if (in.bucketKeyEnabled() != null) e.put("BucketKeyEnabled", String.valueOf(in.bucketKeyEnabled()));
        return e;
    }

    static Map<String, String> encryption(S3State state, RequestContext ctx, Bucket bucket, Map<String, Object> in) {
        return encryption(state, ctx, bucket, EncryptionRequest.of(in));
    }

    /** {@link #encryption(Bucket, EncryptionRequest)} with a requested KMS key checked in KMS and named by its full ARN. */
    static Map<String, String> encryption(S3State state, RequestContext ctx, Bucket bucket, EncryptionRequest in) {
        Map<String, String> e = encryption(bucket, in);
        if (e.get("ServerSideEncryption") != null && e.get("ServerSideEncryption").startsWith("aws:kms")) {
            // the requested key, else the bucket's default key, else the AWS managed aws/s3 key (made on first use):
            // answered by its key ARN, as AWS does
            String requested = in.kmsKeyId();
            String configured = e.get("SSEKMSKeyId");
            String arn;
            if (requested != null) arn = SseKms.resolve(state, ctx, bucket, requested);
            else if (configured.endsWith(":alias/aws/s3")) arn = SseKms.resolve(state, ctx, bucket, "alias/aws/s3");
            else arn = SseKms.resolveOrKeep(state, ctx, bucket, configured); // the bucket's default key
            e = new LinkedHashMap<>(e);
            e.put("SSEKMSKeyId", arn);
        }
        return e;
    }

    // ---- GetObject / HeadObject ------------------------------------------------------------------------------

    /** What GetObject and HeadObject ask for (their requests have the same members). */
    record Read(String bucket, String key, String versionId, String range, Integer partNumber, boolean checksumMode,
                Map<String, String> customerKey, Conditions.Read conditions, GetObjectOutput overrides) {
        static Read of(GetObjectRequest in) {
            return new Read(in.bucket(), in.key(), in.versionId(), in.range(), in.partNumber(), "ENABLED".equalsIgnoreCase(in.checksumModeAsString()),
                    SseC.fromRequest(in.sseCustomerAlgorithm(), in.sseCustomerKey(), in.sseCustomerKeyMD5()),
                    new Conditions.Read(in.ifMatch(), in.ifNoneMatch(), in.ifModifiedSince(), in.ifUnmodifiedSince()),
                    overrides(in.responseContentType(), in.responseContentLanguage(), in.responseCacheControl(),
                            in.responseContentDisposition(), in.responseContentEncoding(), in.responseExpires()));
        }

        static Read of(HeadObjectRequest in) {
            return new Read(in.bucket(), in.key(), in.versionId(), in.range(), in.partNumber(), "ENABLED".equalsIgnoreCase(in.checksumModeAsString()),
                    SseC.fromRequest(in.sseCustomerAlgorithm(), in.sseCustomerKey(), in.sseCustomerKeyMD5()),
                    new Conditions.Read(in.ifMatch(), in.ifNoneMatch(), in.ifModifiedSince(), in.ifUnmodifiedSince()),
                    overrides(in.responseContentType(), in.responseContentLanguage(), in.responseCacheControl(),
                            in.responseContentDisposition(), in.responseContentEncoding(), in.responseExpires()));
        }

        /** response-* query parameters: they override the stored headers (presigned downloads use them). */
        private static GetObjectOutput overrides(String type, String language, String cacheControl, String disposition,
                                                 String encoding, Instant expires) {
            return GetObjectOutput.builder().contentType(type).contentLanguage(language).cacheControl(cacheControl)
                    .contentDisposition(disposition).contentEncoding(encoding)
                    .expires(expires == null ? null : HttpDates.format(expires)).build();
        }
    }

    GetObjectOutput getObject(RequestContext ctx, GetObjectRequest in) {
        return read(ctx, Read.of(in), false);
    }

    HeadObjectOutput headObject(RequestContext ctx, HeadObjectRequest in) {
        return TreeConverter.convert(GetObjectOutput.SHAPE, read(ctx, Read.of(in), true), HeadObjectOutput.SHAPE);
    }

    private GetObjectOutput read(RequestContext ctx, Read in, boolean head) {
        Bucket bucket = state.bucket(ctx, in.bucket());
        String key = in.key();
        Integer partNumber = in.partNumber();
        if (in.range() != null && partNumber != null) {
            throw S3Errors.invalidRequest("Cannot specify both Range header and partNumber query parameter");
        }
        for (int attempt = 0; ; attempt++) {
            ObjectVersion v = resolve(ctx, bucket, key, in.versionId(), head ? "HEAD" : "GET");
            SseC.checkRead(v, in.customerKey());
            if (Conditions.read(ctx, in.conditions(), v)) { // 304
                GetObjectOutput.Builder notModified = GetObjectOutput.builder().eTag(v.etag).lastModified(v.lastModified);
                if (!"null".equals(v.versionId)) notModified.versionId(v.versionId);
                return notModified.build();
            }
            if (!head && archivedAndNotRestored(v)) {
                throw new ServiceException("InvalidObjectState", "The operation is not valid for the object's storage class", 403)
                        .with("StorageClass", v.storageClass);
            }
            GetObjectOutput.Builder out = GetObjectOutput.builder();
            long start = 0;
            long length = v.size;
            boolean partial = false;
            if (partNumber != null) {
                long[] p = partRange(v, partNumber);
                start = p[0];
                length = p[1];
                partial = v.partsCount > 0;
                out.partsCount(Math.max(1, v.partsCount));
            } else if (in.range() != null) {
                long[] r = Ranges.parse(in.range(), v.size);
                if (r != null) {
                    start = r[0];
                    length = r[1] - r[0] + 1;
                    partial = true;
                }
            }
            // a range that covers the whole object still answers its checksum (recorded: bytes=-15 and 0-100 of 10 bytes)
            describe(out, v, bucket, in, partNumber == null && length == v.size);
            if (partNumber != null) partChecksum(out, v, partNumber, in.checksumMode());
            out.contentLength(length);
            if (partial) {
                out.contentRange("bytes " + start + "-" + (start + length - 1) + "/" + v.size);
                ctx.response().status(206);
            }
            if (!v.tags().isEmpty()) out.tagCount(v.tags().size()); // HEAD too (recorded)
            if (head) return out.build();
            try {
                InputStream data = length == 0 ? InputStream.nullInputStream() : state.open(v, start, length);
                return out.body(new StreamingBody(data, length)).build();
            } catch (NoSuchFileException gone) {
                if (attempt >= 3) throw new UncheckedIOException(gone);
                ctx.response().status(0);
                // overwritten while we looked it up: read the new version
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private boolean archivedAndNotRestored(ObjectVersion v) {
        boolean archived = "GLACIER".equals(v.storageClass) || "DEEP_ARCHIVE".equals(v.storageClass);
        return archived && (v.restoredUntil() == null || !v.restoredUntil().isAfter(state.clock.instant()));
    }

    // ---- RestoreObject ---------------------------------------------------------------------------------------

    /** Restores an archived version at once (no retrieval delay here): 202 the first time, 200 when already restored. */
    RestoreObjectOutput restoreObject(RequestContext ctx, RestoreObjectRequest in) {
        Bucket bucket = state.bucket(ctx, in.bucket());
        ObjectVersion v = resolve(ctx, bucket, in.key(), in.versionId(), "POST");
        if (!"GLACIER".equals(v.storageClass) && !"DEEP_ARCHIVE".equals(v.storageClass)) {
            throw new ServiceException("InvalidObjectState", "Restore is not allowed for the object's current storage class", 403)
                    .with("StorageClass", v.storageClass);
        }
        Integer days = in.restoreRequest() == null ? null : in.restoreRequest().days();
        if (days == null || days < 1) throw S3Errors.malformedXml();
        boolean already = !archivedAndNotRestored(v);
        v.restoredUntil(S3Lifecycle.expiry(state.clock.instant(), days));
        ctx.response().status(already ? 200 : 202);
        return RestoreObjectOutput.builder().build();
    }

    /**
     * GetObject/HeadObject of one part with checksum mode: a COMPOSITE object answers that part's checksum; a
     * FULL_OBJECT one answers its checksum only when the part is the whole object (AWS keeps no per-part CRC for it).
     */
    private static void partChecksum(GetObjectOutput.Builder out, ObjectVersion v, int partNumber, boolean checksumMode) {
        if (v.checksumAlgorithm == null || !checksumMode) return;
        String value = null;
        if (v.partsCount <= 1) value = v.partsCount == 1 && "COMPOSITE".equals(v.checksumType) ? v.segments.get(0).checksum() : v.checksumValue;
        else if ("COMPOSITE".equals(v.checksumType)) value = v.segments.get(partNumber - 1).checksum();
        if (value == null) return;
        checksum(out, v.checksumAlgorithm, value);
        out.checksumType(v.checksumType);
    }

    private static void checksum(GetObjectOutput.Builder out, ChecksumAlgorithm algorithm, String value) {
        switch (algorithm) {
            case CRC32 -> out.checksumCRC32(value);
            case CRC32C -> out.checksumCRC32C(value);
            case CRC64NVME -> out.checksumCRC64NVME(value);
            case SHA1 -> out.checksumSHA1(value);
            case SHA256 -> out.checksumSHA256(value);
        }
    }

    /** [start, length] of a part of a multipart object; part 1 of a simple object is the whole object. */
    private static long[] partRange(ObjectVersion v, int partNumber) {
        int count = Math.max(1, v.partsCount);
        if (partNumber < 1 || partNumber > 10000) {
            throw S3Errors.invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber",
                    String.valueOf(partNumber));
        }
        if (partNumber > count) {
            throw new ServiceException("InvalidPartNumber", "The requested partnumber is not satisfiable", 416)
                    .with("PartNumberRequested", String.valueOf(partNumber)).with("ActualPartCount", String.valueOf(count));
        }
        if (v.partsCount == 0) return new long[]{0, v.size};
        long start = 0;
        for (int i = 0; i < partNumber - 1; i++) start += v.segments.get(i).size();
        return new long[]{start, v.segments.get(partNumber - 1).size()};
    }

    /** The headers GetObject and HeadObject return for a version. */
    private void describe(GetObjectOutput.Builder out, ObjectVersion v, Bucket bucket, Read in, boolean whole) {
        out.acceptRanges("bytes").lastModified(v.lastModified).eTag(v.etag);
        if (!"null".equals(v.versionId) || bucket.versioning != null) out.versionId(v.versionId);
        Map<String, String> h = v.headers;
        out.contentType(h.getOrDefault("ContentType", DEFAULT_CONTENT_TYPE)).cacheControl(h.get("CacheControl"))
                .contentDisposition(h.get("ContentDisposition")).contentEncoding(h.get("ContentEncoding"))
                .contentLanguage(h.get("ContentLanguage")).expires(httpDate(h.get("Expires")))
                .websiteRedirectLocation(h.get("WebsiteRedirectLocation"));
        out.metadata(v.metadata);
        if (!"STANDARD".equals(v.storageClass)) out.storageClass(v.storageClass);
        Encryption e = Encryption.of(v);
        out.serverSideEncryption(e.sse()).ssekmsKeyId(e.kmsKeyId()).bucketKeyEnabled(e.bucketKeyEnabled())
                .sseCustomerAlgorithm(e.customerAlgorithm()).sseCustomerKeyMD5(e.customerKeyMd5());
        ObjectVersion.Lock lock = v.lock();
        if (lock != null) {
            if (lock.mode() != null) out.objectLockMode(lock.mode()).objectLockRetainUntilDate(lock.retainUntil());
            out.objectLockLegalHoldStatus(lock.legalHold());
        }
        if (v.restoredUntil() != null) {
            out.restore("ongoing-request=\"false\", expiry-date=\"" + HttpDates.format(v.restoredUntil()) + "\"");
        }
        out.expiration(S3Lifecycle.expirationHeader(bucket, v));
        if (whole && v.checksumAlgorithm != null && in.checksumMode()) {
            checksum(out, v.checksumAlgorithm, v.checksumValue);
            out.checksumType(v.checksumType);
        }
        GetObjectOutput o = in.overrides();
        if (o.contentType() != null) out.contentType(o.contentType());
        if (o.contentLanguage() != null) out.contentLanguage(o.contentLanguage());
        if (o.cacheControl() != null) out.cacheControl(o.cacheControl());
        if (o.contentDisposition() != null) out.contentDisposition(o.contentDisposition());
        if (o.contentEncoding() != null) out.contentEncoding(o.contentEncoding());
        if (o.expires() != null) out.expires(o.expires());
    }

    /** A stored Expires as sent; one stored as an ISO instant (written in process) in HTTP's date format. */
    private static String httpDate(String stored) {
        if (stored == null) return null;
        try {
            return HttpDates.format(Instant.parse(stored));
        } catch (RuntimeException e) {
            return stored;
        }
    }

    /**
     * The version a read addresses: the latest (NoSuchKey when it is a delete marker) or a given version id
     * (NoSuchVersion; a delete marker answers 405 MethodNotAllowed).
     */
    ObjectVersion resolve(RequestContext ctx, Bucket bucket, String key, String versionId, String method) {
        KeyEntry e = bucket.objects.get(key);
        if (versionId == null) {
            if (e == null) throw S3Errors.noSuchKey(key);
            ObjectVersion v = e.latest();
            if (v.deleteMarker) {
                ctx.response().header("x-amz-delete-marker", "true");
                if (!"null".equals(v.versionId) || bucket.versioning != null) ctx.response().header("x-amz-version-id", v.versionId);
                throw S3Errors.noSuchKey(key);
            }
            return v;
        }
        ObjectVersion v = e == null ? null : e.version(versionId);
        if (v == null) {
            // in a bucket that never had versioning only "null" names a version (recorded: 400, not 404)
            if (!"null".equals(versionId) && (!looksLikeVersionId(versionId) || bucket.versioning == null)) {
                throw S3Errors.invalidArgument("Invalid version id specified", "versionId", versionId);
            }
            throw S3Errors.noSuchVersion(key, versionId);
        }
        if (v.deleteMarker) {
            ctx.response().header("x-amz-delete-marker", "true");
            ctx.response().header("x-amz-version-id", v.versionId);
            ctx.response().header("Last-Modified", HttpDates.format(v.lastModified));
            throw new ServiceException("MethodNotAllowed", "The specified method is not allowed against this resource.", 405)
                    .with("Method", method).with("ResourceType", "DeleteMarker");
        }
        return v;
    }

    private static boolean looksLikeVersionId(String id) {
        return id.length() == 32;
    }

    // ---- DeleteObject(s) -------------------------------------------------------------------------------------

    DeleteObjectOutput deleteObject(RequestContext ctx, DeleteObjectRequest in) {
        Bucket bucket = state.bucket(ctx, in.bucket());
        Conditions.deleteCondition(in.ifMatch(), in.key(), bucket.objects.get(in.key()));
        Deleted d = delete(ctx, bucket, in.key(), in.versionId(), ObjectLocks.bypass(bucket, in.bypassGovernanceRetention()), false);
        ctx.response().status(204);
        return DeleteObjectOutput.builder().deleteMarker(d.deleteMarker() ? Boolean.TRUE : null).versionId(d.versionId()).build();
    }

    /** What a delete did: whether it made or removed a delete marker, and the version id it names (null for none). */
    record Deleted(boolean deleteMarker, String versionId) {
    }

    /** Deletes a key or one version of it; answers DeleteMarker / VersionId as DeleteObject's output does. */
    Deleted delete(RequestContext ctx, Bucket bucket, String key, String versionId, boolean bypassGovernance, boolean batch) {
        if (versionId != null) {
            ObjectVersion[] gone = new ObjectVersion[1];
            boolean[] keyExists = new boolean[1];
            Instant now = state.clock.instant();
            state.update(bucket, key, (old, removed) -> {
                gone[0] = null;
                keyExists[0] = old != null;
                if (old == null) return null;
                ObjectVersion v = old.version(versionId);
                if (v == null) return old;
                ObjectLocks.checkDelete(v, bypassGovernance, now);
                gone[0] = v;
                return old.without(versionId, removed);
            });
            if (gone[0] == null && !"null".equals(versionId)) {
                // a malformed id, or an unknown id of a key that exists or of a bucket that never had versioning, is
                // invalid (recorded; an unknown key is a no-op); DeleteObjects reports it as NoSuchVersion for its key
                if (!looksLikeVersionId(versionId) || (!batch && (bucket.versioning == null || keyExists[0]))) {
                    throw S3Errors.invalidArgument("Invalid version id specified", "versionId", versionId);
                }
                if (batch) throw S3Errors.noSuchVersion(key, versionId);
            }
            if (gone[0] != null) state.notifications.objectRemoved(ctx, bucket, key, versionId, false);
            return new Deleted(gone[0] != null && gone[0].deleteMarker, versionId);
        }
        if (bucket.versioning == null) {
            boolean[] existed = new boolean[1];
            state.update(bucket, key, (old, removed) -> {
                existed[0] = old != null && old.version("null") != null;
                return old == null ? null : old.without("null", removed);
            });
            if (existed[0]) state.notifications.objectRemoved(ctx, bucket, key, null, false);
            return new Deleted(false, null);
        }
        // versioning enabled or suspended: a delete marker becomes the latest version
        ObjectVersion marker = ObjectVersion.deleteMarker(key, newVersionId(bucket), S3State.now(), ctx.accountId());
        state.publish(bucket, marker, null);
        state.notifications.objectRemoved(ctx, bucket, key, marker.versionId, true);
        return new Deleted(true, marker.versionId);
    }

    DeleteObjectsOutput deleteObjects(RequestContext ctx, DeleteObjectsRequest in) {
        Bucket bucket = state.bucket(ctx, in.bucket());
        Delete delete = in.delete();
        if (delete == null || delete.objects() == null) throw S3Errors.malformedXml();
        List<ObjectIdentifier> objects = delete.objects();
        if (objects.isEmpty() || objects.size() > 1000) throw S3Errors.malformedXml();
        boolean quiet = Boolean.TRUE.equals(delete.quiet());
        boolean bypass = ObjectLocks.bypass(bucket, in.bypassGovernanceRetention());
        List<DeletedObject> deleted = new ArrayList<>();
        List<dev.polystack.services.s3.api.Error> errors = new ArrayList<>();
        for (ObjectIdentifier id : objects) {
            String key = id.key();
            String versionId = id.versionId();
            Deleted result;
            try {
                result = delete(ctx, bucket, key, versionId, bypass, true);
            } catch (ServiceException e) {
                errors.add(dev.polystack.services.s3.api.Error.builder().key(key).versionId(versionId).code(e.code())
                        .message(e.getMessage()).build());
                continue;
            }
            if (quiet) continue;
            DeletedObject.Builder d = DeletedObject.builder().key(key).versionId(versionId);
            if (result.deleteMarker()) d.deleteMarker(true).deleteMarkerVersionId(result.versionId());
            deleted.add(d.build());
        }
        return DeleteObjectsOutput.builder().deleted(deleted.isEmpty() ? null : deleted).errors(errors.isEmpty() ? null : errors).build();
    }

    // ---- CopyObject ------------------------------------------------------------------------------------------

    /** A parsed x-amz-copy-source: bucket, key, optional version id. */
    record CopySource(String bucket, String key, String versionId) {
        static CopySource parse(String header) {
            if (header == null || header.isBlank()) {
                throw S3Errors.invalidArgument("Invalid copy source object key", "x-amz-copy-source", "x-amz-copy-source");
            }
            String s = header.trim();
            String versionId = null;
            int q = s.indexOf('?');
            if (q >= 0) {
                for (String p : s.substring(q + 1).split("&")) {
                    if (p.startsWith("versionId=")) versionId = URLDecoder.decode(p.substring(10), StandardCharsets.UTF_8);
                }
                s = s.substring(0, q);
            }
            s = decodePath(s);
            if (s.startsWith("/")) s = s.substring(1);
            int slash = s.indexOf('/');
            if (slash <= 0 || slash == s.length() - 1) {
                throw S3Errors.invalidArgument("Invalid copy source object key", "x-amz-copy-source", "x-amz-copy-source");
            }
            return new CopySource(s.substring(0, slash), s.substring(slash + 1), versionId);
        }

        /** Percent-decoding without turning '+' into a space (it is a path, not a form). */
        private static String decodePath(String s) {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        }
    }

    /** Resolves a copy source, checking its x-amz-copy-source-if-* conditions. */
    ObjectVersion copySource(RequestContext ctx, CopySource src, Map<String, Object> in) {
        return copySource(ctx, src, SseC.fromRequest(in, "CopySource"), Conditions.CopySourceConditions.of(in));
    }

    /** @param customerKey the copy source's validated SSE-C headers, null without them */
    ObjectVersion copySource(RequestContext ctx, CopySource src, Map<String, String> customerKey, Conditions.CopySourceConditions conditions) {
        Bucket source = state.bucket(ctx, src.bucket());
        ObjectVersion v;
        if (src.versionId() != null) {
            KeyEntry e = source.objects.get(src.key());
            v = e == null ? null : e.version(src.versionId());
            if (v == null) throw S3Errors.noSuchVersion(src.key(), src.versionId());
            if (v.deleteMarker) {
                throw S3Errors.invalidRequest("The source of a copy request may not specifically refer to a delete marker by version id.");
            }
        } else {
            KeyEntry e = source.objects.get(src.key());
            if (e == null || e.latest().deleteMarker) throw S3Errors.noSuchKey(src.key());
            v = e.latest();
        }
        SseC.checkRead(v, customerKey);
        if (archivedAndNotRestored(v)) {
            throw new ServiceException("InvalidObjectState", "Operation is not valid for the source object's storage class", 403)
                    .with("StorageClass", v.storageClass);
        }
        Conditions.copySource(conditions, v);
        return v;
    }

    CopyObjectOutput copyObject(RequestContext ctx, CopyObjectRequest in) {
        Bucket bucket = state.bucket(ctx, in.bucket());
        String key = in.key();
        CopySource src = CopySource.parse(in.copySource());
        Bucket sourceBucket = state.bucket(ctx, src.bucket());
        ObjectVersion source = copySource(ctx, src, SseC.fromRequest(in.copySourceSSECustomerAlgorithm(), in.copySourceSSECustomerKey(),
                in.copySourceSSECustomerKeyMD5()), new Conditions.CopySourceConditions(in.copySourceIfMatch(), in.copySourceIfNoneMatch(),
                in.copySourceIfModifiedSince(), in.copySourceIfUnmodifiedSince()));
        boolean replaceMetadata = "REPLACE".equalsIgnoreCase(in.metadataDirectiveAsString());
        boolean replaceTags = "REPLACE".equalsIgnoreCase(in.taggingDirectiveAsString());
        String storageClass = in.storageClassAsString() == null ? source.storageClass : storageClass(in.storageClassAsString());
        boolean sameObject = sourceBucket == bucket && source.key.equals(key) && src.versionId() == null;
        if (sameObject && !replaceMetadata && in.storageClassAsString() == null && in.websiteRedirectLocation() == null
                && in.serverSideEncryptionAsString() == null && in.ssekmsKeyId() == null && in.checksumAlgorithmAsString() == null
                && in.sseCustomerAlgorithm() == null && !source.encryption.containsKey(SseC.KEY_MD5)) {
            throw S3Errors.invalidRequest("This copy request is illegal because it is trying to copy an object to itself without "
                    + "changing the object's metadata, storage class, website redirect location or encryption attributes.");
        }
        Map<String, String> headers;
        Map<String, String> metadata;
        if (replaceMetadata) {
            headers = standardHeaders(new StandardHeaders(in.contentType(), in.cacheControl(), in.contentDisposition(),
                    in.contentEncoding(), in.contentLanguage(), in.expires(), in.websiteRedirectLocation()));
            metadata = storedMetadata(in.metadata());
        } else {
            headers = new LinkedHashMap<>(source.headers);
            if (in.websiteRedirectLocation() != null) headers.put("WebsiteRedirectLocation", in.websiteRedirectLocation());
            metadata = source.metadata;
        }
        List<Map<String, Object>> tags = replaceTags ? Tagging.parseHeader(in.tagging()) : source.tags();
        // a customer key is the copy's own; a source encrypted with one gives the target the bucket's default
        Map<String, String> encryption = in.serverSideEncryptionAsString() != null || in.ssekmsKeyId() != null
                || in.sseCustomerAlgorithm() != null || in.sseCustomerKey() != null
                || source.encryption.isEmpty() || source.encryption.containsKey(SseC.KEY_MD5)
                ? encryption(state, ctx, bucket, new EncryptionRequest(in.serverSideEncryptionAsString(), in.ssekmsKeyId(),
                        in.bucketKeyEnabled(), in.sseCustomerAlgorithm(), in.sseCustomerKey(), in.sseCustomerKeyMD5()))
                : source.encryption;
        ChecksumAlgorithm algorithm = source.checksumAlgorithm == null ? ChecksumAlgorithm.CRC64NVME : source.checksumAlgorithm;
        String requested = in.checksumAlgorithmAsString();
        if (requested != null) {
            try {
                algorithm = ChecksumAlgorithm.parse(requested);
            } catch (IllegalArgumentException e) {
                throw S3Errors.invalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid "
                        + "types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
            }
        }
        // the source's lock is not copied
        ObjectVersion.Lock lock = ObjectLocks.forWrite(bucket, in.objectLockModeAsString(), in.objectLockRetainUntilDate(),
                in.objectLockLegalHoldStatusAsString(), state.clock.instant());
        Conditions.WriteCondition condition = Conditions.write(in.ifMatch(), in.ifNoneMatch(), key);
        if (condition != null) condition.check(bucket.objects.get(key));
        Writes.Written w;
        try {
            w = Writes.copy(state, state.open(source, 0, source.size), algorithm);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the copy is one new object: a multipart source's "-N" ETag becomes the MD5 of the bytes (as recorded), and
        // its checksum a FULL_OBJECT one over the whole object
        String etag = SseC.etag(encryption, w.etag());
        ObjectVersion v = new ObjectVersion(key, newVersionId(bucket), false, S3State.now(), etag, w.blob().size(),
                ctx.accountId(), List.of(new ObjectVersion.Segment(w.blob().id(), w.blob().size())), headers, metadata,
                storageClass, encryption, algorithm, w.checksum(), "FULL_OBJECT", 0, tags, source.acl()).lock(lock);
        publishOrFree(bucket, v, condition);
        state.notifications.objectCreated(ctx, bucket, v, "Copy");
        CopyObjectResult.Builder result = CopyObjectResult.builder().eTag(v.etag).lastModified(v.lastModified).checksumType("FULL_OBJECT");
        switch (algorithm) {
            case CRC32 -> result.checksumCRC32(v.checksumValue);
            case CRC32C -> result.checksumCRC32C(v.checksumValue);
            case CRC64NVME -> result.checksumCRC64NVME(v.checksumValue);
            case SHA1 -> result.checksumSHA1(v.checksumValue);
            case SHA256 -> result.checksumSHA256(v.checksumValue);
        }
        CopyObjectOutput.Builder out = CopyObjectOutput.builder().copyObjectResult(result.build());
        if (!"null".equals(source.versionId)) out.copySourceVersionId(source.versionId);
        if (!"null".equals(v.versionId) || bucket.versioning != null) out.versionId(v.versionId);
        Encryption e = Encryption.of(v);
        return out.serverSideEncryption(e.sse()).ssekmsKeyId(e.kmsKeyId()).bucketKeyEnabled(e.bucketKeyEnabled())
                .sseCustomerAlgorithm(e.customerAlgorithm()).sseCustomerKeyMD5(e.customerKeyMd5()).build();
    }

    // ---- tagging and ACL -------------------------------------------------------------------------------------

    /**
     * As {@link #resolve} of the latest version, but a key whose latest version is a delete marker addresses that marker (405
     * MethodNotAllowed, not 404): AWS answers so for object tagging and PutObjectAcl (recorded).
     */
    private ObjectVersion targetOrMarker(RequestContext ctx, Map<String, Object> in, String method) {
        return targetOrMarker(ctx, In.str(in, "Bucket"), In.str(in, "Key"), In.str(in, "VersionId"), method);
    }

    private ObjectVersion targetOrMarker(RequestContext ctx, String bucketName, String key, String versionId, String method) {
        Bucket bucket = state.bucket(ctx, bucketName);
        KeyEntry entry = bucket.objects.get(key);
        if (versionId == null && entry != null && entry.latest().deleteMarker) versionId = entry.latest().versionId;
        return resolve(ctx, bucket, key, versionId, method);
    }

    PutObjectTaggingOutput putObjectTagging(RequestContext ctx, PutObjectTaggingRequest in) {
        ObjectVersion v = targetOrMarker(ctx, in.bucket(), in.key(), in.versionId(), "PUT");
        if (in.tagging() == null || in.tagging().tagSet() == null) throw S3Errors.malformedXml();
        v.tags(Tagging.validateTags(in.tagging().tagSet(), true));
        state.notifications.objectSubresource(ctx, state.bucket(ctx, in.bucket()), v, "ObjectTagging:Put");
        return PutObjectTaggingOutput.builder().versionId(versionOf(v)).build();
    }

    GetObjectTaggingOutput getObjectTagging(RequestContext ctx, GetObjectTaggingRequest in) {
        ObjectVersion v = targetOrMarker(ctx, in.bucket(), in.key(), in.versionId(), "GET");
        return GetObjectTaggingOutput.builder().versionId(versionOf(v)).tagSet(Tagging.asTags(v.tags())).build();
    }

    DeleteObjectTaggingOutput deleteObjectTagging(RequestContext ctx, DeleteObjectTaggingRequest in) {
        ObjectVersion v = targetOrMarker(ctx, in.bucket(), in.key(), in.versionId(), "DELETE");
        v.tags(List.of());
        state.notifications.objectSubresource(ctx, state.bucket(ctx, in.bucket()), v, "ObjectTagging:Delete");
        ctx.response().status(204);
        return DeleteObjectTaggingOutput.builder().versionId(versionOf(v)).build();
    }

    /** A version's id as answers give it: absent for the "null" version. */
    private static String versionOf(ObjectVersion v) {
        return "null".equals(v.versionId) ? null : v.versionId;
    }

    Map<String, Object> putObjectAcl(RequestContext ctx, Map<String, Object> in) {
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        ObjectVersion v = targetOrMarker(ctx, in, "PUT");
        v.acl(Acls.fromPut(in, bucket.accountId));
        state.notifications.objectSubresource(ctx, bucket, v, "ObjectAcl:Put");
        return new LinkedHashMap<>();
    }

    Map<String, Object> getObjectAcl(RequestContext ctx, Map<String, Object> in) {
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        ObjectVersion v = resolve(ctx, bucket, In.str(in, "Key"), In.str(in, "VersionId"), "GET");
        Map<String, Object> acl = v.acl() != null ? v.acl() : Acls.canned("private", bucket.accountId, bucket.accountId);
        return new LinkedHashMap<>(acl);
    }

    GetObjectAttributesOutput getObjectAttributes(RequestContext ctx, GetObjectAttributesRequest in) {
        Bucket bucket = state.bucket(ctx, in.bucket());
        ObjectVersion v = resolve(ctx, bucket, in.key(), in.versionId(), "GET");
        SseC.checkRead(v, SseC.fromRequest(in.sseCustomerAlgorithm(), in.sseCustomerKey(), in.sseCustomerKeyMD5()));
        Set<String> wanted = new LinkedHashSet<>();
        if (in.objectAttributesAsStrings() != null) wanted.addAll(in.objectAttributesAsStrings());
        GetObjectAttributesOutput.Builder out = GetObjectAttributesOutput.builder().lastModified(v.lastModified).versionId(versionOf(v));
        if (wanted.contains("ETag")) out.eTag(Writes.unquote(v.etag));
        if (wanted.contains("ObjectSize")) out.objectSize(v.size);
        if (wanted.contains("StorageClass")) out.storageClass(v.storageClass);
        if (wanted.contains("Checksum") && v.checksumAlgorithm != null) {
            // a COMPOSITE checksum is given here without the "-N" part count its headers carry (as recorded)
            String value = v.checksumValue;
            if ("COMPOSITE".equals(v.checksumType) && value != null && value.lastIndexOf('-') > 0) {
                value = value.substring(0, value.lastIndexOf('-'));
            }
            Checksum.Builder c = Checksum.builder().checksumType(v.checksumType);
            switch (v.checksumAlgorithm) {
                case CRC32 -> c.checksumCRC32(value);
                case CRC32C -> c.checksumCRC32C(value);
                case CRC64NVME -> c.checksumCRC64NVME(value);
                case SHA1 -> c.checksumSHA1(value);
                case SHA256 -> c.checksumSHA256(value);
            }
            out.checksum(c.build());
        }
        if (wanted.contains("ObjectParts") && v.partsCount > 0) out.objectParts(objectParts(v, in.partNumberMarker(), in.maxParts()));
        return out.build();
    }

    /**
     * GetObjectAttributes' ObjectParts: the part count, and for a COMPOSITE object (whose parts keep their own
     * checksums) a page of parts after PartNumberMarker, as AWS lists them.
     */
    private static GetObjectAttributesParts objectParts(ObjectVersion v, Integer markerIn, Integer maxIn) {
        GetObjectAttributesParts.Builder parts = GetObjectAttributesParts.builder().totalPartsCount(v.partsCount);
        if (!"COMPOSITE".equals(v.checksumType)) return parts.build();
        int marker = markerIn == null ? 0 : markerIn;
        int max = maxIn == null ? 1000 : Math.min(Math.max(maxIn, 0), 1000);
        List<ObjectPart> listed = new ArrayList<>();
        int last = 0;
        boolean truncated = false;
        for (int n = marker + 1; n <= v.segments.size(); n++) {
            if (listed.size() >= max) {
                truncated = true;
                break;
            }
            ObjectPart.Builder p = ObjectPart.builder().partNumber(n).size(v.segments.get(n - 1).size());
            String checksum = v.segments.get(n - 1).checksum();
            if (checksum != null) {
                switch (v.checksumAlgorithm) {
                    case CRC32 -> p.checksumCRC32(checksum);
                    case CRC32C -> p.checksumCRC32C(checksum);
                    case CRC64NVME -> p.checksumCRC64NVME(checksum);
                    case SHA1 -> p.checksumSHA1(checksum);
                    case SHA256 -> p.checksumSHA256(checksum);
                }
            }
            listed.add(p.build());
            last = n;
        }
        return parts.partNumberMarker(marker).nextPartNumberMarker(last).maxParts(maxIn == null ? 1000 : maxIn)
                .isTruncated(truncated).parts(listed.isEmpty() ? null : listed).build();
    }

}
