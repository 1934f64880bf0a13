package dev.polystack.protocol.restxml;

import dev.polystack.protocol.model.Member;
import dev.polystack.protocol.model.Operation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * What S3 does that its specification does not say: the root element of each XML response (botocore
 * ignores it, other SDKs and tools do not), {@code GetBucketLocation}'s bare {@code <LocationConstraint>},
 * unwrapped {@code <Error>} documents with {@code RequestId} and {@code HostId}.
 */
public final class S3Quirks {
    static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

    private static final Map<String, String> ROOTS = Map.ofEntries(
            Map.entry("ListBuckets", "ListAllMyBucketsResult"),
            Map.entry("ListDirectoryBuckets", "ListAllMyDirectoryBucketsResult"),
            Map.entry("ListObjects", "ListBucketResult"),
            Map.entry("ListObjectsV2", "ListBucketResult"),
            Map.entry("ListObjectVersions", "ListVersionsResult"),
            Map.entry("ListMultipartUploads", "ListMultipartUploadsResult"),
            Map.entry("ListParts", "ListPartsResult"),
            Map.entry("CreateMultipartUpload", "InitiateMultipartUploadResult"),
            Map.entry("CompleteMultipartUpload", "CompleteMultipartUploadResult"),
            Map.entry("DeleteObjects", "DeleteResult"),
            Map.entry("GetBucketTagging", "Tagging"),
            Map.entry("GetObjectTagging", "Tagging"),
            Map.entry("GetBucketVersioning", "VersioningConfiguration"),
            Map.entry("GetBucketAcl", "AccessControlPolicy"),
            Map.entry("GetObjectAcl", "AccessControlPolicy"),
            Map.entry("GetBucketCors", "CORSConfiguration"),
            Map.entry("GetBucketLifecycle", "LifecycleConfiguration"),
            Map.entry("GetBucketLifecycleConfiguration", "LifecycleConfiguration"),
            Map.entry("GetBucketNotification", "NotificationConfiguration"),
            Map.entry("GetBucketNotificationConfiguration", "NotificationConfiguration"),
            Map.entry("GetBucketWebsite", "WebsiteConfiguration"),
            Map.entry("GetBucketLogging", "BucketLoggingStatus"),
            Map.entry("GetBucketRequestPayment", "RequestPaymentConfiguration"),
            Map.entry("GetBucketAccelerateConfiguration", "AccelerateConfiguration"),
            Map.entry("GetObjectAttributes", "GetObjectAttributesResponse"),
            Map.entry("ListBucketAnalyticsConfigurations", "ListBucketAnalyticsConfigurationResult"),
            Map.entry("ListBucketInventoryConfigurations", "ListInventoryConfigurationsResult"),
            Map.entry("ListBucketMetricsConfigurations", "ListMetricsConfigurationsResult"),
            Map.entry("ListBucketIntelligentTieringConfigurations", "ListBucketIntelligentTieringConfigurationsOutput"),
            Map.entry("CreateSession", "CreateSessionResult"));

    private S3Quirks() {
    }

    /** botocore's S3, or a model of it (Smithy's protocol tests name it AmazonS3). */
    static boolean isS3(dev.polystack.protocol.model.ServiceModel model) {
        return "s3".equals(model.service()) || "S3".equals(model.serviceId()) || "AmazonS3".equals(model.serviceId());
    }

    /** S3's root element for an operation's XML output, or null when the specification's names apply. */
    static String rootElement(String operation) {
        return ROOTS.get(operation);
    }

    static boolean isBucketLocation(boolean s3, Operation op) {
        return s3 && "GetBucketLocation".equals(op.name());
    }

    /** Members written after all others in S3's listings (the AWS Java SDK reads Name before Contents). */
    private static final java.util.Set<String> LISTED_LAST = java.util.Set.of("Contents", "CommonPrefixes", "Versions",
            "DeleteMarkers", "Uploads", "Parts");

    /**
     * The order S3 writes an output's members in: ListAllMyBucketsResult starts with Owner (the Java SDK
     * counts on it); listings end with their entries. Otherwise the specification's order.
     */
    static Member[] memberOrder(String operation, Member[] members) {
        List<Member> first = new ArrayList<>();
        List<Member> rest = new ArrayList<>();
        List<Member> last = new ArrayList<>();
        boolean listBuckets = operation.equals("ListBuckets");
        for (Member m : members) {
            if (listBuckets && m.name().equals("Owner")) first.add(m);
            else if (LISTED_LAST.contains(m.name())) last.add(m);
            else rest.add(m);
        }
        if (first.isEmpty() && last.isEmpty()) return members;
        first.addAll(rest);
        first.addAll(last);
        return first.toArray(new Member[0]);
    }

    /** {@code x-amz-id-2} / {@code HostId}: an opaque token derived from the request id. */
    public static String hostId(String requestId) {
        return Base64.getEncoder().encodeToString(("polystack/" + requestId).getBytes(StandardCharsets.UTF_8));
    }
}
