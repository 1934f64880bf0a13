package dev.polystack.services.s3;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Bucket lifecycle: create (name and location rules, global names), head, list, delete, location. */
final class BucketOps {
    /** Regions S3 accepts as LocationConstraint (plus the legacy EU = eu-west-1). */
    static final Set<String> REGIONS = Set.of("af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2",
            "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
            "ap-southeast-5", "ap-southeast-7", "ca-central-1", "ca-west-1", "cn-north-1", "cn-northwest-1", "eu-central-1",
            "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1",
            "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-gov-east-1",
            "us-gov-west-1", "us-west-1", "us-west-2", "EU");
    private static final java.util.regex.Pattern IP_ADDRESS = java.util.regex.Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
    private final S3State state;

    BucketOps(S3State state) {
        this.state = state;
    }

    /** S3's bucket naming rules for new buckets. */
    static boolean validName(String name) {
        if (name == null || name.length() < 3 || name.length() > 63) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) return false;
        }
        if (!Character.isLetterOrDigit(name.charAt(0)) || !Character.isLetterOrDigit(name.charAt(name.length() - 1))) return false;
        if (name.contains("..") || name.contains(".-") || name.contains("-.")) return false;
        if (name.startsWith("xn--") || name.startsWith("sthree-") || name.endsWith("-s3alias") || name.endsWith("--ol-s3")) return false;
        return !IP_ADDRESS.matcher(name).matches();
    }

    Map<String, Object> create(RequestContext ctx, Map<String, Object> in) {
        String name = In.str(in, "Bucket");
        if (!validName(name)) throw S3Errors.invalidBucketName(name);
        Map<String, Object> configuration = In.map(in, "CreateBucketConfiguration");
        String constraint = configuration == null ? null : In.str(configuration, "LocationConstraint");
        String region = bucketRegion(ctx.region(), constraint);
        List<Map<String, Object>> tags = configuration == null ? List.of() : createTags(In.list(configuration, "Tags"));
        String ownership = In.str(in, "ObjectOwnership");
        if (ownership != null && !Set.of("BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced").contains(ownership)) {
            throw S3Errors.invalidArgument("Invalid x-amz-object-ownership header: " + ownership, "x-amz-object-ownership", null);
        }
        Bucket bucket = new Bucket(name, ctx.accountId(), region, S3State.now(), constraint, In.bool(in, "ObjectLockEnabledForBucket"));
        ConcurrentHashMap<String, Bucket> buckets = state.buckets(ctx.partition());
        Bucket existing = buckets.putIfAbsent(name, bucket);
        if (existing != null) {
            if (!existing.accountId.equals(ctx.accountId())) {
                throw new ServiceException("BucketAlreadyExists", "The requested bucket name is not available. The bucket "
                        + "namespace is shared by all users of the system. Please select a different name and try again.", 409)
                        .with("BucketName", name);
            }
            // us-east-1 (the legacy global endpoint) answers a repeated create by the owner with success
            // (not when it asks for tags, recorded)
            if (!("us-east-1".equals(ctx.region()) && "us-east-1".equals(existing.region)) || !tags.isEmpty()) {
                throw new ServiceException("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded "
                        + "and you already own it.", 409).with("BucketName", name);
            }
            return createOutput(ctx, existing);
        }
        // new buckets start with S3's current defaults: owner-enforced ownership, all public access blocked
        bucket.configurations.put("ownership", Map.of("Rules", List.of(Map.of("ObjectOwnership",
                ownership == null ? "BucketOwnerEnforced" : ownership))));
        bucket.configurations.put("publicAccessBlock", Map.of("BlockPublicAcls", true, "IgnorePublicAcls", true,
                "BlockPublicPolicy", true, "RestrictPublicBuckets", true));
        Map<String, Object> acl = Acls.fromRequest(in, ctx.accountId(), ctx.accountId());
        if (acl != null) bucket.configurations.put("acl", acl);
        if (!tags.isEmpty()) bucket.configurations.put("tagging", new LinkedHashMap<>(Map.of("TagSet", new ArrayList<>(tags))));
        if (bucket.objectLockEnabled) {
            bucket.versioning = "Enabled";
            bucket.configurations.put("objectLock", Map.of("ObjectLockEnabled", "Enabled"));
        }
        return createOutput(ctx, bucket);
    }

    /** CreateBucketConfiguration's Tags, validated as S3 validates them at creation. */
    static List<Map<String, Object>> createTags(List<Object> tags) {
        List<Map<String, Object>> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Object o : tags) {
            @SuppressWarnings("unchecked") Map<String, Object> t = o instanceof Map<?, ?> ? (Map<String, Object>) o : Map.of();
            String key = In.str(t, "Key");
            String value = In.str(t, "Value");
            if (key == null || value == null) throw S3Errors.malformedXml();
            if (key.startsWith("aws:")) {
                throw new ServiceException("InvalidTag", "User-defined tag keys can't start with \"aws:\". This prefix is reserved "
                        + "for system tags. Remove \"aws:\" from your tag keys and try again.", 400);
            }
            if (!Tagging.validText(key)) {
                throw new ServiceException("InvalidTag", "The TagKey you have provided is invalid", 400).with("TagKey", key);
            }
            if (!Tagging.validText(value)) {
                throw new ServiceException("InvalidTag", "The TagValue you have provided is invalid", 400)
                        .with("TagKey", key).with("TagValue", value);
            }
            // AWS answers a repeated key with a 500 InternalError (recorded November 2025); a 400 is what it means
            if (!seen.add(key)) {
                throw new ServiceException("InvalidTag", "Cannot provide multiple Tags with the same key", 400).with("TagKey", key);
            }
            Map<String, Object> tag = new LinkedHashMap<>();
            tag.put("Key", key);
            tag.put("Value", value);
            out.add(tag);
        }
        return out;
    }

    private Map<String, Object> createOutput(RequestContext ctx, Bucket bucket) {
        Map<String, Object> out = new LinkedHashMap<>();
        if ("us-east-1".equals(bucket.region) && bucket.locationConstraint == null) out.put("Location", "/" + bucket.name);
        else out.put("Location", state.urlScheme + "://" + bucket.name + ".s3.localhost.localstack.cloud:"
                + portOf(ctx) + "/");
        out.put("BucketArn", arn(ctx, bucket.name));
        return out;
    }

    private static String portOf(RequestContext ctx) {
        String host = ctx.request() == null ? null : ctx.request().header("Host");
        if (host != null && host.lastIndexOf(':') > 0) return host.substring(host.lastIndexOf(':') + 1);
        return "4566";
    }

    static String arn(RequestContext ctx, String bucket) {
        return "arn:" + ctx.partition() + ":s3:::" + bucket;
    }

    /** The region a new bucket lives in, by S3's LocationConstraint rules for the endpoint's region. */
    static String bucketRegion(String endpointRegion, String constraint) {
        if ("us-east-1".equals(endpointRegion)) {
            if (constraint == null || constraint.isEmpty()) return "us-east-1";
            if (constraint.equals("us-east-1") || !REGIONS.contains(constraint)) {
                throw new ServiceException("InvalidLocationConstraint", "The specified location-constraint is not valid", 400)
                        .with("LocationConstraint", constraint);
            }
            return constraint.equals("EU") ? "eu-west-1" : constraint;
        }
        if (constraint == null || constraint.isEmpty()) {
            throw new ServiceException("IllegalLocationConstraintException", "The unspecified location constraint is incompatible "
                    + "for the region specific endpoint this request was sent to.", 400);
        }
        boolean matches = constraint.equals(endpointRegion) || (constraint.equals("EU") && endpointRegion.equals("eu-west-1"));
        if (!matches) {
            throw new ServiceException("IllegalLocationConstraintException", "The " + constraint + " location constraint is "
                    + "incompatible for the region specific endpoint this request was sent to.", 400);
        }
        return endpointRegion;
    }

    Map<String, Object> head(RequestContext ctx, Map<String, Object> in) {
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("BucketArn", arn(ctx, bucket.name));
        out.put("BucketRegion", bucket.region);
        out.put("AccessPointAlias", false);
        return out;
    }

    Map<String, Object> location(RequestContext ctx, Map<String, Object> in) {
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        Map<String, Object> out = new LinkedHashMap<>();
        if (bucket.locationConstraint != null) out.put("LocationConstraint", bucket.locationConstraint);
        else if (!"us-east-1".equals(bucket.region)) out.put("LocationConstraint", bucket.region);
        return out;
    }

    Map<String, Object> list(RequestContext ctx, Map<String, Object> in) {
        String prefix = In.str(in, "Prefix");
        String regionFilter = In.str(in, "BucketRegion");
        if (regionFilter != null && (regionFilter.equals("EU") || !REGIONS.contains(regionFilter))) {
            throw S3Errors.invalidArgument("Argument value " + regionFilter + " is not a valid AWS Region", "bucket-region", null);
        }
        Integer max = In.integer(in, "MaxBuckets");
        // an empty token starts from the beginning here (ListObjectsV2 refuses one)
        String token = ListOps.emptyToNull(In.str(in, "ContinuationToken"));
        String after = token == null ? null : ListOps.decodeToken(token);
        List<Bucket> mine = new ArrayList<>();
        for (Bucket b : state.buckets(ctx.partition()).values()) {
            if (!b.accountId.equals(ctx.accountId())) continue;
            if (prefix != null && !b.name.startsWith(prefix)) continue;
            if (regionFilter != null && !b.region.equals(regionFilter)) continue;
            if (after != null && b.name.compareTo(after) <= 0) continue;
            mine.add(b);
        }
        mine.sort(Comparator.comparing(b -> b.name));
        Map<String, Object> out = new LinkedHashMap<>();
        List<Object> buckets = new ArrayList<>();
        for (Bucket b : mine) {
            if (max != null && buckets.size() >= max) {
                out.put("ContinuationToken", ListOps.encodeToken(mine.get(buckets.size() - 1).name));
                break;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Name", b.name);
            m.put("CreationDate", b.created);
            m.put("BucketRegion", b.region);
            m.put("BucketArn", arn(ctx, b.name));
            buckets.add(m);
        }
        out.put("Buckets", buckets);
        Map<String, Object> owner = S3State.owner(ctx.accountId());
        out.put("Owner", owner);
        if (prefix != null) out.put("Prefix", prefix);
        return out;
    }

    Map<String, Object> delete(RequestContext ctx, Map<String, Object> in) {
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        if (!bucket.objects.isEmpty()) {
            String message = bucket.versioning == null ? "The bucket you tried to delete is not empty"
                    : "The bucket you tried to delete is not empty. You must delete all versions in the bucket.";
            throw new ServiceException("BucketNotEmpty", message, 409).with("BucketName", bucket.name);
        }
        if (state.buckets(ctx.partition()).remove(bucket.name, bucket)) {
            for (MultipartUpload u : bucket.uploads.values()) {
                for (MultipartUpload.Part p : u.parts.values()) state.blobs.delete(p.blobId());
            }
            bucket.uploads.clear();
        }
        ctx.response().status(204);
        return new LinkedHashMap<>();
    }
}
