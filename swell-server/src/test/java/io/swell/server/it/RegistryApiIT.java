package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.testing.BuiltImage;
import io.swell.testing.LocalRegistry;
import io.swell.testing.TestImages;
import io.swell.testing.ToolCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code /v2} registry surface as a registry client sees it: version check, error codes and bodies, HEAD,
 * ranges, read-only methods, plain pass-through paths, and revocation (expiry is in {@link ExpiryIT}).
 */
class RegistryApiIT {

    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "admin-Pw-1";
    private static final String UNKNOWN_DIGEST = LayerTarball.sha256("nothing has this digest".getBytes());

    @TempDir
    static Path tmp;

    private static LocalRegistry registry;
    private static SwellInstance swell;
    private static BuiltImage image;
    private static BuiltImage secret;
    private static String source;
    private static LayerTarball hello;

    @BeforeAll
    static void start() {
        registry = LocalRegistry.open();
        image = TestImages.singleArchLayout(tmp.resolve("image"), "1", Map.of());
        source = registry.hostPort() + "/lib/busybox:1";
        TestImages.push(image, source, null);
        secret = TestImages.singleArchLayout(tmp.resolve("secret"), "1",
                Map.of("/secret.txt", "only for lib/secret\n".getBytes(StandardCharsets.UTF_8)));
        TestImages.push(secret, registry.hostPort() + "/lib/secret:1", null);
        hello = LayerTarball.ofTextFiles(Map.of("/hello.txt", "hello\n"));
        swell = SwellInstance.start(tmp.resolve("swell"), """
                accounts:
                  %s: %s
                """.formatted(ADMIN, LayerTarball.sha256(ADMIN_PASSWORD.getBytes(StandardCharsets.UTF_8))
                .substring("sha256:".length())));
    }

    @AfterAll
    static void stop() {
        Fixtures.closeAll(swell, registry);
    }

    @Test
    void versionCheckAnswersWithoutAuthentication() {
        Http.Answer answer = Http.get(swell.uri("/v2/"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
        assertThat(answer.header("WWW-Authenticate")).isNull();
        assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void unknownTokenIs404NotFound() {
        for (String path : new String[] {"/v2/wt/0123456789ab/lib/busybox/manifests/1",
                "/v2/wt/0123456789ab/lib/busybox/blobs/" + image.layerDigests().get(0)}) {
            Http.Answer answer = Http.get(swell.uri(path));

            assertThat(answer.status()).as("%s: %s", path, answer).isEqualTo(404);
            assertThat(answer.registryErrorCode()).isEqualTo("NOT_FOUND");
            assertThat(answer.header("Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
        }
    }

    @Test
    void aTokenOnlyOpensItsOwnRepository() {
        TargetImage target = augmented();

        Http.Answer answer = Http.get(swell.uri("/v2/wt/" + target.token() + "/lib/other/manifests/1"));

        assertThat(answer.status()).as("%s", answer).isEqualTo(404);
    }

    @Test
    void revokingNeedsAnAdminAndEndsPulls() {
        TargetImage target = augmented();
        String path = "/container-token/" + target.token();

        Http.Answer anonymous = Http.send("DELETE", swell.uri(path), null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Basic");
        Http.Answer wrongPassword = Http.send("DELETE", swell.uri(path), null, "Authorization",
                basic(ADMIN, "wrong"));
        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(Http.get(swell.uri(target.manifestPath("1"))).status()).as("still open").isEqualTo(200);

        Http.Answer admin = Http.send("DELETE", swell.uri(path), null, "Authorization",
                basic(ADMIN, ADMIN_PASSWORD));
        assertThat(admin.status()).as("%s", admin).isEqualTo(200);

        Http.Answer pull = Http.get(swell.uri(target.manifestPath("1")));
        assertThat(pull.status()).isEqualTo(404);
        assertThat(pull.registryErrorCode()).isEqualTo("NOT_FOUND");
        assertThat(Http.get(swell.uri(target.blobPath(hello.gzipDigest()))).status()).isEqualTo(404);
    }

    @Test
    void revokingAnUnknownTokenIs404() {
        Http.Answer answer = Http.send("DELETE", swell.uri("/container-token/0123456789ab"), null,
                "Authorization", basic(ADMIN, ADMIN_PASSWORD));

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.message()).isNotBlank();
    }

    @Test
    void revokingARevokedTokenIs404() {
        TargetImage target = augmented();
        String path = "/container-token/" + target.token();
        assertThat(Http.send("DELETE", swell.uri(path), null, "Authorization", basic(ADMIN, ADMIN_PASSWORD))
                .status()).isEqualTo(200);

        Http.Answer again = Http.send("DELETE", swell.uri(path), null, "Authorization", basic(ADMIN, ADMIN_PASSWORD));

        assertThat(again.status()).isEqualTo(404);
    }

    @Test
    void headOfAManifestHasTheHeadersOfTheGetAndNoBody() {
        TargetImage target = augmented();
        // HEAD first, as docker and containerd do: it must resolve and augment on its own.
        Http.Answer head = Http.head(swell.uri(target.manifestPath("1")), "Accept", Http.ACCEPT_MANIFESTS);

        Http.Answer get = Http.get(swell.uri(target.manifestPath("1")), "Accept", Http.ACCEPT_MANIFESTS);

        assertThat(head.status()).as("%s", head).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(get.body().length));
        assertThat(head.header("Content-Type")).isEqualTo(get.header("Content-Type")).isNotBlank();
        assertThat(head.header("Docker-Content-Digest")).isEqualTo(get.header("Docker-Content-Digest"))
                .isEqualTo(LayerTarball.sha256(get.body()));
    }

    @Test
    void twoTokensForOneImageServeTheirOwnChanges() {
        TargetImage one = requestWithEnv("WHO=one");
        TargetImage two = requestWithEnv("WHO=two");

        Http.Answer first = Http.get(swell.uri(one.manifestPath("1")), "Accept", Http.ACCEPT_MANIFESTS);
        Http.Answer second = Http.get(swell.uri(two.manifestPath("1")), "Accept", Http.ACCEPT_MANIFESTS);

        assertThat(first.header("Docker-Content-Digest")).isNotEqualTo(second.header("Docker-Content-Digest"));
        assertThat(envOf(one, first)).contains("WHO=one").doesNotContain("WHO=two");
        assertThat(envOf(two, second)).contains("WHO=two").doesNotContain("WHO=one");
    }

    @Test
    void anAddedLayerIsServedWholeAndByRange() {
        TargetImage target = augmented();

        Http.Answer whole = Http.get(swell.uri(target.blobPath(hello.gzipDigest())));
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(hello.gzip());
        assertThat(whole.header("Docker-Content-Digest")).isEqualTo(hello.gzipDigest());

        Http.Answer range = Http.get(swell.uri(target.blobPath(hello.gzipDigest())), "Range", "bytes=10-19");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.header("Content-Range")).isEqualTo("bytes 10-19/" + hello.gzipSize());
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(hello.gzip(), 10, 20));

        Http.Answer head = Http.head(swell.uri(target.blobPath(hello.gzipDigest())));
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo(Long.toString(hello.gzipSize()));
        assertThat(head.body()).isEmpty();

        Http.Answer beyond = Http.get(swell.uri(target.blobPath(hello.gzipDigest())), "Range", "bytes=100000-100010");
        assertThat(beyond.status()).isEqualTo(416);
    }

    @Test
    void anUpstreamBlobIsServedByRange() throws IOException {
        TargetImage target = augmented();
        String digest = image.layerDigests().get(0);
        byte[] blob = Files.readAllBytes(image.layout().resolve("blobs/sha256").resolve(digest.substring(7)));

        Http.Answer range = Http.get(swell.uri(target.blobPath(digest)), "Range", "bytes=10-19");

        assertThat(range.status()).as("%s", range).isEqualTo(206);
        assertThat(range.header("Content-Range")).isEqualTo("bytes 10-19/" + blob.length);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(blob, 10, 20));

        Http.Answer head = Http.head(swell.uri(target.blobPath(digest)));
        assertThat(head.status()).as("%s", head).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(blob.length));
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aTokenDoesNotOpenBlobsOfOtherRepositories() {
        // The secret layer reaches Swell's blob cache through a plain path of its own repository first.
        String secretLayer = secret.layerDigests().get(1);
        Http.Answer own = Http.get(swell.uri("/v2/" + registry.hostPort() + "/lib/secret/blobs/" + secretLayer));
        assertThat(own.status()).as("%s", own).isEqualTo(200);
        assertThat(LayerTarball.sha256(own.body())).isEqualTo(secretLayer);

        Http.Answer other = Http.get(swell.uri(augmented().blobPath(secretLayer)));

        assertThat(other.status()).as("%s", other).isEqualTo(404);
        assertThat(other.registryErrorCode()).isEqualTo("BLOB_UNKNOWN");
    }

    @Test
    void unknownBlobIs404BlobUnknown() {
        Http.Answer answer = Http.get(swell.uri(augmented().blobPath(UNKNOWN_DIGEST)));

        assertThat(answer.status()).as("%s", answer).isEqualTo(404);
        assertThat(answer.registryErrorCode()).isEqualTo("BLOB_UNKNOWN");
    }

    @Test
    void unknownTagIs404ManifestUnknown() {
        Http.Answer answer = Http.get(swell.uri(augmented().manifestPath("no-such-tag")), "Accept",
                Http.ACCEPT_MANIFESTS);

        assertThat(answer.status()).as("%s", answer).isEqualTo(404);
        assertThat(answer.registryErrorCode()).isEqualTo("MANIFEST_UNKNOWN");
    }

    @Test
    void writesAre405() {
        TargetImage target = augmented();
        Http.Answer put = Http.send("PUT", swell.uri(target.manifestPath("1")), "{}",
                "Content-Type", TestImages.OCI_MANIFEST);
        Http.Answer upload = Http.send("POST", swell.uri("/v2/" + target.repository() + "/blobs/uploads/"), "");
        Http.Answer delete = Http.send("DELETE", swell.uri(target.manifestPath("1")), null);

        for (Http.Answer answer : new Http.Answer[] {put, upload, delete}) {
            assertThat(answer.status()).as("%s", answer).isEqualTo(405);
            assertThat(answer.registryErrorCode()).isNotBlank();
        }
        // the PUT's body was never read: the connection must not be reused (the next request on it would fail)
        String closed = ToolCommand.run(Duration.ofSeconds(30), List.of("curl", "-s", "-i", "-X", "PUT",
                "--data-binary", "{}", swell.uri(target.manifestPath("1")).toString()));
        assertThat(closed).containsIgnoringCase("connection: close").contains("405");
        assertThat(Http.get(swell.uri(target.manifestPath("1"))).status()).as("nothing changed").isEqualTo(200);
    }

    @Test
    void plainPathsPassTheUpstreamImageThrough() throws IOException {
        String repo = "/v2/" + registry.hostPort() + "/lib/busybox";
        byte[] upstream = Files.readAllBytes(image.layout().resolve("blobs/sha256")
                .resolve(image.manifestDigest().substring(7)));

        Http.Answer manifest = Http.get(swell.uri(repo + "/manifests/1"), "Accept", Http.ACCEPT_MANIFESTS);

        assertThat(manifest.status()).as("%s", manifest).isEqualTo(200);
        assertThat(manifest.body()).isEqualTo(upstream);
        assertThat(manifest.header("Docker-Content-Digest")).isEqualTo(image.manifestDigest());
        assertThat(manifest.header("Content-Type")).isEqualTo(TestImages.OCI_MANIFEST);

        Http.Answer config = Http.get(swell.uri(repo + "/blobs/" + image.configDigest()));
        assertThat(config.status()).isEqualTo(200);
        assertThat(LayerTarball.sha256(config.body())).isEqualTo(image.configDigest());
    }

    @Test
    void anImagePinnedByDigestIsServedAsIs() {
        String pinned = registry.hostPort() + "/lib/busybox@" + image.manifestDigest();

        JsonNode answer = Http.submit(swell, Http.containerRequest(pinned));

        TargetImage target = new TargetImage(answer.path("targetImage").asString());
        assertThat(target.name()).endsWith("/lib/busybox@" + image.manifestDigest());
        Http.Answer manifest = Http.get(swell.uri(target.manifestPath(image.manifestDigest())), "Accept",
                Http.ACCEPT_MANIFESTS);
        assertThat(manifest.status()).as("%s", manifest).isEqualTo(200);
        assertThat(manifest.header("Docker-Content-Digest")).isEqualTo(image.manifestDigest());
    }

    @Test
    void tagsAreListedFromUpstream() {
        Http.Answer answer = Http.get(swell.uri("/v2/" + augmented().repository() + "/tags/list"));

        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        assertThat(Http.strings(answer.json().path("tags"))).contains("1");
    }

    /** A fresh augmented request of the busybox image: one env var and the hello layer. */
    static ObjectNode body() {
        ObjectNode body = Http.containerRequest(source);
        ObjectNode config = body.putObject("containerConfig");
        config.putArray("env").add("API=1");
        config.putArray("layers").add(hello.json());
        return body;
    }

    private static TargetImage augmented() {
        return new TargetImage(Http.submit(swell, body()).path("targetImage").asString());
    }

    private static TargetImage requestWithEnv(String env) {
        ObjectNode body = Http.containerRequest(source);
        body.putObject("containerConfig").putArray("env").add(env);
        return new TargetImage(Http.submit(swell, body).path("targetImage").asString());
    }

    private static List<String> envOf(TargetImage target, Http.Answer manifest) {
        String configDigest = manifest.json().path("config").path("digest").asString();
        return Http.strings(Http.get(swell.uri(target.blobPath(configDigest))).json().path("config").path("Env"));
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
