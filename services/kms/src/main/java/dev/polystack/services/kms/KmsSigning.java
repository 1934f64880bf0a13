package dev.polystack.services.kms;

import java.security.GeneralSecurityException;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.polystack.services.kms.KmsErrors.*;
import static dev.polystack.services.kms.KmsInput.*;
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

    private static byte[] digestToSign(Map<String, Object> in, String algorithm) {
        byte[] message = blob(in, "Message");
        if (message == null) message = new byte[0];
        blobLength("Message", message, 1, 4096);
        String type = enumValue(in, "MessageType", List.of("RAW", "DIGEST", "EXTERNAL_MU"));
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
    private KmsKey keyFor(RequestContext ctx, Map<String, Object> in, String usage, String algorithm, String operation) {
        KmsKey key = keys.findKey(ctx, required(in, "KeyId"), true);
        requireUsable(key);
        requireUsage(key, usage, operation);
        List<String> allowed = USAGE_MAC.equals(usage) ? key.keySpec.macAlgorithms(key.keyUsage)
                : key.keySpec.signingAlgorithms(key.keyUsage);
        if (!allowed.contains(algorithm)) throw incompatible(algorithm, key);
        return key;
    }

    private KmsKey signingKey(RequestContext ctx, Map<String, Object> in, String algorithm, String operation) {
        return keyFor(ctx, in, USAGE_SIGN, algorithm, operation);
    }

    Map<String, Object> sign(RequestContext ctx, Map<String, Object> in) {
        String algorithm = enumValue(in, "SigningAlgorithm", SIGNING_ALGORITHMS);
        if (algorithm == null) required(in, "SigningAlgorithm");
        KmsKey key = signingKey(ctx, in, algorithm, "Sign");
        byte[] digest = digestToSign(in, algorithm);
        dryRun(in);
        byte[] signature = KmsCrypto.signDigest(key.current().privateKey(key.keySpec), algorithm, digest);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", key.arn);
        out.put("Signature", signature);
        out.put("SigningAlgorithm", algorithm);
        return out;
    }

    Map<String, Object> verify(RequestContext ctx, Map<String, Object> in) {
        String algorithm = enumValue(in, "SigningAlgorithm", SIGNING_ALGORITHMS);
        if (algorithm == null) required(in, "SigningAlgorithm");
        byte[] signature = blob(in, "Signature");
        blobLength("Signature", signature == null ? new byte[0] : signature, 1, 6144);
        KmsKey key = signingKey(ctx, in, algorithm, "Verify");
        byte[] digest = digestToSign(in, algorithm);
        dryRun(in);
        if (!KmsCrypto.verifyDigest(key.current().publicKey(key.keySpec), algorithm, digest, signature)) {
            throw new ServiceException("KMSInvalidSignatureException", null);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", key.arn);
        out.put("SignatureValid", true);
        out.put("SigningAlgorithm", algorithm);
        return out;
    }

    private static final String MAC_ENUM_MESSAGE = "[HMAC_SHA_384, HMAC_SHA_256, HMAC_SHA_224, HMAC_SHA_512]";

    private KmsKey macKey(RequestContext ctx, Map<String, Object> in, String algorithm, String operation) {
        byte[] message = blob(in, "Message");
        blobLength("Message", message == null ? new byte[0] : message, 1, 4096);
        return keyFor(ctx, in, USAGE_MAC, algorithm, operation);
    }

    Map<String, Object> generateMac(RequestContext ctx, Map<String, Object> in) {
        String algorithm = enumValue(in, "MacAlgorithm", MAC_ALGORITHMS, MAC_ENUM_MESSAGE);
        if (algorithm == null) required(in, "MacAlgorithm");
        KmsKey key = macKey(ctx, in, algorithm, "GenerateMac");
        dryRun(in);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Mac", KmsCrypto.hmac(key.current().secret, algorithm, blob(in, "Message")));
        out.put("MacAlgorithm", algorithm);
        out.put("KeyId", key.arn);
        return out;
    }

    Map<String, Object> verifyMac(RequestContext ctx, Map<String, Object> in) {
        String algorithm = enumValue(in, "MacAlgorithm", MAC_ALGORITHMS, MAC_ENUM_MESSAGE);
        if (algorithm == null) required(in, "MacAlgorithm");
        byte[] mac = blob(in, "Mac");
        blobLength("Mac", mac == null ? new byte[0] : mac, 1, 6144);
        KmsKey key = macKey(ctx, in, algorithm, "VerifyMac");
        dryRun(in);
        byte[] expected = KmsCrypto.hmac(key.current().secret, algorithm, blob(in, "Message"));
        if (!java.security.MessageDigest.isEqual(expected, mac)) throw new ServiceException("KMSInvalidMacException", null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", key.arn);
        out.put("MacValid", true);
        out.put("MacAlgorithm", algorithm);
        return out;
    }

    Map<String, Object> getPublicKey(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = keys.findKey(ctx, required(in, "KeyId"), true);
        requireUsable(key);
        if (!key.keySpec.asymmetric()) {
            throw new ServiceException("UnsupportedOperationException",
                    key.arn + " key spec is " + key.keySpec.name() + " which is not valid for GetPublicKey.");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", key.arn);
        out.put("PublicKey", key.current().publicKey);
        out.put("CustomerMasterKeySpec", key.keySpec.name());
        out.put("KeySpec", key.keySpec.name());
        out.put("KeyUsage", key.keyUsage);
        KmsProvider.putIfAny(out, "EncryptionAlgorithms", key.keySpec.encryptionAlgorithms(key.keyUsage));
        KmsProvider.putIfAny(out, "SigningAlgorithms", key.keySpec.signingAlgorithms(key.keyUsage));
        KmsProvider.putIfAny(out, "KeyAgreementAlgorithms", key.keySpec.keyAgreementAlgorithms(key.keyUsage));
        return out;
    }

    Map<String, Object> deriveSharedSecret(RequestContext ctx, Map<String, Object> in) {
        String algorithm = enumValue(in, "KeyAgreementAlgorithm", List.of("ECDH"));
        if (algorithm == null) required(in, "KeyAgreementAlgorithm");
        byte[] peer = blob(in, "PublicKey");
        KmsKey key = keys.findKey(ctx, required(in, "KeyId"), true);
        requireUsable(key);
        requireUsage(key, USAGE_AGREEMENT, "DeriveSharedSecret");
        dryRun(in);
        byte[] secret;
        try {
            secret = KmsCrypto.ecdh(key.current().privateKey(key.keySpec), peer == null ? new byte[0] : peer);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw validation("");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", key.arn);
        out.put("SharedSecret", secret);
        out.put("KeyAgreementAlgorithm", algorithm);
        out.put("KeyOrigin", key.origin);
        return out;
    }
}
