package dev.polystack.services.s3;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.kms.api.DescribeKeyRequest;
import dev.polystack.services.kms.api.KeyMetadata;

import java.util.regex.Pattern;

/**
 * SSE-KMS keys as S3 checks them: the key named in {@code x-amz-server-side-encryption-aws-kms-key-id} must exist
 * in KMS (the in-process KMS provider) in the bucket's region, and answers carry its full ARN. An unknown key is
 * {@code KMS.NotFoundException} with AWS's messages.
 */
final class SseKms {
    private static final Pattern KEY_UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern KEY_ARN = Pattern.compile("arn:[a-z-]+:kms:([a-z0-9-]+):(\\d{12}):(key|alias)/(.+)");

    private SseKms() {
    }

    /** The full ARN of the KMS key a write names; throws KMS.NotFoundException when KMS does not know it. */
    static String resolve(S3State state, RequestContext ctx, Bucket bucket, String keyId) {
        if (state.env == null) return keyId; // no KMS in process (unit tests): keep the id as given
        var arn = KEY_ARN.matcher(keyId);
        String region = bucket.region;
        if (arn.matches()) {
            if (!arn.group(1).equals(region)) throw notFound("Invalid arn " + arn.group(1));
        } else if (!KEY_UUID.matcher(keyId).matches() && !keyId.startsWith("alias/")) {
            throw notFound("Invalid keyId '" + keyId + "'");
        }
        try {
            KeyMetadata metadata = state.kms.describeKey(RequestContext.internal(ctx.accountId(), region, "kms"),
                    DescribeKeyRequest.builder().keyId(keyId).build()).keyMetadata();
            return metadata != null && metadata.arn() != null ? metadata.arn() : keyId;
        } catch (ServiceException e) {
            if (!e.code().contains("NotFound")) throw e;
            String full = arn.matches() ? keyId : keyId.startsWith("alias/")
                    ? "arn:aws:kms:" + region + ":" + ctx.accountId() + ":" + keyId
                    : "arn:aws:kms:" + region + ":" + ctx.accountId() + ":key/" + keyId;
            throw notFound("Key '" + full + "' does not exist");
        }
    }

    /** {@link #resolve}, keeping {@code keyId} as given when KMS does not know it (a bucket's configured default key). */
    static String resolveOrKeep(S3State state, RequestContext ctx, Bucket bucket, String keyId) {
        try {
            return resolve(state, ctx, bucket, keyId);
        } catch (ServiceException e) {
            if (e.code().equals("KMS.NotFoundException")) return keyId;
            throw e;
        }
    }

    private static ServiceException notFound(String message) {
        return new ServiceException("KMS.NotFoundException", message, 400);
    }
}
