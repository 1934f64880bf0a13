package dev.polystack.services.s3;

import dev.polystack.api.ServiceException;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** PutBucketLifecycleConfiguration's rules, refused as S3 refuses them (mostly MalformedXML: its schema checks). */
final class LifecycleValidation {
    private static final Set<String> FILTER_MEMBERS = Set.of("Prefix", "Tag", "And", "ObjectSizeGreaterThan", "ObjectSizeLessThan");
    /** The minimum days before a transition to a storage class (S3's rule for the infrequent-access classes). */
    private static final Map<String, Integer> MIN_TRANSITION_DAYS = Map.of("STANDARD_IA", 30, "ONEZONE_IA", 30);
    private static final Set<String> TRANSITION_CLASSES = Set.of("GLACIER", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING",
            "DEEP_ARCHIVE", "GLACIER_IR");

    private LifecycleValidation() {
    }

    @SuppressWarnings("unchecked")
    static void validate(Map<String, Object> config) {
        List<Object> rules = In.list(config, "Rules");
        if (rules.isEmpty()) throw S3Errors.malformedXml();
        for (Object r : rules) {
            Map<String, Object> rule = (Map<String, Object>) r;
            if (!"Enabled".equals(In.str(rule, "Status")) && !"Disabled".equals(In.str(rule, "Status"))) throw S3Errors.malformedXml();
            Map<String, Object> filter = In.map(rule, "Filter");
            if (filter == null && rule.get("Prefix") == null) throw S3Errors.malformedXml();
            if (filter != null) validateFilter(filter);
            Map<String, Object> expiration = In.map(rule, "Expiration");
            if (expiration != null) {
                int given = (expiration.get("Days") != null ? 1 : 0) + (expiration.get("Date") != null ? 1 : 0)
                        + (expiration.get("ExpiredObjectDeleteMarker") != null ? 1 : 0);
                if (given != 1) throw S3Errors.malformedXml();
                positiveDays(expiration, "Expiration");
                midnight(expiration);
            }
            Map<String, Object> noncurrent = In.map(rule, "NoncurrentVersionExpiration");
            if (noncurrent != null && noncurrent.get("NoncurrentDays") == null && noncurrent.get("NewerNoncurrentVersions") == null) {
                throw S3Errors.malformedXml();
            }
            for (Object t : In.list(rule, "Transitions")) {
                Map<String, Object> transition = (Map<String, Object>) t;
                String storageClass = In.str(transition, "StorageClass");
                if (storageClass == null || !TRANSITION_CLASSES.contains(storageClass)) throw S3Errors.malformedXml();
                if ((transition.get("Days") == null) == (transition.get("Date") == null)) throw S3Errors.malformedXml();
                midnight(transition);
                Integer days = In.integer(transition, "Days");
                if (days != null && days < 0) {
                    throw S3Errors.invalidArgument("'Days' in Transition action must be nonnegative", "Days", String.valueOf(days));
                }
                Integer min = MIN_TRANSITION_DAYS.get(storageClass);
                if (days != null && min != null && days < min) {
                    throw S3Errors.invalidArgument("'Days' in Transition action must be greater than or equal to " + min
                            + " for storageClass '" + storageClass + "'", "Days", String.valueOf(days));
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void validateFilter(Map<String, Object> filter) {
        int given = 0;
        for (String m : FILTER_MEMBERS) if (filter.get(m) != null) given++;
        if (given > 1) throw S3Errors.malformedXml();
        Map<String, Object> and = In.map(filter, "And");
        if (and == null) return;
        Set<String> keys = new HashSet<>();
        for (Object t : In.list(and, "Tags")) {
            String key = In.str((Map<String, Object>) t, "Key");
            if (key == null) throw S3Errors.malformedXml();
            if (!keys.add(key)) throw S3Errors.invalidRequest("Duplicate Tag Keys are not allowed.");
        }
    }

    private static void positiveDays(Map<String, Object> action, String name) {
        if (action.get("Days") == null) return;
        Integer days = In.integer(action, "Days");
        if (days == null || days <= 0) {
            throw S3Errors.invalidArgument("'Days' for " + name + " action must be a positive integer", "Days",
                    String.valueOf(action.get("Days")));
        }
    }

    private static void midnight(Map<String, Object> action) {
        if (action.get("Date") == null) return;
        Instant date = In.instant(action, "Date");
        if (date == null) throw S3Errors.malformedXml();
        if (date.atZone(ZoneOffset.UTC).toLocalTime().toSecondOfDay() != 0 || date.getNano() != 0) {
            throw S3Errors.invalidArgument("'Date' must be at midnight GMT", "Date", String.valueOf(action.get("Date")));
        }
    }
}
