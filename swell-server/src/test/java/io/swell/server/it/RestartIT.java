package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.testing.BuiltImage;
import io.swell.testing.LocalRegistry;
import io.swell.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Tokens, their records and their added layers survive a restart on the same data directory. */
class RestartIT {

    @TempDir
    static Path tmp;

    private static LocalRegistry registry;
    private static String source;

    @BeforeAll
    static void start() {
        registry = LocalRegistry.open();
        BuiltImage image = TestImages.singleArchLayout(tmp.resolve("image"), "1", Map.of());
        source = registry.hostPort() + "/lib/busybox:1";
        TestImages.push(image, source, null);
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void aTokenIssuedBeforeARestartStillPulls() throws IOException {
        LayerTarball layer = LayerTarball.ofTextFiles(Map.of("/restart.txt", "still here\n"));
        ObjectNode body = Http.containerRequest(source);
        ObjectNode config = body.putObject("containerConfig");
        config.putArray("env").add("RESTARTED=yes");
        config.putArray("layers").add(layer.json());
        Path workDir = tmp.resolve("swell");

        JsonNode answer;
        int port;
        Path dataDir;
        try (SwellInstance before = SwellInstance.start(workDir)) {
            answer = Http.submit(before, body);
            port = before.port();
            dataDir = before.dataDir();
        }
        String token = answer.path("containerToken").asString();

        try (SwellInstance after = SwellInstance.startOn(port, dataDir, workDir, null, Map.of())) {
            assertThat(after.host()).as("same port, so the image name still points here")
                    .isEqualTo(answer.path("targetImage").asString().split("/")[0]);
            Http.Answer describe = Http.get(after.uri("/container-token/" + token));
            assertThat(describe.status()).as("%s", describe).isEqualTo(200);

            PulledImage pulled = PulledImage.pull(answer.path("targetImage").asString(), tmp.resolve("pulled"));

            Path rootfs = pulled.unpack(tmp.resolve("bundle"));
            assertThat(Files.readString(rootfs.resolve("restart.txt"))).isEqualTo("still here\n");
            assertThat(Http.strings(pulled.config().path("config").path("Env"))).contains("RESTARTED=yes");
            assertThat(Http.strings(pulled.config().path("rootfs").path("diff_ids"))).last()
                    .isEqualTo(layer.tarDigest());
        }
    }
}
