package io.swell.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@Tag("slow")
class LargeImageTest {

    private static final long HUNDRED_MB = 100L * 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void hundredMegabyteLayerIsStreamedAndPushed() throws Exception {
        BuiltImage image = TestImages.randomBlobImageLayout(tmp.resolve("layout"), "big", HUNDRED_MB);
        try (LocalRegistry registry = LocalRegistry.open()) {
            String ref = registry.hostPort() + "/bench/random:big";
            TestImages.push(image, ref, null);

            JsonNode manifest = JsonMapper.builder().build().readTree(Skopeo.inspectRaw(ref, false));
            JsonNode layer = manifest.path("layers").get(0);
            assertThat(layer.path("digest").asString()).isEqualTo(image.layerDigests().get(0));
            assertThat(layer.path("size").asLong()).isGreaterThan(HUNDRED_MB);
            assertThat(storedBlobBytes(registry)).isGreaterThan(HUNDRED_MB);
        }
    }

    private static long storedBlobBytes(LocalRegistry registry) throws Exception {
        try (Stream<Path> files = Files.walk(registry.storageDir())) {
            return files.filter(f -> f.getFileName().toString().equals("data"))
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }
}
