package dev.polystack.services.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import dev.polystack.api.ServiceException;
import dev.polystack.services.kms.api.RecipientInfo;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;

/**
 * {@code Recipient} on Decrypt, GenerateDataKey, GenerateDataKeyPair and GenerateRandom (AWS Nitro Enclaves): instead
 * of the plaintext, AWS answers {@code CiphertextForRecipient}, the plaintext enveloped to the public key in the
 * enclave's attestation document: CMS (PKCS #7) EnvelopedData, AES-256-CBC content encryption, the content key
 * transported with RSAES-OAEP-SHA-256. The attestation document is a COSE_Sign1 structure (a CBOR array whose third
 * element is the CBOR payload with the enclave's {@code public_key}, DER SubjectPublicKeyInfo); its signature and
 * measurements are not checked here, no more than LocalStack does.
 */
final class KmsRecipient {
    private static final CBORMapper CBOR = new CBORMapper();

    private KmsRecipient() {
    }

    /** The recipient's public key, or null when the request names no recipient. */
    static PublicKey of(RecipientInfo recipient) {
        if (recipient == null) return null;
        String algorithm = recipient.keyEncryptionAlgorithmAsString();
        if (algorithm != null && !"RSAES_OAEP_SHA_256".equals(algorithm)) {
            throw new ServiceException("ValidationException", "1 validation error detected: Value '" + algorithm
                    + "' at 'recipient.keyEncryptionAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [RSAES_OAEP_SHA_256]");
        }
        byte[] document = recipient.attestationDocument();
        if (document == null || document.length == 0) {
            throw new ServiceException("ValidationException", "The attestation document is missing.");
        }
        return publicKeyOf(document);
    }

    /** The {@code public_key} of a COSE_Sign1 attestation document. */
    static PublicKey publicKeyOf(byte[] attestationDocument) {
        try {
            JsonNode cose = CBOR.readTree(attestationDocument);
            JsonNode payload = cose != null && cose.isArray() && cose.size() >= 3 ? cose.get(2) : null;
            if (payload == null || !payload.isBinary()) throw invalid();
            JsonNode attestation = CBOR.readTree(payload.binaryValue());
            JsonNode key = attestation == null ? null : attestation.get("public_key");
            if (key == null || !key.isBinary()) throw invalid();
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(key.binaryValue()));
        } catch (IOException | GeneralSecurityException e) {
            throw invalid();
        }
    }

    private static ServiceException invalid() {
        return new ServiceException("ValidationException", "The attestation document is not valid.");
    }

    /** {@code plaintext} as CMS EnvelopedData for {@code recipient} (DER). */
    static byte[] envelope(byte[] plaintext, PublicKey recipient) {
        try {
            AlgorithmIdentifier sha256 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE);
            AlgorithmIdentifier oaep = new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP, new RSAESOAEPparams(
                    sha256, new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, sha256), RSAESOAEPparams.DEFAULT_P_SOURCE_ALGORITHM));
            CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
            generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(new byte[20], oaep, recipient)
                    .setProvider(KmsCrypto.BC));
            return generator.generate(new CMSProcessableByteArray(plaintext),
                    new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).setProvider(KmsCrypto.BC).build())
                    .toASN1Structure().getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
        } catch (CMSException | IOException e) {
            throw new IllegalStateException("cannot envelope for the recipient", e);
        }
    }
}
