package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.testing.LocalRegistry;
import io.swell.testing.Skopeo;
import io.swell.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** arm64 builds (under qemu emulation, set up by scripts/setup-qemu-arm64.sh) and two-platform builds. */
@Tag("slow")
class MultiPlatformIT {
    @TempDir
    static Path tmp;

    private static LocalRegistry registry;
    private static SwellInstance swell;
    private static String dockerfile;

    @BeforeAll
    static void start() {
        registry = LocalRegistry.open();
        TestImages.push(TestImages.multiArchLayout(tmp.resolve("multi"), "1"), registry.hostPort() + "/lib/multi:1",
                null);
        swell = SwellInstance.start(tmp.resolve("swell"), "insecureRegistries: [\"%s\"]\n"
                .formatted(registry.hostPort()));
        dockerfile = Base64.getEncoder().encodeToString(("FROM " + registry.hostPort() + "/lib/multi:1\n"
                + "RUN uname -m > /arch.txt\n").getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        Fixtures.closeAll(swell, registry);
    }

    private static ObjectNode build(String platform) {
        return JsonNodeFactory.instance.objectNode().put("containerFile", dockerfile)
                .put("containerPlatform", platform);
    }

    @Test
    void anArm64BuildRunsUnderEmulationAndSaysArm64() {
        JsonNode answer = Http.submit(swell, build("linux/arm64"));
        PulledImage image = PulledImage.pull(answer.path("targetImage").asString(), tmp.resolve("arm64"),
                "--override-arch", "arm64");
        assertThat(image.config().path("architecture").asString()).isEqualTo("arm64");
        Path rootfs = image.unpack(tmp.resolve("arm64-bundle"));
        assertThat(read(rootfs.resolve("arch.txt"))).isEqualTo("aarch64\n");
    }

    @Test
    void aTwoPlatformBuildServesAnIndexOfBothPlatforms() {
        JsonNode answer = Http.submit(swell, build("linux/amd64,linux/arm64"));
        String target = answer.path("targetImage").asString();
        TargetImage t = new TargetImage(target);
        String tag = target.substring(target.lastIndexOf(':') + 1);

        Http.Answer manifest = Http.get(swell.uri(t.manifestPath(tag)), "Accept", Http.ACCEPT_MANIFESTS);
        assertThat(manifest.status()).as("%s", manifest).isEqualTo(200);
        JsonNode index = manifest.json();
        assertThat(index.path("mediaType").asString()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(index.path("manifests").valueStream().map(m -> m.path("platform").path("architecture")
                .asString()).toList()).containsExactlyInAnyOrder("amd64", "arm64");

        for (var arch : Map.of("amd64", "x86_64", "arm64", "aarch64").entrySet()) {
            PulledImage image = PulledImage.pull(target, tmp.resolve("multi-" + arch.getKey()), "--override-arch",
                    arch.getKey());
            assertThat(image.config().path("architecture").asString()).isEqualTo(arch.getKey());
            Path rootfs = image.unpack(tmp.resolve("multi-bundle-" + arch.getKey()));
            assertThat(read(rootfs.resolve("arch.txt"))).isEqualTo(arch.getValue() + "\n");
        }
        JsonNode status = Http.get(swell.uri("/v1alpha2/container/" + answer.path("requestId").asString()
                + "/status")).json();
        assertThat(status.path("status").asString()).isEqualTo("DONE");
        assertThat(status.path("succeeded").asBoolean()).isTrue();
    }

    @Test
    void aTwoPlatformBuildPushesAnIndexToTheBuildRepository() {
        ObjectNode request = build("linux/amd64,linux/arm64").put("buildRepository",
                registry.hostPort() + "/built/multi");
        JsonNode answer = Http.submit(swell, request);
        String image = answer.path("containerImage").asString();
        assertThat(image).startsWith(registry.hostPort() + "/built/multi:");
        // The held pull ends when the index is written.
        String target = answer.path("targetImage").asString();
        TargetImage t = new TargetImage(target);
        assertThat(Http.get(swell.uri(t.manifestPath(target.substring(target.lastIndexOf(':') + 1))), "Accept",
                Http.ACCEPT_MANIFESTS).status()).isEqualTo(200);

        JsonNode raw = Http.JSON.readTree(Skopeo.inspectRaw(image, false));
        assertThat(raw.path("manifests")).hasSize(2);
        List<String> archs = raw.path("manifests").valueStream()
                .map(m -> m.path("platform").path("architecture").asString()).toList();
        assertThat(archs).containsExactlyInAnyOrder("amd64", "arm64");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
