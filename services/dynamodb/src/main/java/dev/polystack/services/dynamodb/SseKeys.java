package dev.polystack.services.dynamodb;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Server-side encryption with KMS keys from the in-process KMS provider: CreateTable's and UpdateTable's
 * SSESpecification name a customer managed key (checked: it must exist, be enabled and be a symmetric encryption
 * key) or, without one, the account's AWS managed key {@code alias/aws/dynamodb} (created on first use, as on AWS).
 * An unusable key is refused with the KMS error DynamoDB embeds in its own, as AWS answers.
 */
final class SseKeys {
    static final String MANAGED_KEY = "alias/aws/dynamodb";

    private final ProviderEnvironment env;

    SseKeys(ProviderEnvironment env) {
        this.env = env;
    }

    /** The SSEDescription for a specification, with the given status; null for the AWS owned key (not enabled). */
    Map<String, Object> describe(Map<String, Object> spec, RequestContext ctx, String status) {
        if (spec == null || !Boolean.TRUE.equals(spec.get("Enabled"))) return null;
        Object keyId = spec.get("KMSMasterKeyId");
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("Status", status);
        d.put("SSEType", "KMS");
        d.put("KMSMasterKeyArn", keyArn(ctx, keyId == null ? MANAGED_KEY : keyId.toString()));
        return d;
    }

    /** The key's full ARN after KMS confirmed it is usable for table encryption. */
    private String keyArn(RequestContext ctx, String keyId) {
        if (env == null) return keyId; // unit tests: no KMS in process
        Map<String, Object> metadata;
        try {
            Object out = env.call(RequestContext.internal(ctx.accountId(), ctx.region(), "kms"), "kms", "DescribeKey",
                    Map.of("KeyId", keyId)).get("KeyMetadata");
            if (!(out instanceof Map<?, ?> m)) throw new IllegalStateException("KMS answered DescribeKey without KeyMetadata");
            @SuppressWarnings("unchecked") Map<String, Object> typed = (Map<String, Object>) m;
            metadata = typed;
        } catch (ServiceException e) {
            String kmsCode = e.code().replace("KMS.", "");
            throw kmsError("ValidationException", 400, "KMS validation error", kmsCode, e.getMessage(), "400", kmsCode);
        }
        String arn = String.valueOf(metadata.get("Arn"));
        String state = String.valueOf(metadata.get("KeyState"));
        if (state.equals("Disabled")) {
            throw kmsError("ValidationException", 400, "KMS key disabled error", "DisabledException", arn + " is disabled.", "400", "DisabledException");
        }
        if (state.equals("PendingDeletion") || state.equals("PendingReplicaDeletion")) {
            throw kmsError("ValidationException", 400, "KMS validation error", "KMSInvalidStateException", arn + " is pending deletion.",
                    "400", "KMSInvalidStateException");
        }
        if (!"SYMMETRIC_DEFAULT".equals(metadata.get("KeySpec")) || !"ENCRYPT_DECRYPT".equals(metadata.get("KeyUsage"))) {
            // AWS answers this one with a 500 (its grant with an encryption context fails inside the service).
            throw kmsError("InternalServerError", 500, "KMS internal error", "AWSKMSException",
                    "EncryptionContext is supported only when creating a grant for a symmetric encryption KMS key.", "400", "ValidationException");
        }
        if ("AWS".equals(metadata.get("KeyManager")) && !keyId.equals(MANAGED_KEY) && !arn.equals(managedKeyArn(ctx))) {
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
        Object out = env.call(RequestContext.internal(ctx.accountId(), ctx.region(), "kms"), "kms", "DescribeKey",
                Map.of("KeyId", MANAGED_KEY)).get("KeyMetadata");
        return out instanceof Map<?, ?> m ? String.valueOf(m.get("Arn")) : "";
    }

    /** DynamoDB's wrapping of a KMS error: the Java SDK exception's class and text, as AWS shows it. */
    private static ServiceException kmsError(String code, int status, String kind, String kmsException, String kmsMessage,
                                             String kmsStatus, String kmsCode) {
        return new ServiceException(code, kind + ": com.amazonaws.services.kms.model." + kmsException + ": " + kmsMessage
                + " (Service: AWSKMS; Status Code: " + kmsStatus + "; Error Code: " + kmsCode + "; Request ID: " + UUID.randomUUID()
                + "; Proxy: null)", status);
    }
}
