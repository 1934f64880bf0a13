package dev.polystack.services.s3;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Multipart uploads. Parts are blobs; completing an upload makes the chosen parts the object's
 * segments (no copy) and frees the others. The ETag is the MD5 of the parts' MD5s plus "-N".
 */
final class MultipartOps {
    static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    private static final java.util.regex.Pattern COPY_RANGE = java.util.regex.Pattern.compile("bytes=(\\d+)-(\\d+)");
    private final S3State state;

    MultipartOps(S3State state) {
        this.state = state;
    }

    private MultipartUpload upload(Bucket bucket, Map<String, Object> in) {
        String uploadId = In.str(in, "UploadId");
        MultipartUpload u = uploadId == null ? null : bucket.uploads.get(uploadId);
        if (u == null || !u.key.equals(In.str(in, "Key"))) throw S3Errors.noSuchUpload(uploadId);
        return u;
    }

    Map<String, Object> create(RequestContext ctx, Map<String, Object> in) {
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        String key = In.str(in, "Key");
        String algorithmName = In.str(in, "ChecksumAlgorithm");
        String type = In.str(in, "ChecksumType");
        ChecksumAlgorithm algorithm = null;
        if (algorithmName != null) {
            try {
                algorithm = ChecksumAlgorithm.parse(algorithmName);
            } catch (IllegalArgumentException e) {
                throw S3Errors.invalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid "
                        + "types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
            }
        }
        if (type != null && algorithm == null) {
            throw S3Errors.invalidRequest("The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
        }
        if (algorithm != null && type == null) type = algorithm == ChecksumAlgorithm.CRC64NVME ? "FULL_OBJECT" : "COMPOSITE";
        if (algorithm != null) {
            if ("FULL_OBJECT".equals(type) && !algorithm.crc) {
                throw S3Errors.invalidRequest("The FULL_OBJECT checksum type cannot be used with the "
                        + algorithm.name().toLowerCase() + " checksum algorithm.");
            }
            if ("COMPOSITE".equals(type) && algorithm == ChecksumAlgorithm.CRC64NVME) {
                throw S3Errors.invalidRequest("The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.");
            }
        }
        boolean requested = algorithm != null;
        if (algorithm == null) {
            algorithm = ChecksumAlgorithm.CRC64NVME; // S3's default: a full-object CRC64NVME
            type = "FULL_OBJECT";
        }
        MultipartUpload u = new MultipartUpload(S3State.newUploadId(), key, S3State.now(), ctx.accountId(),
                ObjectOps.standardHeaders(in), ObjectOps.metadata(in), ObjectOps.storageClass(in),
                ObjectOps.encryption(state, ctx, bucket, in), algorithm, requested, type,
                Tagging.parseHeader(In.str(in, "Tagging")), Acls.fromRequest(in, ctx.accountId(), bucket.accountId));
        u.lock = ObjectLocks.forWrite(bucket, in, state.clock.instant());
        KeyEntry current = bucket.objects.get(key);
        u.keyAtStart = current == null ? null : current.latest();
        u.keyStateKnown = true;
        bucket.uploads.put(u.uploadId, u);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Bucket", bucket.name);
        out.put("Key", key);
        out.put("UploadId", u.uploadId);
        u.encryption.forEach((k, v) -> out.put(k, k.equals("BucketKeyEnabled") ? Boolean.valueOf(v) : v));
        if (requested) {
            out.put("ChecksumAlgorithm", algorithm.name());
            out.put("ChecksumType", type);
        }
        return out;
    }

    private static int partNumber(Map<String, Object> in) {
        Integer n = In.integer(in, "PartNumber");
        if (n == null || n < 1 || n > 10000) {
            throw S3Errors.invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber",
                    String.valueOf(in.get("PartNumber")));
        }
        return n;
    }

    Map<String, Object> uploadPart(RequestContext ctx, Map<String, Object> in) {
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        MultipartUpload u = upload(bucket, in);
        int number = partNumber(in);
        SseC.checkPart(u.encryption, in);
        Writes.ChecksumRequest checksum = Writes.checksumRequest(ctx, in, u.checksumAlgorithm);
        if (u.checksumRequested && checksum.explicit() && checksum.algorithm() != u.checksumAlgorithm) {
            throw S3Errors.invalidRequest("Checksum Type mismatch occurred, expected checksum Type: "
                    + u.checksumAlgorithm.name().toLowerCase() + ", actual checksum Type: " + checksum.algorithm().name().toLowerCase());
        }
        Writes.ChecksumRequest sent = null;
        if (checksum.algorithm() != u.checksumAlgorithm) {
            // the part must carry the upload's checksum; compute that one, and still verify what the client sent
            if (checksum.explicit()) sent = checksum;
            checksum = new Writes.ChecksumRequest(u.checksumAlgorithm, null, false, false);
        }
        Writes.Written w = Writes.write(state, ctx, in, checksum, sent);
        MultipartUpload.Part part = new MultipartUpload.Part(number, SseC.etag(u.encryption, w.etag()), w.blob().size(),
                S3State.now(), w.blob().id(), w.checksum());
        storePart(bucket, u, part);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ETag", part.etag());
        if (u.checksumRequested || w.explicit()) out.put(u.checksumAlgorithm.member, part.checksum());
        // an upload with S3's default checksum: the part answers with the algorithm the client sent (as AWS does)
        else if (sent != null) out.put(sent.algorithm().member, w.verified());
        u.encryption.forEach((k, v) -> out.put(k, k.equals("BucketKeyEnabled") ? Boolean.valueOf(v) : v));
        return out;
    }

    private void storePart(Bucket bucket, MultipartUpload u, MultipartUpload.Part part) {
        MultipartUpload.Part old = u.parts.put(part.partNumber(), part);
        if (old != null) state.blobs.delete(old.blobId());
        if (bucket.uploads.get(u.uploadId) != u) {
            // completed or aborted while this part was uploading: nothing will ever refer to it
            if (u.parts.remove(part.partNumber(), part)) state.blobs.delete(part.blobId());
            throw S3Errors.noSuchUpload(u.uploadId);
        }
    }

    Map<String, Object> uploadPartCopy(RequestContext ctx, Map<String, Object> in, ObjectOps objects) {
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        MultipartUpload u = upload(bucket, in);
        int number = partNumber(in);
        SseC.checkPart(u.encryption, in);
        ObjectOps.CopySource src = ObjectOps.CopySource.parse(In.str(in, "CopySource"));
        ObjectVersion source = objects.copySource(ctx, src, in);
        long start = 0;
        long length = source.size;
        String range = In.str(in, "CopySourceRange");
        if (range != null) {
            java.util.regex.Matcher m = COPY_RANGE.matcher(range.trim());
            if (!m.matches() || Long.parseLong(m.group(1)) > Long.parseLong(m.group(2))) {
                throw S3Errors.invalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last where first "
                        + "and last are the zero-based offsets of the first and last bytes to copy", "x-amz-copy-source-range", range);
            }
            start = Long.parseLong(m.group(1));
            long last = Long.parseLong(m.group(2));
            // AWS's two answers (recorded): a range starting past the end, and one only ending past it
            if (start >= source.size) throw S3Errors.invalidRequest("The specified copy range is invalid for the source object size");
            if (last >= source.size) {
                throw S3Errors.invalidArgument("Range specified is not valid for source object of size: " + source.size,
                        "x-amz-copy-source-range", range);
            }
            length = last - start + 1;
        }
        Writes.Written w;
        try {
            w = Writes.copy(state, state.open(source, start, length), u.checksumAlgorithm);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MultipartUpload.Part part = new MultipartUpload.Part(number, SseC.etag(u.encryption, w.etag()), w.blob().size(),
                S3State.now(), w.blob().id(), w.checksum());
        storePart(bucket, u, part);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ETag", part.etag());
        result.put("LastModified", part.lastModified());
        if (u.checksumRequested) result.put(u.checksumAlgorithm.member, part.checksum());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("CopyPartResult", result);
        if (!"null".equals(source.versionId)) out.put("CopySourceVersionId", source.versionId);
        // the upload's encryption, as UploadPart answers it
        u.encryption.forEach((k, v) -> out.put(k, k.equals("BucketKeyEnabled") ? Boolean.valueOf(v) : v));
        return out;
    }

    Map<String, Object> complete(RequestContext ctx, Map<String, Object> in) {
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        MultipartUpload u = upload(bucket, in);
        Map<String, Object> body = In.map(in, "MultipartUpload");
        List<Object> requested = body == null ? List.of() : In.list(body, "Parts");
        if (requested.isEmpty()) {
            if (body == null) throw S3Errors.malformedXml();
            throw S3Errors.invalidRequest("You must specify at least one part");
        }
        String type = In.str(in, "ChecksumType");
        if (type != null && u.checksumRequested && !type.equals(u.checksumType)) {
            throw S3Errors.invalidRequest("The upload was created using the " + u.checksumType
                    + " checksum mode. The complete request must use the same checksum mode.");
        }
        if (type != null && !u.checksumRequested) {
            throw S3Errors.invalidRequest("The upload was created using the null checksum mode. The complete request must use the "
                    + "same checksum mode.");
        }
        Conditions.WriteCondition condition = Conditions.write(in, u.key);
        if (condition != null) Conditions.checkCompletion(condition, bucket.objects.get(u.key), u);
        List<MultipartUpload.Part> chosen = new ArrayList<>();
        int previous = 0;
        for (Object o : requested) {
            @SuppressWarnings("unchecked") Map<String, Object> p = (Map<String, Object>) o;
            Integer number = In.integer(p, "PartNumber");
            if (number == null) throw S3Errors.malformedXml();
            if (number <= previous) {
                throw new ServiceException("InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered "
                        + "by part number.", 400).with("UploadId", u.uploadId);
            }
            previous = number;
            MultipartUpload.Part part = u.parts.get(number);
            String etag = In.str(p, "ETag");
            if (part == null || etag == null || !Writes.unquote(etag).equals(Writes.unquote(part.etag()))) {
                throw new ServiceException("InvalidPart", "One or more of the specified parts could not be found.  The part may "
                        + "not have been uploaded, or the specified entity tag may not match the part's entity tag.", 400)
                        .with("ETag", etag == null ? "" : Writes.unquote(etag)).with("PartNumber", String.valueOf(number))
                        .with("UploadId", u.uploadId);
            }
            if (u.checksumRequested && "COMPOSITE".equals(u.checksumType) && In.str(p, u.checksumAlgorithm.member) == null) {
                throw S3Errors.invalidRequest("The upload was created using a " + u.checksumAlgorithm.name().toLowerCase()
                        + " checksum. The complete request must include the checksum for each part. It was missing for part "
                        + number + " in the request.");
            }
            String given = In.str(p, u.checksumAlgorithm.member);
            if (given != null && !given.equals(part.checksum())) {
                throw new ServiceException("InvalidPart", "One or more of the specified parts could not be found.  The part may "
                        + "not have been uploaded, or the specified entity tag may not match the part's entity tag.", 400)
                        .with("ETag", Writes.unquote(etag)).with("PartNumber", String.valueOf(number)).with("UploadId", u.uploadId);
            }
            chosen.add(part);
        }
        for (int i = 0; i < chosen.size() - 1; i++) {
            MultipartUpload.Part p = chosen.get(i);
            if (p.size() < MIN_PART_SIZE) {
                throw new ServiceException("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size", 400)
                        .with("ETag", Writes.unquote(p.etag())).with("MinSizeAllowed", String.valueOf(MIN_PART_SIZE))
                        .with("PartNumber", String.valueOf(p.partNumber())).with("ProposedSize", String.valueOf(p.size()));
            }
        }
        long total = 0;
        for (MultipartUpload.Part p : chosen) total += p.size();
        String expectedSize = In.str(in, "MpuObjectSize");
        if (expectedSize != null && !expectedSize.trim().equals(String.valueOf(total))) {
            throw S3Errors.invalidRequest("The provided 'x-amz-mp-object-size' header value " + expectedSize
                    + " does not match what was computed: " + total);
        }
        // claim the upload: from here on it no longer exists for other requests
        if (!bucket.uploads.remove(u.uploadId, u)) throw S3Errors.noSuchUpload(u.uploadId);
        String etag = multipartEtag(chosen);
        // an SSE-C upload gets no default checksum: AWS answers none for it (recorded)
        boolean checksummed = u.checksumRequested || !u.encryption.containsKey(SseC.KEY_MD5);
        String checksum = checksummed ? checksum(u, chosen) : null;
        List<ObjectVersion.Segment> segments = new ArrayList<>();
        for (MultipartUpload.Part p : chosen) segments.add(new ObjectVersion.Segment(p.blobId(), p.size(), p.checksum()));
        ObjectVersion v = new ObjectVersion(u.key, ObjectOps.newVersionId(bucket), false, S3State.now(), etag, total,
                u.ownerAccount, segments, u.headers, u.metadata, u.storageClass, u.encryption,
                checksummed ? u.checksumAlgorithm : null, checksum, checksummed ? u.checksumType : null, chosen.size(), u.tags, u.acl)
                .lock(u.lock != null ? u.lock : ObjectLocks.forWrite(bucket, Map.of(), state.clock.instant()));
        try {
            state.publish(bucket, v, condition == null ? null : old -> {
                Conditions.checkCompletion(condition, old, u);
                return old;
            });
        } catch (RuntimeException e) {
            bucket.uploads.put(u.uploadId, u); // the upload stays, as S3 keeps it after a failed completion
            throw e;
        }
        state.notifications.objectCreated(ctx, bucket, v, "CompleteMultipartUpload");
        java.util.Set<String> kept = new java.util.HashSet<>();
        for (MultipartUpload.Part p : chosen) kept.add(p.blobId());
        for (MultipartUpload.Part p : u.parts.values()) {
            if (!kept.contains(p.blobId())) state.blobs.delete(p.blobId());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Location", location(state, ctx, bucket.name, u.key));
        out.put("Bucket", bucket.name);
        out.put("Key", u.key);
        out.put("ETag", etag);
        if (checksummed) {
            out.put(u.checksumAlgorithm.member, checksum);
            out.put("ChecksumType", u.checksumType);
        }
        if (!"null".equals(v.versionId)) out.put("VersionId", v.versionId);
        u.encryption.forEach((k, val) -> out.put(k, k.equals("BucketKeyEnabled") ? Boolean.valueOf(val) : val));
        return out;
    }

    static String location(S3State state, RequestContext ctx, String bucket, String key) {
        String host = ctx.request() == null ? null : ctx.request().header("Host");
        if (host == null) host = "s3.localhost.localstack.cloud:4566";
        return state.urlScheme + "://" + host + "/" + bucket + "/" + ListOps.enc(key, true);
    }

    static String multipartEtag(List<MultipartUpload.Part> parts) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            for (MultipartUpload.Part p : parts) md5.update(HexFormat.of().parseHex(Writes.unquote(p.etag())));
            return "\"" + HexFormat.of().formatHex(md5.digest()) + "-" + parts.size() + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** FULL_OBJECT: the CRC of the whole object, combined from the parts' CRCs; COMPOSITE: checksum of the part checksums + "-N". */
    static String checksum(MultipartUpload u, List<MultipartUpload.Part> parts) {
        ChecksumAlgorithm a = u.checksumAlgorithm;
        if ("FULL_OBJECT".equals(u.checksumType)) {
            String[] values = new String[parts.size()];
            long[] sizes = new long[parts.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = parts.get(i).checksum();
                sizes[i] = parts.get(i).size();
            }
            return CrcCombine.combineBase64(a, values, sizes);
        }
        ChecksumAlgorithm.Hasher h = a.newHasher();
        for (MultipartUpload.Part p : parts) {
            byte[] raw = Base64.getDecoder().decode(p.checksum());
            h.update(raw, 0, raw.length);
        }
        return h.base64() + "-" + parts.size();
    }

    Map<String, Object> abort(RequestContext ctx, Map<String, Object> in) {
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        MultipartUpload u = upload(bucket, in);
        if (bucket.uploads.remove(u.uploadId, u)) {
            for (MultipartUpload.Part p : u.parts.values()) state.blobs.delete(p.blobId());
        }
        ctx.response().status(204);
        return new LinkedHashMap<>();
    }

    Map<String, Object> listParts(RequestContext ctx, Map<String, Object> in) {
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        MultipartUpload u = upload(bucket, in);
        Integer marker = In.integer(in, "PartNumberMarker");
        Integer maxParts = In.integer(in, "MaxParts");
        int max = maxParts == null ? 1000 : Math.min(Math.max(maxParts, 0), 1000);
        List<Object> parts = new ArrayList<>();
        boolean truncated = false;
        int last = 0;
        for (MultipartUpload.Part p : (marker == null ? u.parts : u.parts.tailMap(marker, false)).values()) {
            if (parts.size() >= max) {
                truncated = true;
                break;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("PartNumber", p.partNumber());
            m.put("LastModified", p.lastModified());
            m.put("ETag", p.etag());
            m.put("Size", p.size());
            if (u.checksumRequested) m.put(u.checksumAlgorithm.member, p.checksum());
            parts.add(m);
            last = p.partNumber();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Bucket", bucket.name);
        out.put("Key", u.key);
        out.put("UploadId", u.uploadId);
        out.put("PartNumberMarker", marker == null ? 0 : marker);
        out.put("NextPartNumberMarker", last); // the last part listed, 0 when none (AWS sends it even untruncated)
        out.put("MaxParts", maxParts == null ? 1000 : maxParts);
        out.put("IsTruncated", truncated);
        if (!parts.isEmpty()) out.put("Parts", parts);
        out.put("Initiator", initiator(u.ownerAccount));
        out.put("Owner", S3State.owner(u.ownerAccount));
        out.put("StorageClass", u.storageClass);
        if (u.checksumRequested) {
            out.put("ChecksumAlgorithm", u.checksumAlgorithm.name());
            out.put("ChecksumType", u.checksumType);
        }
        return out;
    }

    /** AWS still names the initiator (unlike the Owner, which lost its DisplayName in 2025). */
    private static Map<String, Object> initiator(String account) {
        Map<String, Object> initiator = new LinkedHashMap<>();
        initiator.put("DisplayName", "webfile");
        initiator.putAll(S3State.owner(account));
        return initiator;
    }

    Map<String, Object> listUploads(RequestContext ctx, Map<String, Object> in) {
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        boolean url = ListOps.urlEncoding(in);
        String prefix = ListOps.orEmpty(In.str(in, "Prefix"));
        String delimiter = ListOps.emptyToNull(In.str(in, "Delimiter"));
        String keyMarker = ListOps.emptyToNull(In.str(in, "KeyMarker"));
        String uploadIdMarker = ListOps.emptyToNull(In.str(in, "UploadIdMarker"));
        Integer maxUploads = In.integer(in, "MaxUploads");
        int max = maxUploads == null ? 1000 : Math.min(Math.max(maxUploads, 0), 1000);
        // uploads sorted by key, then initiation time
        TreeMap<String, List<MultipartUpload>> byKey = new TreeMap<>(KeyOrder.INSTANCE);
        for (MultipartUpload u : bucket.uploads.values()) {
            if (u.key.startsWith(prefix)) byKey.computeIfAbsent(u.key, k -> new ArrayList<>()).add(u);
        }
        if (uploadIdMarker != null && keyMarker != null && byKey.containsKey(keyMarker)) {
            boolean known = byKey.get(keyMarker).stream().anyMatch(u -> u.uploadId.equals(uploadIdMarker));
            if (!known) throw S3Errors.invalidArgument("Invalid uploadId marker", "upload-id-marker", uploadIdMarker);
        }
        List<Object> uploads = new ArrayList<>();
        List<Object> prefixes = new ArrayList<>();
        java.util.Set<String> seenPrefixes = new java.util.HashSet<>();
        boolean truncated = false;
        String nextKey = null;
        String nextUpload = null;
        outer:
        for (Map.Entry<String, List<MultipartUpload>> e : byKey.entrySet()) {
            String key = e.getKey();
            if (keyMarker != null && KeyOrder.INSTANCE.compare(key, keyMarker) < 0) continue;
            if (keyMarker != null && key.equals(keyMarker) && uploadIdMarker == null) continue;
            if (delimiter != null) {
                int idx = key.indexOf(delimiter, prefix.length());
                if (idx >= 0) {
                    String cp = key.substring(0, idx + delimiter.length());
                    // a prefix at or before the key marker was listed on an earlier page (AWS skips it)
                    boolean listedBefore = keyMarker != null && KeyOrder.INSTANCE.compare(cp, keyMarker) <= 0;
                    if (!listedBefore && seenPrefixes.add(cp)) {
                        if (uploads.size() + prefixes.size() >= max) {
                            truncated = true;
                            break;
                        }
                        prefixes.add(Map.of("Prefix", ListOps.enc(cp, url)));
                    }
                    continue;
                }
            }
            List<MultipartUpload> list = e.getValue();
            list.sort(java.util.Comparator.comparingLong(u -> u.sequence));
            boolean past = !(key.equals(keyMarker) && uploadIdMarker != null);
            for (MultipartUpload u : list) {
                if (!past) {
                    if (u.uploadId.equals(uploadIdMarker)) past = true;
                    continue;
                }
                if (uploads.size() + prefixes.size() >= max) {
                    truncated = true;
                    break outer;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("UploadId", u.uploadId);
                m.put("Key", ListOps.enc(u.key, url));
                m.put("Initiated", u.initiated);
                m.put("StorageClass", u.storageClass);
                m.put("Owner", S3State.owner(u.ownerAccount));
                m.put("Initiator", initiator(u.ownerAccount));
                if (u.checksumRequested) {
                    m.put("ChecksumAlgorithm", u.checksumAlgorithm.name());
                    m.put("ChecksumType", u.checksumType);
                }
                uploads.add(m);
                nextKey = u.key;
                nextUpload = u.uploadId;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Bucket", bucket.name);
        out.put("KeyMarker", ListOps.enc(ListOps.orEmpty(keyMarker), url));
        out.put("UploadIdMarker", ListOps.orEmpty(uploadIdMarker));
        // AWS always names the last upload listed (even untruncated), "" when the page holds none: a page of
        // common prefixes only gives no marker to go on from
        out.put("NextKeyMarker", nextKey == null ? "" : ListOps.enc(nextKey, url));
        out.put("NextUploadIdMarker", ListOps.orEmpty(nextUpload));
        if (In.str(in, "Prefix") != null) out.put("Prefix", ListOps.enc(prefix, url)); // AWS omits it when not asked
        if (delimiter != null) out.put("Delimiter", ListOps.enc(delimiter, url));
        out.put("MaxUploads", maxUploads == null ? 1000 : maxUploads);
        out.put("IsTruncated", truncated);
        if (!uploads.isEmpty()) out.put("Uploads", uploads);
        if (!prefixes.isEmpty()) out.put("CommonPrefixes", prefixes);
        if (url) out.put("EncodingType", "url");
        return out;
    }
}
