package dev.polystack.services.kms;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.kms.api.DeleteImportedKeyMaterialRequest;
import dev.polystack.services.kms.api.DeleteImportedKeyMaterialResponse;
import dev.polystack.services.kms.api.GetParametersForImportRequest;
import dev.polystack.services.kms.api.GetParametersForImportResponse;
import dev.polystack.services.kms.api.ImportKeyMaterialRequest;
import dev.polystack.services.kms.api.ImportKeyMaterialResponse;

import java.time.Instant;
import java.util.List;

import static dev.polystack.services.kms.KmsErrors.*;
import static dev.polystack.services.kms.KmsValidation.*;

/** Imported key material (Origin EXTERNAL): wrapping parameters, import, deletion of the material. */
final class KmsImports {

    private final KmsKeyStore keys;

    KmsImports(KmsKeyStore keys) {
        this.keys = keys;
    }

    static boolean hasUsableMaterial(KmsKey key) {
        KmsKey.Material current = key.current();
        return current != null && current.secret != null;
    }

    private static void requireExternal(KmsKey key) {
        if (!"EXTERNAL".equals(key.origin)) {
            throw new ServiceException("UnsupportedOperationException",
                    key.arn + " origin is " + key.origin + " which is not valid for this operation.");
        }
    }

    GetParametersForImportResponse getParametersForImport(RequestContext ctx, GetParametersForImportRequest in) {
        String algorithm = enumValue("WrappingAlgorithm", in.wrappingAlgorithmAsString(), List.of("RSAES_PKCS1_V1_5", "RSAES_OAEP_SHA_1",
                "RSAES_OAEP_SHA_256", "RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256", "SM2PKE"));
        required("WrappingAlgorithm", algorithm);
        String wrappingSpec = enumValue("WrappingKeySpec", in.wrappingKeySpecAsString(), List.of("RSA_2048", "RSA_3072", "RSA_4096", "SM2"));
        required("WrappingKeySpec", wrappingSpec);
        if (algorithm.equals("SM2PKE") || wrappingSpec.equals("SM2")) {
            throw validation("SM2 wrapping is only available in China Regions.");
        }
        KmsKey key = keys.findKey(ctx, required("KeyId", in.keyId()), false);
        requireExternal(key);
        requireNotPendingDeletion(key);
        KeyPair wrapping = KmsCrypto.generateKeyPair(KmsKeySpec.valueOf(wrappingSpec));
        KmsKey.ImportParameters p = new KmsKey.ImportParameters();
        p.importToken = KmsCrypto.random(128);
        p.wrappingAlgorithm = algorithm;
        p.wrappingKeySpec = wrappingSpec;
        p.wrappingPrivateKey = wrapping.getPrivate().getEncoded();
        p.validToMillis = keys.now() + KmsKeyStore.DAY_MILLIS;
        synchronized (key) {
            key.importParameters = p;
        }
        return GetParametersForImportResponse.builder()
                .keyId(key.arn)
                .importToken(p.importToken)
                .publicKey(wrapping.getPublic().getEncoded())
                .parametersValidTo(Instant.ofEpochMilli(p.validToMillis))
                .build();
    }

    ImportKeyMaterialResponse importKeyMaterial(RequestContext ctx, ImportKeyMaterialRequest in) {
        byte[] token = in.importToken();
        byte[] wrapped = in.encryptedKeyMaterial();
        String expiration = enumValue("ExpirationModel", in.expirationModelAsString(), List.of("KEY_MATERIAL_EXPIRES", "KEY_MATERIAL_DOES_NOT_EXPIRE"));
        String importType = enumValue("ImportType", in.importTypeAsString(), List.of("EXISTING_KEY_MATERIAL", "NEW_KEY_MATERIAL"));
        Instant validTo = in.validTo();
        if ("KEY_MATERIAL_EXPIRES".equals(expiration) && validTo == null) {
            throw validation("A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES");
        }
        if ("KEY_MATERIAL_DOES_NOT_EXPIRE".equals(expiration) && validTo != null) {
            throw validation("A validTo date must not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE");
        }
        if (expiration == null) expiration = validTo == null ? "KEY_MATERIAL_DOES_NOT_EXPIRE" : "KEY_MATERIAL_EXPIRES";
        if (validTo != null) {
            Instant until = validTo;
            // AWS: a future date, at most 365 days from the request (its exact texts are not recorded)
            if (until.toEpochMilli() <= keys.now()) throw validation("The validTo date must be in the future.");
            if (until.toEpochMilli() > keys.now() + 365 * KmsKeyStore.DAY_MILLIS) {
                throw validation("The validTo date must be at most 365 days from now.");
            }
        }
        KmsKey key = keys.findKey(ctx, required("KeyId", in.keyId()), false);
        requireExternal(key);
        synchronized (key) {
            requireNotPendingDeletion(key);
            KmsKey.ImportParameters p = key.importParameters;
            if (p == null || token == null || !java.security.MessageDigest.isEqual(p.importToken, token)) {
                throw new ServiceException("InvalidImportTokenException", "The import token is not valid for this KMS key.");
            }
            if (keys.now() > p.validToMillis) {
                throw new ServiceException("ExpiredImportTokenException", "The import token has expired.");
            }
            byte[] material;
            try {
                PrivateKeyHolder holder = new PrivateKeyHolder(p);
                material = KmsCrypto.unwrapImported(holder.key, holder.modulusBytes, p.wrappingAlgorithm, wrapped == null ? new byte[0] : wrapped);
            } catch (KmsCrypto.BadCiphertext e) {
                throw invalidCiphertext();
            }
            KmsKey.Material m = importedMaterial(key, material);
            KmsKey.Material known = key.material(m.id);
            boolean firstImport = key.current() == null;
            String materialId = m.id;
            if (firstImport) {
                key.addMaterial(m);
            } else if (known != null) {
                known.secret = m.secret;     // the same material, imported again after deletion
                known.publicKey = m.publicKey;
            } else if ("NEW_KEY_MATERIAL".equals(importType) && key.keySpec == KmsKeySpec.SYMMETRIC_DEFAULT) {
                if (key.pendingMaterial != null && !key.pendingMaterial.id.equals(m.id)) {
                    throw invalidState("New key material (id: " + m.id + ") cannot be imported into KMS key " + key.keyId
                            + ", because another key material (id: " + key.pendingMaterial.id + ") is pending rotation.");
                }
                key.pendingMaterial = m;
            } else {
                throw new ServiceException("IncorrectKeyMaterialException",
                        "The key material doesn't match the key material previously imported into this KMS key.");
            }
            key.expirationModel = expiration;
            key.validToMillis = validTo != null ? validTo.toEpochMilli() : 0;
            if ("PendingImport".equals(key.keyState) && hasUsableMaterial(key)) key.keyState = "Enabled";
            return ImportKeyMaterialResponse.builder().keyId(key.arn).keyMaterialId(materialId).build();
        }
    }

    /**
     * Material imported with KEY_MATERIAL_EXPIRES is deleted once its ValidTo has passed, as AWS deletes it:
     * the key goes back to PendingImport until the same material is imported again.
     */
    static void expireIfDue(KmsKey key, long now) {
        if (!"EXTERNAL".equals(key.origin) || !"KEY_MATERIAL_EXPIRES".equals(key.expirationModel)) return;
        synchronized (key) {
            if (key.validToMillis <= 0 || now < key.validToMillis) return;
            for (KmsKey.Material m : key.materials) m.secret = null;
            key.pendingMaterial = null;
            if (!"PendingDeletion".equals(key.keyState)) key.keyState = "PendingImport";
            key.expirationModel = null;
            key.validToMillis = 0;
        }
    }

    /** The wrapping key of an import, parsed. */
    private record PrivateKeyHolder(java.security.PrivateKey key, int modulusBytes) {
        PrivateKeyHolder(KmsKey.ImportParameters p) {
            this(parse(p), KmsKeySpec.valueOf(p.wrappingKeySpec).bits / 8);
        }

        private static java.security.PrivateKey parse(KmsKey.ImportParameters p) {
            try {
                return KmsCrypto.privateKey(KmsKeySpec.valueOf(p.wrappingKeySpec), p.wrappingPrivateKey);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Checks imported bytes against the key spec: AES-256 key, HMAC key, or a PKCS#8 key of the spec's size/curve. */
    private KmsKey.Material importedMaterial(KmsKey key, byte[] material) {
        KmsKey.Material m = new KmsKey.Material();
        m.createdMillis = keys.now();
        m.secret = material;
        switch (key.keySpec.family) {
            case SYMMETRIC -> {
                if (material.length != 32) throw incorrectMaterial(key);
            }
            case HMAC -> {
                if (material.length < key.keySpec.bits / 8 || material.length > 128) throw incorrectMaterial(key);
            }
            case RSA, ECC, EDWARDS, ML_DSA -> {
                m.publicKey = KmsCrypto.publicKeyOf(key.keySpec, material);
                if (m.publicKey == null) throw incorrectMaterial(key);
            }
        }
        m.id = KmsCrypto.importedMaterialId(key.keyId, material);
        return m;
    }

    private static ServiceException incorrectMaterial(KmsKey key) {
        return new ServiceException("IncorrectKeyMaterialException",
                "The key material is not valid for a KMS key with key spec " + key.keySpec.name() + ".");
    }

    DeleteImportedKeyMaterialResponse deleteImportedKeyMaterial(RequestContext ctx, DeleteImportedKeyMaterialRequest in) {
        KmsKey key = keys.findKey(ctx, required("KeyId", in.keyId()), false);
        requireExternal(key);
        synchronized (key) {
            requireNotPendingDeletion(key);
            String only = in.keyMaterialId();
            KmsKey.Material current = key.current();
            for (KmsKey.Material m : key.materials) if (only == null || only.equals(m.id)) m.secret = null;
            if (key.pendingMaterial != null && (only == null || only.equals(key.pendingMaterial.id))) key.pendingMaterial = null;
            if (!hasUsableMaterial(key)) {
                key.keyState = "PendingImport";
                key.expirationModel = null;
                key.validToMillis = 0;
            }
            return DeleteImportedKeyMaterialResponse.builder()
                    .keyId(key.arn)
                    .keyMaterialId(current == null ? null : only != null ? only : current.id)
                    .build();
        }
    }
}
