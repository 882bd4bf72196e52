package io.swell.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PodmanTest {

    @TempDir
    Path tmp;

    @Test
    void pullsFromALoopbackRegistryIntoPrivateStorage() {
        BuiltImage image = TestImages.singleArchLayout(tmp.resolve("layout"), "v1", Map.of());
        try (LocalRegistry registry = LocalRegistry.open(); Podman podman = new Podman()) {
            String ref = registry.hostPort() + "/library/busybox:v1";
            TestImages.push(image, ref, null);

            String id = podman.pull(ref);

            assertThat(image.configDigest()).isEqualTo("sha256:" + id);
            JsonNode inspected = JsonMapper.builder().build().readTree(podman.inspect(id)).get(0);
            assertThat(inspected.path("Digest").asString()).isEqualTo(image.manifestDigest());
            assertThat(inspected.path("Architecture").asString()).isEqualTo("amd64");
        }
    }
}
