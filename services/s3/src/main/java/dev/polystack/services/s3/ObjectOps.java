package dev.polystack.services.s3;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.StreamingBody;

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

    Map<String, Object> putObject(RequestContext ctx, Map<String, Object> in) {
        return putObject(ctx, in, "Put");
    }

    /** @param createdBy the ObjectCreated event it causes: Put, or Post for browser uploads */
    Map<String, Object> putObject(RequestContext ctx, Map<String, Object> in, String createdBy) {
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        String key = In.str(in, "Key");
        String storageClass = storageClass(in);
        Map<String, String> headers = standardHeaders(in);
        Map<String, String> encryption = encryption(state, ctx, bucket, in);
        List<Map<String, Object>> tags = Tagging.parseHeader(In.str(in, "Tagging"));
        Map<String, Object> acl = Acls.fromRequest(in, bucket.accountId, bucket.accountId);
        ObjectVersion.Lock lock = ObjectLocks.forWrite(bucket, in, state.clock.instant());
        Conditions.WriteCondition condition = Conditions.write(in, key);
        if (condition != null) condition.check(bucket.objects.get(key)); // fail fast, before reading the body
        Writes.ChecksumRequest checksum = Writes.checksumRequest(ctx, in, ChecksumAlgorithm.CRC64NVME);
        Writes.Written w = Writes.write(state, ctx, in, checksum);
        ObjectVersion v = new ObjectVersion(key, newVersionId(bucket), false, S3State.now(), SseC.etag(encryption, w.etag()), w.blob().size(),
                ctx.accountId(), List.of(new ObjectVersion.Segment(w.blob().id(), w.blob().size())), headers,
                metadata(in), storageClass, encryption, w.algorithm(), w.checksum(), "FULL_OBJECT", 0, tags, acl).lock(lock);
        publishOrFree(bucket, v, condition);
        state.notifications.objectCreated(ctx, bucket, v, createdBy);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ETag", v.etag);
        out.put(w.algorithm().member, w.checksum());
        out.put("ChecksumType", "FULL_OBJECT");
        putEncryption(out, v);
        if (!"null".equals(v.versionId)) out.put("VersionId", v.versionId);
        String expiration = S3Lifecycle.expirationHeader(bucket, v);
        if (expiration != null) out.put("Expiration", expiration);
        return out;
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
        String sc = In.str(in, "StorageClass");
        if (sc == null) return "STANDARD";
        if (!STORAGE_CLASSES.contains(sc)) {
            throw new ServiceException("InvalidStorageClass", "The storage class you specified is not valid", 400)
                    .with("StorageClassRequested", sc);
        }
        return sc;
    }

    static Map<String, String> standardHeaders(Map<String, Object> in) {
        Map<String, String> h = new LinkedHashMap<>();
        for (String m : STANDARD_HEADERS) {
            Object v = in.get(m);
            if (v == null) continue;
            if (v instanceof Instant i) h.put(m, i.toString());
            else h.put(m, v.toString());
        }
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
        Map<String, String> m = new LinkedHashMap<>();
        In.stringMap(in, "Metadata").forEach((k, v) -> m.put(k.toLowerCase(Locale.ROOT), UserMetadata.fromHeader(v)));
        return m;
    }

    static Map<String, String> encryption(Bucket bucket, Map<String, Object> in) {
        Map<String, String> customer = SseC.fromRequest(in, "");
        if (customer != null) {
            if (in.get("ServerSideEncryption") != null) throw SseC.incompatible(In.str(in, "ServerSideEncryption"));
            return customer;
        }
        Map<String, String> e = new LinkedHashMap<>();
        String sse = In.str(in, "ServerSideEncryption");
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
        String kms = In.str(in, "SSEKMSKeyId");
        if (kms != null) e.put("SSEKMSKeyId", kms);
        if (sse.startsWith("aws:kms") && !e.containsKey("SSEKMSKeyId")) {
            e.put("SSEKMSKeyId", "arn:aws:kms:" + bucket.region + ":" + bucket.accountId + ":alias/aws/s3");
        }
        if (in.get("BucketKeyEnabled") != null) e.put("BucketKeyEnabled", String.valueOf(In.bool(in, "BucketKeyEnabled")));
        return e;
    }

    /** {@link #encryption(Bucket, Map)} with a requested KMS key checked in KMS and named by its full ARN. */
    static Map<String, String> encryption(S3State state, RequestContext ctx, Bucket bucket, Map<String, Object> in) {
        Map<String, String> e = encryption(bucket, in);
        if (e.get("ServerSideEncryption") != null && e.get("ServerSideEncryption").startsWith("aws:kms")) {
            // the requested key, else the bucket's default key, else the AWS managed aws/s3 key (made on first use):
            // answered by its key ARN, as AWS does
            String requested = In.str(in, "SSEKMSKeyId");
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

    static void putEncryption(Map<String, Object> out, ObjectVersion v) {
        v.encryption.forEach((k, val) -> out.put(k, k.equals("BucketKeyEnabled") ? Boolean.valueOf(val) : val));
    }

    // ---- GetObject / HeadObject ------------------------------------------------------------------------------

    Map<String, Object> getObject(RequestContext ctx, Map<String, Object> in, boolean head) {
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        String key = In.str(in, "Key");
        String range = In.str(in, "Range");
        Integer partNumber = In.integer(in, "PartNumber");
        if (range != null && partNumber != null) {
            throw S3Errors.invalidRequest("Cannot specify both Range header and partNumber query parameter");
        }
        for (int attempt = 0; ; attempt++) {
            ObjectVersion v = resolve(ctx, bucket, key, In.str(in, "VersionId"), head ? "HEAD" : "GET");
            SseC.checkRead(v, in, "");
            Map<String, Object> out = new LinkedHashMap<>();
            if (Conditions.read(ctx, in, v, out)) return out; // 304
            if (!head && archivedAndNotRestored(v)) {
                throw new ServiceException("InvalidObjectState", "The operation is not valid for the object's storage class", 403)
                        .with("StorageClass", v.storageClass);
            }
            long start = 0;
            long length = v.size;
            boolean partial = false;
            if (partNumber != null) {
                long[] p = partRange(v, partNumber);
                start = p[0];
                length = p[1];
                partial = v.partsCount > 0;
                out.put("PartsCount", Math.max(1, v.partsCount));
            } else if (range != null) {
                long[] r = Ranges.parse(range, v.size);
                if (r != null) {
                    start = r[0];
                    length = r[1] - r[0] + 1;
                    partial = true;
                }
            }
            // a range that covers the whole object still answers its checksum (recorded: bytes=-15 and 0-100 of 10 bytes)
            describe(out, v, bucket, in, partNumber == null && length == v.size);
            if (partNumber != null) partChecksum(out, v, partNumber, in);
            out.put("ContentLength", length);
            if (partial) {
                out.put("ContentRange", "bytes " + start + "-" + (start + length - 1) + "/" + v.size);
                ctx.response().status(206);
            }
            if (!v.tags().isEmpty()) out.put("TagCount", v.tags().size()); // HEAD too (recorded)
            if (head) return out;
            try {
                InputStream data = length == 0 ? InputStream.nullInputStream() : state.open(v, start, length);
                out.put("Body", new StreamingBody(data, length));
                return out;
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
    Map<String, Object> restoreObject(RequestContext ctx, Map<String, Object> in) {
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        ObjectVersion v = resolve(ctx, bucket, In.str(in, "Key"), In.str(in, "VersionId"), "POST");
        if (!"GLACIER".equals(v.storageClass) && !"DEEP_ARCHIVE".equals(v.storageClass)) {
            throw new ServiceException("InvalidObjectState", "Restore is not allowed for the object's current storage class", 403)
                    .with("StorageClass", v.storageClass);
        }
        Map<String, Object> request = In.map(in, "RestoreRequest");
        Integer days = request == null ? null : In.integer(request, "Days");
        if (days == null || days < 1) throw S3Errors.malformedXml();
        boolean already = !archivedAndNotRestored(v);
        v.restoredUntil(S3Lifecycle.expiry(state.clock.instant(), days));
        ctx.response().status(already ? 200 : 202);
        return new LinkedHashMap<>();
    }

    /**
     * GetObject/HeadObject of one part with checksum mode: a COMPOSITE object answers that part's checksum; a
     * FULL_OBJECT one answers its checksum only when the part is the whole object (AWS keeps no per-part CRC for it).
     */
    private static void partChecksum(Map<String, Object> out, ObjectVersion v, int partNumber, Map<String, Object> in) {
        if (v.checksumAlgorithm == null || !"ENABLED".equalsIgnoreCase(In.str(in, "ChecksumMode"))) return;
        String value = null;
        if (v.partsCount <= 1) value = v.partsCount == 1 && "COMPOSITE".equals(v.checksumType) ? v.segments.get(0).checksum() : v.checksumValue;
        else if ("COMPOSITE".equals(v.checksumType)) value = v.segments.get(partNumber - 1).checksum();
        if (value == null) return;
        out.put(v.checksumAlgorithm.member, value);
        out.put("ChecksumType", v.checksumType);
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
    static void describe(Map<String, Object> out, ObjectVersion v, Bucket bucket, Map<String, Object> in, boolean whole) {
        out.put("AcceptRanges", "bytes");
        out.put("LastModified", v.lastModified);
        out.put("ETag", v.etag);
        putVersionId(out, v, bucket);
        out.put("ContentType", v.headers.getOrDefault("ContentType", DEFAULT_CONTENT_TYPE));
        v.headers.forEach((k, val) -> {
            if (k.equals("ContentType")) return;
            if (k.equals("Expires")) {
                try {
                    out.put("Expires", Instant.parse(val));
                } catch (RuntimeException e) {
                    out.put("Expires", val);
                }
            } else out.put(k, val);
        });
        out.put("Metadata", new LinkedHashMap<>(v.metadata));
        if (!"STANDARD".equals(v.storageClass)) out.put("StorageClass", v.storageClass);
        putEncryption(out, v);
        ObjectLocks.describe(out, v);
        if (v.restoredUntil() != null) {
            out.put("Restore", "ongoing-request=\"false\", expiry-date=\"" + HttpDates.format(v.restoredUntil()) + "\"");
        }
        String expiration = S3Lifecycle.expirationHeader(bucket, v);
        if (expiration != null) out.put("Expiration", expiration);
        if (whole && v.checksumAlgorithm != null && "ENABLED".equalsIgnoreCase(In.str(in, "ChecksumMode"))) {
            out.put(v.checksumAlgorithm.member, v.checksumValue);
            out.put("ChecksumType", v.checksumType);
        }
        // response-* query parameters override the stored headers (presigned downloads use them)
        override(out, in, "ResponseContentType", "ContentType");
        override(out, in, "ResponseContentLanguage", "ContentLanguage");
        override(out, in, "ResponseCacheControl", "CacheControl");
        override(out, in, "ResponseContentDisposition", "ContentDisposition");
        override(out, in, "ResponseContentEncoding", "ContentEncoding");
        if (in.get("ResponseExpires") != null) out.put("Expires", in.get("ResponseExpires"));
    }

    /** A version id, "null" included once the bucket has had versioning (AWS omits it only for never-versioned buckets). */
    static void putVersionId(Map<String, Object> out, ObjectVersion v, Bucket bucket) {
        if (!"null".equals(v.versionId) || bucket.versioning != null) out.put("VersionId", v.versionId);
    }

    private static void override(Map<String, Object> out, Map<String, Object> in, String param, String member) {
        String v = In.str(in, param);
        if (v != null) out.put(member, v);
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

    Map<String, Object> deleteObject(RequestContext ctx, Map<String, Object> in) {
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        Map<String, Object> out = new LinkedHashMap<>();
        Conditions.deleteCondition(in, bucket.objects.get(In.str(in, "Key")));
        delete(ctx, bucket, In.str(in, "Key"), In.str(in, "VersionId"), ObjectLocks.bypass(bucket, in), false, out);
        ctx.response().status(204);
        return out;
    }

    /** Deletes a key or one version of it; fills DeleteMarker / VersionId like DeleteObject's output. */
    void delete(RequestContext ctx, Bucket bucket, String key, String versionId, boolean bypassGovernance, boolean batch,
                Map<String, Object> out) {
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
            out.put("VersionId", versionId);
            if (gone[0] != null && gone[0].deleteMarker) out.put("DeleteMarker", true);
            if (gone[0] != null) state.notifications.objectRemoved(ctx, bucket, key, versionId, false);
            return;
        }
        if (bucket.versioning == null) {
            boolean[] existed = new boolean[1];
            state.update(bucket, key, (old, removed) -> {
                existed[0] = old != null && old.version("null") != null;
                return old == null ? null : old.without("null", removed);
            });
            if (existed[0]) state.notifications.objectRemoved(ctx, bucket, key, null, false);
            return;
        }
        // versioning enabled or suspended: a delete marker becomes the latest version
        ObjectVersion marker = ObjectVersion.deleteMarker(key, newVersionId(bucket), S3State.now(), ctx.accountId());
        state.publish(bucket, marker, null);
        state.notifications.objectRemoved(ctx, bucket, key, marker.versionId, true);
        out.put("DeleteMarker", true);
        out.put("VersionId", marker.versionId);
    }

    Map<String, Object> deleteObjects(RequestContext ctx, Map<String, Object> in) {
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        Map<String, Object> delete = In.map(in, "Delete");
        if (delete == null) throw S3Errors.malformedXml();
        List<Object> objects = In.list(delete, "Objects");
        if (objects.isEmpty() || objects.size() > 1000) throw S3Errors.malformedXml();
        boolean quiet = In.bool(delete, "Quiet");
        boolean bypass = ObjectLocks.bypass(bucket, in);
        List<Object> deleted = new ArrayList<>();
        List<Object> errors = new ArrayList<>();
        for (Object o : objects) {
            @SuppressWarnings("unchecked") Map<String, Object> id = (Map<String, Object>) o;
            String key = In.str(id, "Key");
            String versionId = In.str(id, "VersionId");
            Map<String, Object> result = new LinkedHashMap<>();
            try {
                delete(ctx, bucket, key, versionId, bypass, true, result);
            } catch (ServiceException e) {
                Map<String, Object> err = new LinkedHashMap<>();
                err.put("Key", key);
                if (versionId != null) err.put("VersionId", versionId);
                err.put("Code", e.code());
                err.put("Message", e.getMessage());
                errors.add(err);
                continue;
            }
            if (quiet) continue;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("Key", key);
            if (versionId != null) d.put("VersionId", versionId);
            if (Boolean.TRUE.equals(result.get("DeleteMarker"))) {
                d.put("DeleteMarker", true);
                d.put("DeleteMarkerVersionId", result.get("VersionId"));
            }
            deleted.add(d);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (!deleted.isEmpty()) out.put("Deleted", deleted);
        if (!errors.isEmpty()) out.put("Errors", errors);
        return out;
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
        SseC.checkRead(v, in, "CopySource");
        if (archivedAndNotRestored(v)) {
            throw new ServiceException("InvalidObjectState", "Operation is not valid for the source object's storage class", 403)
                    .with("StorageClass", v.storageClass);
        }
        Conditions.copySource(in, v);
        return v;
    }

    Map<String, Object> copyObject(RequestContext ctx, Map<String, Object> in) {
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        String key = In.str(in, "Key");
        CopySource src = CopySource.parse(In.str(in, "CopySource"));
        Bucket sourceBucket = state.bucket(ctx, src.bucket());
        ObjectVersion source = copySource(ctx, src, in);
        boolean replaceMetadata = "REPLACE".equalsIgnoreCase(In.str(in, "MetadataDirective"));
        boolean replaceTags = "REPLACE".equalsIgnoreCase(In.str(in, "TaggingDirective"));
        String storageClass = in.get("StorageClass") == null ? source.storageClass : storageClass(in);
        boolean sameObject = sourceBucket == bucket && source.key.equals(key) && src.versionId() == null;
        if (sameObject && !replaceMetadata && in.get("StorageClass") == null && in.get("WebsiteRedirectLocation") == null
                && in.get("ServerSideEncryption") == null && in.get("SSEKMSKeyId") == null && in.get("ChecksumAlgorithm") == null
                && in.get("SSECustomerAlgorithm") == null && !source.encryption.containsKey(SseC.KEY_MD5)) {
            throw S3Errors.invalidRequest("This copy request is illegal because it is trying to copy an object to itself without "
                    + "changing the object's metadata, storage class, website redirect location or encryption attributes.");
        }
        Map<String, String> headers;
        Map<String, String> metadata;
        if (replaceMetadata) {
            headers = standardHeaders(in);
            metadata = metadata(in);
        } else {
            headers = new LinkedHashMap<>(source.headers);
            if (in.get("WebsiteRedirectLocation") != null) headers.put("WebsiteRedirectLocation", In.str(in, "WebsiteRedirectLocation"));
            metadata = source.metadata;
        }
        List<Map<String, Object>> tags = replaceTags ? Tagging.parseHeader(In.str(in, "Tagging")) : source.tags();
        // a customer key is the copy's own; a source encrypted with one gives the target the bucket's default
        Map<String, String> encryption = in.get("ServerSideEncryption") != null || in.get("SSEKMSKeyId") != null
                || in.get("SSECustomerAlgorithm") != null || in.get("SSECustomerKey") != null
                || source.encryption.isEmpty() || source.encryption.containsKey(SseC.KEY_MD5)
                ? encryption(state, ctx, bucket, in) : source.encryption;
        ChecksumAlgorithm algorithm = source.checksumAlgorithm == null ? ChecksumAlgorithm.CRC64NVME : source.checksumAlgorithm;
        String requested = In.str(in, "ChecksumAlgorithm");
        if (requested != null) {
            try {
                algorithm = ChecksumAlgorithm.parse(requested);
            } catch (IllegalArgumentException e) {
                throw S3Errors.invalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid "
                        + "types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
            }
        }
        ObjectVersion.Lock lock = ObjectLocks.forWrite(bucket, in, state.clock.instant()); // the source's lock is not copied
        Conditions.WriteCondition condition = Conditions.write(in, key);
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
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ETag", v.etag);
        result.put("LastModified", v.lastModified);
        result.put(algorithm.member, v.checksumValue);
        result.put("ChecksumType", "FULL_OBJECT");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("CopyObjectResult", result);
        if (!"null".equals(source.versionId)) out.put("CopySourceVersionId", source.versionId);
        putVersionId(out, v, bucket);
        putEncryption(out, v);
        return out;
    }

    // ---- tagging and ACL -------------------------------------------------------------------------------------

    private ObjectVersion target(RequestContext ctx, Map<String, Object> in, String method) {
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        return resolve(ctx, bucket, In.str(in, "Key"), In.str(in, "VersionId"), method);
    }

    /**
     * As {@link #target}, but a key whose latest version is a delete marker addresses that marker (405
     * MethodNotAllowed, not 404): AWS answers so for object tagging and PutObjectAcl (recorded).
     */
    private ObjectVersion targetOrMarker(RequestContext ctx, Map<String, Object> in, String method) {
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        String versionId = In.str(in, "VersionId");
        KeyEntry entry = bucket.objects.get(In.str(in, "Key"));
        if (versionId == null && entry != null && entry.latest().deleteMarker) versionId = entry.latest().versionId;
        return resolve(ctx, bucket, In.str(in, "Key"), versionId, method);
    }

    Map<String, Object> putObjectTagging(RequestContext ctx, Map<String, Object> in) {
        ObjectVersion v = targetOrMarker(ctx, in, "PUT");
        Map<String, Object> tagging = In.map(in, "Tagging");
        if (tagging == null) throw S3Errors.malformedXml();
        v.tags(Tagging.validate(In.list(tagging, "TagSet"), true));
        state.notifications.objectSubresource(ctx, state.bucket(ctx, In.str(in, "Bucket")), v, "ObjectTagging:Put");
        return versionOut(v);
    }

    Map<String, Object> getObjectTagging(RequestContext ctx, Map<String, Object> in) {
        ObjectVersion v = targetOrMarker(ctx, in, "GET");
        Map<String, Object> out = versionOut(v);
        out.put("TagSet", new ArrayList<>(v.tags()));
        return out;
    }

    Map<String, Object> deleteObjectTagging(RequestContext ctx, Map<String, Object> in) {
        ObjectVersion v = targetOrMarker(ctx, in, "DELETE");
        v.tags(List.of());
        state.notifications.objectSubresource(ctx, state.bucket(ctx, In.str(in, "Bucket")), v, "ObjectTagging:Delete");
        ctx.response().status(204);
        return versionOut(v);
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

    Map<String, Object> getObjectAttributes(RequestContext ctx, Map<String, Object> in) {
        ObjectVersion v = target(ctx, in, "GET");
        SseC.checkRead(v, in, "");
        Set<String> wanted = new LinkedHashSet<>();
        for (Object a : In.list(in, "ObjectAttributes")) wanted.add(a.toString());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("LastModified", v.lastModified);
        if (!"null".equals(v.versionId)) out.put("VersionId", v.versionId);
        if (wanted.contains("ETag")) out.put("ETag", Writes.unquote(v.etag));
        if (wanted.contains("ObjectSize")) out.put("ObjectSize", v.size);
        if (wanted.contains("StorageClass")) out.put("StorageClass", v.storageClass);
        if (wanted.contains("Checksum") && v.checksumAlgorithm != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            // a COMPOSITE checksum is given here without the "-N" part count its headers carry (as recorded)
            String value = v.checksumValue;
            if ("COMPOSITE".equals(v.checksumType) && value != null && value.lastIndexOf('-') > 0) {
                value = value.substring(0, value.lastIndexOf('-'));
            }
            c.put(v.checksumAlgorithm.member, value);
            c.put("ChecksumType", v.checksumType);
            out.put("Checksum", c);
        }
        if (wanted.contains("ObjectParts") && v.partsCount > 0) out.put("ObjectParts", objectParts(v, in));
        return out;
    }

    /**
     * GetObjectAttributes' ObjectParts: the part count, and for a COMPOSITE object (whose parts keep their own
     * checksums) a page of parts after PartNumberMarker, as AWS lists them.
     */
    private static Map<String, Object> objectParts(ObjectVersion v, Map<String, Object> in) {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("TotalPartsCount", v.partsCount);
        if (!"COMPOSITE".equals(v.checksumType)) return parts;
        Integer markerIn = In.integer(in, "PartNumberMarker");
        int marker = markerIn == null ? 0 : markerIn;
        Integer maxIn = In.integer(in, "MaxParts");
        int max = maxIn == null ? 1000 : Math.min(Math.max(maxIn, 0), 1000);
        List<Object> listed = new ArrayList<>();
        int last = 0;
        boolean truncated = false;
        for (int n = marker + 1; n <= v.segments.size(); n++) {
            if (listed.size() >= max) {
                truncated = true;
                break;
            }
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("PartNumber", n);
            p.put("Size", v.segments.get(n - 1).size());
            String checksum = v.segments.get(n - 1).checksum();
            if (checksum != null) p.put(v.checksumAlgorithm.member, checksum);
            listed.add(p);
            last = n;
        }
        parts.put("PartNumberMarker", marker);
        parts.put("NextPartNumberMarker", last);
        parts.put("MaxParts", maxIn == null ? 1000 : maxIn);
        parts.put("IsTruncated", truncated);
        if (!listed.isEmpty()) parts.put("Parts", listed);
        return parts;
    }

    private static Map<String, Object> versionOut(ObjectVersion v) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!"null".equals(v.versionId)) out.put("VersionId", v.versionId);
        return out;
    }
}
