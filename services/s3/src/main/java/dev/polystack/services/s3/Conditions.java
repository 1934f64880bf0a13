package dev.polystack.services.s3;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.time.Instant;
import java.util.Map;

/** Conditional requests: If-Match / If-None-Match / If-(Un)Modified-Since on reads, writes and copy sources. */
final class Conditions {
    private Conditions() {
    }

    /**
     * Evaluates read conditions in RFC 7232 order. Throws 412 PreconditionFailed; returns true (with
     * status 304 and the validators in {@code out}) when the client's copy is current.
     */
    static boolean read(RequestContext ctx, Map<String, Object> in, ObjectVersion v, Map<String, Object> out) {
        boolean notModified = read(ctx, new Read(In.str(in, "IfMatch"), In.str(in, "IfNoneMatch"), In.instant(in, "IfModifiedSince"),
                In.instant(in, "IfUnmodifiedSince")), v);
        if (notModified) {
            out.put("ETag", v.etag);
            out.put("LastModified", v.lastModified);
            if (!"null".equals(v.versionId)) out.put("VersionId", v.versionId);
        }
        return notModified;
    }

    /** A read's conditional headers (any may be null). */
    record Read(String ifMatch, String ifNoneMatch, Instant ifModifiedSince, Instant ifUnmodifiedSince) {
    }

    /**
     * As {@link #read(RequestContext, Map, ObjectVersion, Map)}; on true (304) the answer carries only the version's
     * ETag, LastModified and VersionId.
     */
    static boolean read(RequestContext ctx, Read c, ObjectVersion v) {
        String ifMatch = c.ifMatch();
        String ifNoneMatch = c.ifNoneMatch();
        Instant ifModifiedSince = c.ifModifiedSince();
        // a date in the future cannot be a copy the client holds: S3 ignores it (RFC 7232 says so too)
        if (ifModifiedSince != null && ifModifiedSince.isAfter(Instant.now())) ifModifiedSince = null;
        Instant ifUnmodifiedSince = c.ifUnmodifiedSince();
        if (ifMatch != null) {
            if (!etagMatches(ifMatch, v.etag)) throw S3Errors.preconditionFailed("If-Match");
        } else if (ifUnmodifiedSince != null && v.lastModified.isAfter(ifUnmodifiedSince)) {
            throw S3Errors.preconditionFailed("If-Unmodified-Since");
        }
        boolean notModified = false;
        if (ifNoneMatch != null) {
            notModified = etagMatches(ifNoneMatch, v.etag);
        } else if (ifModifiedSince != null && !v.lastModified.isAfter(ifModifiedSince)) {
            notModified = true;
        }
        if (notModified) ctx.response().status(304);
        return notModified;
    }

    /** x-amz-copy-source-if-* on the source of a copy: all failures are 412. */
    /** A copy's x-amz-copy-source-if-* headers (any may be null). */
    record CopySourceConditions(String ifMatch, String ifNoneMatch, Instant ifModifiedSince, Instant ifUnmodifiedSince) {
        static CopySourceConditions of(Map<String, Object> in) {
            return new CopySourceConditions(In.str(in, "CopySourceIfMatch"), In.str(in, "CopySourceIfNoneMatch"),
                    In.instant(in, "CopySourceIfModifiedSince"), In.instant(in, "CopySourceIfUnmodifiedSince"));
        }
    }

    static void copySource(CopySourceConditions c, ObjectVersion v) {
        String ifMatch = c.ifMatch();
        String ifNoneMatch = c.ifNoneMatch();
        Instant ifModifiedSince = c.ifModifiedSince();
        Instant ifUnmodifiedSince = c.ifUnmodifiedSince();
        if (ifMatch != null) {
            if (!etagMatches(ifMatch, v.etag)) throw S3Errors.preconditionFailed("x-amz-copy-source-If-Match");
        } else if (ifUnmodifiedSince != null && v.lastModified.isAfter(ifUnmodifiedSince)) {
            throw S3Errors.preconditionFailed("x-amz-copy-source-If-Unmodified-Since");
        }
        if (ifNoneMatch != null) {
            if (etagMatches(ifNoneMatch, v.etag)) throw S3Errors.preconditionFailed("x-amz-copy-source-If-None-Match");
        } else if (ifModifiedSince != null && !v.lastModified.isAfter(ifModifiedSince)) {
            throw S3Errors.preconditionFailed("x-amz-copy-source-If-Modified-Since");
        }
    }

    /** A conditional write: If-None-Match: * (create only) or If-Match: etag (replace that version only). */
    record WriteCondition(String key, String ifMatch, boolean ifNoneMatchStar) {
        void check(KeyEntry current) {
            ObjectVersion latest = current == null ? null : current.latest();
            boolean exists = latest != null && !latest.deleteMarker;
            if (ifNoneMatchStar && exists) throw S3Errors.preconditionFailed("If-None-Match");
            if (ifMatch != null) {
                if (!exists) throw S3Errors.noSuchKey(key);
                if (!etagMatches(ifMatch, latest.etag)) throw S3Errors.preconditionFailed("If-Match");
            }
        }
    }

    /**
     * CompleteMultipartUpload's conditions: as {@link WriteCondition#check}, and then, when the key was written or
     * deleted after the upload began, 409 ConditionalRequestConflict even though the condition holds (as AWS answers).
     */
    static void checkCompletion(WriteCondition condition, KeyEntry current, MultipartUpload u) {
        condition.check(current);
        if (!u.keyStateKnown) return;
        ObjectVersion latest = current == null ? null : current.latest();
        if (latest != u.keyAtStart) {
            throw new ServiceException("ConditionalRequestConflict", "The conditional request cannot succeed due to a conflicting "
                    + "operation against this resource.", 409)
                    .with("Condition", condition.ifMatch() != null ? "If-Match" : "If-None-Match").with("Key", condition.key());
        }
    }

    static WriteCondition write(Map<String, Object> in, String key) {
        return write(In.str(in, "IfMatch"), In.str(in, "IfNoneMatch"), key);
    }

    static WriteCondition write(String ifMatch, String ifNoneMatch, String key) {
        // what AWS does not implement for writes (recorded): both headers, If-None-Match other than *, If-Match: *
        if (ifMatch != null && ifNoneMatch != null) {
            throw notImplemented("If-Match,If-None-Match", "Multiple conditional request headers present in the request");
        }
        if (ifNoneMatch != null && !ifNoneMatch.trim().equals("*")) {
            throw notImplemented("If-None-Match", "We don't accept the provided value of If-None-Match header for this API");
        }
        if (ifMatch != null && ifMatch.trim().equals("*")) {
            throw notImplemented("If-Match", "We don't accept the provided value of If-Match header for this API");
        }
        if (ifMatch == null && ifNoneMatch == null) return null;
        return new WriteCondition(key, ifMatch, ifNoneMatch != null);
    }

    private static ServiceException notImplemented(String header, String detail) {
        return new ServiceException("NotImplemented", "A header you provided implies functionality that is not implemented", 501)
                .with("Header", header).with("additionalMessage", detail);
    }

    /** DeleteObject's If-Match (conditional delete). */
    static void deleteCondition(String ifMatch, String key, KeyEntry current) {
        if (ifMatch == null) return;
        ObjectVersion latest = current == null ? null : current.latest();
        if (latest == null || latest.deleteMarker) throw S3Errors.noSuchKey(key);
        if (!etagMatches(ifMatch, latest.etag)) throw S3Errors.preconditionFailed("If-Match");
    }

    /** Whether a header's entity-tag list (or *) matches the object's ETag. */
    static boolean etagMatches(String header, String etag) {
        if (etag == null) return false;
        String bare = Writes.unquote(etag);
        for (String candidate : header.split(",")) {
            String c = candidate.trim();
            if (c.equals("*")) return true;
            if (Writes.unquote(c).equals(bare)) return true;
        }
        return false;
    }
}
