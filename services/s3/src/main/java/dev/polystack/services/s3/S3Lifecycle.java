package dev.polystack.services.s3;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Applies buckets' lifecycle rules as S3 does, asynchronously: a periodic sweep (on the shared
 * scheduler) expires current versions ({@code Expiration} Days or Date: removed, or hidden behind a
 * delete marker in a versioned bucket), removes noncurrent versions ({@code NoncurrentVersionExpiration}),
 * expired delete markers ({@code ExpiredObjectDeleteMarker}) and stale multipart uploads
 * ({@code AbortIncompleteMultipartUpload}). Rules filter by prefix, tags and object size. Transitions
 * to other storage classes are not applied. Time comes from {@link S3State#clock}, so tests can move it.
 */
final class S3Lifecycle implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(S3Lifecycle.class.getName());
    private final S3State state;
    private volatile ScheduledFuture<?> task;

    S3Lifecycle(S3State state) {
        this.state = state;
    }

    void start(ScheduledExecutorService scheduler, long periodSeconds) {
        if (periodSeconds <= 0) return;
        task = scheduler.scheduleWithFixedDelay(() -> {
            try {
                sweep();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "S3 lifecycle sweep failed", e);
            }
        }, periodSeconds, periodSeconds, TimeUnit.SECONDS);
    }

    /** One pass over every bucket with a lifecycle configuration; returns how many versions and uploads it removed or hid. */
    int sweep() {
        Instant now = state.clock.instant();
        int actions = 0;
        for (Map<String, Bucket> buckets : state.partitions.values()) {
            for (Bucket bucket : buckets.values()) {
                List<Rule> rules = rules(bucket);
                if (!rules.isEmpty()) actions += apply(bucket, rules, now);
            }
        }
        return actions;
    }

    /** An enabled rule: its filter and its actions (null/absent when the rule does not set them). */
    private record Rule(String id, String prefix, List<Map<String, Object>> tags, Long sizeGreaterThan, Long sizeLessThan,
                        Integer days, Instant date, boolean expiredDeleteMarker, Integer noncurrentDays, Integer newerNoncurrent,
                        Integer abortDays) {
        boolean matches(ObjectVersion v) {
            if (!v.key.startsWith(prefix)) return false;
            if (sizeGreaterThan != null && !(v.size > sizeGreaterThan)) return false;
            if (sizeLessThan != null && !(v.size < sizeLessThan)) return false;
            for (Map<String, Object> tag : tags) {
                boolean found = false;
                for (Map<String, Object> t : v.tags()) {
                    if (String.valueOf(t.get("Key")).equals(String.valueOf(tag.get("Key")))
                            && String.valueOf(t.get("Value")).equals(String.valueOf(tag.get("Value")))) found = true;
                }
                if (!found) return false;
            }
            return true;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Rule> rules(Bucket bucket) {
        if (!(bucket.configurations.get("lifecycle") instanceof Map<?, ?> config)) return List.of();
        List<Rule> rules = new ArrayList<>();
        for (Object o : In.list((Map<String, Object>) config, "Rules")) {
            Map<String, Object> r = (Map<String, Object>) o;
            if (!"Enabled".equals(In.str(r, "Status"))) continue;
            Map<String, Object> filter = In.map(r, "Filter");
            Map<String, Object> and = filter == null ? null : In.map(filter, "And");
            Map<String, Object> f = and != null ? and : filter;
            String prefix = f != null && In.str(f, "Prefix") != null ? In.str(f, "Prefix") : In.str(r, "Prefix");
            List<Map<String, Object>> tags = new ArrayList<>();
            if (f != null) {
                if (In.map(f, "Tag") != null) tags.add(In.map(f, "Tag"));
                for (Object t : In.list(f, "Tags")) tags.add((Map<String, Object>) t);
            }
            Map<String, Object> expiration = In.map(r, "Expiration");
            Map<String, Object> noncurrent = In.map(r, "NoncurrentVersionExpiration");
            Map<String, Object> abort = In.map(r, "AbortIncompleteMultipartUpload");
            Object date = expiration == null ? null : expiration.get("Date");
            rules.add(new Rule(In.str(r, "ID"), prefix == null ? "" : prefix, tags,
                    f == null ? null : number(f.get("ObjectSizeGreaterThan")), f == null ? null : number(f.get("ObjectSizeLessThan")),
                    expiration == null ? null : In.integer(expiration, "Days"),
                    date instanceof Instant i ? i : date == null ? null : Instant.parse(date.toString()),
                    expiration != null && In.bool(expiration, "ExpiredObjectDeleteMarker"),
                    noncurrent == null ? null : In.integer(noncurrent, "NoncurrentDays"),
                    noncurrent == null ? null : In.integer(noncurrent, "NewerNoncurrentVersions"),
                    abort == null ? null : In.integer(abort, "DaysAfterInitiation")));
        }
        return rules;
    }

    /**
     * The x-amz-expiration value (PutObject, HeadObject, GetObject) for a current version a rule will expire:
     * {@code expiry-date="Fri, 23 Dec 2012 00:00:00 GMT", rule-id="rule"} (the earliest rule); null when none does.
     */
    static String expirationHeader(Bucket bucket, ObjectVersion v) {
        Instant earliest = null;
        String ruleId = null;
        for (Rule r : rules(bucket)) {
            if ((r.days() == null && r.date() == null) || !r.matches(v)) continue;
            Instant t = r.days() != null ? expiry(v.lastModified, r.days()) : r.date();
            if (earliest == null || t.isBefore(earliest)) {
                earliest = t;
                ruleId = r.id();
            }
        }
        if (earliest == null) return null;
        return "expiry-date=\"" + HttpDates.format(earliest) + "\", rule-id=\"" + (ruleId == null ? "" : ruleId) + "\"";
    }

    private static Long number(Object o) {
        return o instanceof Number n ? n.longValue() : o == null ? null : Long.valueOf(o.toString());
    }

    /**
     * S3's expiry moment: the start time plus the days, rounded up to the next midnight UTC (an object
     * created on Jan 15 at 10:30 with Days=1 expires on Jan 17 at 00:00).
     */
    static Instant expiry(Instant start, int days) {
        Instant t = start.plus(Duration.ofDays(days));
        Instant midnight = t.truncatedTo(ChronoUnit.DAYS);
        return midnight.equals(t) ? t : midnight.plus(Duration.ofDays(1));
    }

    private int apply(Bucket bucket, List<Rule> rules, Instant now) {
        int actions = 0;
        for (Map.Entry<String, KeyEntry> e : bucket.objects.entrySet()) {
            KeyEntry entry = e.getValue();
            ObjectVersion latest = entry.latest();
            if (!latest.deleteMarker && expiresNow(rules, latest, now)) {
                actions += expireCurrent(bucket, latest);
                continue;
            }
            actions += expireNoncurrent(bucket, entry, rules, now);
            if (latest.deleteMarker && entry.versions().size() == 1 && rules.stream().anyMatch(r -> r.expiredDeleteMarker()
                    && latest.key.startsWith(r.prefix()))) {
                actions += removeVersion(bucket, latest, false);
            }
        }
        for (MultipartUpload u : bucket.uploads.values()) {
            boolean stale = rules.stream().anyMatch(r -> r.abortDays() != null && u.key.startsWith(r.prefix())
                    && !now.isBefore(expiry(u.initiated, r.abortDays())));
            if (stale && bucket.uploads.remove(u.uploadId, u)) {
                for (MultipartUpload.Part p : u.parts.values()) state.blobs.delete(p.blobId());
                actions++;
            }
        }
        return actions;
    }

    private static boolean expiresNow(List<Rule> rules, ObjectVersion v, Instant now) {
        for (Rule r : rules) {
            if (r.days() == null && r.date() == null) continue;
            if (!r.matches(v)) continue;
            if (r.days() != null && !now.isBefore(expiry(v.lastModified, r.days()))) return true;
            if (r.date() != null && !now.isBefore(r.date())) return true;
        }
        return false;
    }

    /** Unversioned: the object goes. Versioned (or suspended): a delete marker hides it, as a DeleteObject would. */
    private int expireCurrent(Bucket bucket, ObjectVersion latest) {
        if (bucket.versioning == null) return removeVersion(bucket, latest, false);
        ObjectVersion marker = ObjectVersion.deleteMarker(latest.key, ObjectOps.newVersionId(bucket), S3State.now(), bucket.accountId);
        boolean[] done = new boolean[1];
        state.update(bucket, latest.key, (old, removed) -> {
            done[0] = old != null && old.latest() == latest; // unchanged since we looked
            return done[0] ? old.with(marker, removed) : old;
        });
        if (!done[0]) return 0;
        state.notifications.lifecycleExpired(bucket, latest.key, marker.versionId, true);
        return 1;
    }

    private int expireNoncurrent(Bucket bucket, KeyEntry entry, List<Rule> rules, Instant now) {
        List<ObjectVersion> versions = entry.versions();
        int actions = 0;
        for (Rule r : rules) {
            if (r.noncurrentDays() == null) continue;
            int keep = r.newerNoncurrent() == null ? 0 : r.newerNoncurrent();
            int noncurrentSeen = 0;
            for (int i = 1; i < versions.size(); i++) {
                ObjectVersion v = versions.get(i);
                if (!r.matches(v)) continue;
                noncurrentSeen++;
                // a version became noncurrent when its successor was written
                Instant since = versions.get(i - 1).lastModified;
                // lifecycle never removes a version Object Lock protects (AWS skips it until the lock ends)
                if (noncurrentSeen > keep && !now.isBefore(expiry(since, r.noncurrentDays())) && !ObjectLocks.protects(v, now)) {
                    actions += removeVersion(bucket, v, true);
                }
            }
        }
        return actions;
    }

    private int removeVersion(Bucket bucket, ObjectVersion v, boolean reportVersion) {
        boolean[] done = new boolean[1];
        state.update(bucket, v.key, (old, removed) -> {
            done[0] = old != null && old.version(v.versionId) == v;
            return done[0] ? old.without(v.versionId, removed) : old;
        });
        if (!done[0]) return 0;
        state.notifications.lifecycleExpired(bucket, v.key, reportVersion || !"null".equals(v.versionId) ? v.versionId : null, false);
        return 1;
    }

    @Override
    public void close() {
        ScheduledFuture<?> t = task;
        if (t != null) t.cancel(false);
    }
}
