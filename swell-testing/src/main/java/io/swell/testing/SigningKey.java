package io.swell.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/** An RSA 2048 key with a self-signed certificate, made by the JDK's keytool. */
final class SigningKey {

    private static final String ALIAS = "swell-token";
    // The keystore lives only in a temp dir owned by the test run, so a fixed password is enough.
    private static final String STORE_PASSWORD = "swell-test";

    private final PrivateKey privateKey;
    private final X509Certificate certificate;

    private SigningKey(PrivateKey privateKey, X509Certificate certificate) {
        this.privateKey = privateKey;
        this.certificate = certificate;
    }

    /**
     * Generates the key into a PKCS12 keystore under {@code dir}.
     *
     * <p>keytool adds no ExtendedKeyUsage, which matters: distribution verifies the token's x5c
     * chain with Go's default ServerAuth usage, and a certificate limited to other usages fails.
     */
    static SigningKey generate(Path dir, String commonName) {
        Path keystore = dir.resolve("token-signing.p12");
        ToolCommand.run(Duration.ofSeconds(60), List.of(keytool().toString(),
                "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048",
                "-sigalg", "SHA256withRSA", "-dname", "CN=" + commonName,
                // Starting a day early keeps small clock differences from making it "not yet valid".
                "-startdate", "-1d", "-validity", "7",
                "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD));
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, STORE_PASSWORD.toCharArray());
            PrivateKey key = (PrivateKey) store.getKey(ALIAS, STORE_PASSWORD.toCharArray());
            X509Certificate cert = (X509Certificate) store.getCertificate(ALIAS);
            return new SigningKey(key, cert);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load " + keystore, e);
        }
    }

    /** Writes the certificate as PEM, the form distribution's {@code rootcertbundle} reads. */
    void writeCertificatePem(Path file) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificateDer());
        String pem = "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        try {
            Files.writeString(file, pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] certificateDer() {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs {@code data} with RSASSA-PKCS1-v1_5 over SHA-256, the JWS "RS256" algorithm. */
    byte[] signRs256(byte[] data) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(privateKey);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Finds keytool next to the running JVM, falling back to the JVM's own executable path. */
    private static Path keytool() {
        Path fromHome = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (Files.isExecutable(fromHome)) {
            return fromHome;
        }
        return ProcessHandle.current().info().command()
                .map(java -> Path.of(java).resolveSibling("keytool"))
                .filter(Files::isExecutable)
                .orElseThrow(() -> new IllegalStateException("no keytool next to " + fromHome));
    }
}
