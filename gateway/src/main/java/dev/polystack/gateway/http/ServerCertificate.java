package dev.polystack.gateway.http;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The TLS certificate of the HTTPS listener ({@code USE_SSL=1}), kept as one PEM file (certificate, then private
 * key) like LocalStack's {@code <cache>/server.test.pem}: read when present (put your own there), else a self-signed
 * one is made with Bouncy Castle for localhost, {@code localhost.localstack.cloud} and its subdomains, and saved.
 * PEM, not PKCS12: a PKCS12 keystore took seconds to load at start here (ARCHITECTURE §3). The key is an EC P-256
 * key: generating one takes milliseconds, an RSA key far longer.
 *
 * @param key   the private key
 * @param chain the certificate chain, the server's own first
 */
public record ServerCertificate(PrivateKey key, List<X509Certificate> chain) {
    static final List<String> DNS_NAMES = List.of("localhost", "localhost.localstack.cloud", "*.localhost.localstack.cloud",
            "*.s3.localhost.localstack.cloud");
    private static final Duration VALIDITY = Duration.ofDays(730);

    /** The certificate in {@code pemFile}, or a new self-signed one written there. */
    public static ServerCertificate loadOrCreate(Path pemFile) {
        try {
            if (Files.isRegularFile(pemFile)) return read(pemFile);
            ServerCertificate created = selfSigned();
            created.write(pemFile);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("TLS certificate " + pemFile + ": " + e.getMessage(), e);
        }
    }

    /** A new self-signed certificate. */
    public static ServerCertificate selfSigned() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=localhost.localstack.cloud,O=Polystack");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
            List<GeneralName> names = new ArrayList<>();
            for (String dns : DNS_NAMES) names.add(new GeneralName(GeneralName.dNSName, dns));
            names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            names.add(new GeneralName(GeneralName.iPAddress, "::1"));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new ServerCertificate(pair.getPrivate(), List.of(certificate));
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot create a self-signed TLS certificate", e);
        }
    }

    /** Certificates and one private key (PKCS#8 or traditional OpenSSL form) from a PEM file, in any order. */
    static ServerCertificate read(Path pemFile) throws IOException {
        PrivateKey key = null;
        List<X509Certificate> chain = new ArrayList<>();
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
        JcaX509CertificateConverter certificates = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(pemFile, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            Object item;
            while ((item = parser.readObject()) != null) {
                if (item instanceof X509CertificateHolder holder) chain.add(certificates.getCertificate(holder));
                else if (item instanceof PrivateKeyInfo info) key = keys.getPrivateKey(info);
                else if (item instanceof PEMKeyPair pair) key = keys.getKeyPair(pair).getPrivate();
            }
        } catch (java.security.cert.CertificateException e) {
            throw new IOException("unreadable certificate: " + e.getMessage(), e);
        }
        if (key == null || chain.isEmpty()) throw new IOException("needs a certificate and a private key in PEM form");
        return new ServerCertificate(key, List.copyOf(chain));
    }

    /** Writes the certificate chain and the key (PKCS#8) to one PEM file, readable by its owner only where possible. */
    void write(Path pemFile) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            for (X509Certificate c : chain) pem.writeObject(c);
            pem.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
        }
        Files.createDirectories(pemFile.toAbsolutePath().getParent());
        Path tmp = pemFile.resolveSibling(pemFile.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.writeString(tmp, text.toString(), StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        Files.move(tmp, pemFile, StandardCopyOption.REPLACE_EXISTING);
    }
}
