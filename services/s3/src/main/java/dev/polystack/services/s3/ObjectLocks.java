package dev.polystack.services.s3;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.s3.api.GetObjectLegalHoldOutput;
import dev.polystack.services.s3.api.GetObjectLegalHoldRequest;
import dev.polystack.services.s3.api.GetObjectRetentionOutput;
import dev.polystack.services.s3.api.GetObjectRetentionRequest;
import dev.polystack.services.s3.api.ObjectLockLegalHold;
import dev.polystack.services.s3.api.ObjectLockRetention;
import dev.polystack.services.s3.api.PutObjectLegalHoldOutput;
import dev.polystack.services.s3.api.PutObjectLegalHoldRequest;
import dev.polystack.services.s3.api.PutObjectRetentionOutput;
import dev.polystack.services.s3.api.PutObjectRetentionRequest;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * Object Lock: retention (GOVERNANCE, COMPLIANCE) and legal holds on object versions, set on write (headers or
 * the bucket's default retention) or by PutObjectRetention / PutObjectLegalHold, and enforced on deletes of a
 * version as S3 enforces them: a legal hold or COMPLIANCE retention refuses, GOVERNANCE refuses unless
 * {@code x-amz-bypass-governance-retention}. Retention may be extended, not shortened or weakened, unless bypassed
 * in GOVERNANCE mode.
 */
final class ObjectLocks {
    private static final DateTimeFormatter JAVA_DATE = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss zzz yyyy", Locale.US);

    private ObjectLocks() {
    }

    static boolean enabled(Bucket bucket) {
        return bucket.objectLockEnabled || bucket.configurations.containsKey("objectLock");
    }

    static ServiceException locked() {
        return new ServiceException("AccessDenied", "Access Denied because object protected by object lock.", 403);
    }

    private static ServiceException missingConfiguration() {
        return S3Errors.invalidRequest("Bucket is missing Object Lock Configuration");
    }

    private static ServiceException notFound() {
        return new ServiceException("NoSuchObjectLockConfiguration", "The specified object does not have a ObjectLock configuration", 404);
    }

    /** The lock a new version gets: from x-amz-object-lock-* headers, else the bucket's default retention; null for none. */
    static ObjectVersion.Lock forWrite(Bucket bucket, Map<String, Object> in, Instant now) {
        return forWrite(bucket, In.str(in, "ObjectLockMode"), In.instant(in, "ObjectLockRetainUntilDate"),
                In.str(in, "ObjectLockLegalHoldStatus"), now);
    }

    /** As {@link #forWrite(Bucket, Map, Instant)}, from the x-amz-object-lock-* headers (any may be null). */
    static ObjectVersion.Lock forWrite(Bucket bucket, String mode, Instant until, String hold, Instant now) {
        if (mode != null && !mode.equals("GOVERNANCE") && !mode.equals("COMPLIANCE")) {
            throw S3Errors.invalidArgument("Unknown wormMode directive.", "x-amz-object-lock-mode", mode);
        }
        if ((mode == null) != (until == null)) {
            throw S3Errors.invalidArgument("x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied",
                    mode == null ? "x-amz-object-lock-mode" : "x-amz-object-lock-retain-until-date", null);
        }
        if (hold != null && !hold.equals("ON") && !hold.equals("OFF")) {
            throw S3Errors.invalidArgument("Legal Hold must be either of 'ON' or 'OFF'", "x-amz-object-lock-legal-hold", hold);
        }
        if (!enabled(bucket)) {
            if (mode != null || hold != null) throw missingConfiguration();
            return null;
        }
        if (mode == null) {
            Map<String, Object> retention = defaultRetention(bucket);
            if (retention != null) {
                mode = In.str(retention, "Mode");
                Integer days = In.integer(retention, "Days");
                Integer years = In.integer(retention, "Years");
                ZonedDateTime t = now.atZone(ZoneOffset.UTC);
                until = (days != null ? t.plusDays(days) : t.plusYears(years == null ? 0 : years)).toInstant();
            }
        }
        return mode == null && hold == null ? null : new ObjectVersion.Lock(mode, until, hold);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> defaultRetention(Bucket bucket) {
        Object config = bucket.configurations.get("objectLock");
        if (!(config instanceof Map<?, ?> c)) return null;
        Map<String, Object> rule = In.map((Map<String, Object>) c, "Rule");
        return rule == null ? null : In.map(rule, "DefaultRetention");
    }

    /** x-amz-bypass-governance-retention is refused on buckets without Object Lock, true or false. */
    static boolean bypass(Bucket bucket, Map<String, Object> in) {
        return bypass(bucket, in.get("BypassGovernanceRetention") == null ? null : In.bool(in, "BypassGovernanceRetention"));
    }

    /** @param requested x-amz-bypass-governance-retention, null when not sent */
    static boolean bypass(Bucket bucket, Boolean requested) {
        if (requested == null) return false;
        if (!enabled(bucket)) {
            throw S3Errors.invalidArgument("x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets.",
                    "x-amz-bypass-governance-retention", null);
        }
        return requested;
    }

    /** Refuses to delete a version a legal hold or an unexpired retention protects. */
    /** Whether a retention (of either mode, until its date) or a legal hold protects this version now. */
    static boolean protects(ObjectVersion v, Instant now) {
        ObjectVersion.Lock lock = v.lock();
        if (lock == null) return false;
        if ("ON".equals(lock.legalHold())) return true;
        return lock.mode() != null && lock.retainUntil() != null && lock.retainUntil().isAfter(now);
    }

    static void checkDelete(ObjectVersion v, boolean bypass, Instant now) {
        ObjectVersion.Lock lock = v.lock();
        if (lock == null) return;
        if ("ON".equals(lock.legalHold())) throw locked();
        if (lock.mode() == null || lock.retainUntil() == null || !lock.retainUntil().isAfter(now)) return;
        if (lock.mode().equals("COMPLIANCE") || !bypass) throw locked();
    }

    // ---- PutObjectRetention / GetObjectRetention / PutObjectLegalHold / GetObjectLegalHold ------------------------

    static PutObjectRetentionOutput putRetention(RequestContext ctx, S3State state, ObjectOps objects, PutObjectRetentionRequest in) {
        Bucket bucket = state.bucket(ctx, in.bucket());
        boolean bypass = Boolean.TRUE.equals(in.bypassGovernanceRetention());
        if (!enabled(bucket)) throw missingConfiguration();
        ObjectVersion v = objects.resolve(ctx, bucket, in.key(), in.versionId(), "PUT");
        ObjectLockRetention retention = in.retention();
        if (retention == null) throw S3Errors.malformedXml();
        String mode = retention.modeAsString();
        Instant until = retention.retainUntilDate();
        if ((mode == null) != (until == null)) throw S3Errors.malformedXml();
        if (mode != null && !mode.equals("GOVERNANCE") && !mode.equals("COMPLIANCE")) throw S3Errors.malformedXml();
        Instant now = state.clock.instant();
        if (until != null && !until.isAfter(now)) {
            throw S3Errors.invalidArgument("The retain until date must be in the future!", "RetainUntilDate",
                    JAVA_DATE.format(until.atZone(ZoneOffset.UTC)));
        }
        ObjectVersion.Lock old = v.lock();
        boolean active = old != null && old.mode() != null && old.retainUntil() != null && old.retainUntil().isAfter(now);
        if (active) {
            boolean weaker = mode == null || until.isBefore(old.retainUntil())
                    || (old.mode().equals("COMPLIANCE") && !mode.equals("COMPLIANCE"));
            if (weaker && (old.mode().equals("COMPLIANCE") || !bypass)) throw locked();
        }
        v.lock(new ObjectVersion.Lock(mode, until, old == null ? null : old.legalHold()));
        return PutObjectRetentionOutput.builder().build();
    }

    static GetObjectRetentionOutput getRetention(RequestContext ctx, S3State state, ObjectOps objects, GetObjectRetentionRequest in) {
        Bucket bucket = state.bucket(ctx, in.bucket());
        if (!enabled(bucket)) throw missingConfiguration();
        ObjectVersion v = objects.resolve(ctx, bucket, in.key(), in.versionId(), "GET");
        ObjectVersion.Lock lock = v.lock();
        if (lock == null || lock.mode() == null) throw notFound();
        return GetObjectRetentionOutput.builder().retention(ObjectLockRetention.builder().mode(lock.mode())
                .retainUntilDate(lock.retainUntil()).build()).build();
    }

    static PutObjectLegalHoldOutput putLegalHold(RequestContext ctx, S3State state, ObjectOps objects, PutObjectLegalHoldRequest in) {
        Bucket bucket = state.bucket(ctx, in.bucket());
        if (!enabled(bucket)) throw missingConfiguration();
        ObjectVersion v = objects.resolve(ctx, bucket, in.key(), in.versionId(), "PUT");
        String status = in.legalHold() == null ? null : in.legalHold().statusAsString();
        if (!"ON".equals(status) && !"OFF".equals(status)) throw S3Errors.malformedXml();
        ObjectVersion.Lock old = v.lock();
        v.lock(new ObjectVersion.Lock(old == null ? null : old.mode(), old == null ? null : old.retainUntil(), status));
        return PutObjectLegalHoldOutput.builder().build();
    }

    static GetObjectLegalHoldOutput getLegalHold(RequestContext ctx, S3State state, ObjectOps objects, GetObjectLegalHoldRequest in) {
        Bucket bucket = state.bucket(ctx, in.bucket());
        if (!enabled(bucket)) throw missingConfiguration();
        ObjectVersion v = objects.resolve(ctx, bucket, in.key(), in.versionId(), "GET");
        ObjectVersion.Lock lock = v.lock();
        if (lock == null || lock.legalHold() == null) throw notFound();
        return GetObjectLegalHoldOutput.builder().legalHold(ObjectLockLegalHold.builder().status(lock.legalHold()).build()).build();
    }

    /** PutObjectLockConfiguration's body: S3 answers MalformedXML for any shape it does not accept. */
    static void validateConfiguration(Map<String, Object> config) {
        if (!"Enabled".equals(In.str(config, "ObjectLockEnabled"))) throw S3Errors.malformedXml();
        if (!config.containsKey("Rule")) return;
        Map<String, Object> rule = In.map(config, "Rule");
        Map<String, Object> retention = rule == null ? null : In.map(rule, "DefaultRetention");
        if (retention == null) throw S3Errors.malformedXml();
        String mode = In.str(retention, "Mode");
        if (!"GOVERNANCE".equals(mode) && !"COMPLIANCE".equals(mode)) throw S3Errors.malformedXml();
        boolean days = retention.get("Days") != null;
        boolean years = retention.get("Years") != null;
        if (days == years) throw S3Errors.malformedXml();
        Integer n = In.integer(retention, days ? "Days" : "Years");
        if (n == null || n <= 0) {
            throw S3Errors.invalidArgument("Default retention period must be a positive integer value.", "DefaultRetention", null);
        }
    }
}
