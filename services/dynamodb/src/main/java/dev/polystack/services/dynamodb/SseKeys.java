package dev.polystack.services.dynamodb;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import dev.polystack.services.dynamodb.api.SSEDescription;
import dev.polystack.services.dynamodb.api.SSESpecification;
import dev.polystack.services.kms.api.DescribeKeyRequest;
import dev.polystack.services.kms.api.KeyMetadata;
import dev.polystack.services.kms.api.KmsApi;

import java.util.UUID;

/**
 * Server-side encryption with KMS keys from the in-process KMS provider: CreateTable's and UpdateTable's
 * SSESpecification name a customer managed key (checked: it must exist, be enabled and be a symmetric encryption
 * key) or, without one, the account's AWS managed key {@code alias/aws/dynamodb} (created on first use, as on AWS).
 * An unusable key is refused with the KMS error DynamoDB embeds in its own, as AWS answers.
 */
final class SseKeys {
    static final String MANAGED_KEY = "alias/aws/dynamodb";

    /** The in-process KMS (null in unit tests without one). */
    private final KmsApi kms;

    SseKeys(ProviderEnvironment env) {
        this.kms = env == null ? null : KmsApi.client(env);
    }

    /**
     * The KMS key ARN a specification selects, checked with KMS: the customer managed key it names, or the
     * account's AWS managed key; null when encryption with a KMS key is not enabled (the AWS owned key).
     */
    String keyArn(SSESpecification spec, RequestContext ctx) {
        if (spec == null || !Boolean.TRUE.equals(spec.enabled())) return null;
        String keyId = spec.kmsMasterKeyId();
        return keyArn(ctx, keyId == null ? MANAGED_KEY : keyId);
    }

    /** The SSEDescription AWS shows for a table encrypted with that KMS key. */
    static SSEDescription description(String keyArn, String status) {
        return SSEDescription.builder().status(status).sseType("KMS").kmsMasterKeyArn(keyArn).build();
    }

    private KeyMetadata describeKey(RequestContext ctx, String keyId) {
        KeyMetadata metadata = kms.describeKey(RequestContext.internal(ctx.accountId(), ctx.region(), "kms"),
                DescribeKeyRequest.builder().keyId(keyId).build()).keyMetadata();
        if (metadata == null) throw new IllegalStateException("KMS answered DescribeKey without KeyMetadata");
        return metadata;
    }

    /** The key's full ARN after KMS confirmed it is usable for table encryption. */
    private String keyArn(RequestContext ctx, String keyId) {
        if (kms == null) return keyId; // unit tests: no KMS in process
        KeyMetadata metadata;
        try {
            metadata = describeKey(ctx, keyId);
        } catch (ServiceException e) {
            String kmsCode = e.code().replace("KMS.", "");
            throw kmsError("ValidationException", 400, "KMS validation error", kmsCode, e.getMessage(), "400", kmsCode);
        }
        String arn = metadata.arn();
        String state = String.valueOf(metadata.keyStateAsString());
        if (state.equals("Disabled")) {
            throw kmsError("ValidationException", 400, "KMS key disabled error", "DisabledException", arn + " is disabled.", "400", "DisabledException");
        }
        if (state.equals("PendingDeletion") || state.equals("PendingReplicaDeletion")) {
            throw kmsError("ValidationException", 400, "KMS validation error", "KMSInvalidStateException", arn + " is pending deletion.",
                    "400", "KMSInvalidStateException");
        }
        if (!"SYMMETRIC_DEFAULT".equals(metadata.keySpecAsString()) || !"ENCRYPT_DECRYPT".equals(metadata.keyUsageAsString())) {
            // AWS answers this one with a 500 (its grant with an encryption context fails inside the service).
            throw kmsError("InternalServerError", 500, "KMS internal error", "AWSKMSException",
                    "EncryptionContext is supported only when creating a grant for a symmetric encryption KMS key.", "400", "ValidationException");
        }
        if ("AWS".equals(metadata.keyManagerAsString()) && !keyId.equals(MANAGED_KEY) && !arn.equals(managedKeyArn(ctx))) {
            // Another service's AWS managed key (aws/s3, aws/sqs ...): its key policy lets only that service use it,
            // so DynamoDB's grant is refused (AWS's exact text is not recorded).
            throw kmsError("ValidationException", 400, "KMS access denied error", "AccessDeniedException",
                    "User: arn:" + ctx.partition() + ":sts::" + ctx.accountId() + ":assumed-role/DynamoDB is not authorized to perform: kms:CreateGrant on resource: "
                            + arn + " because no resource-based policy allows the kms:CreateGrant action", "400", "AccessDeniedException");
        }
        return arn;
    }

    /** The ARN of the account's AWS managed key for DynamoDB (alias/aws/dynamodb). */
    private String managedKeyArn(RequestContext ctx) {
        return describeKey(ctx, MANAGED_KEY).arn();
    }

    /** DynamoDB's wrapping of a KMS error: the Java SDK exception's class and text, as AWS shows it. */
    private static ServiceException kmsError(String code, int status, String kind, String kmsException, String kmsMessage,
                                             String kmsStatus, String kmsCode) {
        return new ServiceException(code, kind + ": com.amazonaws.services.kms.model." + kmsException + ": " + kmsMessage
                + " (Service: AWSKMS; Status Code: " + kmsStatus + "; Error Code: " + kmsCode + "; Request ID: " + UUID.randomUUID()
                + "; Proxy: null)", status);
    }
}
