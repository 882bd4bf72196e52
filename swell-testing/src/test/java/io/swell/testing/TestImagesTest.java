package io.swell.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TestImagesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    @Test
    void sameInputsGiveSameDigests() {
        BuiltImage first = TestImages.singleArchLayout(tmp.resolve("a"), "v1", Map.of("etc/motd", bytes("hi")));
        BuiltImage second = TestImages.singleArchLayout(tmp.resolve("b"), "v1", Map.of("etc/motd", bytes("hi")));

        assertThat(second.manifestDigest()).isEqualTo(first.manifestDigest());
        assertThat(second.layerDigests()).isEqualTo(first.layerDigests()).hasSize(2);
        assertThat(first.mediaType()).isEqualTo(TestImages.OCI_MANIFEST);
    }

    @Test
    void manifestAndConfigDescribeTheLayers() throws Exception {
        BuiltImage image = TestImages.singleArchLayout(tmp.resolve("layout"), "v1", Map.of());

        JsonNode manifest = blob(image, image.manifestDigest());
        assertThat(manifest.path("mediaType").asString()).isEqualTo(TestImages.OCI_MANIFEST);
        assertThat(manifest.path("config").path("digest").asString()).isEqualTo(image.configDigest());
        assertThat(manifest.path("layers").get(0).path("digest").asString()).isEqualTo(image.layerDigests().get(0));
        assertThat(manifest.path("layers").get(0).path("size").asLong())
                .isEqualTo(Files.size(blobPath(image, image.layerDigests().get(0))));

        JsonNode config = blob(image, image.configDigest());
        assertThat(config.path("architecture").asString()).isEqualTo("amd64");
        assertThat(config.path("config").path("Cmd").get(0).asString()).isEqualTo("/bin/sh");
        assertThat(config.path("rootfs").path("diff_ids")).hasSize(1);

        JsonNode index = JSON.readTree(image.layout().resolve("index.json").toFile());
        assertThat(index.path("manifests").get(0).path("digest").asString()).isEqualTo(image.manifestDigest());
    }

    @Test
    void umociUnpacksBusyboxAndExtraFiles() throws Exception {
        BuiltImage image = TestImages.singleArchLayout(tmp.resolve("layout"), "v1",
                Map.of("/etc/motd", bytes("hello\n")));

        Path rootfs = Umoci.unpack(image.layout(), image.tag(), tmp.resolve("bundle"));

        assertThat(rootfs.resolve("bin/busybox")).isRegularFile().isExecutable();
        assertThat(Files.readSymbolicLink(rootfs.resolve("bin/sh"))).isEqualTo(Path.of("busybox"));
        assertThat(rootfs.resolve("etc/motd")).hasContent("hello");
    }

    @Test
    void multiArchIndexListsBothPlatforms() throws Exception {
        BuiltImage index = TestImages.multiArchLayout(tmp.resolve("layout"), "multi");

        assertThat(index.isIndex()).isTrue();
        assertThat(index.platforms()).containsOnlyKeys("linux/amd64", "linux/arm64/v8");
        JsonNode json = blob(index, index.manifestDigest());
        assertThat(json.path("manifests")).hasSize(2);
        assertThat(json.path("manifests").get(1).path("platform").path("architecture").asString()).isEqualTo("arm64");

        BuiltImage arm = index.platforms().get("linux/arm64/v8");
        assertThat(blob(arm, arm.configDigest()).path("architecture").asString()).isEqualTo("arm64");
    }

    @Test
    void randomLayerHasTheRequestedSizeAndIsNewEachTime() throws Exception {
        long size = 3 * 1024 * 1024 + 17;
        BuiltImage first = TestImages.randomBlobImageLayout(tmp.resolve("a"), "rnd", size);
        BuiltImage second = TestImages.randomBlobImageLayout(tmp.resolve("b"), "rnd", size);

        assertThat(second.layerDigests()).doesNotContainAnyElementsOf(first.layerDigests());
        Path rootfs = Umoci.unpack(first.layout(), first.tag(), tmp.resolve("bundle"));
        assertThat(Files.size(rootfs.resolve("data/random.bin"))).isEqualTo(size);
        // Random bytes stored without compression: the blob is only a little larger than the payload.
        assertThat(Files.size(blobPath(first, first.layerDigests().get(0)))).isBetween(size, size + 64 * 1024);
    }

    @Test
    void severalTagsShareOneLayout() throws Exception {
        Path layout = tmp.resolve("layout");
        TestImages.singleArchLayout(layout, "one", Map.of());
        TestImages.singleArchLayout(layout, "two", Map.of("a.txt", bytes("a")));
        TestImages.singleArchLayout(layout, "two", Map.of("b.txt", bytes("b")));

        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        assertThat(index.path("manifests")).hasSize(2);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Path blobPath(BuiltImage image, String digest) {
        return image.layout().resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    private static JsonNode blob(BuiltImage image, String digest) {
        return JSON.readTree(blobPath(image, digest).toFile());
    }
}
