package dev.polystack.services.kms;

import java.util.List;

/**
 * The key specs KMS offers and what each allows: key usages and the encryption, signing, MAC and
 * key-agreement algorithms DescribeKey lists for each usage. One table, read by validation,
 * metadata and the crypto engine.
 */
public enum KmsKeySpec {
    SYMMETRIC_DEFAULT(Family.SYMMETRIC, 256, null),
    RSA_2048(Family.RSA, 2048, null),
    RSA_3072(Family.RSA, 3072, null),
    RSA_4096(Family.RSA, 4096, null),
    ECC_NIST_P256(Family.ECC, 256, "secp256r1"),
    ECC_NIST_P384(Family.ECC, 384, "secp384r1"),
    ECC_NIST_P521(Family.ECC, 521, "secp521r1"),
    ECC_SECG_P256K1(Family.ECC, 256, "secp256k1"),
    HMAC_224(Family.HMAC, 224, null),
    HMAC_256(Family.HMAC, 256, null),
    HMAC_384(Family.HMAC, 384, null),
    HMAC_512(Family.HMAC, 512, null),
    ECC_NIST_EDWARDS25519(Family.EDWARDS, 255, "Ed25519"),
    ML_DSA_44(Family.ML_DSA, 44, "ML-DSA-44"),
    ML_DSA_65(Family.ML_DSA, 65, "ML-DSA-65"),
    ML_DSA_87(Family.ML_DSA, 87, "ML-DSA-87");

    /** EDWARDS and ML_DSA sign whole messages (no separate hash step) except for ED25519_PH_SHA_512. */
    public enum Family { SYMMETRIC, RSA, ECC, HMAC, EDWARDS, ML_DSA }

    public static final String USAGE_ENCRYPT = "ENCRYPT_DECRYPT";
    public static final String USAGE_SIGN = "SIGN_VERIFY";
    public static final String USAGE_MAC = "GENERATE_VERIFY_MAC";
    public static final String USAGE_AGREEMENT = "KEY_AGREEMENT";

    /** AWS's wording (and order) of the keySpec enum in its validation message. */
    static final String ENUM_MESSAGE_ORDER = "[RSA_2048, ECC_NIST_P384, ECC_NIST_P256, ECC_NIST_P521, HMAC_384, RSA_3072, "
            + "ECC_SECG_P256K1, RSA_4096, SYMMETRIC_DEFAULT, HMAC_256, HMAC_224, HMAC_512]";

    public final Family family;
    /** Key size in bits (RSA modulus, EC field, HMAC key, AES key); the parameter set number for ML-DSA. */
    public final int bits;
    /** Standard curve name for ECC specs; the JCA algorithm name for Ed25519 and ML-DSA. */
    public final String curve;

    KmsKeySpec(Family family, int bits, String curve) {
        this.family = family;
        this.bits = bits;
        this.curve = curve;
    }

    public static KmsKeySpec parse(String name) {
        for (KmsKeySpec s : values()) if (s.name().equals(name)) return s;
        return null;
    }

    public boolean asymmetric() {
        return family != Family.SYMMETRIC && family != Family.HMAC;
    }

    public List<String> usages() {
        return switch (family) {
            case SYMMETRIC -> List.of(USAGE_ENCRYPT);
            case RSA -> List.of(USAGE_ENCRYPT, USAGE_SIGN);
            case ECC -> this == ECC_SECG_P256K1 ? List.of(USAGE_SIGN) : List.of(USAGE_SIGN, USAGE_AGREEMENT);
            case HMAC -> List.of(USAGE_MAC);
            case EDWARDS, ML_DSA -> List.of(USAGE_SIGN);
        };
    }

    public List<String> encryptionAlgorithms(String usage) {
        if (!USAGE_ENCRYPT.equals(usage)) return List.of();
        return switch (family) {
            case SYMMETRIC -> List.of("SYMMETRIC_DEFAULT");
            case RSA -> List.of("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256");
            default -> List.of();
        };
    }

    public List<String> signingAlgorithms(String usage) {
        if (!USAGE_SIGN.equals(usage)) return List.of();
        return switch (this) {
            case RSA_2048, RSA_3072, RSA_4096 -> List.of("RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384",
                    "RSASSA_PKCS1_V1_5_SHA_512", "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512");
            case ECC_NIST_P256, ECC_SECG_P256K1 -> List.of("ECDSA_SHA_256");
            case ECC_NIST_P384 -> List.of("ECDSA_SHA_384");
            case ECC_NIST_P521 -> List.of("ECDSA_SHA_512");
            case ECC_NIST_EDWARDS25519 -> List.of("ED25519_SHA_512", "ED25519_PH_SHA_512");
            case ML_DSA_44, ML_DSA_65, ML_DSA_87 -> List.of("ML_DSA_SHAKE_256");
            default -> List.of();
        };
    }

    public List<String> macAlgorithms(String usage) {
        if (!USAGE_MAC.equals(usage)) return List.of();
        return List.of("HMAC_SHA_" + bits);
    }

    public List<String> keyAgreementAlgorithms(String usage) {
        return USAGE_AGREEMENT.equals(usage) ? List.of("ECDH") : List.of();
    }

    /** Specs of GenerateDataKeyPair (RSA, ECC and Ed25519). */
    public static KmsKeySpec dataKeyPairSpec(String name) {
        KmsKeySpec s = parse(name);
        return s != null && s.asymmetric() && s.family != Family.ML_DSA ? s : null;
    }
}
