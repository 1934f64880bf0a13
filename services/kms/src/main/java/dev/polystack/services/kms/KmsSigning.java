package dev.polystack.services.kms;

import java.security.GeneralSecurityException;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.kms.api.DeriveSharedSecretRequest;
import dev.polystack.services.kms.api.DeriveSharedSecretResponse;
import dev.polystack.services.kms.api.GenerateMacRequest;
import dev.polystack.services.kms.api.GenerateMacResponse;
import dev.polystack.services.kms.api.GetPublicKeyResponse;
import dev.polystack.services.kms.api.SignRequest;
import dev.polystack.services.kms.api.SignResponse;
import dev.polystack.services.kms.api.VerifyMacRequest;
import dev.polystack.services.kms.api.VerifyMacResponse;
import dev.polystack.services.kms.api.VerifyRequest;
import dev.polystack.services.kms.api.VerifyResponse;

import java.util.List;

import static dev.polystack.services.kms.KmsErrors.*;
import static dev.polystack.services.kms.KmsValidation.*;
import static dev.polystack.services.kms.KmsKeySpec.USAGE_AGREEMENT;
import static dev.polystack.services.kms.KmsKeySpec.USAGE_MAC;
import static dev.polystack.services.kms.KmsKeySpec.USAGE_SIGN;

/** Sign and Verify (RAW and DIGEST), GenerateMac and VerifyMac, GetPublicKey, DeriveSharedSecret. */
final class KmsSigning {
    private static final List<String> SIGNING_ALGORITHMS = List.of("RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
            "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
            "ECDSA_SHA_256", "ECDSA_SHA_384", "ECDSA_SHA_512", "SM2DSA", "ML_DSA_SHAKE_256", "ED25519_SHA_512", "ED25519_PH_SHA_512");
    private static final List<String> MAC_ALGORITHMS = List.of("HMAC_SHA_224", "HMAC_SHA_256", "HMAC_SHA_384", "HMAC_SHA_512");

    private final KmsKeyStore keys;

    KmsSigning(KmsKeyStore keys) {
        this.keys = keys;
    }

    private static byte[] digestToSign(byte[] message, String messageType, String algorithm) {
        if (message == null) message = new byte[0];
        blobLength("Message", message, 1, 4096);
        String type = enumValue("MessageType", messageType, List.of("RAW", "DIGEST", "EXTERNAL_MU"));
        if (KmsCrypto.signsWholeMessage(algorithm)) {
            if (type != null && !type.equals("RAW")) {
                throw validation("The " + algorithm + " signing algorithm does not support the " + type + " message type.");
            }
            return message;
        }
        if ("DIGEST".equals(type)) {
            if (message.length != KmsCrypto.digestLength(algorithm)) {
                throw validation("Digest is invalid length for algorithm " + algorithm + ".");
            }
            return message;
        }
        if ("EXTERNAL_MU".equals(type)) throw validation("The " + algorithm + " signing algorithm does not support the EXTERNAL_MU message type.");
        return KmsCrypto.digest(algorithm, message);
    }

    /** The key of a Sign/Verify or GenerateMac/VerifyMac call: found, usable, of that usage, and able to run {@code algorithm}. */
    private KmsKey keyFor(RequestContext ctx, String keyId, String usage, String algorithm, String operation) {
        KmsKey key = keys.findKey(ctx, required("KeyId", keyId), true);
        requireUsable(key);
        requireUsage(key, usage, operation);
        List<String> allowed = USAGE_MAC.equals(usage) ? key.keySpec.macAlgorithms(key.keyUsage)
                : key.keySpec.signingAlgorithms(key.keyUsage);
        if (!allowed.contains(algorithm)) throw incompatible(algorithm, key);
        return key;
    }

    private KmsKey signingKey(RequestContext ctx, String keyId, String algorithm, String operation) {
        return keyFor(ctx, keyId, USAGE_SIGN, algorithm, operation);
    }

    SignResponse sign(RequestContext ctx, SignRequest in) {
        String algorithm = required("SigningAlgorithm", enumValue("SigningAlgorithm", in.signingAlgorithmAsString(), SIGNING_ALGORITHMS));
        KmsKey key = signingKey(ctx, in.keyId(), algorithm, "Sign");
        byte[] digest = digestToSign(in.message(), in.messageTypeAsString(), algorithm);
        dryRun(in.dryRun());
        byte[] signature = KmsCrypto.signDigest(key.current().privateKey(key.keySpec), algorithm, digest);
        return SignResponse.builder().keyId(key.arn).signature(signature).signingAlgorithm(algorithm).build();
    }

    VerifyResponse verify(RequestContext ctx, VerifyRequest in) {
        String algorithm = required("SigningAlgorithm", enumValue("SigningAlgorithm", in.signingAlgorithmAsString(), SIGNING_ALGORITHMS));
        byte[] signature = in.signature();
        blobLength("Signature", signature == null ? new byte[0] : signature, 1, 6144);
        KmsKey key = signingKey(ctx, in.keyId(), algorithm, "Verify");
        byte[] digest = digestToSign(in.message(), in.messageTypeAsString(), algorithm);
        dryRun(in.dryRun());
        if (!KmsCrypto.verifyDigest(key.current().publicKey(key.keySpec), algorithm, digest, signature)) {
            throw new ServiceException("KMSInvalidSignatureException", null);
        }
        return VerifyResponse.builder().keyId(key.arn).signatureValid(true).signingAlgorithm(algorithm).build();
    }

    private static final String MAC_ENUM_MESSAGE = "[HMAC_SHA_384, HMAC_SHA_256, HMAC_SHA_224, HMAC_SHA_512]";

    private KmsKey macKey(RequestContext ctx, String keyId, byte[] message, String algorithm, String operation) {
        blobLength("Message", message == null ? new byte[0] : message, 1, 4096);
        return keyFor(ctx, keyId, USAGE_MAC, algorithm, operation);
    }

    GenerateMacResponse generateMac(RequestContext ctx, GenerateMacRequest in) {
        String algorithm = required("MacAlgorithm", enumValue("MacAlgorithm", in.macAlgorithmAsString(), MAC_ALGORITHMS, MAC_ENUM_MESSAGE));
        KmsKey key = macKey(ctx, in.keyId(), in.message(), algorithm, "GenerateMac");
        dryRun(in.dryRun());
        return GenerateMacResponse.builder()
                .mac(KmsCrypto.hmac(key.current().secret, algorithm, in.message()))
                .macAlgorithm(algorithm)
                .keyId(key.arn)
                .build();
    }

    VerifyMacResponse verifyMac(RequestContext ctx, VerifyMacRequest in) {
        String algorithm = required("MacAlgorithm", enumValue("MacAlgorithm", in.macAlgorithmAsString(), MAC_ALGORITHMS, MAC_ENUM_MESSAGE));
        byte[] mac = in.mac();
        blobLength("Mac", mac == null ? new byte[0] : mac, 1, 6144);
        KmsKey key = macKey(ctx, in.keyId(), in.message(), algorithm, "VerifyMac");
        dryRun(in.dryRun());
        byte[] expected = KmsCrypto.hmac(key.current().secret, algorithm, in.message());
        if (!java.security.MessageDigest.isEqual(expected, mac)) throw new ServiceException("KMSInvalidMacException", null);
        return VerifyMacResponse.builder().keyId(key.arn).macValid(true).macAlgorithm(algorithm).build();
    }

    GetPublicKeyResponse getPublicKey(RequestContext ctx, String keyId) {
        KmsKey key = keys.findKey(ctx, required("KeyId", keyId), true);
        requireUsable(key);
        if (!key.keySpec.asymmetric()) {
            throw new ServiceException("UnsupportedOperationException",
                    key.arn + " key spec is " + key.keySpec.name() + " which is not valid for GetPublicKey.");
        }
        return GetPublicKeyResponse.builder()
                .keyId(key.arn)
                .publicKey(key.current().publicKey)
                .customerMasterKeySpec(key.keySpec.name())
                .keySpec(key.keySpec.name())
                .keyUsage(key.keyUsage)
                .encryptionAlgorithms(KmsProvider.nonEmpty(key.keySpec.encryptionAlgorithms(key.keyUsage)))
                .signingAlgorithms(KmsProvider.nonEmpty(key.keySpec.signingAlgorithms(key.keyUsage)))
                .keyAgreementAlgorithms(KmsProvider.nonEmpty(key.keySpec.keyAgreementAlgorithms(key.keyUsage)))
                .build();
    }

    DeriveSharedSecretResponse deriveSharedSecret(RequestContext ctx, DeriveSharedSecretRequest in) {
        String algorithm = required("KeyAgreementAlgorithm", enumValue("KeyAgreementAlgorithm", in.keyAgreementAlgorithmAsString(), List.of("ECDH")));
        byte[] peer = in.publicKey();
        KmsKey key = keys.findKey(ctx, required("KeyId", in.keyId()), true);
        requireUsable(key);
        requireUsage(key, USAGE_AGREEMENT, "DeriveSharedSecret");
        dryRun(in.dryRun());
        byte[] secret;
        try {
            secret = KmsCrypto.ecdh(key.current().privateKey(key.keySpec), peer == null ? new byte[0] : peer);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw validation("");
        }
        return DeriveSharedSecretResponse.builder()
                .keyId(key.arn)
                .sharedSecret(secret)
                .keyAgreementAlgorithm(algorithm)
                .keyOrigin(key.origin)
                .build();
    }
}
