package dev.polystack.services.s3;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The bucket configurations S3 keeps several of, each under an id: metrics, inventory, analytics and
 * intelligent-tiering. Put (204), get, list (100 a page, by id, with a continuation token) and delete (204),
 * with AWS's validation; stored in the bucket's configurations as {id: configuration} so snapshots keep them.
 */
final class IdConfigOps {
    private static final int PAGE = 100;

    /** One id-keyed configuration: its operations, input/output members and the list output's member. */
    record Kind(String name, String put, String get, String list, String delete, String member, String listMember) {
    }

    static final List<Kind> KINDS = List.of(
            new Kind("metrics", "PutBucketMetricsConfiguration", "GetBucketMetricsConfiguration",
                    "ListBucketMetricsConfigurations", "DeleteBucketMetricsConfiguration", "MetricsConfiguration",
                    "MetricsConfigurationList"),
            new Kind("inventory", "PutBucketInventoryConfiguration", "GetBucketInventoryConfiguration",
                    "ListBucketInventoryConfigurations", "DeleteBucketInventoryConfiguration", "InventoryConfiguration",
                    "InventoryConfigurationList"),
            new Kind("analytics", "PutBucketAnalyticsConfiguration", "GetBucketAnalyticsConfiguration",
                    "ListBucketAnalyticsConfigurations", "DeleteBucketAnalyticsConfiguration", "AnalyticsConfiguration",
                    "AnalyticsConfigurationList"),
            new Kind("intelligentTiering", "PutBucketIntelligentTieringConfiguration",
                    "GetBucketIntelligentTieringConfiguration", "ListBucketIntelligentTieringConfigurations",
                    "DeleteBucketIntelligentTieringConfiguration", "IntelligentTieringConfiguration",
                    "IntelligentTieringConfigurationList"));

    private static final Set<String> INVENTORY_FIELDS = Set.of("Size", "LastModifiedDate", "StorageClass", "ETag",
            "IsMultipartUploaded", "ReplicationStatus", "EncryptionStatus", "ObjectLockRetainUntilDate", "ObjectLockMode",
            "ObjectLockLegalHoldStatus", "IntelligentTieringAccessTier", "BucketKeyStatus", "ChecksumAlgorithm",
            "ObjectAccessControlList", "ObjectOwner", "LifecycleExpirationDate");

    private final S3State state;

    IdConfigOps(S3State state) {
        this.state = state;
    }

    static Kind kindOf(String operation) {
        for (Kind k : KINDS) {
            if (operation.equals(k.put()) || operation.equals(k.get()) || operation.equals(k.list()) || operation.equals(k.delete())) {
                return k;
            }
        }
        return null;
    }

    Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        Kind kind = kindOf(operation);
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        String id = In.str(in, "Id");
        Map<String, Object> out = new LinkedHashMap<>();
        if (operation.equals(kind.put())) {
            Map<String, Object> config = In.map(in, kind.member());
            if (config == null) throw S3Errors.malformedXml();
            validate(kind, id, config);
            bucket.configurations.compute(kind.name(), (k, old) -> {
                TreeMap<String, Object> all = old == null ? new TreeMap<>() : new TreeMap<>(byId(old));
                all.put(id, config);
                return all;
            });
            ctx.response().status(204);
            return out;
        }
        if (operation.equals(kind.list())) return list(kind, bucket, In.str(in, "ContinuationToken"));
        Map<String, Object> all = byId(bucket.configurations.get(kind.name()));
        if (!all.containsKey(id)) throw noSuchConfiguration();
        if (operation.equals(kind.get())) {
            out.put(kind.member(), all.get(id));
            return out;
        }
        bucket.configurations.compute(kind.name(), (k, old) -> {
            TreeMap<String, Object> left = new TreeMap<>(byId(old));
            left.remove(id);
            return left.isEmpty() ? null : left;
        });
        ctx.response().status(204);
        return out;
    }

    private static Map<String, Object> list(Kind kind, Bucket bucket, String token) {
        String after = token == null || token.isEmpty() ? null : ListOps.decodeToken(token);
        List<Object> page = new ArrayList<>();
        String next = null;
        for (Map.Entry<String, Object> e : new TreeMap<>(byId(bucket.configurations.get(kind.name()))).entrySet()) {
            if (after != null && e.getKey().compareTo(after) < 0) continue;
            if (page.size() >= PAGE) {
                next = ListOps.encodeToken(e.getKey());
                break;
            }
            page.add(e.getValue());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("IsTruncated", next != null);
        if (token != null) out.put("ContinuationToken", token);
        if (next != null) out.put("NextContinuationToken", next);
        if (!page.isEmpty()) out.put(kind.listMember(), page);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> byId(Object stored) {
        return stored instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static ServiceException noSuchConfiguration() {
        return new ServiceException("NoSuchConfiguration", "The specified configuration does not exist.", 404);
    }

    private static void validate(Kind kind, String id, Map<String, Object> config) {
        boolean sameId = id != null && id.equals(In.str(config, "Id"));
        switch (kind.name()) {
            case "inventory" -> {
                if (!sameId) {
                    throw new ServiceException("IdMismatch", "Document ID does not match the specified configuration ID.", 400);
                }
                Map<String, Object> destination = In.map(config, "Destination");
                Map<String, Object> s3 = destination == null ? null : In.map(destination, "S3BucketDestination");
                if (s3 == null) throw S3Errors.malformedXml();
                oneOf(In.str(s3, "Format"), "CSV", "ORC", "Parquet");
                Map<String, Object> schedule = In.map(config, "Schedule");
                oneOf(schedule == null ? null : In.str(schedule, "Frequency"), "Daily", "Weekly");
                oneOf(In.str(config, "IncludedObjectVersions"), "All", "Current");
                for (Object f : In.list(config, "OptionalFields")) {
                    if (!INVENTORY_FIELDS.contains(String.valueOf(f))) throw S3Errors.malformedXml();
                }
                String arn = In.str(s3, "Bucket");
                if (arn == null || !arn.matches("arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                    throw new ServiceException("InvalidS3DestinationBucket", "Invalid bucket ARN.", 400);
                }
            }
            case "analytics" -> {
                if (!sameId) throw S3Errors.malformedXml();
                Map<String, Object> analysis = In.map(config, "StorageClassAnalysis");
                Map<String, Object> export = analysis == null ? null : In.map(analysis, "DataExport");
                if (export != null) {
                    oneOf(In.str(export, "OutputSchemaVersion"), "V_1");
                    Map<String, Object> destination = In.map(export, "Destination");
                    Map<String, Object> s3 = destination == null ? null : In.map(destination, "S3BucketDestination");
                    if (s3 == null) throw S3Errors.malformedXml();
                    oneOf(In.str(s3, "Format"), "CSV");
                }
            }
            case "intelligentTiering" -> {
                if (!sameId) throw S3Errors.malformedXml();
                oneOf(In.str(config, "Status"), "Enabled", "Disabled");
                List<Object> tierings = In.list(config, "Tierings");
                if (tierings.isEmpty()) throw S3Errors.malformedXml();
                for (Object t : tierings) {
                    @SuppressWarnings("unchecked") Map<String, Object> tiering = (Map<String, Object>) t;
                    String tier = In.str(tiering, "AccessTier");
                    oneOf(tier, "ARCHIVE_ACCESS", "DEEP_ARCHIVE_ACCESS");
                    Integer days = In.integer(tiering, "Days");
                    int min = "ARCHIVE_ACCESS".equals(tier) ? 90 : 180;
                    if (days == null || days < min || days > 730) {
                        throw S3Errors.invalidArgument("The " + ("ARCHIVE_ACCESS".equals(tier) ? "Archive" : "Deep Archive")
                                + " Access tier must be set to a value between " + min + " and 730 days", "Days",
                                String.valueOf(days));
                    }
                }
            }
            default -> { // metrics
                if (!sameId) throw S3Errors.malformedXml();
            }
        }
    }

    /** An enumerated value outside its set is a schema violation: MalformedXML, as S3 answers it. */
    private static void oneOf(String value, String... allowed) {
        for (String a : allowed) if (a.equals(value)) return;
        throw S3Errors.malformedXml();
    }
}
