package dev.polystack.services.s3;

import dev.polystack.api.HttpResponseData;
import dev.polystack.api.Persistable;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceProvider;
import dev.polystack.services.s3.api.CopyObjectOutput;
import dev.polystack.services.s3.api.CopyObjectRequest;
import dev.polystack.services.s3.api.CreateBucketOutput;
import dev.polystack.services.s3.api.DeleteObjectOutput;
import dev.polystack.services.s3.api.DeleteObjectTaggingOutput;
import dev.polystack.services.s3.api.DeleteObjectTaggingRequest;
import dev.polystack.services.s3.api.DeleteObjectsOutput;
import dev.polystack.services.s3.api.DeleteObjectsRequest;
import dev.polystack.services.s3.api.GetObjectAttributesOutput;
import dev.polystack.services.s3.api.GetObjectAttributesRequest;
import dev.polystack.services.s3.api.GetObjectTaggingOutput;
import dev.polystack.services.s3.api.GetObjectTaggingRequest;
import dev.polystack.services.s3.api.PutObjectTaggingOutput;
import dev.polystack.services.s3.api.PutObjectTaggingRequest;
import dev.polystack.services.s3.api.RestoreObjectOutput;
import dev.polystack.services.s3.api.RestoreObjectRequest;
import dev.polystack.services.s3.api.DeleteObjectRequest;
import dev.polystack.services.s3.api.GetObjectOutput;
import dev.polystack.services.s3.api.GetObjectRequest;
import dev.polystack.services.s3.api.HeadObjectOutput;
import dev.polystack.services.s3.api.HeadObjectRequest;
import dev.polystack.services.s3.api.PutObjectOutput;
import dev.polystack.services.s3.api.PutObjectRequest;
import dev.polystack.services.s3.api.CreateBucketRequest;
import dev.polystack.services.s3.api.DeleteBucketRequest;
import dev.polystack.services.s3.api.GetBucketLocationOutput;
import dev.polystack.services.s3.api.GetBucketLocationRequest;
import dev.polystack.services.s3.api.HeadBucketOutput;
import dev.polystack.services.s3.api.HeadBucketRequest;
import dev.polystack.services.s3.api.ListBucketsOutput;
import dev.polystack.services.s3.api.ListBucketsRequest;
import dev.polystack.services.s3.api.GetObjectLegalHoldOutput;
import dev.polystack.services.s3.api.GetObjectLegalHoldRequest;
import dev.polystack.services.s3.api.GetObjectRetentionOutput;
import dev.polystack.services.s3.api.GetObjectRetentionRequest;
import dev.polystack.services.s3.api.ListObjectVersionsOutput;
import dev.polystack.services.s3.api.ListObjectVersionsRequest;
import dev.polystack.services.s3.api.ListObjectsOutput;
import dev.polystack.services.s3.api.ListObjectsRequest;
import dev.polystack.services.s3.api.ListObjectsV2Output;
import dev.polystack.services.s3.api.ListObjectsV2Request;
import dev.polystack.services.s3.api.PutObjectLegalHoldOutput;
import dev.polystack.services.s3.api.PutObjectLegalHoldRequest;
import dev.polystack.services.s3.api.PutObjectRetentionOutput;
import dev.polystack.services.s3.api.PutObjectRetentionRequest;
import dev.polystack.services.s3.api.S3Api;
import dev.polystack.services.s3.storage.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * The native S3 provider. Dispatches each operation to the class that owns its concern: buckets
 * ({@link BucketOps}), objects ({@link ObjectOps}), listings ({@link ListOps}), multipart uploads
 * ({@link MultipartOps}) and bucket configurations ({@link ConfigOps}); raw HTTP requests botocore has
 * no operation for (browser POST uploads, CORS preflight) go to {@link S3Http}.
 *
 * <p>The provider is moving onto its typed interface ({@link S3Api}, issue 12) one concern at a time: an
 * operation this class overrides goes through the generic dispatch to its typed method; the others still take the
 * parameter tree in {@link #dispatch}. Typed callers in process reach the latter through the tree as well
 * ({@code Operation.implementedBy}).
 */
public final class S3Provider implements S3Api, ServiceProvider, Persistable {
    private final S3State state;
    private final BucketOps buckets;
    private final ObjectOps objects;
    private final ListOps lists;
    private final MultipartOps multipart;
    private final ConfigOps configs;
    private final IdConfigOps idConfigs;
    private final S3Http http;
    private final S3Lifecycle lifecycle;

    public S3Provider(BlobStore blobs) {
        this(blobs, null);
    }

    /** @param env for event notifications (in-process calls to SQS, SNS, Lambda); null delivers nothing */
    public S3Provider(BlobStore blobs, dev.polystack.api.ProviderEnvironment env) {
        this.state = new S3State(blobs, env);
        this.buckets = new BucketOps(state);
        this.objects = new ObjectOps(state);
        this.lists = new ListOps(state);
        this.multipart = new MultipartOps(state);
        this.configs = new ConfigOps(state);
        this.idConfigs = new IdConfigOps(state);
        this.http = new S3Http(state, objects);
        this.lifecycle = new S3Lifecycle(state);
        if (env != null) lifecycle.start(env.scheduler(), env.config().integer("S3_LIFECYCLE_SWEEP_SECONDS", 60));
    }

    @Override
    public String service() {
        return "s3";
    }

    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> input) {
        try {
            PresignedExpiry.check(ctx.request(), state.clock.instant());
            checkExpectedOwner(ctx, input);
            var typed = OPERATIONS.operation(operation);
            if (typed != null && typed.implementedBy(S3Provider.class)) return OPERATIONS.invoke(this, ctx, operation, input);
            return dispatch(ctx, operation, input);
        } finally {
            // a bucket's CORS rule applies to every answer, errors and empty ones included
            http.addCorsHeaders(ctx, input);
        }
    }

    private Map<String, Object> dispatch(RequestContext ctx, String operation, Map<String, Object> input) {
        return switch (operation) {
            case "PutObjectAcl" -> objects.putObjectAcl(ctx, input);
            case "GetObjectAcl" -> objects.getObjectAcl(ctx, input);
            case "CreateMultipartUpload" -> multipart.create(ctx, input);
            case "UploadPart" -> multipart.uploadPart(ctx, input);
            case "UploadPartCopy" -> multipart.uploadPartCopy(ctx, input, objects);
            case "CompleteMultipartUpload" -> multipart.complete(ctx, input);
            case "AbortMultipartUpload" -> multipart.abort(ctx, input);
            case "ListParts" -> multipart.listParts(ctx, input);
            case "ListMultipartUploads" -> multipart.listUploads(ctx, input);
            default -> {
                if (ConfigOps.handles(operation)) yield configs.invoke(ctx, operation, input);
                if (IdConfigOps.kindOf(operation) != null) yield idConfigs.invoke(ctx, operation, input);
                throw new UnsupportedOperationException(operation);
            }
        };
    }

    // ---------------------------------------------------------------- buckets

    @Override
    public CreateBucketOutput createBucket(RequestContext ctx, CreateBucketRequest in) {
        return buckets.create(ctx, in);
    }

    @Override
    public void deleteBucket(RequestContext ctx, DeleteBucketRequest in) {
        buckets.delete(ctx, in);
    }

    @Override
    public HeadBucketOutput headBucket(RequestContext ctx, HeadBucketRequest in) {
        return buckets.head(ctx, in);
    }

    @Override
    public ListBucketsOutput listBuckets(RequestContext ctx, ListBucketsRequest in) {
        return buckets.list(ctx, in);
    }

    @Override
    public GetBucketLocationOutput getBucketLocation(RequestContext ctx, GetBucketLocationRequest in) {
        return buckets.location(ctx, in);
    }

    // ---------------------------------------------------------------- objects

    @Override
    public PutObjectOutput putObject(RequestContext ctx, PutObjectRequest in) {
        return objects.putObject(ctx, in, "Put");
    }

    @Override
    public GetObjectOutput getObject(RequestContext ctx, GetObjectRequest in) {
        return objects.getObject(ctx, in);
    }

    @Override
    public HeadObjectOutput headObject(RequestContext ctx, HeadObjectRequest in) {
        return objects.headObject(ctx, in);
    }

    @Override
    public DeleteObjectOutput deleteObject(RequestContext ctx, DeleteObjectRequest in) {
        return objects.deleteObject(ctx, in);
    }

    @Override
    public CopyObjectOutput copyObject(RequestContext ctx, CopyObjectRequest in) {
        return objects.copyObject(ctx, in);
    }

    @Override
    public DeleteObjectsOutput deleteObjects(RequestContext ctx, DeleteObjectsRequest in) {
        return objects.deleteObjects(ctx, in);
    }

    @Override
    public PutObjectTaggingOutput putObjectTagging(RequestContext ctx, PutObjectTaggingRequest in) {
        return objects.putObjectTagging(ctx, in);
    }

    @Override
    public GetObjectTaggingOutput getObjectTagging(RequestContext ctx, GetObjectTaggingRequest in) {
        return objects.getObjectTagging(ctx, in);
    }

    @Override
    public DeleteObjectTaggingOutput deleteObjectTagging(RequestContext ctx, DeleteObjectTaggingRequest in) {
        return objects.deleteObjectTagging(ctx, in);
    }

    @Override
    public GetObjectAttributesOutput getObjectAttributes(RequestContext ctx, GetObjectAttributesRequest in) {
        return objects.getObjectAttributes(ctx, in);
    }

    @Override
    public RestoreObjectOutput restoreObject(RequestContext ctx, RestoreObjectRequest in) {
        return objects.restoreObject(ctx, in);
    }

    // ---------------------------------------------------------------- listings

    @Override
    public ListObjectsOutput listObjects(RequestContext ctx, ListObjectsRequest in) {
        return lists.listObjects(ctx, in);
    }

    @Override
    public ListObjectsV2Output listObjectsV2(RequestContext ctx, ListObjectsV2Request in) {
        return lists.listObjectsV2(ctx, in);
    }

    @Override
    public ListObjectVersionsOutput listObjectVersions(RequestContext ctx, ListObjectVersionsRequest in) {
        return lists.listObjectVersions(ctx, in);
    }

    // ---------------------------------------------------------------- object lock

    @Override
    public PutObjectRetentionOutput putObjectRetention(RequestContext ctx, PutObjectRetentionRequest in) {
        return ObjectLocks.putRetention(ctx, state, objects, in);
    }

    @Override
    public GetObjectRetentionOutput getObjectRetention(RequestContext ctx, GetObjectRetentionRequest in) {
        return ObjectLocks.getRetention(ctx, state, objects, in);
    }

    @Override
    public PutObjectLegalHoldOutput putObjectLegalHold(RequestContext ctx, PutObjectLegalHoldRequest in) {
        return ObjectLocks.putLegalHold(ctx, state, objects, in);
    }

    @Override
    public GetObjectLegalHoldOutput getObjectLegalHold(RequestContext ctx, GetObjectLegalHoldRequest in) {
        return ObjectLocks.getLegalHold(ctx, state, objects, in);
    }

    /** x-amz-expected-bucket-owner: a malformed account id is refused; another owner's bucket is AccessDenied. */
    private void checkExpectedOwner(RequestContext ctx, Map<String, Object> input) {
        String expected = In.str(input, "ExpectedBucketOwner");
        if (expected == null) return;
        if (expected.length() != 12 || !expected.chars().allMatch(Character::isDigit)) {
            throw new dev.polystack.api.ServiceException("InvalidBucketOwnerAWSAccountID",
                    "The value of the expected bucket owner parameter must be an AWS Account ID... [" + expected + "]", 400);
        }
        String name = In.str(input, "Bucket");
        Bucket bucket = name == null ? null : state.buckets(ctx.partition()).get(name);
        if (bucket != null && !bucket.accountId.equals(expected)) {
            throw new dev.polystack.api.ServiceException("AccessDenied", "Access Denied", 403);
        }
    }

    @Override
    public HttpResponseData handleHttp(RequestContext ctx) {
        return http.handle(ctx);
    }

    @Override
    public int stateVersion() {
        return S3Snapshot.VERSION;
    }

    @Override
    public void saveState(OutputStream out) throws IOException {
        S3Snapshot.save(state, out);
    }

    @Override
    public void stateSaved() {
        S3Snapshot.saved(state);
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        S3Snapshot.load(state, in, version);
    }

    @Override
    public void resetState() {
        state.clear();
    }

    @Override
    public void close() {
        state.notifications.close();
        lifecycle.close();
        if (!state.blobs.durable()) state.blobs.clear(); // the in-memory store's spill files die with the process
    }

    /** Applies lifecycle rules now (tests; the scheduler does it every S3_LIFECYCLE_SWEEP_SECONDS). */
    int sweepLifecycle() {
        return lifecycle.sweep();
    }

    /** The clock expiry decisions use (tests move it forward instead of waiting days). */
    void clock(java.time.Clock clock) {
        state.clock = clock;
    }

    /** The blob store in use (tests). */
    BlobStore blobs() {
        return state.blobs;
    }
}
