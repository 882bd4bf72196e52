package io.swell.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import io.swell.oci.Digest;
import io.swell.oci.ImageRef;
import io.swell.testing.LocalRegistry;
import io.swell.testing.TokenIssuer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The push side of {@link RegistryClient} against Debian's docker-registry: open, HTTP Basic and token auth. */
class RegistryPushTest {
    private static final String USER = "pusher";
    private static final String PASSWORD = "push-Pw1";

    private static LocalRegistry open;
    private static LocalRegistry basic;
    private static TokenIssuer issuer;
    private static LocalRegistry token;
    private static HttpClient http;
    private static RegistryClient client;

    @BeforeAll
    static void start() throws Exception {
        open = LocalRegistry.open();
        basic = LocalRegistry.withBasicAuth(USER, PASSWORD);
        issuer = new TokenIssuer(USER, PASSWORD);
        token = LocalRegistry.withTokenAuth(issuer);
        http = new HttpClient();
        http.start();
        Set<String> withCredentials = Set.of(basic.hostPort(), token.hostPort());
        client = new RegistryClient(http, new RegistryEndpoints(Set.of()), host -> withCredentials.contains(host)
                ? Optional.of(new RegistryCredentials(USER, PASSWORD)) : Optional.empty());
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {http::stop, open, basic, token, issuer}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void pushedBlobExistsAndReadsBackOnEveryKindOfRegistry() {
        for (LocalRegistry registry : new LocalRegistry[] {open, basic, token}) {
            ImageRef repo = ImageRef.parse(registry.hostPort() + "/push/plain:1");
            byte[] bytes = random(300_000);
            Digest digest = Digest.sha256(bytes);

            assertThat(client.blobExists(repo, digest)).isFalse();
            client.pushBlob(repo, digest, bytes.length, new ByteArrayInputStream(bytes));

            assertThat(client.blobExists(repo, digest)).as(registry.toString()).isTrue();
            assertThat(client.getBlobBytes(repo, digest, 1 << 20)).isEqualTo(bytes);
        }
    }

    @Test
    void emptyBlobIsPushed() {
        ImageRef repo = ImageRef.parse(basic.hostPort() + "/push/empty:1");
        Digest digest = Digest.sha256(new byte[0]);
        client.pushBlob(repo, digest, 0, InputStream.nullInputStream());
        assertThat(client.blobExists(repo, digest)).isTrue();
    }

    @Test
    void contentOfAnotherDigestIsRefusedAndNeverStored() {
        ImageRef repo = ImageRef.parse(basic.hostPort() + "/push/wrong:1");
        byte[] bytes = random(500_000);
        Digest claimed = Digest.sha256(bytes);
        byte[] tampered = bytes.clone();
        tampered[250_000] ^= 1;

        assertThatThrownBy(() -> client.pushBlob(repo, claimed, bytes.length, new ByteArrayInputStream(tampered)))
                .isInstanceOfSatisfying(SwellException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_INVALID))
                .hasMessageContaining("has digest " + Digest.sha256(tampered));
        assertThat(client.blobExists(repo, claimed)).isFalse();
        assertThat(client.blobExists(repo, Digest.sha256(tampered))).isFalse();
    }

    @Test
    void contentShorterOrLongerThanItsSizeIsRefused() {
        ImageRef repo = ImageRef.parse(open.hostPort() + "/push/size:1");
        byte[] bytes = random(10_000);
        Digest digest = Digest.sha256(bytes);

        assertThatThrownBy(() -> client.pushBlob(repo, digest, bytes.length + 1L, new ByteArrayInputStream(bytes)))
                .isInstanceOfSatisfying(SwellException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_INVALID))
                .hasMessageContaining("ended after 10000 of 10001 bytes");
        assertThatThrownBy(() -> client.pushBlob(repo, digest, bytes.length - 1L, new ByteArrayInputStream(bytes)))
                .isInstanceOfSatisfying(SwellException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_INVALID));
        assertThat(client.blobExists(repo, digest)).isFalse();
    }

    @Test
    void mountLinksABlobOfAnotherRepositoryAndDeclinesAnUnknownOne() {
        for (LocalRegistry registry : new LocalRegistry[] {open, basic, token}) {
            ImageRef from = ImageRef.parse(registry.hostPort() + "/mount/source:1");
            ImageRef to = ImageRef.parse(registry.hostPort() + "/mount/target:1");
            byte[] bytes = random(50_000);
            Digest digest = Digest.sha256(bytes);
            client.pushBlob(from, digest, bytes.length, new ByteArrayInputStream(bytes));

            assertThat(client.mountBlob(to, Digest.sha256(random(10)), from.repository()))
                    .as("unknown blob on " + registry).isFalse();
            assertThat(client.mountBlob(to, digest, from.repository())).as(registry.toString()).isTrue();
            assertThat(client.blobExists(to, digest)).isTrue();
        }
    }

    @Test
    void pushWithoutCredentialsIsUnauthorized() {
        RegistryClient anonymous = new RegistryClient(http, new RegistryEndpoints(Set.of()), CredentialsProvider.NONE);
        byte[] bytes = random(100);
        for (LocalRegistry registry : new LocalRegistry[] {basic, token}) {
            ImageRef repo = ImageRef.parse(registry.hostPort() + "/push/anon:1");
            assertThatThrownBy(() -> anonymous.pushBlob(repo, Digest.sha256(bytes), bytes.length,
                    new ByteArrayInputStream(bytes)))
                    .isInstanceOfSatisfying(SwellException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
        }
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random().nextBytes(bytes);
        return bytes;
    }
}
