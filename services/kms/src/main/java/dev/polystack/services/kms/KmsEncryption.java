package dev.polystack.services.kms;

import java.security.KeyPair;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.polystack.services.kms.KmsErrors.*;
import static dev.polystack.services.kms.KmsInput.*;
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

    Map<String, Object> encrypt(RequestContext ctx, Map<String, Object> in) {
        byte[] plaintext = blob(in, "Plaintext");
        if (plaintext == null) plaintext = new byte[0];
        blobLength("Plaintext", plaintext, 1, 4096);
        String algorithm = enumValue(in, "EncryptionAlgorithm", ENCRYPTION_ALGORITHMS);
        KmsKey key = keys.findKey(ctx, required(in, "KeyId"), true);
        Map<String, String> context = stringMap(in, "EncryptionContext");
        Encrypted e = encryptWith(key, plaintext, context, algorithm, "Encrypt", in);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("CiphertextBlob", e.ciphertext);
        out.put("KeyId", key.arn);
        out.put("EncryptionAlgorithm", e.algorithm);
        return out;
    }

    private Encrypted encryptWith(KmsKey key, byte[] plaintext, Map<String, String> context, String algorithm,
                                  String operation, Map<String, Object> in) {
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
            dryRun(in);
            return new Encrypted(KmsCrypto.rsaEncrypt(key.current().publicKey(key.keySpec), algorithm, plaintext), algorithm, null);
        }
        dryRun(in);
        KmsKey.Material material = key.current();
        return new Encrypted(KmsCrypto.seal(key.keyId, material, plaintext, context), algorithm, material.id);
    }

    Map<String, Object> decrypt(RequestContext ctx, Map<String, Object> in) {
        byte[] blob = blob(in, "CiphertextBlob");
        blobLength("CiphertextBlob", blob, 1, 6144);
        String algorithm = enumValue(in, "EncryptionAlgorithm", ENCRYPTION_ALGORITHMS);
        Decrypted d = decryptWith(ctx, blob, stringMap(in, "EncryptionContext"), str(in, "KeyId"), algorithm, "Decrypt", in);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", d.key.arn);
        java.security.PublicKey recipient = KmsRecipient.of(in);
        if (recipient != null) out.put("CiphertextForRecipient", KmsRecipient.envelope(d.plaintext, recipient));
        else out.put("Plaintext", d.plaintext);
        out.put("EncryptionAlgorithm", d.algorithm);
        if (d.materialId != null) out.put("KeyMaterialId", d.materialId);
        return out;
    }

    private Decrypted decryptWith(RequestContext ctx, byte[] blob, Map<String, String> context, String keyRef,
                                  String algorithm, String operation, Map<String, Object> in) {
        if (blob == null) throw invalidCiphertext();
        if (algorithm == null) algorithm = "SYMMETRIC_DEFAULT";
        KmsKey given = keyRef == null ? null : keys.findKey(ctx, keyRef, true);
        if (!algorithm.equals("SYMMETRIC_DEFAULT")) {
            // asymmetric ciphertext carries no key id: the request must name the key
            if (given == null) throw validation("KeyId is required for asymmetric decryption.");
            requireUsable(given);
            requireUsage(given, USAGE_ENCRYPT, operation);
            if (!given.keySpec.encryptionAlgorithms(given.keyUsage).contains(algorithm)) throw incompatible(algorithm, given);
            dryRun(in);
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
        dryRun(in);
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

    Map<String, Object> reEncrypt(RequestContext ctx, Map<String, Object> in) {
        byte[] blob = blob(in, "CiphertextBlob");
        blobLength("CiphertextBlob", blob, 1, 6144);
        String sourceAlgorithm = enumValue(in, "SourceEncryptionAlgorithm", ENCRYPTION_ALGORITHMS);
        String destinationAlgorithm = enumValue(in, "DestinationEncryptionAlgorithm", ENCRYPTION_ALGORITHMS);
        KmsKey destination = keys.findKey(ctx, required(in, "DestinationKeyId"), true);
        Decrypted d = decryptWith(ctx, blob, stringMap(in, "SourceEncryptionContext"), str(in, "SourceKeyId"),
                sourceAlgorithm, "ReEncrypt", Map.of());
        Encrypted e = encryptWith(destination, d.plaintext, stringMap(in, "DestinationEncryptionContext"),
                destinationAlgorithm, "ReEncrypt", in);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("CiphertextBlob", e.ciphertext);
        out.put("SourceKeyId", d.key.arn);
        out.put("KeyId", destination.arn);
        out.put("SourceEncryptionAlgorithm", d.algorithm);
        out.put("DestinationEncryptionAlgorithm", e.algorithm);
        if (d.materialId != null) out.put("SourceKeyMaterialId", d.materialId);
        if (e.materialId != null) out.put("DestinationKeyMaterialId", e.materialId);
        return out;
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

    Map<String, Object> generateDataKey(RequestContext ctx, Map<String, Object> in, boolean withPlaintext) {
        String operation = withPlaintext ? "GenerateDataKey" : "GenerateDataKeyWithoutPlaintext";
        String spec = enumValue(in, "KeySpec", List.of("AES_256", "AES_128"), "[AES_256, AES_128]");
        Integer bytes = integer(in, "NumberOfBytes");
        range("NumberOfBytes", bytes, 1, 1024);
        KmsKey key = keys.findKey(ctx, required(in, "KeyId"), true);
        if ((spec == null) == (bytes == null)) throw validation("Please specify either number of bytes or key spec.");
        requireSymmetricEncryptionKey(key, operation);
        dryRun(in);
        byte[] dataKey = KmsCrypto.random(bytes != null ? bytes : spec.equals("AES_128") ? 16 : 32);
        KmsKey.Material material = key.current();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("CiphertextBlob", KmsCrypto.seal(key.keyId, material, dataKey, stringMap(in, "EncryptionContext")));
        java.security.PublicKey recipient = withPlaintext ? KmsRecipient.of(in) : null;
        if (recipient != null) out.put("CiphertextForRecipient", KmsRecipient.envelope(dataKey, recipient));
        else if (withPlaintext) out.put("Plaintext", dataKey);
        out.put("KeyId", key.arn);
        out.put("KeyMaterialId", material.id);
        return out;
    }

    Map<String, Object> generateDataKeyPair(RequestContext ctx, Map<String, Object> in, boolean withPlaintext) {
        String operation = withPlaintext ? "GenerateDataKeyPair" : "GenerateDataKeyPairWithoutPlaintext";
        String pairSpec = enumValue(in, "KeyPairSpec", DATA_KEY_PAIR_SPECS);
        if (pairSpec == null) required(in, "KeyPairSpec");
        KmsKeySpec spec = KmsKeySpec.dataKeyPairSpec(pairSpec);
        if (spec == null) throw new ServiceException("UnsupportedOperationException", "KeyPairSpec " + pairSpec + " is not supported in this region.");
        KmsKey key = keys.findKey(ctx, required(in, "KeyId"), true);
        requireSymmetricEncryptionKey(key, operation);
        dryRun(in);
        KeyPair pair = KmsCrypto.generateKeyPair(spec);
        byte[] privateKey = pair.getPrivate().getEncoded();
        KmsKey.Material material = key.current();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("PrivateKeyCiphertextBlob", KmsCrypto.seal(key.keyId, material, privateKey, stringMap(in, "EncryptionContext")));
        java.security.PublicKey recipient = withPlaintext ? KmsRecipient.of(in) : null;
        if (recipient != null) out.put("CiphertextForRecipient", KmsRecipient.envelope(privateKey, recipient));
        else if (withPlaintext) out.put("PrivateKeyPlaintext", privateKey);
        out.put("PublicKey", pair.getPublic().getEncoded());
        out.put("KeyId", key.arn);
        out.put("KeyPairSpec", pairSpec);
        out.put("KeyMaterialId", material.id);
        return out;
    }

    static Map<String, Object> generateRandom(Map<String, Object> in) {
        Integer bytes = integer(in, "NumberOfBytes");
        if (bytes == null) throw validation("NumberOfBytes is required.");
        range("NumberOfBytes", bytes, 1, 1024);
        java.security.PublicKey recipient = KmsRecipient.of(in);
        byte[] random = KmsCrypto.random(bytes);
        return recipient != null ? Map.of("CiphertextForRecipient", KmsRecipient.envelope(random, recipient))
                : Map.of("Plaintext", random);
    }
}
