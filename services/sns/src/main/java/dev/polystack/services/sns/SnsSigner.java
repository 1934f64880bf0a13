package dev.polystack.services.sns;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;

/**
 * Signs SNS messages the way AWS does (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA over the
 * documented "Key\nValue\n" string) with a key pair made on first use, and serves the matching
 * self-signed certificate so subscribers can verify what they receive.
 */
final class SnsSigner {
    /** One key pair per JVM: generating RSA keys takes seconds on a busy machine. */
    static final SnsSigner SHARED = new SnsSigner();

    private volatile Material material;
    private volatile boolean warming;

    /** Starts making the key pair in the background (called when the first topic appears). */
    void warmUp() {
        if (material != null || warming) return;
        warming = true;
        Thread.ofVirtual().name("sns-signing-key").start(this::material);
    }

    private record Material(KeyPair keys, String certificatePem, String certificateName) {
    }

    private Material material() {
        Material m = material;
        if (m == null) {
            synchronized (this) {
                m = material;
                if (m == null) material = m = create();
            }
        }
        return m;
    }

    private static Material create() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=sns.amazonaws.com");
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), subject, keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
            byte[] der = holder.getEncoded();
            StringWriter pem = new StringWriter();
            pem.write("-----BEGIN CERTIFICATE-----\n");
            pem.write(Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der));
            pem.write("\n-----END CERTIFICATE-----\n");
            String name = "SimpleNotificationService-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der), 0, 16) + ".pem";
            return new Material(keys, pem.toString(), name);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the SNS signing certificate", e);
        }
    }

    /** The file name in SigningCertURL. */
    String certificateName() {
        return material().certificateName();
    }

    String certificatePem() {
        return material().certificatePem();
    }

    /** Base64 signature of {@code canonical} for SignatureVersion "1" or "2". */
    String sign(String canonical, String signatureVersion) {
        try {
            Signature s = Signature.getInstance("2".equals(signatureVersion) ? "SHA256withRSA" : "SHA1withRSA");
            s.initSign(material().keys().getPrivate());
            s.update(canonical.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
