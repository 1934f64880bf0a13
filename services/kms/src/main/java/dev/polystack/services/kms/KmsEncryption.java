package dev.polystack.services.kms;

import java.security.KeyPair;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.kms.api.DecryptRequest;
import dev.polystack.services.kms.api.DecryptResponse;
import dev.polystack.services.kms.api.EncryptRequest;
import dev.polystack.services.kms.api.EncryptResponse;
import dev.polystack.services.kms.api.GenerateDataKeyPairResponse;
import dev.polystack.services.kms.api.GenerateDataKeyResponse;
import dev.polystack.services.kms.api.GenerateRandomRequest;
import dev.polystack.services.kms.api.GenerateRandomResponse;
import dev.polystack.services.kms.api.ReEncryptRequest;
import dev.polystack.services.kms.api.ReEncryptResponse;
import dev.polystack.services.kms.api.RecipientInfo;

import java.util.List;
import java.util.Map;

import static dev.polystack.services.kms.KmsErrors.*;
import static dev.polystack.services.kms.KmsValidation.*;
import static dev.polystack.services.kms.KmsKeySpec.USAGE_ENCRYPT;

/** Encrypt, Decrypt, ReEncrypt, data keys and data key pairs, GenerateRandom. */
final class KmsEncryption {
    private static final List<String> ENCRYPTION_ALGORITHMS = List.of("SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE");
    private static final List<String> DATA_KEY_PAIR_SPECS = List.of("RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256",
            "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1", "SM2", "ECC_NIST_EDWARDS25519");

    private final KmsKeyStore keys;

    KmsEncryption(KmsKeyStore keys) {
        this.keys = keys;
    }

    private record Decrypted(KmsKey key, byte[] plaintext, String algorithm, String materialId) {
    }

    private record Encrypted(byte[] ciphertext, String algorithm, String materialId) {
    }

    EncryptResponse encrypt(RequestContext ctx, EncryptRequest in) {
        byte[] plaintext = in.plaintext();
        if (plaintext == null) plaintext = new byte[0];
        blobLength("Plaintext", plaintext, 1, 4096);
        String algorithm = enumValue("EncryptionAlgorithm", in.encryptionAlgorithmAsString(), ENCRYPTION_ALGORITHMS);
        KmsKey key = keys.findKey(ctx, required("KeyId", in.keyId()), true);
        Encrypted e = encryptWith(key, plaintext, context(in.encryptionContext()), algorithm, "Encrypt", in.dryRun());
        return EncryptResponse.builder().ciphertextBlob(e.ciphertext).keyId(key.arn).encryptionAlgorithm(e.algorithm).build();
    }

    /** An encryption context as the request gave it; none is the empty context. */
    private static Map<String, String> context(Map<String, String> given) {
        return given == null ? Map.of() : given;
    }

    private Encrypted encryptWith(KmsKey key, byte[] plaintext, Map<String, String> context, String algorithm,
                                  String operation, Boolean dryRun) {
        if (algorithm == null) algorithm = "SYMMETRIC_DEFAULT";
        requireUsable(key);
        requireUsage(key, USAGE_ENCRYPT, operation);
        if (!key.keySpec.encryptionAlgorithms(key.keyUsage).contains(algorithm)) throw incompatible(algorithm, key);
        if (key.keySpec.family == KmsKeySpec.Family.RSA) {
            int max = KmsCrypto.oaepMaxPlaintext(key.keySpec, algorithm);
            if (plaintext.length > max) {
                throw validation("Algorithm " + algorithm + " and key spec " + key.keySpec.name()
                        + " cannot encrypt data larger than " + max + " bytes.");
            }
            dryRun(dryRun);
            return new Encrypted(KmsCrypto.rsaEncrypt(key.current().publicKey(key.keySpec), algorithm, plaintext), algorithm, null);
        }
        dryRun(dryRun);
        KmsKey.Material material = key.current();
        return new Encrypted(KmsCrypto.seal(key.keyId, material, plaintext, context), algorithm, material.id);
    }

    DecryptResponse decrypt(RequestContext ctx, DecryptRequest in) {
        byte[] blob = in.ciphertextBlob();
        blobLength("CiphertextBlob", blob, 1, 6144);
        String algorithm = enumValue("EncryptionAlgorithm", in.encryptionAlgorithmAsString(), ENCRYPTION_ALGORITHMS);
        Decrypted d = decryptWith(ctx, blob, context(in.encryptionContext()), in.keyId(), algorithm, "Decrypt", in.dryRun());
        var out = DecryptResponse.builder().keyId(d.key.arn);
        java.security.PublicKey recipient = KmsRecipient.of(in.recipient());
        if (recipient != null) out.ciphertextForRecipient(KmsRecipient.envelope(d.plaintext, recipient));
        else out.plaintext(d.plaintext);
        return out.encryptionAlgorithm(d.algorithm).keyMaterialId(d.materialId).build();
    }

    private Decrypted decryptWith(RequestContext ctx, byte[] blob, Map<String, String> context, String keyRef,
                                  String algorithm, String operation, Boolean dryRun) {
        if (blob == null) throw invalidCiphertext();
        if (algorithm == null) algorithm = "SYMMETRIC_DEFAULT";
        KmsKey given = keyRef == null ? null : keys.findKey(ctx, keyRef, true);
        if (!algorithm.equals("SYMMETRIC_DEFAULT")) {
            // asymmetric ciphertext carries no key id: the request must name the key
            if (given == null) throw validation("KeyId is required for asymmetric decryption.");
            requireUsable(given);
            requireUsage(given, USAGE_ENCRYPT, operation);
            if (!given.keySpec.encryptionAlgorithms(given.keyUsage).contains(algorithm)) throw incompatible(algorithm, given);
            dryRun(dryRun);
            try {
                return new Decrypted(given, KmsCrypto.rsaDecrypt(given.current().privateKey(given.keySpec), algorithm, blob), algorithm, null);
            } catch (KmsCrypto.BadCiphertext e) {
                throw invalidCiphertext();
            }
        }
        String keyId;
        try {
            keyId = KmsCrypto.envelopeKeyId(blob);
        } catch (KmsCrypto.BadCiphertext e) {
            if (given != null && given.keySpec != KmsKeySpec.SYMMETRIC_DEFAULT) throw incorrectKey();
            throw invalidCiphertext();
        }
        KmsKey key;
        if (given != null) {
            if (!given.keyId.equals(keyId)) throw incorrectKey();
            key = given;
        } else {
            key = keys.settledKey(ctx.accountId(), ctx.region(), keyId);
            // the blob names no key of the caller's (another account's, or one past its deletion date)
            if (key == null) throw invalidCiphertext();
        }
        requireUsable(key);
        requireUsage(key, USAGE_ENCRYPT, operation);
        KmsKey.Material material = key.material(KmsCrypto.envelopeMaterialId(blob));
        if (material == null || material.secret == null) throw invalidCiphertext();
        dryRun(dryRun);
        try {
            return new Decrypted(key, KmsCrypto.open(material, blob, context), algorithm, material.id);
        } catch (KmsCrypto.BadCiphertext e) {
            throw invalidCiphertext();
        }
    }

    static ServiceException incorrectKey() {
        return new ServiceException("IncorrectKeyException",
                "The key ID in the request does not identify a CMK that can perform this operation.");
    }

    ReEncryptResponse reEncrypt(RequestContext ctx, ReEncryptRequest in) {
        byte[] blob = in.ciphertextBlob();
        blobLength("CiphertextBlob", blob, 1, 6144);
        String sourceAlgorithm = enumValue("SourceEncryptionAlgorithm", in.sourceEncryptionAlgorithmAsString(), ENCRYPTION_ALGORITHMS);
        String destinationAlgorithm = enumValue("DestinationEncryptionAlgorithm", in.destinationEncryptionAlgorithmAsString(), ENCRYPTION_ALGORITHMS);
        KmsKey destination = keys.findKey(ctx, required("DestinationKeyId", in.destinationKeyId()), true);
        // the dry run is answered once both halves passed their checks
        Decrypted d = decryptWith(ctx, blob, context(in.sourceEncryptionContext()), in.sourceKeyId(),
                sourceAlgorithm, "ReEncrypt", false);
        Encrypted e = encryptWith(destination, d.plaintext, context(in.destinationEncryptionContext()),
                destinationAlgorithm, "ReEncrypt", in.dryRun());
        return ReEncryptResponse.builder()
                .ciphertextBlob(e.ciphertext)
                .sourceKeyId(d.key.arn)
                .keyId(destination.arn)
                .sourceEncryptionAlgorithm(d.algorithm)
                .destinationEncryptionAlgorithm(e.algorithm)
                .sourceKeyMaterialId(d.materialId)
                .destinationKeyMaterialId(e.materialId)
                .build();
    }

    /** Data keys are sealed by symmetric encryption keys only. */
    private static void requireSymmetricEncryptionKey(KmsKey key, String operation) {
        requireUsable(key);
        requireUsage(key, USAGE_ENCRYPT, operation);
        if (key.keySpec != KmsKeySpec.SYMMETRIC_DEFAULT) {
            throw new ServiceException("InvalidKeyUsageException",
                    key.arn + " key spec is " + key.keySpec.name() + " which is not valid for " + operation + ".");
        }
    }

    /** A data key's parameters, the same for GenerateDataKey and GenerateDataKeyWithoutPlaintext. */
    record DataKeyRequest(String keyId, String keySpec, Integer numberOfBytes, Map<String, String> encryptionContext,
                          RecipientInfo recipient, Boolean dryRun) {
    }

    /** GenerateDataKey, or without plaintext; the answer's members are GenerateDataKey's (a superset). */
    GenerateDataKeyResponse generateDataKey(RequestContext ctx, DataKeyRequest in, boolean withPlaintext) {
        String operation = withPlaintext ? "GenerateDataKey" : "GenerateDataKeyWithoutPlaintext";
        String spec = enumValue("KeySpec", in.keySpec(), List.of("AES_256", "AES_128"), "[AES_256, AES_128]");
        Integer bytes = in.numberOfBytes();
        range("NumberOfBytes", bytes, 1, 1024);
        KmsKey key = keys.findKey(ctx, required("KeyId", in.keyId()), true);
        if ((spec == null) == (bytes == null)) throw validation("Please specify either number of bytes or key spec.");
        requireSymmetricEncryptionKey(key, operation);
        dryRun(in.dryRun());
        byte[] dataKey = KmsCrypto.random(bytes != null ? bytes : spec.equals("AES_128") ? 16 : 32);
        KmsKey.Material material = key.current();
        var out = GenerateDataKeyResponse.builder()
                .ciphertextBlob(KmsCrypto.seal(key.keyId, material, dataKey, context(in.encryptionContext())));
        java.security.PublicKey recipient = withPlaintext ? KmsRecipient.of(in.recipient()) : null;
        if (recipient != null) out.ciphertextForRecipient(KmsRecipient.envelope(dataKey, recipient));
        else if (withPlaintext) out.plaintext(dataKey);
        return out.keyId(key.arn).keyMaterialId(material.id).build();
    }

    /** A data key pair's parameters, the same for GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext. */
    record DataKeyPairRequest(String keyId, String keyPairSpec, Map<String, String> encryptionContext,
                              RecipientInfo recipient, Boolean dryRun) {
    }

    /** GenerateDataKeyPair, or without plaintext; the answer's members are GenerateDataKeyPair's (a superset). */
    GenerateDataKeyPairResponse generateDataKeyPair(RequestContext ctx, DataKeyPairRequest in, boolean withPlaintext) {
        String operation = withPlaintext ? "GenerateDataKeyPair" : "GenerateDataKeyPairWithoutPlaintext";
        String pairSpec = required("KeyPairSpec", enumValue("KeyPairSpec", in.keyPairSpec(), DATA_KEY_PAIR_SPECS));
        KmsKeySpec spec = KmsKeySpec.dataKeyPairSpec(pairSpec);
        if (spec == null) throw new ServiceException("UnsupportedOperationException", "KeyPairSpec " + pairSpec + " is not supported in this region.");
        KmsKey key = keys.findKey(ctx, required("KeyId", in.keyId()), true);
        requireSymmetricEncryptionKey(key, operation);
        dryRun(in.dryRun());
        KeyPair pair = KmsCrypto.generateKeyPair(spec);
        byte[] privateKey = pair.getPrivate().getEncoded();
        KmsKey.Material material = key.current();
        var out = GenerateDataKeyPairResponse.builder()
                .privateKeyCiphertextBlob(KmsCrypto.seal(key.keyId, material, privateKey, context(in.encryptionContext())));
        java.security.PublicKey recipient = withPlaintext ? KmsRecipient.of(in.recipient()) : null;
        if (recipient != null) out.ciphertextForRecipient(KmsRecipient.envelope(privateKey, recipient));
        else if (withPlaintext) out.privateKeyPlaintext(privateKey);
        return out.publicKey(pair.getPublic().getEncoded()).keyId(key.arn).keyPairSpec(pairSpec).keyMaterialId(material.id).build();
    }

    static GenerateRandomResponse generateRandom(GenerateRandomRequest in) {
        Integer bytes = in.numberOfBytes();
        if (bytes == null) throw validation("NumberOfBytes is required.");
        range("NumberOfBytes", bytes, 1, 1024);
        java.security.PublicKey recipient = KmsRecipient.of(in.recipient());
        byte[] random = KmsCrypto.random(bytes);
        return recipient != null ? GenerateRandomResponse.builder().ciphertextForRecipient(KmsRecipient.envelope(random, recipient)).build()
                : GenerateRandomResponse.builder().plaintext(random).build();
    }
}
