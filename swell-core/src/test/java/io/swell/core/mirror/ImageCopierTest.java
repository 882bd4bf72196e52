package io.swell.core.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import io.swell.oci.Digest;
import io.swell.oci.ImageRef;
import io.swell.registry.RegistryClient;
import io.swell.registry.RegistryCredentials;
import io.swell.registry.RegistryEndpoints;
import io.swell.testing.BuiltImage;
import io.swell.testing.LocalRegistry;
import io.swell.testing.Skopeo;
import io.swell.testing.TestImages;
import io.swell.testing.TokenIssuer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ImageCopier} between real registries (Debian's docker-registry): an open source, an HTTP Basic target and
 * a token-auth target; skopeo checks what the targets serve.
 */
@Tag("slow")
class ImageCopierTest {
    private static final String USER = "mirror";
    private static final String PASSWORD = "mirror-Pw1";
    private static final String CREDS = USER + ":" + PASSWORD;

    @TempDir
    static Path tmp;

    private static LocalRegistry source;
    private static LocalRegistry basic;
    private static TokenIssuer issuer;
    private static LocalRegistry token;
    private static HttpClient http;
    private static RegistryClient registry;
    private static ImageCopier copier;
    private static BuiltImage multiArch;
    private static ImageRef multiArchRef;

    @BeforeAll
    static void start() throws Exception {
        source = LocalRegistry.open();
        basic = LocalRegistry.withBasicAuth(USER, PASSWORD);
        issuer = new TokenIssuer(USER, PASSWORD);
        token = LocalRegistry.withTokenAuth(issuer);
        multiArch = TestImages.multiArchLayout(tmp.resolve("multi"), "1");
        TestImages.push(multiArch, source.hostPort() + "/lib/busybox:1", null);
        multiArchRef = ImageRef.parse(source.hostPort() + "/lib/busybox:1");
        http = new HttpClient();
        http.start();
        Set<String> secured = Set.of(basic.hostPort(), token.hostPort());
        registry = new RegistryClient(http, new RegistryEndpoints(Set.of()), host -> secured.contains(host)
                ? Optional.of(new RegistryCredentials(USER, PASSWORD)) : Optional.empty());
        copier = new ImageCopier(registry);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {http::stop, source, basic, token, issuer}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void indexIsCopiedWithEveryPlatformAndTheSameDigests() {
        ImageRef target = ImageRef.parse(basic.hostPort() + "/mirror/busybox:1");
        List<String> log = new CopyOnWriteArrayList<>();

        CopyResult result = copier.copy(multiArchRef, target, log::add);

        assertThat(result.digest()).isEqualTo(multiArch.manifestDigest());
        assertThat(result.blobsCopied()).isEqualTo(4);
        assertThat(result.blobsSkipped() + result.blobsMounted()).isZero();
        assertThat(result.bytesCopied()).isPositive();
        String raw = Skopeo.inspectRaw(target.toString(), false, CREDS);
        assertThat(Digest.sha256(raw.getBytes(StandardCharsets.UTF_8)).toString())
                .isEqualTo(multiArch.manifestDigest());
        for (BuiltImage platform : multiArch.platforms().values()) {
            String byDigest = basic.hostPort() + "/" + target.repository() + "@" + platform.manifestDigest();
            String child = Skopeo.inspectRaw(byDigest, false, CREDS);
            assertThat(Digest.sha256(child.getBytes(StandardCharsets.UTF_8)).toString())
                    .isEqualTo(platform.manifestDigest());
        }
        String arm64 = multiArch.platforms().get("linux/arm64/v8").manifestDigest();
        assertThat(log).hasSize(4 + 3 + 1)
                .anyMatch(l -> l.startsWith("manifest " + arm64 + " (linux/arm64/v8, "))
                .anyMatch(l -> l.startsWith("index " + multiArch.manifestDigest()) && l.endsWith("as " + target));
    }

    @Test
    void secondCopySkipsEveryBlob() {
        ImageRef target = ImageRef.parse(basic.hostPort() + "/mirror/again:1");
        copier.copy(multiArchRef, target, CopyLog.NONE);

        CopyResult again = copier.copy(multiArchRef, target.withReference("2"), CopyLog.NONE);

        assertThat(again.blobsSkipped()).isEqualTo(4);
        assertThat(again.blobsCopied() + again.blobsMounted()).isZero();
        assertThat(again.bytesCopied()).isZero();
        assertThat(registry.getManifest(target.withReference("2")).digest().toString())
                .isEqualTo(multiArch.manifestDigest());
    }

    @Test
    void copyInsideOneRegistryMountsInsteadOfCopying() {
        ImageRef target = ImageRef.parse(source.hostPort() + "/other/busybox:1");

        CopyResult result = copier.copy(multiArchRef, target, CopyLog.NONE);

        assertThat(result.blobsMounted()).isEqualTo(4);
        assertThat(result.bytesCopied()).isZero();
        assertThat(registry.getManifest(target).digest().toString()).isEqualTo(multiArch.manifestDigest());
    }

    @Test
    void tokenAuthRegistryIsATargetAndMountsWithATwoScopeToken() {
        ImageRef first = ImageRef.parse(token.hostPort() + "/mirror/busybox:1");
        ImageRef second = ImageRef.parse(token.hostPort() + "/mirror/copy:1");

        CopyResult copied = copier.copy(multiArchRef, first, CopyLog.NONE);
        CopyResult mounted = copier.copy(first, second, CopyLog.NONE);

        assertThat(copied.blobsCopied()).isEqualTo(4);
        assertThat(mounted.blobsMounted()).isEqualTo(4);
        assertThat(mounted.bytesCopied()).isZero();
        String raw = Skopeo.inspectRaw(second.toString(), false, CREDS);
        assertThat(Digest.sha256(raw.getBytes(StandardCharsets.UTF_8)).toString())
                .isEqualTo(multiArch.manifestDigest());
    }

    @Test
    void byDigestSourceAndLargeLayerAreCopiedFromTheBasicRegistryToTheTokenOne() {
        BuiltImage big = TestImages.randomBlobImageLayout(tmp.resolve("big"), "1", 8L << 20);
        TestImages.push(big, basic.hostPort() + "/lib/big:1", CREDS);
        ImageRef from = ImageRef.parse(basic.hostPort() + "/lib/big@" + big.manifestDigest());
        ImageRef to = ImageRef.parse(token.hostPort() + "/mirror/big:1");

        CopyResult result = copier.copy(from, to, CopyLog.NONE);

        assertThat(result.blobsCopied()).isEqualTo(2);
        assertThat(result.bytesCopied()).isGreaterThan(8L << 20);
        assertThat(registry.getManifest(to).digest().toString()).isEqualTo(big.manifestDigest());
    }

    @Test
    void corruptedSourceBlobFailsTheCopyAndNoManifestReachesTheTarget() throws IOException {
        BuiltImage image = TestImages.randomBlobImageLayout(tmp.resolve("corrupt"), "1", 1L << 20);
        TestImages.push(image, source.hostPort() + "/lib/corrupt:1", null);
        String layer = image.layerDigests().getFirst();
        flipOneByte(source.storageDir().resolve("docker/registry/v2/blobs/sha256/" + layer.substring(7, 9) + "/"
                + layer.substring(7) + "/data"));
        ImageRef target = ImageRef.parse(basic.hostPort() + "/mirror/corrupt:1");

        assertThatThrownBy(() -> copier.copy(ImageRef.parse(source.hostPort() + "/lib/corrupt:1"), target,
                CopyLog.NONE))
                .isInstanceOfSatisfying(SwellException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_INVALID))
                .hasMessageContaining(layer);
        assertThatThrownBy(() -> registry.getManifest(target))
                .isInstanceOfSatisfying(SwellException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_UNKNOWN));
        assertThat(registry.blobExists(target, Digest.parse(layer))).isFalse();
    }

    @Test
    void targetDigestOtherThanTheSourcesIsRefused() {
        ImageRef target = ImageRef.parse(basic.hostPort() + "/mirror/wrong@" + Digest.sha256(new byte[1]));
        assertThatThrownBy(() -> copier.copy(multiArchRef, target, CopyLog.NONE))
                .isInstanceOfSatisfying(SwellException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    private static void flipOneByte(Path file) throws IOException {
        assertThat(file).isRegularFile();
        long middle = Files.size(file) / 2;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(middle);
            int b = raf.read();
            raf.seek(middle);
            raf.write(b ^ 0xff);
        }
    }
}
