package io.swell.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class LocalRegistryTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    @Test
    void pushedManifestKeepsTheComputedDigest() {
        BuiltImage image = TestImages.singleArchLayout(tmp.resolve("layout"), "v1",
                Map.of("etc/motd", "hi".getBytes(StandardCharsets.UTF_8)));
        try (LocalRegistry registry = LocalRegistry.open()) {
            String ref = registry.hostPort() + "/library/busybox:v1";
            TestImages.push(image, ref, null);

            String raw = Skopeo.inspectRaw(ref, false);
            assertThat(sha256(raw)).isEqualTo(image.manifestDigest());
            JsonNode config = JSON.readTree(Skopeo.inspectConfig(ref, false, null));
            assertThat(config.path("rootfs").path("diff_ids")).hasSize(2);
            assertThat(registry.storageDir()).isNotEmptyDirectory();
        }
    }

    @Test
    void multiArchPushKeepsTheIndex() {
        BuiltImage index = TestImages.multiArchLayout(tmp.resolve("layout"), "multi");
        try (LocalRegistry registry = LocalRegistry.open()) {
            String ref = registry.hostPort() + "/multi/busybox:1";
            TestImages.push(index, ref, null);

            String raw = Skopeo.inspectRaw(ref, false);
            assertThat(sha256(raw)).isEqualTo(index.manifestDigest());
            JsonNode json = JSON.readTree(raw);
            assertThat(json.path("mediaType").asString()).isEqualTo(TestImages.OCI_INDEX);
            assertThat(json.path("manifests").valueStream()
                    .map(m -> m.path("platform").path("architecture").asString()))
                    .containsExactly("amd64", "arm64");
            String armDigest = index.platforms().get("linux/arm64/v8").manifestDigest();
            String armRaw = Skopeo.inspectRaw(registry.hostPort() + "/multi/busybox@" + armDigest, false);
            assertThat(JSON.readTree(armRaw).path("layers")).hasSize(1);
        }
    }

    @Test
    void basicAuthRefusesAnonymousAndAcceptsCredentials() throws Exception {
        BuiltImage image = TestImages.singleArchLayout(tmp.resolve("layout"), "v1", Map.of());
        try (LocalRegistry registry = LocalRegistry.withBasicAuth("alice", "s3cret")) {
            String ref = registry.hostPort() + "/private/busybox:v1";

            assertThatThrownBy(() -> TestImages.push(image, ref, null))
                    .isInstanceOf(ToolFailedException.class)
                    .hasMessageContaining("unauthorized");
            assertThatThrownBy(() -> TestImages.push(image, ref, "alice:wrong"))
                    .isInstanceOf(ToolFailedException.class);

            TestImages.push(image, ref, "alice:s3cret");

            assertThat(Skopeo.inspectRaw(ref, false, "alice:s3cret")).contains(image.configDigest());
            assertThatThrownBy(() -> Skopeo.inspectRaw(ref, false)).isInstanceOf(ToolFailedException.class);
            assertThat(status(registry, "/v2/")).isEqualTo(401);
        }
    }

    @Test
    void closeStopsTheProcessAndDeletesItsFiles() throws Exception {
        LocalRegistry registry = LocalRegistry.open();
        long pid = registry.pid();
        Path storage = registry.storageDir();
        assertThat(status(registry, "/v2/")).isEqualTo(200);

        registry.close();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        assertThat(Files.exists(storage.getParent())).isFalse();
    }

    /** skopeo prints the manifest bytes unchanged, so their hash is the digest the registry serves. */
    private static String sha256(String raw) {
        return HashingOutputStream.sha256(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static int status(LocalRegistry registry, String path) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpRequest request = HttpRequest.newBuilder(registry.baseUri().resolve(path)).GET().build();
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
