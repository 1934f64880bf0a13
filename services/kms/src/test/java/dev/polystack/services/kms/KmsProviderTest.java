package dev.polystack.services.kms;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KmsProviderTest {
    /** The provider's clock: tests move it forward instead of waiting days. */
    private final java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis());
    private final KmsProvider kms = new KmsProvider(now::get, null);
    private final RequestContext ctx = RequestContext.internal("111111111111", "us-east-1", "kms");

    private Map<String, Object> call(String op, Object... kv) {
        return call(ctx, op, kv);
    }

    private Map<String, Object> call(RequestContext c, String op, Object... kv) {
        Map<String, Object> in = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) in.put((String) kv[i], kv[i + 1]);
        return kms.invoke(c, op, in);
    }

    private ServiceException error(String op, Object... kv) {
        return assertThrows(ServiceException.class, () -> call(op, kv));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> createKey(Object... kv) {
        return (Map<String, Object>) call("CreateKey", kv).get("KeyMetadata");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void symmetricKeyMetadata() {
        Map<String, Object> m = createKey("Description", "test key 123");
        String id = (String) m.get("KeyId");
        assertEquals("arn:aws:kms:us-east-1:111111111111:key/" + id, m.get("Arn"));
        assertEquals("SYMMETRIC_DEFAULT", m.get("KeySpec"));
        assertEquals("SYMMETRIC_DEFAULT", m.get("CustomerMasterKeySpec"));
        assertEquals("ENCRYPT_DECRYPT", m.get("KeyUsage"));
        assertEquals("Enabled", m.get("KeyState"));
        assertEquals(true, m.get("Enabled"));
        assertEquals(List.of("SYMMETRIC_DEFAULT"), m.get("EncryptionAlgorithms"));
        assertEquals("AWS_KMS", m.get("Origin"));
        assertEquals("CUSTOMER", m.get("KeyManager"));
        assertEquals(false, m.get("MultiRegion"));
        assertEquals(64, ((String) m.get("CurrentKeyMaterialId")).length());
        assertEquals("111111111111", m.get("AWSAccountId"));
    }

    @ParameterizedTest
    @CsvSource({
            "RSA_2048,ENCRYPT_DECRYPT", "RSA_3072,SIGN_VERIFY", "RSA_4096,ENCRYPT_DECRYPT",
            "ECC_NIST_P256,SIGN_VERIFY", "ECC_NIST_P384,KEY_AGREEMENT", "ECC_NIST_P521,SIGN_VERIFY", "ECC_SECG_P256K1,SIGN_VERIFY",
            "HMAC_224,GENERATE_VERIFY_MAC", "HMAC_256,GENERATE_VERIFY_MAC", "HMAC_384,GENERATE_VERIFY_MAC", "HMAC_512,GENERATE_VERIFY_MAC"})
    void everySpecCreatesWithItsUsages(String spec, String usage) {
        Map<String, Object> m = createKey("KeySpec", spec, "KeyUsage", usage);
        assertEquals(spec, m.get("KeySpec"));
        assertEquals(usage, m.get("KeyUsage"));
        assertFalse(m.containsKey("CurrentKeyMaterialId"));
        Map<String, Object> described = describe((String) m.get("KeyId"));
        assertEquals(m, described);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> describe(String keyId) {
        return (Map<String, Object>) call("DescribeKey", "KeyId", keyId).get("KeyMetadata");
    }

    @Test
    void createKeyValidation() {
        assertEquals("You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.",
                error("CreateKey", "KeySpec", "HMAC_256").getMessage());
        assertEquals("1 validation error detected: Value 'HMAC_random' at 'keySpec' failed to satisfy constraint: Member must "
                        + "satisfy enum value set: [RSA_2048, ECC_NIST_P384, ECC_NIST_P256, ECC_NIST_P521, HMAC_384, RSA_3072, "
                        + "ECC_SECG_P256K1, RSA_4096, SYMMETRIC_DEFAULT, HMAC_256, HMAC_224, HMAC_512]",
                error("CreateKey", "KeySpec", "HMAC_random", "KeyUsage", "GENERATE_VERIFY_MAC").getMessage());
        assertEquals("1 validation error detected: Value 'RANDOM' at 'keyUsage' failed to satisfy constraint: Member must "
                        + "satisfy enum value set: [ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC]",
                error("CreateKey", "KeySpec", "HMAC_256", "KeyUsage", "RANDOM").getMessage());
        ServiceException e = error("CreateKey", "KeySpec", "RSA_2048", "KeyUsage", "KEY_AGREEMENT");
        assertEquals("ValidationException", e.code());
        assertEquals("KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048", e.getMessage());
        assertEquals("KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec ECC_NIST_P256",
                error("CreateKey", "KeySpec", "ECC_NIST_P256", "KeyUsage", "ENCRYPT_DECRYPT").getMessage());
        assertEquals("KeyUsage SIGN_VERIFY is not compatible with KeySpec HMAC_256",
                error("CreateKey", "KeySpec", "HMAC_256", "KeyUsage", "SIGN_VERIFY").getMessage());
    }

    @Test
    void keyLookupErrors() {
        ServiceException e = error("DescribeKey", "KeyId", "fake-key-id");
        assertEquals("NotFoundException", e.code());
        assertEquals("Invalid keyId 'fake-key-id'", e.getMessage());
        assertEquals("Invalid keyId '134f2428cec14b25a1ae9048164dba47'",
                error("DescribeKey", "KeyId", "134f2428cec14b25a1ae9048164dba47").getMessage());
        assertEquals("Invalid keyId 'mrk-fake-key-id'", error("DescribeKey", "KeyId", "mrk-fake-key-id").getMessage());
        String missing = "4a9c6bd1-6b4e-4f0e-9a63-1d2f5b7d2c11";
        assertEquals("Key 'arn:aws:kms:us-east-1:111111111111:key/" + missing + "' does not exist",
                error("DescribeKey", "KeyId", missing).getMessage());
        String id = (String) createKey().get("KeyId");
        RequestContext other = RequestContext.internal("111111111111", "eu-west-1", "kms");
        ServiceException byId = assertThrows(ServiceException.class, () -> call(other, "DescribeKey", "KeyId", id));
        assertEquals("Key 'arn:aws:kms:eu-west-1:111111111111:key/" + id + "' does not exist", byId.getMessage());
        ServiceException byArn = assertThrows(ServiceException.class,
                () -> call(other, "DescribeKey", "KeyId", "arn:aws:kms:us-east-1:111111111111:key/" + id));
        assertEquals("Invalid arn us-east-1", byArn.getMessage());
    }

    @Test
    void encryptDecryptWithContext() {
        String id = (String) createKey().get("KeyId");
        Map<String, Object> enc = call("Encrypt", "KeyId", id, "Plaintext", bytes("secret"),
                "EncryptionContext", Map.of("a", "1", "b", "2"));
        byte[] blob = (byte[]) enc.get("CiphertextBlob");
        assertEquals("arn:aws:kms:us-east-1:111111111111:key/" + id, enc.get("KeyId"));
        // no KeyId needed: the blob names its key; context order does not matter
        Map<String, Object> dec = call("Decrypt", "CiphertextBlob", blob, "EncryptionContext", Map.of("b", "2", "a", "1"));
        assertArrayEquals(bytes("secret"), (byte[]) dec.get("Plaintext"));
        assertEquals(enc.get("KeyId"), dec.get("KeyId"));
        assertEquals("SYMMETRIC_DEFAULT", dec.get("EncryptionAlgorithm"));
        // wrong or missing context
        assertEquals("InvalidCiphertextException", error("Decrypt", "CiphertextBlob", blob).code());
        assertEquals("InvalidCiphertextException", error("Decrypt", "CiphertextBlob", blob,
                "EncryptionContext", Map.of("a", "1", "b", "3")).code());
        // every single altered byte fails
        for (int i = 0; i < blob.length; i++) {
            byte[] altered = blob.clone();
            altered[i] ^= 0x01;
            ServiceException e = error("Decrypt", "CiphertextBlob", altered, "EncryptionContext", Map.of("a", "1", "b", "2"));
            assertEquals("InvalidCiphertextException", e.code(), "byte " + i);
        }
        assertEquals("InvalidCiphertextException", error("Decrypt", "CiphertextBlob", bytes("garbage")).code());
        // another key cannot decrypt it
        String other = (String) createKey().get("KeyId");
        ServiceException e = error("Decrypt", "CiphertextBlob", blob, "KeyId", other, "EncryptionContext", Map.of("a", "1", "b", "2"));
        assertEquals("IncorrectKeyException", e.code());
        assertEquals("The key ID in the request does not identify a CMK that can perform this operation.", e.getMessage());
    }

    @Test
    void plaintextLimits() {
        String id = (String) createKey().get("KeyId");
        assertEquals("1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
                error("Encrypt", "KeyId", id, "Plaintext", new byte[4097]).getMessage());
        call("Encrypt", "KeyId", id, "Plaintext", new byte[4096]);
    }

    @ParameterizedTest
    @CsvSource({"RSA_2048,RSAES_OAEP_SHA_1,214", "RSA_2048,RSAES_OAEP_SHA_256,190", "RSA_3072,RSAES_OAEP_SHA_256,318",
            "RSA_4096,RSAES_OAEP_SHA_1,470"})
    void rsaEncryptionInteroperatesWithJca(String spec, String algorithm, int max) throws Exception {
        Map<String, Object> m = createKey("KeySpec", spec, "KeyUsage", "ENCRYPT_DECRYPT");
        String id = (String) m.get("KeyId");
        assertEquals(List.of("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"), m.get("EncryptionAlgorithms"));
        ServiceException tooBig = error("Encrypt", "KeyId", id, "Plaintext", new byte[max + 1], "EncryptionAlgorithm", algorithm);
        assertEquals("Algorithm " + algorithm + " and key spec " + spec + " cannot encrypt data larger than " + max + " bytes.", tooBig.getMessage());
        byte[] blob = (byte[]) call("Encrypt", "KeyId", id, "Plaintext", new byte[max], "EncryptionAlgorithm", algorithm).get("CiphertextBlob");
        assertArrayEquals(new byte[max], (byte[]) call("Decrypt", "KeyId", id, "CiphertextBlob", blob, "EncryptionAlgorithm", algorithm).get("Plaintext"));
        // encrypt outside with the JCA from the public key, decrypt here
        PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec((byte[]) call("GetPublicKey", "KeyId", id).get("PublicKey")));
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
        boolean sha1 = algorithm.endsWith("SHA_1");
        c.init(Cipher.ENCRYPT_MODE, pub, new OAEPParameterSpec(sha1 ? "SHA-1" : "SHA-256", "MGF1",
                sha1 ? MGF1ParameterSpec.SHA1 : MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        byte[] outside = c.doFinal(bytes("from outside"));
        assertArrayEquals(bytes("from outside"), (byte[]) call("Decrypt", "KeyId", id, "CiphertextBlob", outside, "EncryptionAlgorithm", algorithm).get("Plaintext"));
        assertEquals("InvalidKeyUsageException", error("Encrypt", "KeyId", id, "Plaintext", bytes("x")).code());
    }

    static Stream<Arguments> signingCases() {
        return Stream.of(
                Arguments.of("RSA_2048", "RSASSA_PSS_SHA_256", "SHA256withRSA/PSS"),
                Arguments.of("RSA_2048", "RSASSA_PSS_SHA_384", "SHA384withRSA/PSS"),
                Arguments.of("RSA_3072", "RSASSA_PSS_SHA_512", "SHA512withRSA/PSS"),
                Arguments.of("RSA_2048", "RSASSA_PKCS1_V1_5_SHA_256", "SHA256withRSA"),
                Arguments.of("RSA_4096", "RSASSA_PKCS1_V1_5_SHA_384", "SHA384withRSA"),
                Arguments.of("RSA_4096", "RSASSA_PKCS1_V1_5_SHA_512", "SHA512withRSA"),
                Arguments.of("ECC_NIST_P256", "ECDSA_SHA_256", "SHA256withECDSA"),
                Arguments.of("ECC_NIST_P384", "ECDSA_SHA_384", "SHA384withECDSA"),
                Arguments.of("ECC_NIST_P521", "ECDSA_SHA_512", "SHA512withECDSA"),
                Arguments.of("ECC_SECG_P256K1", "ECDSA_SHA_256", "SHA256withECDSA"));
    }

    /** Signatures made here verify with an independent JCA verifier from the public key, for RAW and DIGEST. */
    @ParameterizedTest
    @MethodSource("signingCases")
    void signaturesVerifyOutside(String spec, String algorithm, String jcaAlgorithm) throws Exception {
        String id = (String) createKey("KeySpec", spec, "KeyUsage", "SIGN_VERIFY").get("KeyId");
        byte[] message = bytes("message to sign");
        byte[] pubDer = (byte[]) call("GetPublicKey", "KeyId", id).get("PublicKey");
        PublicKey pub = KeyFactory.getInstance(spec.startsWith("RSA") ? "RSA" : "EC", KmsCrypto.BC).generatePublic(new X509EncodedKeySpec(pubDer));
        int digestBits = Integer.parseInt(algorithm.substring(algorithm.length() - 3));
        byte[] digest = MessageDigest.getInstance("SHA-" + digestBits).digest(message);
        for (String type : List.of("RAW", "DIGEST")) {
            byte[] input = type.equals("RAW") ? message : digest;
            Map<String, Object> signed = call("Sign", "KeyId", id, "Message", input, "MessageType", type, "SigningAlgorithm", algorithm);
            byte[] signature = (byte[]) signed.get("Signature");
            Signature v = Signature.getInstance(jcaAlgorithm.endsWith("/PSS") ? "RSASSA-PSS" : jcaAlgorithm, KmsCrypto.BC);
            if (jcaAlgorithm.endsWith("/PSS")) {
                String h = "SHA-" + digestBits;
                v.setParameter(new PSSParameterSpec(h, "MGF1", new MGF1ParameterSpec(h), digestBits / 8, 1));
            }
            v.initVerify(pub);
            v.update(message);
            assertTrue(v.verify(signature), type);
            if (spec.startsWith("ECC")) assertEquals(0x30, signature[0] & 0xff, "ECDSA signatures are DER");
            Map<String, Object> verified = call("Verify", "KeyId", id, "Message", input, "MessageType", type,
                    "SigningAlgorithm", algorithm, "Signature", signature);
            assertEquals(true, verified.get("SignatureValid"));
            signature[signature.length / 2] ^= 1;
            ServiceException bad = error("Verify", "KeyId", id, "Message", input, "MessageType", type, "SigningAlgorithm", algorithm, "Signature", signature);
            assertEquals("KMSInvalidSignatureException", bad.code());
        }
        ServiceException badDigest = error("Sign", "KeyId", id, "Message", new byte[5], "MessageType", "DIGEST", "SigningAlgorithm", algorithm);
        assertEquals("Digest is invalid length for algorithm " + algorithm + ".", badDigest.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"ECC_NIST_EDWARDS25519,ED25519_SHA_512,Ed25519", "ML_DSA_44,ML_DSA_SHAKE_256,ML-DSA",
            "ML_DSA_65,ML_DSA_SHAKE_256,ML-DSA", "ML_DSA_87,ML_DSA_SHAKE_256,ML-DSA"})
    void wholeMessageSignaturesVerifyOutside(String spec, String algorithm, String jca) throws Exception {
        String id = (String) createKey("KeySpec", spec, "KeyUsage", "SIGN_VERIFY").get("KeyId");
        assertEquals(spec.startsWith("ECC") ? List.of("ED25519_SHA_512", "ED25519_PH_SHA_512") : List.of("ML_DSA_SHAKE_256"),
                describe(id).get("SigningAlgorithms"));
        byte[] message = bytes("whole message");
        byte[] signature = (byte[]) call("Sign", "KeyId", id, "Message", message, "MessageType", "RAW", "SigningAlgorithm", algorithm).get("Signature");
        PublicKey pub = KeyFactory.getInstance(jca, KmsCrypto.BC).generatePublic(new X509EncodedKeySpec((byte[]) call("GetPublicKey", "KeyId", id).get("PublicKey")));
        Signature v = Signature.getInstance(jca, KmsCrypto.BC);
        v.initVerify(pub);
        v.update(message);
        assertTrue(v.verify(signature));
        assertEquals(true, call("Verify", "KeyId", id, "Message", message, "SigningAlgorithm", algorithm, "Signature", signature).get("SignatureValid"));
        assertEquals("ValidationException", error("Sign", "KeyId", id, "Message", new byte[64], "MessageType", "DIGEST", "SigningAlgorithm", algorithm).code());
    }

    @Test
    void ed25519PrehashSignsRawAndDigestAlike() throws Exception {
        String id = (String) createKey("KeySpec", "ECC_NIST_EDWARDS25519", "KeyUsage", "SIGN_VERIFY").get("KeyId");
        byte[] message = bytes("prehashed");
        byte[] digest = MessageDigest.getInstance("SHA-512").digest(message);
        byte[] fromRaw = (byte[]) call("Sign", "KeyId", id, "Message", message, "SigningAlgorithm", "ED25519_PH_SHA_512").get("Signature");
        byte[] fromDigest = (byte[]) call("Sign", "KeyId", id, "Message", digest, "MessageType", "DIGEST", "SigningAlgorithm", "ED25519_PH_SHA_512").get("Signature");
        assertArrayEquals(fromRaw, fromDigest, "Ed25519ph is deterministic");
        // RFC 8032 Ed25519ph verified outside through Bouncy Castle's signer over the message
        var pub = (org.bouncycastle.crypto.params.Ed25519PublicKeyParameters) org.bouncycastle.crypto.util.PublicKeyFactory
                .createKey((byte[]) call("GetPublicKey", "KeyId", id).get("PublicKey"));
        var verifier = new org.bouncycastle.crypto.signers.Ed25519phSigner(new byte[0]);
        verifier.init(false, pub);
        verifier.update(message, 0, message.length);
        assertTrue(verifier.verifySignature(fromRaw));
        assertEquals(true, call("Verify", "KeyId", id, "Message", digest, "MessageType", "DIGEST",
                "SigningAlgorithm", "ED25519_PH_SHA_512", "Signature", fromRaw).get("SignatureValid"));
    }

    @Test
    void signingAlgorithmMustFitTheSpec() {
        String id = (String) createKey("KeySpec", "ECC_NIST_P256", "KeyUsage", "SIGN_VERIFY").get("KeyId");
        ServiceException e = error("Sign", "KeyId", id, "Message", bytes("m"), "SigningAlgorithm", "ECDSA_SHA_384");
        assertEquals("InvalidKeyUsageException", e.code());
        assertEquals("Algorithm ECDSA_SHA_384 is incompatible with key spec ECC_NIST_P256.", e.getMessage());
        Map<String, Object> hmacKey = createKey("KeySpec", "HMAC_256", "KeyUsage", "GENERATE_VERIFY_MAC");
        ServiceException usage = error("Sign", "KeyId", hmacKey.get("KeyId"), "Message", bytes("m"), "SigningAlgorithm", "ECDSA_SHA_256");
        assertEquals(hmacKey.get("Arn") + " key usage is GENERATE_VERIFY_MAC which is not valid for Sign.", usage.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"HMAC_224,HMAC_SHA_224,HmacSHA224", "HMAC_256,HMAC_SHA_256,HmacSHA256", "HMAC_384,HMAC_SHA_384,HmacSHA384",
            "HMAC_512,HMAC_SHA_512,HmacSHA512"})
    void macs(String spec, String algorithm, String jca) throws Exception {
        String id = (String) createKey("KeySpec", spec, "KeyUsage", "GENERATE_VERIFY_MAC").get("KeyId");
        byte[] mac = (byte[]) call("GenerateMac", "KeyId", id, "Message", bytes("some important message"), "MacAlgorithm", algorithm).get("Mac");
        assertEquals(Mac.getInstance(jca).getMacLength(), mac.length);
        assertEquals(true, call("VerifyMac", "KeyId", id, "Message", bytes("some important message"), "MacAlgorithm", algorithm, "Mac", mac).get("MacValid"));
        assertEquals("KMSInvalidMacException", error("VerifyMac", "KeyId", id, "Message", bytes("other"), "MacAlgorithm", algorithm, "Mac", mac).code());
        String wrong = spec.equals("HMAC_224") ? "HMAC_SHA_256" : "HMAC_SHA_224";
        assertEquals("Algorithm " + wrong + " is incompatible with key spec " + spec + ".",
                error("GenerateMac", "KeyId", id, "Message", bytes("m"), "MacAlgorithm", wrong).getMessage());
        assertEquals("1 validation error detected: Value 'INVALID' at 'macAlgorithm' failed to satisfy constraint: Member must satisfy "
                        + "enum value set: [HMAC_SHA_384, HMAC_SHA_256, HMAC_SHA_224, HMAC_SHA_512]",
                error("GenerateMac", "KeyId", id, "Message", bytes("m"), "MacAlgorithm", "INVALID").getMessage());
        assertEquals("Invalid keyId 'key_id'", error("GenerateMac", "KeyId", "key_id", "Message", bytes("m"), "MacAlgorithm", algorithm).getMessage());
    }

    @Test
    void macMatchesJcaHmacOverPersistedMaterial() throws Exception {
        String id = (String) createKey("KeySpec", "HMAC_256", "KeyUsage", "GENERATE_VERIFY_MAC").get("KeyId");
        byte[] mac = (byte[]) call("GenerateMac", "KeyId", id, "Message", bytes("m"), "MacAlgorithm", "HMAC_SHA_256").get("Mac");
        KmsKey key = kms.findKey(ctx, id, false);
        Mac jca = Mac.getInstance("HmacSHA256");
        jca.init(new SecretKeySpec(key.current().secret, "HmacSHA256"));
        assertArrayEquals(jca.doFinal(bytes("m")), mac);
    }

    @Test
    void dataKeys() throws Exception {
        String id = (String) createKey().get("KeyId");
        Map<String, Object> dk = call("GenerateDataKey", "KeyId", id, "KeySpec", "AES_256", "EncryptionContext", Map.of("k", "v"));
        assertEquals(32, ((byte[]) dk.get("Plaintext")).length);
        assertArrayEquals((byte[]) dk.get("Plaintext"), (byte[]) call("Decrypt", "CiphertextBlob", dk.get("CiphertextBlob"),
                "EncryptionContext", Map.of("k", "v")).get("Plaintext"));
        assertEquals("InvalidCiphertextException", error("Decrypt", "CiphertextBlob", dk.get("CiphertextBlob")).code());
        Map<String, Object> n = call("GenerateDataKeyWithoutPlaintext", "KeyId", id, "NumberOfBytes", 7);
        assertFalse(n.containsKey("Plaintext"));
        assertEquals(7, ((byte[]) call("Decrypt", "CiphertextBlob", n.get("CiphertextBlob")).get("Plaintext")).length);
        assertEquals("Please specify either number of bytes or key spec.", error("GenerateDataKey", "KeyId", id).getMessage());

        Map<String, Object> pair = call("GenerateDataKeyPair", "KeyId", id, "KeyPairSpec", "ECC_NIST_P256");
        byte[] priv = (byte[]) pair.get("PrivateKeyPlaintext");
        assertArrayEquals(priv, (byte[]) call("Decrypt", "CiphertextBlob", pair.get("PrivateKeyCiphertextBlob")).get("Plaintext"));
        KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec((byte[]) pair.get("PublicKey")));
        KeyFactory.getInstance("EC").generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(priv));
        Map<String, Object> noPlain = call("GenerateDataKeyPairWithoutPlaintext", "KeyId", id, "KeyPairSpec", "RSA_2048");
        assertFalse(noPlain.containsKey("PrivateKeyPlaintext"));
        assertEquals("RSA_2048", noPlain.get("KeyPairSpec"));
        ServiceException dry = error("GenerateDataKeyPair", "KeyId", id, "KeyPairSpec", "RSA_2048", "DryRun", true);
        assertEquals("DryRunOperationException", dry.code());
        assertEquals("The request would have succeeded, but the DryRun option is set.", dry.getMessage());
    }

    @Test
    void generateRandom() {
        assertEquals(44, ((byte[]) call("GenerateRandom", "NumberOfBytes", 44).get("Plaintext")).length);
        assertEquals("NumberOfBytes is required.", error("GenerateRandom").getMessage());
        assertEquals("1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1",
                error("GenerateRandom", "NumberOfBytes", 0).getMessage());
        assertEquals("1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
                error("GenerateRandom", "NumberOfBytes", 1025).getMessage());
    }

    @Test
    void reEncryptMovesCiphertextBetweenKeys() {
        String a = (String) createKey().get("KeyId");
        String b = (String) createKey().get("KeyId");
        byte[] blob = (byte[]) call("Encrypt", "KeyId", a, "Plaintext", bytes("move me"), "EncryptionContext", Map.of("x", "1")).get("CiphertextBlob");
        Map<String, Object> re = call("ReEncrypt", "CiphertextBlob", blob, "SourceEncryptionContext", Map.of("x", "1"),
                "DestinationKeyId", b, "DestinationEncryptionContext", Map.of("y", "2"));
        assertTrue(((String) re.get("SourceKeyId")).endsWith(a));
        assertTrue(((String) re.get("KeyId")).endsWith(b));
        assertArrayEquals(bytes("move me"), (byte[]) call("Decrypt", "CiphertextBlob", re.get("CiphertextBlob"),
                "EncryptionContext", Map.of("y", "2")).get("Plaintext"));
        assertEquals("IncorrectKeyException", error("ReEncrypt", "CiphertextBlob", blob, "SourceKeyId", b,
                "SourceEncryptionContext", Map.of("x", "1"), "DestinationKeyId", b).code());
    }

    @Test
    void aliasesAddressKeys() {
        Map<String, Object> m = createKey();
        String id = (String) m.get("KeyId");
        assertEquals("Alias must start with the prefix \"alias/\". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html",
                error("CreateAlias", "AliasName", "no-prefix", "TargetKeyId", id).getMessage());
        assertEquals("NotAuthorizedException", error("CreateAlias", "AliasName", "alias/aws/mine", "TargetKeyId", id).code());
        call("CreateAlias", "AliasName", "alias/my-key", "TargetKeyId", id);
        assertEquals("AlreadyExistsException", error("CreateAlias", "AliasName", "alias/my-key", "TargetKeyId", id).code());
        assertEquals(id, describe("alias/my-key").get("KeyId"));
        assertEquals(id, describe("arn:aws:kms:us-east-1:111111111111:alias/my-key").get("KeyId"));
        assertEquals(id, describe((String) m.get("Arn")).get("KeyId"));
        byte[] blob = (byte[]) call("Encrypt", "KeyId", "alias/my-key", "Plaintext", bytes("x")).get("CiphertextBlob");
        assertArrayEquals(bytes("x"), (byte[]) call("Decrypt", "CiphertextBlob", blob, "KeyId", "alias/my-key").get("Plaintext"));
        String other = (String) createKey().get("KeyId");
        call("UpdateAlias", "AliasName", "alias/my-key", "TargetKeyId", other);
        assertEquals(other, describe("alias/my-key").get("KeyId"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> aliases = (List<Map<String, Object>>) call("ListAliases", "KeyId", other).get("Aliases");
        assertEquals(1, aliases.size());
        assertEquals("arn:aws:kms:us-east-1:111111111111:alias/my-key", aliases.get(0).get("AliasArn"));
        call("DeleteAlias", "AliasName", "alias/my-key");
        ServiceException e = error("DescribeKey", "KeyId", "alias/my-key");
        assertEquals("NotFoundException", e.code());
        assertEquals("Alias arn:aws:kms:us-east-1:111111111111:alias/my-key is not found.", e.getMessage());
        // AWS managed keys appear on first use
        assertEquals("AWS", describe("alias/aws/s3").get("KeyManager"));
    }

    @Test
    void listKeysPaginates() {
        for (int i = 0; i < 5; i++) createKey();
        Map<String, Object> first = call("ListKeys", "Limit", 2);
        assertEquals(true, first.get("Truncated"));
        assertEquals(2, ((List<?>) first.get("Keys")).size());
        Map<String, Object> rest = call("ListKeys", "Limit", 10, "Marker", first.get("NextMarker"));
        assertEquals(false, rest.get("Truncated"));
        assertEquals(3, ((List<?>) rest.get("Keys")).size());
        assertNotEquals(((List<?>) first.get("Keys")).get(0), ((List<?>) rest.get("Keys")).get(0));
    }

    @Test
    void disableAndDeletion() {
        Map<String, Object> m = createKey();
        String id = (String) m.get("KeyId");
        call("DisableKey", "KeyId", id);
        ServiceException disabled = error("Encrypt", "KeyId", id, "Plaintext", bytes("x"));
        assertEquals("DisabledException", disabled.code());
        assertEquals(m.get("Arn") + " is disabled.", disabled.getMessage());
        call("EnableKey", "KeyId", id);
        call("Encrypt", "KeyId", id, "Plaintext", bytes("x"));
        assertEquals("1 validation error detected: Value '5' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 7",
                error("ScheduleKeyDeletion", "KeyId", id, "PendingWindowInDays", 5).getMessage());
        Map<String, Object> s = call("ScheduleKeyDeletion", "KeyId", id, "PendingWindowInDays", 7);
        assertEquals("PendingDeletion", s.get("KeyState"));
        assertEquals(7, s.get("PendingWindowInDays"));
        assertEquals("PendingDeletion", describe(id).get("KeyState"));
        ServiceException pending = error("Encrypt", "KeyId", id, "Plaintext", bytes("x"));
        assertEquals("KMSInvalidStateException", pending.code());
        assertEquals(m.get("Arn") + " is pending deletion.", pending.getMessage());
        assertEquals("KMSInvalidStateException", error("EnableKey", "KeyId", id).code());
        call("CancelKeyDeletion", "KeyId", id);
        assertEquals("Disabled", describe(id).get("KeyState"));
    }

    private static final long DAY = 86_400_000L;

    @SuppressWarnings("unchecked")
    private List<String> listed(KmsProvider provider, String operation, String member, String field, Object... kv) {
        Map<String, Object> in = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) in.put((String) kv[i], kv[i + 1]);
        return ((List<Map<String, Object>>) provider.invoke(ctx, operation, in).get(member)).stream()
                .map(e -> (String) e.get(field)).toList();
    }

    @Test
    void theProviderSweepsOnTheEnvironmentsSchedulerUntilClosed() throws Exception {
        var scheduler = new java.util.concurrent.ScheduledThreadPoolExecutor(1);
        scheduler.setRemoveOnCancelPolicy(true);
        try {
            dev.polystack.api.ProviderEnvironment env = new dev.polystack.api.ProviderEnvironment() {
                public dev.polystack.api.Config config() { throw new UnsupportedOperationException(); }
                public Map<String, Object> call(RequestContext c, String service, String operation, Map<String, Object> input) {
                    throw new UnsupportedOperationException();
                }
                public java.util.concurrent.ScheduledExecutorService scheduler() { return scheduler; }
                public java.nio.file.Path dataDirectory(String service) { throw new UnsupportedOperationException(); }
            };
            KmsProvider scheduled = new KmsProvider(now::get, env);
            assertEquals(1, scheduler.getQueue().size());
            var sweep = (java.util.concurrent.ScheduledFuture<?>) scheduler.getQueue().peek();
            assertEquals(60, sweep.getDelay(java.util.concurrent.TimeUnit.SECONDS), 1);
            scheduled.close();
            assertEquals(0, scheduler.getQueue().size());
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void deletionTakesEffectOnItsDateInEveryListing() {
        String id = (String) createKey().get("KeyId");
        String kept = (String) createKey().get("KeyId");
        call("CreateAlias", "AliasName", "alias/doomed", "TargetKeyId", id);
        call("CreateGrant", "KeyId", id, "GranteePrincipal", "p", "RetiringPrincipal", "r", "Operations", List.of("Encrypt"));
        byte[] blob = (byte[]) call("Encrypt", "KeyId", id, "Plaintext", bytes("x")).get("CiphertextBlob");
        call("ScheduleKeyDeletion", "KeyId", id, "PendingWindowInDays", 7);

        now.addAndGet(7 * DAY - 1); // one millisecond early: still there, pending deletion
        assertEquals(List.of(id, kept), listed(kms, "ListKeys", "Keys", "KeyId"));
        assertTrue(listed(kms, "ListAliases", "Aliases", "AliasName").contains("alias/doomed"));
        assertEquals(List.of(id), listed(kms, "ListRetirableGrants", "Grants", "KeyId", "RetiringPrincipal", "r").stream()
                .map(arn -> arn.substring(arn.indexOf('/') + 1)).toList());

        now.addAndGet(1);
        assertEquals("InvalidCiphertextException", error("Decrypt", "CiphertextBlob", blob).code()); // its key is gone
        assertEquals(List.of(kept), listed(kms, "ListKeys", "Keys", "KeyId"));
        assertFalse(listed(kms, "ListAliases", "Aliases", "AliasName").contains("alias/doomed"));
        assertEquals(List.of(), listed(kms, "ListRetirableGrants", "Grants", "KeyId", "RetiringPrincipal", "r"));
        assertEquals("NotFoundException", error("DescribeKey", "KeyId", id).code());
        assertEquals("NotFoundException", error("DescribeKey", "KeyId", "alias/doomed").code());
        assertEquals("InvalidCiphertextException", error("Decrypt", "CiphertextBlob", blob).code()); // its key is gone
    }

    @Test
    void sweepDropsDeletedKeysFromTheSavedStateAndALoadAppliesWhatCameDueMeanwhile() throws Exception {
        String swept = (String) createKey().get("KeyId");
        call("ScheduleKeyDeletion", "KeyId", swept, "PendingWindowInDays", 7);
        String later = (String) createKey().get("KeyId");
        call("ScheduleKeyDeletion", "KeyId", later, "PendingWindowInDays", 30);
        String rotating = (String) createKey().get("KeyId");
        call("EnableKeyRotation", "KeyId", rotating, "RotationPeriodInDays", 90);

        now.addAndGet(8 * DAY);
        kms.sweep(); // nobody asked about the key: the sweep removes it all the same
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        kms.saveState(saved);
        String json = saved.toString(StandardCharsets.UTF_8);
        assertFalse(json.contains(swept), "a key past its deletion date is not persisted");
        assertTrue(json.contains(later));

        // the server is down for 100 days: on load, the other deletion and a rotation have come due
        now.addAndGet(100 * DAY);
        KmsProvider restored = new KmsProvider(now::get, null);
        restored.loadState(new ByteArrayInputStream(saved.toByteArray()), kms.stateVersion());
        ByteArrayOutputStream resaved = new ByteArrayOutputStream();
        restored.saveState(resaved);
        assertFalse(resaved.toString(StandardCharsets.UTF_8).contains(later));
        assertEquals(List.of(rotating), listed(restored, "ListKeys", "Keys", "KeyId"));
        assertEquals(List.of("AUTOMATIC"), listed(restored, "ListKeyRotations", "Rotations", "RotationType", "KeyId", rotating));
    }

    @Test
    @SuppressWarnings("unchecked")
    void automaticRotationHappensOnItsDatesAndIsVisibleEverywhere() {
        String id = (String) createKey().get("KeyId");
        long enabledAt = now.get();
        call("EnableKeyRotation", "KeyId", id, "RotationPeriodInDays", 90);
        String original = (String) describe(id).get("CurrentKeyMaterialId");
        byte[] blob = (byte[]) call("Encrypt", "KeyId", id, "Plaintext", bytes("old")).get("CiphertextBlob");
        assertEquals(java.time.Instant.ofEpochMilli(enabledAt + 90 * DAY), call("GetKeyRotationStatus", "KeyId", id).get("NextRotationDate"));

        now.addAndGet(90 * DAY - 1);
        assertEquals(List.of(), listed(kms, "ListKeyRotations", "Rotations", "RotationType", "KeyId", id));
        assertEquals(original, describe(id).get("CurrentKeyMaterialId"));

        now.addAndGet(1 + 95 * DAY); // 185 days after enabling: two rotations, at day 90 and day 180
        List<Map<String, Object>> rotations = (List<Map<String, Object>>) call("ListKeyRotations", "KeyId", id).get("Rotations");
        assertEquals(2, rotations.size());
        assertEquals(java.time.Instant.ofEpochMilli(enabledAt + 90 * DAY), rotations.get(0).get("RotationDate"));
        assertEquals(java.time.Instant.ofEpochMilli(enabledAt + 180 * DAY), rotations.get(1).get("RotationDate"));
        assertEquals(java.time.Instant.ofEpochMilli(enabledAt + 270 * DAY), call("GetKeyRotationStatus", "KeyId", id).get("NextRotationDate"));
        assertEquals(rotations.get(1).get("KeyMaterialId"), describe(id).get("CurrentKeyMaterialId"));
        Map<String, Object> encrypted = call("Encrypt", "KeyId", id, "Plaintext", bytes("new"));
        assertArrayEquals(bytes("new"), (byte[]) call("Decrypt", "CiphertextBlob", encrypted.get("CiphertextBlob")).get("Plaintext"));
        Map<String, Object> old = call("Decrypt", "CiphertextBlob", blob);
        assertArrayEquals(bytes("old"), (byte[]) old.get("Plaintext"));
        assertEquals(original, old.get("KeyMaterialId"));
    }

    @Test
    void rotationKeepsOldCiphertextReadable() {
        String id = (String) createKey().get("KeyId");
        String before = (String) describe(id).get("CurrentKeyMaterialId");
        byte[] blob = (byte[]) call("Encrypt", "KeyId", id, "Plaintext", bytes("old")).get("CiphertextBlob");
        call("EnableKeyRotation", "KeyId", id, "RotationPeriodInDays", 90);
        Map<String, Object> status = call("GetKeyRotationStatus", "KeyId", id);
        assertEquals(true, status.get("KeyRotationEnabled"));
        assertEquals(90, status.get("RotationPeriodInDays"));
        call("RotateKeyOnDemand", "KeyId", id);
        assertNotEquals(before, describe(id).get("CurrentKeyMaterialId"));
        Map<String, Object> dec = call("Decrypt", "CiphertextBlob", blob);
        assertArrayEquals(bytes("old"), (byte[]) dec.get("Plaintext"));
        assertEquals(before, dec.get("KeyMaterialId"));
        assertEquals(1, ((List<?>) call("ListKeyRotations", "KeyId", id).get("Rotations")).size());
        for (int i = 1; i < 10; i++) call("RotateKeyOnDemand", "KeyId", id);
        assertEquals("LimitExceededException", error("RotateKeyOnDemand", "KeyId", id).code());
        call("DisableKeyRotation", "KeyId", id);
        assertEquals(false, call("GetKeyRotationStatus", "KeyId", id).get("KeyRotationEnabled"));
        String rsa = (String) createKey("KeySpec", "RSA_2048", "KeyUsage", "SIGN_VERIFY").get("KeyId");
        assertEquals("UnsupportedOperationException", error("RotateKeyOnDemand", "KeyId", rsa).code());
    }

    @Test
    @SuppressWarnings("unchecked")
    void tags() {
        String id = (String) createKey("Tags", List.of(Map.of("TagKey", "tag1", "TagValue", "value1"))).get("KeyId");
        call("TagResource", "KeyId", id, "Tags", List.of(Map.of("TagKey", "tag2", "TagValue", "value2")));
        assertEquals(List.of(Map.of("TagKey", "tag1", "TagValue", "value1"), Map.of("TagKey", "tag2", "TagValue", "value2")),
                call("ListResourceTags", "KeyId", id).get("Tags"));
        call("UntagResource", "KeyId", id, "TagKeys", List.of("tag1"));
        assertEquals(1, ((List<Object>) call("ListResourceTags", "KeyId", id).get("Tags")).size());
        assertEquals("Tags beginning with aws: are reserved",
                error("TagResource", "KeyId", id, "Tags", List.of(Map.of("TagKey", "AWS:x", "TagValue", "v"))).getMessage());
        assertEquals("Duplicate tag keys", error("TagResource", "KeyId", id, "Tags",
                List.of(Map.of("TagKey", "a", "TagValue", "v"), Map.of("TagKey", "a", "TagValue", "w"))).getMessage());
        assertEquals("1 validation error detected: Value '" + "v".repeat(257) + "' at 'tags.1.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256",
                error("TagResource", "KeyId", id, "Tags", List.of(Map.of("TagKey", "a", "TagValue", "v".repeat(257)))).getMessage());
    }

    @Test
    @SuppressWarnings("unchecked")
    void grants() {
        String id = (String) createKey().get("KeyId");
        Map<String, Object> g = call("CreateGrant", "KeyId", id, "GranteePrincipal", "arn:aws:iam::111111111111:role/a",
                "RetiringPrincipal", "arn:aws:iam::111111111111:role/r", "Operations", List.of("Encrypt", "Decrypt"), "Name", "n");
        String grantId = (String) g.get("GrantId");
        assertEquals(g, call("CreateGrant", "KeyId", id, "GranteePrincipal", "arn:aws:iam::111111111111:role/a",
                "RetiringPrincipal", "arn:aws:iam::111111111111:role/r", "Operations", List.of("Decrypt", "Encrypt"), "Name", "n"));
        List<Map<String, Object>> grants = (List<Map<String, Object>>) call("ListGrants", "KeyId", id).get("Grants");
        assertEquals(1, grants.size());
        assertEquals(grantId, grants.get(0).get("GrantId"));
        assertEquals(1, ((List<?>) call("ListRetirableGrants", "RetiringPrincipal", "arn:aws:iam::111111111111:role/r").get("Grants")).size());
        call("RetireGrant", "GrantToken", g.get("GrantToken"));
        assertEquals(0, ((List<?>) call("ListGrants", "KeyId", id).get("Grants")).size());
        String second = (String) call("CreateGrant", "KeyId", id, "GranteePrincipal", "p", "Operations", List.of("Encrypt")).get("GrantId");
        call("RevokeGrant", "KeyId", id, "GrantId", second);
        assertEquals("NotFoundException", error("RevokeGrant", "KeyId", id, "GrantId", second).code());
        assertEquals("InvalidGrantIdException", error("RevokeGrant", "KeyId", id, "GrantId", "nope").code());
    }

    @Test
    void policies() {
        String id = (String) createKey().get("KeyId");
        Map<String, Object> p = call("GetKeyPolicy", "KeyId", id);
        assertEquals("default", p.get("PolicyName"));
        assertTrue(((String) p.get("Policy")).contains("arn:aws:iam::111111111111:root"));
        assertEquals(List.of("default"), call("ListKeyPolicies", "KeyId", id).get("PolicyNames"));
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
        call("PutKeyPolicy", "KeyId", id, "PolicyName", "default", "Policy", policy);
        assertEquals(policy, call("GetKeyPolicy", "KeyId", id, "PolicyName", "default").get("Policy"));
        assertEquals("MalformedPolicyDocumentException", error("PutKeyPolicy", "KeyId", id, "Policy", "{nope").code());
    }

    @Test
    void accountsAndRegionsAreIsolated() {
        String id = (String) createKey().get("KeyId");
        RequestContext otherAccount = RequestContext.internal("222222222222", "us-east-1", "kms");
        assertThrows(ServiceException.class, () -> call(otherAccount, "DescribeKey", "KeyId", id));
        assertEquals(0, ((List<?>) call(otherAccount, "ListKeys").get("Keys")).size());
        // a key ARN names its account: cross-account use works through the ARN
        String arn = "arn:aws:kms:us-east-1:111111111111:key/" + id;
        byte[] blob = (byte[]) call(otherAccount, "Encrypt", "KeyId", arn, "Plaintext", bytes("x")).get("CiphertextBlob");
        assertArrayEquals(bytes("x"), (byte[]) call("Decrypt", "CiphertextBlob", blob).get("Plaintext"));
    }

    @Test
    void multiRegionReplicaSharesMaterial() {
        Map<String, Object> m = createKey("MultiRegion", true);
        String id = (String) m.get("KeyId");
        assertTrue(id.startsWith("mrk-"));
        byte[] blob = (byte[]) call("Encrypt", "KeyId", id, "Plaintext", bytes("x")).get("CiphertextBlob");
        call("ReplicateKey", "KeyId", id, "ReplicaRegion", "eu-west-1");
        RequestContext eu = RequestContext.internal("111111111111", "eu-west-1", "kms");
        assertArrayEquals(bytes("x"), (byte[]) call(eu, "Decrypt", "CiphertextBlob", blob).get("Plaintext"));
        call("RotateKeyOnDemand", "KeyId", id);
        byte[] rotated = (byte[]) call("Encrypt", "KeyId", id, "Plaintext", bytes("y")).get("CiphertextBlob");
        assertArrayEquals(bytes("y"), (byte[]) call(eu, "Decrypt", "CiphertextBlob", rotated).get("Plaintext"));
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) describe(id).get("MultiRegionConfiguration");
        assertEquals("PRIMARY", config.get("MultiRegionKeyType"));
        assertEquals(1, ((List<?>) config.get("ReplicaKeys")).size());
        String plain = (String) createKey().get("KeyId");
        assertEquals("UnsupportedOperationException", error("ReplicateKey", "KeyId", plain, "ReplicaRegion", "eu-west-1").code());
    }

    @Test
    void deriveSharedSecretMatchesPeer() throws Exception {
        String id = (String) createKey("KeySpec", "ECC_NIST_P256", "KeyUsage", "KEY_AGREEMENT").get("KeyId");
        var peer = KmsCrypto.generateKeyPair(KmsKeySpec.ECC_NIST_P256);
        byte[] secret = (byte[]) call("DeriveSharedSecret", "KeyId", id, "KeyAgreementAlgorithm", "ECDH",
                "PublicKey", peer.getPublic().getEncoded()).get("SharedSecret");
        byte[] ours = (byte[]) call("GetPublicKey", "KeyId", id).get("PublicKey");
        assertArrayEquals(KmsCrypto.ecdh(peer.getPrivate(), ours), secret);
    }

    @Test
    void stateRoundTripKeepsMaterial() throws Exception {
        String sym = (String) createKey("Description", "persist me", "Tags", List.of(Map.of("TagKey", "t", "TagValue", "v"))).get("KeyId");
        String rsa = (String) createKey("KeySpec", "RSA_2048", "KeyUsage", "SIGN_VERIFY").get("KeyId");
        String hmac = (String) createKey("KeySpec", "HMAC_256", "KeyUsage", "GENERATE_VERIFY_MAC").get("KeyId");
        call("CreateAlias", "AliasName", "alias/p", "TargetKeyId", sym);
        call("EnableKeyRotation", "KeyId", sym);
        call("RotateKeyOnDemand", "KeyId", sym);
        call("CreateGrant", "KeyId", sym, "GranteePrincipal", "p", "Operations", List.of("Encrypt"));
        byte[] blob = (byte[]) call("Encrypt", "KeyId", sym, "Plaintext", bytes("persisted"), "EncryptionContext", Map.of("c", "d")).get("CiphertextBlob");
        byte[] mac = (byte[]) call("GenerateMac", "KeyId", hmac, "Message", bytes("m"), "MacAlgorithm", "HMAC_SHA_256").get("Mac");
        byte[] signature = (byte[]) call("Sign", "KeyId", rsa, "Message", bytes("m"), "SigningAlgorithm", "RSASSA_PSS_SHA_256").get("Signature");
        Map<String, Object> describedBefore = describe(sym);
        String ed = (String) createKey("KeySpec", "ECC_NIST_EDWARDS25519", "KeyUsage", "SIGN_VERIFY").get("KeyId");
        String mlDsa = (String) createKey("KeySpec", "ML_DSA_44", "KeyUsage", "SIGN_VERIFY").get("KeyId");
        byte[] edSignature = (byte[]) call("Sign", "KeyId", ed, "Message", bytes("m"), "SigningAlgorithm", "ED25519_SHA_512").get("Signature");
        byte[] mlSignature = (byte[]) call("Sign", "KeyId", mlDsa, "Message", bytes("m"), "SigningAlgorithm", "ML_DSA_SHAKE_256").get("Signature");

        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        kms.saveState(saved);
        KmsProvider restored = new KmsProvider(now::get, null);
        restored.loadState(new ByteArrayInputStream(saved.toByteArray()), kms.stateVersion());

        assertEquals(describedBefore, restored.invoke(ctx, "DescribeKey", Map.of("KeyId", "alias/p")).get("KeyMetadata"));
        assertArrayEquals(bytes("persisted"), (byte[]) restored.invoke(ctx, "Decrypt",
                Map.of("CiphertextBlob", blob, "EncryptionContext", Map.of("c", "d"))).get("Plaintext"));
        assertEquals(true, restored.invoke(ctx, "VerifyMac", Map.of("KeyId", hmac, "Message", bytes("m"),
                "MacAlgorithm", "HMAC_SHA_256", "Mac", mac)).get("MacValid"));
        assertEquals(true, restored.invoke(ctx, "Verify", Map.of("KeyId", rsa, "Message", bytes("m"),
                "SigningAlgorithm", "RSASSA_PSS_SHA_256", "Signature", signature)).get("SignatureValid"));
        assertEquals(true, restored.invoke(ctx, "Verify", Map.of("KeyId", ed, "Message", bytes("m"),
                "SigningAlgorithm", "ED25519_SHA_512", "Signature", edSignature)).get("SignatureValid"));
        assertEquals(true, restored.invoke(ctx, "Verify", Map.of("KeyId", mlDsa, "Message", bytes("m"),
                "SigningAlgorithm", "ML_DSA_SHAKE_256", "Signature", mlSignature)).get("SignatureValid"));
        // the restored private keys still sign
        restored.invoke(ctx, "Sign", Map.of("KeyId", ed, "Message", bytes("n"), "SigningAlgorithm", "ED25519_SHA_512"));
        restored.invoke(ctx, "Sign", Map.of("KeyId", mlDsa, "Message", bytes("n"), "SigningAlgorithm", "ML_DSA_SHAKE_256"));
        assertEquals(call("ListResourceTags", "KeyId", sym), restored.invoke(ctx, "ListResourceTags", Map.of("KeyId", sym)));
        assertEquals(1, ((List<?>) restored.invoke(ctx, "ListGrants", Map.of("KeyId", sym)).get("Grants")).size());
        assertEquals(5, ((List<?>) restored.invoke(ctx, "ListKeys", Map.of()).get("Keys")).size());
        assertEquals(call("GetKeyRotationStatus", "KeyId", sym), restored.invoke(ctx, "GetKeyRotationStatus", Map.of("KeyId", sym)));

        restored.resetState();
        assertEquals(0, ((List<?>) restored.invoke(ctx, "ListKeys", Map.of()).get("Keys")).size());
    }

    private byte[] wrapForImport(String keyId, String algorithm, byte[] material) throws Exception {
        Map<String, Object> params = call("GetParametersForImport", "KeyId", keyId, "WrappingAlgorithm", algorithm, "WrappingKeySpec", "RSA_2048");
        PublicKey wrapping = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec((byte[]) params.get("PublicKey")));
        importToken = (byte[]) params.get("ImportToken");
        OAEPParameterSpec sha256 = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
        rsa.init(Cipher.ENCRYPT_MODE, wrapping, sha256);
        if (algorithm.equals("RSAES_OAEP_SHA_256")) return rsa.doFinal(material);
        byte[] aesKey = KmsCrypto.random(32);
        byte[] wrappedKey = rsa.doFinal(aesKey);
        Cipher kwp = Cipher.getInstance("AES/KWP/NoPadding");
        kwp.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"));
        byte[] wrappedMaterial = kwp.doFinal(material);
        byte[] out = new byte[wrappedKey.length + wrappedMaterial.length];
        System.arraycopy(wrappedKey, 0, out, 0, wrappedKey.length);
        System.arraycopy(wrappedMaterial, 0, out, wrappedKey.length, wrappedMaterial.length);
        return out;
    }

    private byte[] importToken;

    @Test
    void importedSymmetricMaterialIsReallyUsed() throws Exception {
        Map<String, Object> m = createKey("Origin", "EXTERNAL");
        String id = (String) m.get("KeyId");
        assertEquals("PendingImport", m.get("KeyState"));
        assertEquals(m.get("Arn") + " is pending import.", error("Encrypt", "KeyId", id, "Plaintext", bytes("x")).getMessage());
        String aws = (String) createKey().get("KeyId");
        assertEquals("UnsupportedOperationException", error("GetParametersForImport", "KeyId", aws,
                "WrappingAlgorithm", "RSAES_OAEP_SHA_256", "WrappingKeySpec", "RSA_2048").code());
        byte[] material = KmsCrypto.random(32);
        byte[] wrapped = wrapForImport(id, "RSAES_OAEP_SHA_256", material);
        assertEquals("A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES", error("ImportKeyMaterial",
                "KeyId", id, "ImportToken", importToken, "EncryptedKeyMaterial", wrapped, "ExpirationModel", "KEY_MATERIAL_EXPIRES").getMessage());
        call("ImportKeyMaterial", "KeyId", id, "ImportToken", importToken, "EncryptedKeyMaterial", wrapped,
                "ExpirationModel", "KEY_MATERIAL_DOES_NOT_EXPIRE");
        Map<String, Object> after = describe(id);
        assertEquals("Enabled", after.get("KeyState"));
        assertEquals("KEY_MATERIAL_DOES_NOT_EXPIRE", after.get("ExpirationModel"));
        // decrypt our envelope outside with the imported AES key: header | IV | GCM(ciphertext), header as AAD
        byte[] blob = (byte[]) call("Encrypt", "KeyId", id, "Plaintext", bytes("imported")).get("CiphertextBlob");
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(material, "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, blob, KmsCrypto.HEADER_LENGTH, KmsCrypto.IV_LENGTH));
        gcm.updateAAD(blob, 0, KmsCrypto.HEADER_LENGTH);
        int offset = KmsCrypto.HEADER_LENGTH + KmsCrypto.IV_LENGTH;
        assertArrayEquals(bytes("imported"), gcm.doFinal(blob, offset, blob.length - offset));

        call("DeleteImportedKeyMaterial", "KeyId", id);
        assertEquals("PendingImport", describe(id).get("KeyState"));
        assertEquals("KMSInvalidStateException", error("Decrypt", "CiphertextBlob", blob).code());
        // other material cannot replace it; the same material can come back
        byte[] other = wrapForImport(id, "RSA_AES_KEY_WRAP_SHA_256", KmsCrypto.random(32));
        assertEquals("IncorrectKeyMaterialException", error("ImportKeyMaterial", "KeyId", id, "ImportToken", importToken,
                "EncryptedKeyMaterial", other).code());
        byte[] again = wrapForImport(id, "RSA_AES_KEY_WRAP_SHA_256", material);
        call("ImportKeyMaterial", "KeyId", id, "ImportToken", importToken, "EncryptedKeyMaterial", again);
        assertArrayEquals(bytes("imported"), (byte[]) call("Decrypt", "CiphertextBlob", blob).get("Plaintext"));
    }

    @Test
    void importedEccKeySignsWithTheOutsidePrivateKey() throws Exception {
        String id = (String) createKey("Origin", "EXTERNAL", "KeySpec", "ECC_NIST_P256", "KeyUsage", "SIGN_VERIFY").get("KeyId");
        var pair = KmsCrypto.generateKeyPair(KmsKeySpec.ECC_NIST_P256);
        byte[] wrapped = wrapForImport(id, "RSA_AES_KEY_WRAP_SHA_256", pair.getPrivate().getEncoded());
        call("ImportKeyMaterial", "KeyId", id, "ImportToken", importToken, "EncryptedKeyMaterial", wrapped,
                "ExpirationModel", "KEY_MATERIAL_DOES_NOT_EXPIRE");
        assertArrayEquals(pair.getPublic().getEncoded(), (byte[]) call("GetPublicKey", "KeyId", id).get("PublicKey"));
        byte[] signature = (byte[]) call("Sign", "KeyId", id, "Message", bytes("m"), "SigningAlgorithm", "ECDSA_SHA_256").get("Signature");
        Signature v = Signature.getInstance("SHA256withECDSA");
        v.initVerify(pair.getPublic());
        v.update(bytes("m"));
        assertTrue(v.verify(signature));
        // a P-384 key does not fit a P-256 KMS key
        String p256 = (String) createKey("Origin", "EXTERNAL", "KeySpec", "ECC_NIST_P256", "KeyUsage", "SIGN_VERIFY").get("KeyId");
        byte[] wrong = wrapForImport(p256, "RSA_AES_KEY_WRAP_SHA_256", KmsCrypto.generateKeyPair(KmsKeySpec.ECC_NIST_P384).getPrivate().getEncoded());
        assertEquals("IncorrectKeyMaterialException", error("ImportKeyMaterial", "KeyId", p256, "ImportToken", importToken,
                "EncryptedKeyMaterial", wrong).code());
    }

    @Test
    void externalKeysRotateToNewImportedMaterial() throws Exception {
        String id = (String) createKey("Origin", "EXTERNAL").get("KeyId");
        byte[] first = wrapForImport(id, "RSAES_OAEP_SHA_256", KmsCrypto.random(32));
        call("ImportKeyMaterial", "KeyId", id, "ImportToken", importToken, "EncryptedKeyMaterial", first);
        String firstId = (String) describe(id).get("CurrentKeyMaterialId");
        byte[] blob = (byte[]) call("Encrypt", "KeyId", id, "Plaintext", bytes("x")).get("CiphertextBlob");
        assertEquals("KMSInvalidStateException", error("RotateKeyOnDemand", "KeyId", id).code());
        byte[] second = wrapForImport(id, "RSAES_OAEP_SHA_256", KmsCrypto.random(32));
        String secondId = (String) call("ImportKeyMaterial", "KeyId", id, "ImportToken", importToken, "EncryptedKeyMaterial", second,
                "ImportType", "NEW_KEY_MATERIAL").get("KeyMaterialId");
        assertEquals(firstId, describe(id).get("CurrentKeyMaterialId"));
        call("RotateKeyOnDemand", "KeyId", id);
        assertEquals(secondId, describe(id).get("CurrentKeyMaterialId"));
        assertArrayEquals(bytes("x"), (byte[]) call("Decrypt", "CiphertextBlob", blob).get("Plaintext"));
    }

    @Test
    void concurrentUseDuringRotationLosesNothing() throws Exception {
        String id = (String) createKey().get("KeyId");
        call("EnableKeyRotation", "KeyId", id);
        int threads = 8;
        int perThread = 150;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads + 1);
        try {
            var rotator = pool.submit(() -> {
                for (int i = 0; i < 10; i++) call("RotateKeyOnDemand", "KeyId", id);
                return null;
            });
            List<java.util.concurrent.Future<Integer>> workers = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int worker = t;
                workers.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < perThread; i++) {
                        byte[] plain = bytes(worker + ":" + i);
                        Map<String, String> context = Map.of("w", Integer.toString(worker));
                        byte[] blob = (byte[]) call("Encrypt", "KeyId", id, "Plaintext", plain, "EncryptionContext", context).get("CiphertextBlob");
                        byte[] back = (byte[]) call("Decrypt", "CiphertextBlob", blob, "EncryptionContext", context).get("Plaintext");
                        if (java.util.Arrays.equals(plain, back)) ok++;
                    }
                    return ok;
                }));
            }
            rotator.get();
            for (var w : workers) assertEquals(perThread, w.get());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(10, ((List<?>) call("ListKeyRotations", "KeyId", id).get("Rotations")).size());
    }

    @Test
    void unknownOperationIsUnsupported() {
        assertThrows(UnsupportedOperationException.class, () -> call("CreateCustomKeyStore"));
    }
}
