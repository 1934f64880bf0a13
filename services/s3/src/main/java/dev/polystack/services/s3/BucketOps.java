package dev.polystack.services.s3;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.s3.api.CreateBucketConfiguration;
import dev.polystack.services.s3.api.CreateBucketOutput;
import dev.polystack.services.s3.api.CreateBucketRequest;
import dev.polystack.services.s3.api.DeleteBucketRequest;
import dev.polystack.services.s3.api.GetBucketLocationOutput;
import dev.polystack.services.s3.api.GetBucketLocationRequest;
import dev.polystack.services.s3.api.HeadBucketOutput;
import dev.polystack.services.s3.api.HeadBucketRequest;
import dev.polystack.services.s3.api.ListBucketsOutput;
import dev.polystack.services.s3.api.ListBucketsRequest;
import dev.polystack.services.s3.api.Owner;
import dev.polystack.services.s3.api.Tag;

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

    CreateBucketOutput create(RequestContext ctx, CreateBucketRequest in) {
        String name = in.bucket();
        if (!validName(name)) throw S3Errors.invalidBucketName(name);
        CreateBucketConfiguration configuration = in.createBucketConfiguration();
        String constraint = configuration == null ? null : configuration.locationConstraintAsString();
        String region = bucketRegion(ctx.region(), constraint);
        List<Map<String, Object>> tags = configuration == null || configuration.tags() == null ? List.of()
                : createTags(configuration.tags());
        String ownership = in.objectOwnershipAsString();
        if (ownership != null && !Set.of("BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced").contains(ownership)) {
            throw S3Errors.invalidArgument("Invalid x-amz-object-ownership header: " + ownership, "x-amz-object-ownership", null);
        }
        Bucket bucket = new Bucket(name, ctx.accountId(), region, S3State.now(), constraint,
                Boolean.TRUE.equals(in.objectLockEnabledForBucket()));
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
        Map<String, Object> acl = Acls.fromRequest(in.aclAsString(), new Acls.Grants(in.grantFullControl(), in.grantRead(),
                in.grantReadACP(), in.grantWrite(), in.grantWriteACP()), ctx.accountId(), ctx.accountId());
        if (acl != null) bucket.configurations.put("acl", acl);
        if (!tags.isEmpty()) bucket.configurations.put("tagging", new LinkedHashMap<>(Map.of("TagSet", new ArrayList<>(tags))));
        if (bucket.objectLockEnabled) {
            bucket.versioning = "Enabled";
            bucket.configurations.put("objectLock", Map.of("ObjectLockEnabled", "Enabled"));
        }
        return createOutput(ctx, bucket);
    }

    /** CreateBucketConfiguration's Tags, validated as S3 validates them at creation. */
    static List<Map<String, Object>> createTags(List<Tag> tags) {
        List<Map<String, Object>> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Tag t : tags) {
            String key = t == null ? null : t.key();
            String value = t == null ? null : t.value();
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

    private CreateBucketOutput createOutput(RequestContext ctx, Bucket bucket) {
        String location = "us-east-1".equals(bucket.region) && bucket.locationConstraint == null ? "/" + bucket.name
                : state.urlScheme + "://" + bucket.name + ".s3.localhost.localstack.cloud:" + portOf(ctx) + "/";
        return CreateBucketOutput.builder().location(location).bucketArn(arn(ctx, bucket.name)).build();
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

    HeadBucketOutput head(RequestContext ctx, HeadBucketRequest in) {
        Bucket bucket = state.bucket(ctx, in.bucket());
        return HeadBucketOutput.builder().bucketArn(arn(ctx, bucket.name)).bucketRegion(bucket.region).accessPointAlias(false).build();
    }

    GetBucketLocationOutput location(RequestContext ctx, GetBucketLocationRequest in) {
        Bucket bucket = state.bucket(ctx, in.bucket());
        String constraint = bucket.locationConstraint != null ? bucket.locationConstraint
                : "us-east-1".equals(bucket.region) ? null : bucket.region;
        return GetBucketLocationOutput.builder().locationConstraint(constraint).build();
    }

    ListBucketsOutput list(RequestContext ctx, ListBucketsRequest in) {
        String prefix = in.prefix();
        String regionFilter = in.bucketRegion();
        if (regionFilter != null && (regionFilter.equals("EU") || !REGIONS.contains(regionFilter))) {
            throw S3Errors.invalidArgument("Argument value " + regionFilter + " is not a valid AWS Region", "bucket-region", null);
        }
        Integer max = in.maxBuckets();
        // an empty token starts from the beginning here (ListObjectsV2 refuses one)
        String token = ListOps.emptyToNull(in.continuationToken());
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
        ListBucketsOutput.Builder out = ListBucketsOutput.builder();
        List<dev.polystack.services.s3.api.Bucket> buckets = new ArrayList<>();
        for (Bucket b : mine) {
            if (max != null && buckets.size() >= max) {
                out.continuationToken(ListOps.encodeToken(mine.get(buckets.size() - 1).name));
                break;
            }
            buckets.add(dev.polystack.services.s3.api.Bucket.builder().name(b.name).creationDate(b.created)
                    .bucketRegion(b.region).bucketArn(arn(ctx, b.name)).build());
        }
        return out.buckets(buckets).owner(owner(ctx.accountId())).prefix(prefix).build();
    }

    /** The owner S3 names in listings: the account's canonical id. */
    static Owner owner(String accountId) {
        return Owner.builder().id(S3State.canonicalId(accountId)).build();
    }

    void delete(RequestContext ctx, DeleteBucketRequest in) {
        Bucket bucket = state.bucket(ctx, in.bucket());
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
    }
}
