package dev.polystack.services.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bucket configurations: stored as the parameter trees they were put with and returned as sent.
 * One table row per configuration says which operations put, get and delete it, which input member
 * carries it, how the get output wraps it, and the error when it is absent.
 */
final class ConfigOps {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CORS_METHODS = Set.of("GET", "PUT", "HEAD", "POST", "DELETE");

    /**
     * @param wrapIn     the get output member holding the configuration; null: its members are the output's members
     * @param missing    error code when absent (null: an empty output, or {@code fallback})
     */
    record Kind(String name, String put, String get, String delete, String inputMember, String wrapIn,
                String missing, String missingMessage) {
    }

    static final List<Kind> KINDS = List.of(
            new Kind("tagging", "PutBucketTagging", "GetBucketTagging", "DeleteBucketTagging", "Tagging", null,
                    "NoSuchTagSet", "The TagSet does not exist"),
            new Kind("cors", "PutBucketCors", "GetBucketCors", "DeleteBucketCors", "CORSConfiguration", null,
                    "NoSuchCORSConfiguration", "The CORS configuration does not exist"),
            new Kind("lifecycle", "PutBucketLifecycleConfiguration", "GetBucketLifecycleConfiguration", "DeleteBucketLifecycle",
                    "LifecycleConfiguration", null, "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist"),
            new Kind("website", "PutBucketWebsite", "GetBucketWebsite", "DeleteBucketWebsite", "WebsiteConfiguration", null,
                    "NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration"),
            new Kind("encryption", "PutBucketEncryption", "GetBucketEncryption", "DeleteBucketEncryption",
                    "ServerSideEncryptionConfiguration", "ServerSideEncryptionConfiguration", null, null),
            new Kind("ownership", "PutBucketOwnershipControls", "GetBucketOwnershipControls", "DeleteBucketOwnershipControls",
                    "OwnershipControls", "OwnershipControls", "OwnershipControlsNotFoundError",
                    "The bucket ownership controls were not found"),
            new Kind("publicAccessBlock", "PutPublicAccessBlock", "GetPublicAccessBlock", "DeletePublicAccessBlock",
                    "PublicAccessBlockConfiguration", "PublicAccessBlockConfiguration", "NoSuchPublicAccessBlockConfiguration",
                    "The public access block configuration was not found"),
            new Kind("policy", "PutBucketPolicy", "GetBucketPolicy", "DeleteBucketPolicy", "Policy", "Policy",
                    "NoSuchBucketPolicy", "The bucket policy does not exist"),
            new Kind("replication", "PutBucketReplication", "GetBucketReplication", "DeleteBucketReplication",
                    "ReplicationConfiguration", "ReplicationConfiguration", "ReplicationConfigurationNotFoundError",
                    "The replication configuration was not found"),
            new Kind("logging", "PutBucketLogging", "GetBucketLogging", null, "BucketLoggingStatus", null, null, null),
            new Kind("accelerate", "PutBucketAccelerateConfiguration", "GetBucketAccelerateConfiguration", null,
                    "AccelerateConfiguration", null, null, null),
            new Kind("requestPayment", "PutBucketRequestPayment", "GetBucketRequestPayment", null,
                    "RequestPaymentConfiguration", null, null, null),
            new Kind("notification", "PutBucketNotificationConfiguration", "GetBucketNotificationConfiguration", null,
                    "NotificationConfiguration", null, null, null),
            new Kind("objectLock", "PutObjectLockConfiguration", "GetObjectLockConfiguration", null,
                    "ObjectLockConfiguration", "ObjectLockConfiguration", "ObjectLockConfigurationNotFoundError",
                    "Object Lock configuration does not exist for this bucket"),
            new Kind("acl", "PutBucketAcl", "GetBucketAcl", null, "AccessControlPolicy", null, null, null));

    private static final Map<String, Kind> BY_OPERATION = new java.util.HashMap<>();

    static {
        for (Kind k : KINDS) {
            BY_OPERATION.put(k.put(), k);
            BY_OPERATION.put(k.get(), k);
            if (k.delete() != null) BY_OPERATION.put(k.delete(), k);
        }
    }

    private final S3State state;

    ConfigOps(S3State state) {
        this.state = state;
    }

    /** Deprecated operations some older clients still send, served as their current equivalents. */
    private static final Map<String, String> DEPRECATED = Map.of(
            "PutBucketLifecycle", "PutBucketLifecycleConfiguration", "GetBucketLifecycle", "GetBucketLifecycleConfiguration",
            "PutBucketNotification", "PutBucketNotificationConfiguration", "GetBucketNotification", "GetBucketNotificationConfiguration");

    static boolean handles(String operation) {
        operation = DEPRECATED.getOrDefault(operation, operation);
        return BY_OPERATION.containsKey(operation) || operation.equals("PutBucketVersioning")
                || operation.equals("GetBucketVersioning") || operation.equals("GetBucketPolicyStatus");
    }

    Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        operation = DEPRECATED.getOrDefault(operation, operation);
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        switch (operation) {
            case "PutBucketVersioning" -> {
                return putVersioning(bucket, in);
            }
            case "GetBucketVersioning" -> {
                Map<String, Object> out = new LinkedHashMap<>();
                if (bucket.versioning != null) out.put("Status", bucket.versioning);
                if (bucket.mfaDelete != null) out.put("MFADelete", bucket.mfaDelete);
                return out;
            }
            case "GetBucketPolicyStatus" -> {
                return new LinkedHashMap<>(Map.of("PolicyStatus", Map.of("IsPublic", false)));
            }
            default -> {
            }
        }
        Kind kind = BY_OPERATION.get(operation);
        if (operation.equals(kind.put())) {
            Object value = kind.name().equals("acl") ? Acls.fromPut(in, bucket.accountId) : in.get(kind.inputMember());
            if (value == null) throw S3Errors.malformedXml();
            validate(kind, bucket, value, in);
            if (kind.name().equals("notification")) {
                @SuppressWarnings("unchecked") Map<String, Object> config = (Map<String, Object>) value;
                value = state.notifications.validate(config, In.bool(in, "SkipDestinationValidation"));
            }
            if (kind.name().equals("replication")) {
                @SuppressWarnings("unchecked") Map<String, Object> config = (Map<String, Object>) value;
                value = withRuleIds(config);
            }
            bucket.configurations.put(kind.name(), value);
            if (kind.name().equals("notification")) {
                @SuppressWarnings("unchecked") Map<String, Object> config = (Map<String, Object>) value;
                state.notifications.sendTestEvents(ctx, bucket, config);
            }
            if (kind.name().equals("policy") || kind.name().equals("tagging")) ctx.response().status(204);
            return new LinkedHashMap<>();
        }
        if (operation.equals(kind.delete())) {
            bucket.configurations.remove(kind.name());
            ctx.response().status(204);
            return new LinkedHashMap<>();
        }
        Object value = bucket.configurations.get(kind.name());
        if (value == null) value = fallback(kind, bucket);
        if (value == null) {
            if (kind.missing() != null) throw S3Errors.notFound(kind.missing(), kind.missingMessage(), bucket.name);
            return new LinkedHashMap<>();
        }
        if (kind.name().equals("publicAccessBlock")) value = withEveryFlag(value);
        if (kind.wrapIn() != null) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put(kind.wrapIn(), value);
            return out;
        }
        @SuppressWarnings("unchecked") Map<String, Object> members = new LinkedHashMap<>((Map<String, Object>) value);
        if (kind.name().equals("lifecycle")) members.putIfAbsent("TransitionDefaultMinimumObjectSize", "all_storage_classes_128K");
        return members;
    }

    /** A replication configuration: a role, at least one rule, each with a status and a versioned destination bucket. */
    @SuppressWarnings("unchecked")
    private void validateReplication(Bucket bucket, Map<String, Object> config) {
        List<Object> rules = In.list(config, "Rules");
        if (In.str(config, "Role") == null || rules.isEmpty()) throw S3Errors.malformedXml();
        for (Object r : rules) {
            Map<String, Object> rule = (Map<String, Object>) r;
            String status = In.str(rule, "Status");
            if (!"Enabled".equals(status) && !"Disabled".equals(status)) throw S3Errors.malformedXml();
            Map<String, Object> destination = In.map(rule, "Destination");
            String target = destination == null ? null : In.str(destination, "Bucket");
            if (target == null) throw S3Errors.malformedXml();
            if (target.startsWith("arn:")) target = target.substring(target.lastIndexOf(':') + 1);
            Bucket dest = state.buckets(partitionOf(bucket)).get(target);
            if (dest == null || !dest.versioningEnabled()) {
                throw S3Errors.invalidRequest("Destination bucket must have versioning enabled.");
            }
        }
    }

    /** The replication configuration as stored: S3 gives a rule put without an ID one of its own (recorded). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withRuleIds(Map<String, Object> config) {
        List<Object> rules = new ArrayList<>();
        for (Object r : In.list(config, "Rules")) {
            Map<String, Object> rule = new LinkedHashMap<>((Map<String, Object>) r);
            if (rule.get("ID") == null) rule.put("ID", ruleId());
            rules.add(rule);
        }
        Map<String, Object> out = new LinkedHashMap<>(config);
        out.put("Rules", rules);
        return out;
    }

    /** A generated rule ID: 48 base64 characters, as S3's look. */
    private static String ruleId() {
        byte[] bytes = new byte[36];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(bytes);
        return java.util.Base64.getEncoder().encodeToString(bytes);
    }

    /** The partition a bucket lives in (buckets are looked up per partition). */
    private String partitionOf(Bucket bucket) {
        for (String p : state.partitions.keySet()) if (state.buckets(p).get(bucket.name) == bucket) return p;
        return "aws";
    }

    /** A public access block answers all four flags, false for those the PUT left out (as AWS answers). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withEveryFlag(Object config) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String flag : List.of("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")) {
            Object v = ((Map<String, Object>) config).get(flag);
            out.put(flag, v == null ? Boolean.FALSE : v);
        }
        return out;
    }

    /** What S3 returns for a configuration nobody put. */
    private static Object fallback(Kind kind, Bucket bucket) {
        return switch (kind.name()) {
            case "encryption" -> Map.of("Rules", List.of(Map.of("ApplyServerSideEncryptionByDefault",
                    Map.of("SSEAlgorithm", "AES256"), "BucketKeyEnabled", false)));
            case "requestPayment" -> Map.of("Payer", "BucketOwner");
            case "acl" -> Acls.canned("private", bucket.accountId, bucket.accountId);
            default -> null;
        };
    }

    /** The default encryption rule ({SSEAlgorithm, KMSMasterKeyID}) of a bucket, or null for plain SSE-S3. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> defaultEncryptionRule(Bucket bucket) {
        Object config = bucket.configurations.get("encryption");
        if (!(config instanceof Map<?, ?> m)) return null;
        for (Object r : In.list((Map<String, Object>) m, "Rules")) {
            Map<String, Object> apply = In.map((Map<String, Object>) r, "ApplyServerSideEncryptionByDefault");
            if (apply != null) return apply;
        }
        return null;
    }

    private Map<String, Object> putVersioning(Bucket bucket, Map<String, Object> in) {
        Map<String, Object> config = In.map(in, "VersioningConfiguration");
        String status = config == null ? null : In.str(config, "Status");
        if (status == null) {
            throw new ServiceException("IllegalVersioningConfigurationException", "The Versioning element must be specified", 400);
        }
        if (!status.equals("Enabled") && !status.equals("Suspended")) throw S3Errors.malformedXml();
        if (bucket.objectLockEnabled && status.equals("Suspended")) {
            throw new ServiceException("InvalidBucketState", "An Object Lock configuration is present on this bucket, so the "
                    + "versioning state cannot be changed.", 409);
        }
        bucket.versioning = status;
        String mfa = In.str(config, "MFADelete");
        if (mfa != null) bucket.mfaDelete = mfa;
        return new LinkedHashMap<>();
    }

    @SuppressWarnings("unchecked")
    private void validate(Kind kind, Bucket bucket, Object value, Map<String, Object> in) {
        switch (kind.name()) {
            case "tagging" -> Tagging.validate(In.list((Map<String, Object>) value, "TagSet"), false);
            case "policy" -> {
                String text = value.toString().trim();
                if (!text.startsWith("{")) {
                    throw new ServiceException("MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'", 400);
                }
                try {
                    JsonNode node = JSON.readTree(text);
                    if (!node.has("Statement")) {
                        throw new ServiceException("MalformedPolicy", "Missing required field Statement", 400);
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new ServiceException("MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'", 400);
                }
            }
            case "cors" -> {
                List<Object> rules = In.list((Map<String, Object>) value, "CORSRules");
                if (rules.isEmpty()) throw S3Errors.malformedXml();
                for (Object r : rules) {
                    for (Object m : In.list((Map<String, Object>) r, "AllowedMethods")) {
                        if (!CORS_METHODS.contains(m.toString())) {
                            throw S3Errors.invalidRequest("Found unsupported HTTP method in CORS config. Unsupported method is " + m);
                        }
                    }
                }
            }
            case "website" -> {
                Map<String, Object> w = (Map<String, Object>) value;
                Map<String, Object> index = In.map(w, "IndexDocument");
                if (In.map(w, "RedirectAllRequestsTo") == null) {
                    String suffix = index == null ? null : In.str(index, "Suffix");
                    if (suffix == null || suffix.isEmpty()) {
                        throw S3Errors.invalidArgument("A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo "
                                + "is empty", "IndexDocument", "null");
                    }
                    if (suffix.contains("/")) {
                        throw S3Errors.invalidArgument("The IndexDocument Suffix is not well formed", "IndexDocument", suffix);
                    }
                } else if (index != null || In.map(w, "ErrorDocument") != null || w.get("RoutingRules") != null) {
                    throw S3Errors.invalidArgument("RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.",
                            "RedirectAllRequestsTo", "not null");
                }
            }
            case "objectLock" -> {
                ObjectLocks.validateConfiguration((Map<String, Object>) value);
                if (!bucket.versioningEnabled()) {
                    throw new ServiceException("InvalidBucketState",
                            "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration", 409);
                }
            }
            case "replication" -> {
                if (!bucket.versioningEnabled()) {
                    throw S3Errors.invalidRequest("Versioning must be 'Enabled' on the bucket to apply a replication configuration");
                }
                validateReplication(bucket, (Map<String, Object>) value);
            }
            case "lifecycle" -> LifecycleValidation.validate((Map<String, Object>) value);
            case "requestPayment" -> {
                String payer = In.str((Map<String, Object>) value, "Payer");
                if (!"Requester".equals(payer) && !"BucketOwner".equals(payer)) throw S3Errors.malformedXml();
            }
            case "encryption" -> {
                if (In.list((Map<String, Object>) value, "Rules").size() != 1) throw S3Errors.malformedXml(); // exactly one rule
                for (Object r : In.list((Map<String, Object>) value, "Rules")) {
                    Map<String, Object> apply = In.map((Map<String, Object>) r, "ApplyServerSideEncryptionByDefault");
                    if (apply == null) continue;
                    String alg = In.str(apply, "SSEAlgorithm");
                    if (apply.get("KMSMasterKeyID") != null && alg != null && !alg.startsWith("aws:kms")) {
                        throw S3Errors.invalidArgument("a KMSMasterKeyID is not applicable if the default sse algorithm is not "
                                + "aws:kms or aws:kms:dsse", "ApplyServerSideEncryptionByDefault", null);
                    }
                }
            }
            case "ownership" -> {
                List<Object> rules = In.list((Map<String, Object>) value, "Rules");
                if (rules.size() != 1 || !OWNERSHIPS.contains(In.str((Map<String, Object>) rules.get(0), "ObjectOwnership"))) {
                    throw S3Errors.malformedXml();
                }
            }
            case "accelerate" -> {
                if (bucket.name.contains(".")) {
                    throw S3Errors.invalidRequest("S3 Transfer Acceleration is not supported for buckets with periods (.) in their names");
                }
                String status = In.str((Map<String, Object>) value, "Status");
                if (!"Enabled".equals(status) && !"Suspended".equals(status)) throw S3Errors.malformedXml();
            }
            default -> {
            }
        }
    }

    private static final java.util.Set<String> OWNERSHIPS = java.util.Set.of("BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced");
}
