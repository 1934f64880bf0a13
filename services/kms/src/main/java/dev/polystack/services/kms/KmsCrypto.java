package dev.polystack.services.kms;

import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import java.util.TreeMap;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * The crypto engine: key generation, the symmetric ciphertext envelope, RSA-OAEP, signatures in
 * AWS's formats (PKCS#1 v1.5 / PSS with salt = digest length / DER-encoded ECDSA), HMAC and ECDH.
 * AES and HMAC use the JDK (hardware intrinsics); EC (secp256k1 included) and prehashed PSS use
 * Bouncy Castle, held as a private provider instance rather than registered globally.
 */
public final class KmsCrypto {
    static final Provider BC = new BouncyCastleProvider();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** First byte of every symmetric ciphertext blob this engine writes. */
    static final byte ENVELOPE_VERSION = 1;
    static final int KEY_ID_LENGTH = 36;      // a UUID or mrk-<32 hex>: both 36 characters
    static final int MATERIAL_ID_LENGTH = 32; // the raw bytes of the 64-hex key material id
    static final int IV_LENGTH = 12;
    static final int TAG_BITS = 128;
    static final int HEADER_LENGTH = 1 + KEY_ID_LENGTH + MATERIAL_ID_LENGTH;

    /** Thrown for any ciphertext that is not ours, altered, or bound to another context. */
    public static final class BadCiphertext extends Exception {
        BadCiphertext() {
            super(null, null, false, false);
        }
    }

    private KmsCrypto() {
    }

    public static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** A new key material id: 64 lowercase hex characters, as AWS shows them. */
    public static String newMaterialId() {
        return hex(random(MATERIAL_ID_LENGTH));
    }

    // ---------------------------------------------------------------- key generation

    /** Fresh material for a spec: raw secret bytes for SYMMETRIC/HMAC, a key pair for RSA/ECC. */
    public static KmsKey.Material generate(KmsKeySpec spec, long createdMillis) {
        KmsKey.Material m = new KmsKey.Material();
        m.id = newMaterialId();
        m.createdMillis = createdMillis;
        switch (spec.family) {
            case SYMMETRIC, HMAC -> m.secret = random(spec.bits / 8);
            case RSA, ECC, EDWARDS, ML_DSA -> {
                KeyPair pair = generateKeyPair(spec);
                m.secret = pair.getPrivate().getEncoded();
                m.publicKey = pair.getPublic().getEncoded();
            }
        }
        return m;
    }

    /**
     * Material a caller chose (LocalStack's {@code _custom_key_material_} tag, for tests that need fixed keys): the
     * raw AES or HMAC key for SYMMETRIC/HMAC specs, a PKCS#8 private key for RSA and ECC specs (its public key is
     * derived). Null when the bytes do not fit the spec.
     */
    public static KmsKey.Material custom(KmsKeySpec spec, byte[] raw, long createdMillis) {
        KmsKey.Material m = new KmsKey.Material();
        m.id = newMaterialId();
        m.createdMillis = createdMillis;
        try {
            switch (spec.family) {
                case SYMMETRIC -> {
                    if (raw.length != 16 && raw.length != 24 && raw.length != 32) return null;
                    m.secret = raw.clone();
                }
                case HMAC -> {
                    if (raw.length == 0) return null;
                    m.secret = raw.clone();
                }
                case RSA -> {
                    var key = (java.security.interfaces.RSAPrivateCrtKey) privateKey(spec, raw);
                    if (key.getModulus().bitLength() != spec.bits) return null;
                    m.secret = key.getEncoded();
                    m.publicKey = KeyFactory.getInstance("RSA").generatePublic(
                            new java.security.spec.RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())).getEncoded();
                }
                case ECC -> {
                    var key = (org.bouncycastle.jce.interfaces.ECPrivateKey) privateKey(spec, raw);
                    var params = org.bouncycastle.jce.ECNamedCurveTable.getParameterSpec(spec.curve);
                    if (!params.getCurve().equals(key.getParameters().getCurve())) return null;
                    var q = params.getG().multiply(key.getD()).normalize();
                    m.secret = key.getEncoded();
                    m.publicKey = KeyFactory.getInstance("EC", BC).generatePublic(
                            new org.bouncycastle.jce.spec.ECPublicKeySpec(q, params)).getEncoded();
                }
                default -> {
                    return null;
                }
            }
            return m;
        } catch (GeneralSecurityException | ClassCastException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * An RSA or EC key pair; private key in PKCS#8, public in SubjectPublicKeyInfo encoding. Called on a virtual
     * thread, the work runs on {@link KeyGeneration}'s platform threads: an RSA-4096 key takes seconds of CPU, and
     * virtual threads have one carrier per core, so a few concurrent CreateKey calls would otherwise hold every
     * carrier and stall the whole gateway.
     */
    public static KeyPair generateKeyPair(KmsKeySpec spec) {
        return KeyGeneration.offCarrier(() -> generateKeyPairHere(spec));
    }

    private static KeyPair generateKeyPairHere(KmsKeySpec spec) {
        try {
            if (spec.family == KmsKeySpec.Family.RSA) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(new RSAKeyGenParameterSpec(spec.bits, RSAKeyGenParameterSpec.F4), RANDOM);
                return g.generateKeyPair();
            }
            if (spec.family != KmsKeySpec.Family.ECC) {
                return KeyPairGenerator.getInstance(spec.curve, BC).generateKeyPair();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
            g.initialize(new ECGenParameterSpec(spec.curve), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate " + spec, e);
        }
    }

    static PrivateKey privateKey(KmsKeySpec spec, byte[] pkcs8) throws GeneralSecurityException {
        return keyFactory(spec).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    static PublicKey publicKey(KmsKeySpec spec, byte[] spki) throws GeneralSecurityException {
        return keyFactory(spec).generatePublic(new X509EncodedKeySpec(spki));
    }

    private static KeyFactory keyFactory(KmsKeySpec spec) throws GeneralSecurityException {
        return switch (spec.family) {
            case RSA -> KeyFactory.getInstance("RSA");
            case EDWARDS -> KeyFactory.getInstance("Ed25519", BC);
            case ML_DSA -> KeyFactory.getInstance("ML-DSA", BC);
            default -> KeyFactory.getInstance("EC", BC);
        };
    }

    // ---------------------------------------------------------------- symmetric envelope

    /**
     * Encrypts under a symmetric key. Blob layout: version (1) | key id (36, ASCII) | material id (32) |
     * IV (12) | AES-256-GCM ciphertext and tag. The header and the canonical encryption context are the
     * GCM additional data, so changing any byte, or decrypting with another context, fails the tag check.
     */
    public static byte[] seal(String keyId, KmsKey.Material material, byte[] plaintext, Map<String, String> context) {
        byte[] header = header(keyId, material.id);
        byte[] iv = random(IV_LENGTH);
        try {
            Cipher c = material.gcm();
            c.init(Cipher.ENCRYPT_MODE, material.aesKey(), new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(header);
            c.updateAAD(canonicalContext(context));
            // the blob is written in place: header, IV, then the ciphertext and tag straight from the cipher
            byte[] blob = new byte[header.length + IV_LENGTH + c.getOutputSize(plaintext.length)];
            System.arraycopy(header, 0, blob, 0, header.length);
            System.arraycopy(iv, 0, blob, header.length, IV_LENGTH);
            c.doFinal(plaintext, 0, plaintext.length, blob, header.length + IV_LENGTH);
            material.release(c);
            return blob;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key id a symmetric blob names, or throws if the blob is not one of ours. */
    public static String envelopeKeyId(byte[] blob) throws BadCiphertext {
        if (blob == null || blob.length < HEADER_LENGTH + IV_LENGTH + TAG_BITS / 8 || blob[0] != ENVELOPE_VERSION) {
            throw new BadCiphertext();
        }
        for (int i = 1; i <= KEY_ID_LENGTH; i++) {
            if (blob[i] < 0x21 || blob[i] > 0x7e) throw new BadCiphertext();
        }
        return new String(blob, 1, KEY_ID_LENGTH, StandardCharsets.US_ASCII);
    }

    /** The key material id a symmetric blob was sealed with (hex). */
    public static String envelopeMaterialId(byte[] blob) {
        byte[] raw = new byte[MATERIAL_ID_LENGTH];
        System.arraycopy(blob, 1 + KEY_ID_LENGTH, raw, 0, MATERIAL_ID_LENGTH);
        return hex(raw);
    }

    public static byte[] open(KmsKey.Material material, byte[] blob, Map<String, String> context) throws BadCiphertext {
        Cipher c;
        try {
            c = material.gcm();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        try {
            c.init(Cipher.DECRYPT_MODE, material.aesKey(), new GCMParameterSpec(TAG_BITS, blob, HEADER_LENGTH, IV_LENGTH));
            c.updateAAD(blob, 0, HEADER_LENGTH);
            c.updateAAD(canonicalContext(context));
            int offset = HEADER_LENGTH + IV_LENGTH;
            return c.doFinal(blob, offset, blob.length - offset);
        } catch (GeneralSecurityException e) { // AEADBadTagException above all: altered, or another context
            throw new BadCiphertext();
        } finally {
            material.release(c); // every use starts with init, so a failed one leaves nothing behind
        }
    }

    private static byte[] header(String keyId, String materialId) {
        byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        if (id.length != KEY_ID_LENGTH) throw new IllegalArgumentException("key id length " + keyId);
        return ByteBuffer.allocate(HEADER_LENGTH).put(ENVELOPE_VERSION).put(id).put(unhex(materialId)).array();
    }

    /** Order-independent encoding of an encryption context: sorted pairs, each part length-prefixed. */
    static byte[] canonicalContext(Map<String, String> context) {
        if (context == null || context.isEmpty()) return new byte[0];
        TreeMap<String, String> sorted = new TreeMap<>(context);
        int size = 0;
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            size += 8 + utf8Length(e.getKey()) + utf8Length(e.getValue());
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
            b.putInt(k.length).put(k).putInt(v.length).put(v);
        }
        return b.array();
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    // ---------------------------------------------------------------- RSA-OAEP

    /** The largest plaintext RSAES-OAEP takes with this modulus and hash: k - 2·hLen - 2. */
    public static int oaepMaxPlaintext(KmsKeySpec spec, String algorithm) {
        int hLen = "RSAES_OAEP_SHA_1".equals(algorithm) ? 20 : 32;
        return spec.bits / 8 - 2 * hLen - 2;
    }

    public static byte[] rsaEncrypt(PublicKey key, String algorithm, byte[] plaintext) {
        try {
            Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
            c.init(Cipher.ENCRYPT_MODE, key, oaep(algorithm), RANDOM);
            return c.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] rsaDecrypt(PrivateKey key, String algorithm, byte[] ciphertext) throws BadCiphertext {
        try {
            Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
            c.init(Cipher.DECRYPT_MODE, key, oaep(algorithm));
            return c.doFinal(ciphertext);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new BadCiphertext();
        }
    }

    /** AWS's OAEP: the same hash for the label digest and MGF1. */
    private static OAEPParameterSpec oaep(String algorithm) {
        return "RSAES_OAEP_SHA_1".equals(algorithm)
                ? new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT)
                : new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
    }

    // ---------------------------------------------------------------- key material import

    /**
     * Unwraps imported key material with the private half of a GetParametersForImport wrapping key.
     * RSA_AES_KEY_WRAP_*: RSA-OAEP-wrapped ephemeral AES key (modulus length) followed by the material
     * wrapped with AES key wrap with padding (RFC 5649), as AWS specifies.
     */
    public static byte[] unwrapImported(PrivateKey wrappingKey, int modulusBytes, String algorithm, byte[] wrapped) throws BadCiphertext {
        try {
            switch (algorithm) {
                case "RSAES_PKCS1_V1_5" -> {
                    Cipher c = Cipher.getInstance("RSA/ECB/PKCS1Padding");
                    c.init(Cipher.DECRYPT_MODE, wrappingKey);
                    return c.doFinal(wrapped);
                }
                case "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256" -> {
                    return rsaDecrypt(wrappingKey, algorithm, wrapped);
                }
                case "RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256" -> {
                    if (wrapped.length <= modulusBytes) throw new BadCiphertext();
                    byte[] rsaPart = java.util.Arrays.copyOfRange(wrapped, 0, modulusBytes);
                    byte[] aesKey = rsaDecrypt(wrappingKey, algorithm.endsWith("SHA_1") ? "RSAES_OAEP_SHA_1" : "RSAES_OAEP_SHA_256", rsaPart);
                    Cipher kwp = Cipher.getInstance("AES/KWP/NoPadding");
                    kwp.init(Cipher.DECRYPT_MODE, aes(aesKey));
                    return kwp.doFinal(wrapped, modulusBytes, wrapped.length - modulusBytes);
                }
                default -> throw new BadCiphertext();
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new BadCiphertext();
        }
    }

    /** The public key (SPKI) of a PKCS#8 private key if it is a key of {@code spec}, else null. */
    public static byte[] publicKeyOf(KmsKeySpec spec, byte[] pkcs8) {
        try {
            if (spec.family == KmsKeySpec.Family.ML_DSA) return null; // AWS does not import ML-DSA keys
            if (spec.family == KmsKeySpec.Family.EDWARDS) {
                var ed = (org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters) PrivateKeyFactory.createKey(pkcs8);
                return org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory
                        .createSubjectPublicKeyInfo(ed.generatePublicKey()).getEncoded();
            }
            PrivateKey key = privateKey(spec, pkcs8);
            if (key instanceof java.security.interfaces.RSAPrivateCrtKey rsa) {
                if (rsa.getModulus().bitLength() != spec.bits) return null;
                return KeyFactory.getInstance("RSA").generatePublic(
                        new java.security.spec.RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent())).getEncoded();
            }
            if (key instanceof org.bouncycastle.jce.interfaces.ECPrivateKey ec) {
                var curve = org.bouncycastle.jce.ECNamedCurveTable.getParameterSpec(spec.curve);
                if (curve == null || !curve.getCurve().equals(ec.getParameters().getCurve())) return null;
                var q = curve.getG().multiply(ec.getD()).normalize();
                return KeyFactory.getInstance("EC", BC).generatePublic(new org.bouncycastle.jce.spec.ECPublicKeySpec(q, curve)).getEncoded();
            }
            return null;
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return null;
        }
    }

    /** A stable id for imported material: re-importing the same bytes gives the same id, as in AWS. */
    public static String importedMaterialId(String keyId, byte[] material) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(keyId.getBytes(StandardCharsets.US_ASCII));
            return hex(d.digest(material));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- signatures

    /** Algorithms that sign the message itself, so MessageType DIGEST does not apply. */
    public static boolean signsWholeMessage(String signingAlgorithm) {
        return signingAlgorithm.equals("ED25519_SHA_512") || signingAlgorithm.equals("ML_DSA_SHAKE_256");
    }

    /** Digest length in bytes of a signing algorithm's hash (RSASSA_PSS_SHA_256 → 32). */
    public static int digestLength(String signingAlgorithm) {
        return Integer.parseInt(signingAlgorithm.substring(signingAlgorithm.length() - 3)) / 8;
    }

    public static byte[] digest(String signingAlgorithm, byte[] message) {
        try {
            return MessageDigest.getInstance("SHA-" + signingAlgorithm.substring(signingAlgorithm.length() - 3)).digest(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Signs a message digest (RAW messages are hashed by the caller first, so one path serves both
     * message types and RAW and DIGEST signatures over the same data are interchangeable, as in AWS).
     */
    public static byte[] signDigest(PrivateKey key, String algorithm, byte[] digest) {
        try {
            if (signsWholeMessage(algorithm)) {
                Signature s = Signature.getInstance(algorithm.startsWith("ED25519") ? "Ed25519" : "ML-DSA", BC);
                s.initSign(key, RANDOM);
                s.update(digest);
                return s.sign();
            }
            if (algorithm.equals("ED25519_PH_SHA_512")) {
                byte[] sk = ((org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters) PrivateKeyFactory.createKey(key.getEncoded())).getEncoded();
                byte[] signature = new byte[org.bouncycastle.math.ec.rfc8032.Ed25519.SIGNATURE_SIZE];
                org.bouncycastle.math.ec.rfc8032.Ed25519.signPrehash(sk, 0, new byte[0], digest, 0, signature, 0);
                return signature;
            }
            if (algorithm.startsWith("ECDSA_")) {
                Signature s = Signature.getInstance("NONEwithECDSA", BC);
                s.initSign(key, RANDOM);
                s.update(digest);
                return s.sign();
            }
            if (algorithm.startsWith("RSASSA_PKCS1_V1_5_")) {
                Signature s = Signature.getInstance("NONEwithRSA");
                s.initSign(key);
                s.update(digestInfo(algorithm, digest));
                return s.sign();
            }
            PSSSigner signer = pssSigner(algorithm);
            signer.init(true, new ParametersWithRandom(PrivateKeyFactory.createKey(key.getEncoded()), RANDOM));
            signer.update(digest, 0, digest.length);
            return signer.generateSignature();
        } catch (GeneralSecurityException | IOException | org.bouncycastle.crypto.CryptoException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code signature} is valid for the digest; malformed signatures are simply invalid. */
    public static boolean verifyDigest(PublicKey key, String algorithm, byte[] digest, byte[] signature) {
        try {
            if (signsWholeMessage(algorithm)) {
                Signature s = Signature.getInstance(algorithm.startsWith("ED25519") ? "Ed25519" : "ML-DSA", BC);
                s.initVerify(key);
                s.update(digest);
                return s.verify(signature);
            }
            if (algorithm.equals("ED25519_PH_SHA_512")) {
                byte[] pk = ((org.bouncycastle.crypto.params.Ed25519PublicKeyParameters) PublicKeyFactory.createKey(key.getEncoded())).getEncoded();
                return signature.length == org.bouncycastle.math.ec.rfc8032.Ed25519.SIGNATURE_SIZE
                        && org.bouncycastle.math.ec.rfc8032.Ed25519.verifyPrehash(signature, 0, pk, 0, new byte[0], digest, 0);
            }
            if (algorithm.startsWith("ECDSA_")) {
                Signature s = Signature.getInstance("NONEwithECDSA", BC);
                s.initVerify(key);
                s.update(digest);
                return s.verify(signature);
            }
            if (algorithm.startsWith("RSASSA_PKCS1_V1_5_")) {
                Signature s = Signature.getInstance("NONEwithRSA");
                s.initVerify(key);
                s.update(digestInfo(algorithm, digest));
                return s.verify(signature);
            }
            PSSSigner signer = pssSigner(algorithm);
            signer.init(false, PublicKeyFactory.createKey(key.getEncoded()));
            signer.update(digest, 0, digest.length);
            return signer.verifySignature(signature);
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return false;
        }
    }

    /** PSS over a precomputed hash: MGF1 with the same hash, salt length = digest length (AWS's choice). */
    private static PSSSigner pssSigner(String algorithm) {
        Digest d = bcDigest(algorithm);
        return PSSSigner.createRawSigner(new RSABlindedEngine(), d, bcDigest(algorithm), d.getDigestSize(), PSSSigner.TRAILER_IMPLICIT);
    }

    private static Digest bcDigest(String algorithm) {
        return switch (digestLength(algorithm)) {
            case 32 -> new SHA256Digest();
            case 48 -> new SHA384Digest();
            default -> new SHA512Digest();
        };
    }

    private static byte[] digestInfo(String algorithm, byte[] digest) throws IOException {
        var oid = switch (digestLength(algorithm)) {
            case 32 -> NISTObjectIdentifiers.id_sha256;
            case 48 -> NISTObjectIdentifiers.id_sha384;
            default -> NISTObjectIdentifiers.id_sha512;
        };
        return new DigestInfo(new AlgorithmIdentifier(oid, DERNull.INSTANCE), digest).getEncoded("DER");
    }

    // ---------------------------------------------------------------- HMAC and ECDH

    public static byte[] hmac(byte[] key, String macAlgorithm, byte[] message) {
        try {
            String jca = "HmacSHA" + macAlgorithm.substring("HMAC_SHA_".length());
            Mac mac = Mac.getInstance(jca);
            mac.init(new SecretKeySpec(key, jca));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ECDH shared secret (the raw x coordinate) between our private key and a peer's SPKI public key. */
    public static byte[] ecdh(PrivateKey ours, byte[] peerSpki) throws GeneralSecurityException {
        PublicKey peer = KeyFactory.getInstance("EC", BC).generatePublic(new X509EncodedKeySpec(peerSpki));
        KeyAgreement ka = KeyAgreement.getInstance("ECDH", BC);
        ka.init(ours);
        ka.doPhase(peer, true);
        return ka.generateSecret();
    }

    // ---------------------------------------------------------------- helpers

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    static String hex(byte[] b) {
        char[] out = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = HEX[(b[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[b[i] & 0xf];
        }
        return new String(out);
    }

    static byte[] unhex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s, 2 * i, 2 * i + 2, 16);
        }
        return out;
    }

    static SecretKeySpec aes(byte[] raw) {
        return new SecretKeySpec(raw, "AES");
    }
}
