package dev.polystack.services.kms;

import com.fasterxml.jackson.annotation.JsonIgnore;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * One KMS key, its metadata and all its key material (the current one last; older ones stay to
 * decrypt what they sealed). Public fields are the persisted format (Jackson, see {@link KmsState});
 * mutations happen under the key's own monitor.
 */
public final class KmsKey {
    public String keyId;
    public String arn;
    public String accountId;
    public String region;
    public long createdMillis;
    public volatile String description = "";
    public String keyUsage;
    public KmsKeySpec keySpec;
    public String origin = "AWS_KMS";
    public String keyManager = "CUSTOMER";
    /** Enabled, Disabled, PendingDeletion, PendingImport. */
    public volatile String keyState = "Enabled";
    /** When a key pending deletion goes away. */
    public volatile long deletionMillis;
    public Integer pendingWindowDays;
    public boolean multiRegion;
    /** PRIMARY or REPLICA for multi-Region keys. */
    public String multiRegionType;
    public String primaryRegion;
    public volatile List<String> replicaRegions = new ArrayList<>();
    public volatile String policy;
    public volatile LinkedHashMap<String, String> tags = new LinkedHashMap<>();
    public volatile boolean rotationEnabled;
    public volatile int rotationPeriodDays = 365;
    public volatile long rotationEnabledMillis;
    public volatile List<Rotation> rotations = new ArrayList<>();
    /** EXTERNAL keys: KEY_MATERIAL_EXPIRES or KEY_MATERIAL_DOES_NOT_EXPIRE once imported. */
    public String expirationModel;
    public long validToMillis;
    /** Oldest first; the last is current. Replaced as a whole (copy on write), never edited in place. */
    public volatile List<Material> materials = List.of();
    /** Insertion sequence, for ListKeys' stable order. */
    public long sequence;
    /** EXTERNAL keys: the outstanding GetParametersForImport answer, if any. */
    public ImportParameters importParameters;
    /** EXTERNAL symmetric keys: material imported as NEW_KEY_MATERIAL, waiting for RotateKeyOnDemand. */
    public Material pendingMaterial;

    /** What GetParametersForImport handed out: the token and the RSA key that wraps the material. */
    public static final class ImportParameters {
        public byte[] importToken;
        public String wrappingAlgorithm;
        public String wrappingKeySpec;
        /** PKCS#8 private half of the wrapping key. */
        public byte[] wrappingPrivateKey;
        public long validToMillis;
    }

    /** One generation of key material. */
    public static final class Material {
        public String id;
        /** AES or HMAC key bytes, or the PKCS#8 private key; null once imported material is deleted. */
        public byte[] secret;
        /** SubjectPublicKeyInfo DER, asymmetric keys only. */
        public byte[] publicKey;
        public long createdMillis;

        @JsonIgnore
        private transient volatile SecretKeySpec aesKey;
        @JsonIgnore
        private transient volatile PrivateKey privateKey;
        @JsonIgnore
        private transient volatile PublicKey publicKeyParsed;

        /**
         * AES-GCM ciphers kept for reuse with this material: a new Cipher costs a provider lookup, and
         * initialising one with a key it has not seen computes the AES key schedule again.
         */
        @JsonIgnore
        private final transient ArrayBlockingQueue<Cipher> gcmCiphers = new ArrayBlockingQueue<>(16);

        @JsonIgnore
        SecretKeySpec aesKey() {
            SecretKeySpec k = aesKey;
            if (k == null) aesKey = k = KmsCrypto.aes(secret);
            return k;
        }

        /** A GCM cipher to initialise and use, then to hand back with {@link #release}. */
        Cipher gcm() throws GeneralSecurityException {
            Cipher c = gcmCiphers.poll();
            return c != null ? c : Cipher.getInstance("AES/GCM/NoPadding");
        }

        void release(Cipher c) {
            gcmCiphers.offer(c); // dropped when 16 are already kept
        }

        @JsonIgnore
        PrivateKey privateKey(KmsKeySpec spec) {
            PrivateKey k = privateKey;
            if (k == null) {
                try {
                    privateKey = k = KmsCrypto.privateKey(spec, secret);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            }
            return k;
        }

        @JsonIgnore
        PublicKey publicKey(KmsKeySpec spec) {
            PublicKey k = publicKeyParsed;
            if (k == null) {
                try {
                    publicKeyParsed = k = KmsCrypto.publicKey(spec, publicKey);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            }
            return k;
        }
    }

    /** One entry of ListKeyRotations. */
    public static final class Rotation {
        public String materialId;
        public long dateMillis;
        /** AUTOMATIC or ON_DEMAND. */
        public String type;
    }

    @JsonIgnore
    public Material current() {
        List<Material> m = materials;
        return m.isEmpty() ? null : m.get(m.size() - 1);
    }

    @JsonIgnore
    public Material material(String id) {
        for (Material m : materials) if (m.id.equals(id)) return m;
        return null;
    }

    /** Whether the current material can be used (imported material may have been deleted). */
    @JsonIgnore
    boolean hasUsableMaterial() {
        Material current = current();
        return current != null && current.secret != null;
    }

    public synchronized void addMaterial(Material m) {
        List<Material> next = new ArrayList<>(materials);
        next.add(m);
        materials = List.copyOf(next);
    }
}
