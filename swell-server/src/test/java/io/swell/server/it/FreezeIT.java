package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swell.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Freeze: the image is built with the config baked in and pushed under a stable name to the user's registry. */
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FreezeIT {
    private static final String USER = "frost";
    private static final String PASSWORD = "ice-cold-secret";

    @TempDir
    static Path tmp;

    private static LocalRegistry source;
    private static LocalRegistry target;
    private static SwellInstance swell;

    @BeforeAll
    static void start() {
        source = Fixtures.registryWithBusybox(tmp.resolve("image"));
        target = LocalRegistry.withBasicAuth(USER, PASSWORD);
        swell = SwellInstance.start(tmp.resolve("swell"), """
                registries:
                  "%s": {username: %s, password: %s}
                insecureRegistries: ["%s", "%s"]
                """.formatted(target.hostPort(), USER, PASSWORD, source.hostPort(), target.hostPort()));
    }

    @AfterAll
    static void stop() {
        Fixtures.closeAll(swell, target, source);
    }

    @Test
    @Order(2)
    void freezesAnImageWithItsConfigIntoTheUsersRegistry() throws Exception {
        LayerTarball layer = LayerTarball.ofTextFiles(Map.of("/frozen.txt", "baked in\n"));
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.putArray("env").add("FROZEN=yes");
        config.putArray("entrypoint").add("/bin/sh").add("-c");
        config.putArray("layers").add(layer.json());
        ObjectNode request = Http.containerRequest(source.hostPort() + "/lib/busybox:1")
                .put("freeze", true).put("buildRepository", target.hostPort() + "/frozen");
        request.set("containerConfig", config);

        JsonNode answer = Http.submit(swell, request);

        String image = answer.path("targetImage").asString();
        assertThat(image).startsWith(target.hostPort() + "/frozen:").doesNotContain("/wt/");
        assertThat(answer.path("containerImage").asString()).isEqualTo(image);
        assertThat(answer.has("containerToken")).isFalse();
        assertThat(answer.has("expiration")).isFalse();
        assertThat(answer.path("freeze").asBoolean()).isTrue();
        String requestId = answer.path("requestId").asString();

        // A token path never serves a frozen image: it lives in the user's registry.
        Http.Answer viaToken = Http.get(swell.uri("/v2/wt/" + requestId + "/frozen/manifests/x"));
        assertThat(viaToken.status()).isEqualTo(404);
        assertThat(new String(viaToken.body(), StandardCharsets.UTF_8)).contains("freeze image");

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).until(() ->
                Http.get(swell.uri("/v1alpha2/container/" + requestId + "/status")).json().path("status")
                        .asString().equals("DONE"));
        JsonNode status = Http.get(swell.uri("/v1alpha2/container/" + requestId + "/status")).json();
        assertThat(status.path("succeeded").asBoolean()).as("%s", status).isTrue();

        swell.close();
        swell = null;
        Path layout = tmp.resolve("pulled");
        io.swell.testing.Skopeo.copy(java.util.List.of("--src-tls-verify=false", "--src-creds", USER + ":" + PASSWORD,
                "docker://" + image, "oci:" + layout + ":frozen"), Duration.ofMinutes(1));
        Path rootfs = io.swell.testing.Umoci.unpack(layout, "frozen", tmp.resolve("bundle"));
        assertThat(Files.readString(rootfs.resolve("frozen.txt"), StandardCharsets.UTF_8)).isEqualTo("baked in\n");
        assertThat(rootfs.resolve("bin/busybox")).exists();
        String configJson = io.swell.testing.Skopeo.inspectConfig(image, false, USER + ":" + PASSWORD);
        JsonNode imageConfig = Http.JSON.readTree(configJson).path("config");
        assertThat(Http.strings(imageConfig.path("Env"))).contains("FROZEN=yes");
        assertThat(Http.strings(imageConfig.path("Entrypoint"))).containsExactly("/bin/sh", "-c");
    }

    @Test
    @Order(1)
    void aBuildFromAPrivateBaseImageUsesTheConfiguredCredentials() {
        io.swell.testing.TestImages.push(io.swell.testing.TestImages.singleArchLayout(tmp.resolve("private"), "1",
                Map.of()), target.hostPort() + "/private/base:1", USER + ":" + PASSWORD);
        JsonNode answer = Http.submit(swell, Builds.request("FROM " + target.hostPort() + "/private/base:1\n"
                + "RUN echo from-private > /private.txt\n"));

        PulledImage image = PulledImage.pull(answer.path("targetImage").asString(), tmp.resolve("private-pulled"));

        assertThat(image.unpack(tmp.resolve("private-bundle")).resolve("private.txt")).hasContent("from-private");
        assertThat(Builds.logs(swell, answer.path("buildId").asString())).doesNotContain(PASSWORD);
    }

    @Test
    @Order(1)
    void freezeNeedsABuildRepository() {
        Http.Answer answer = Http.postJson(swell.uri("/v1alpha2/container"),
                Http.containerRequest(source.hostPort() + "/lib/busybox:1").put("freeze", true));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.message()).contains("Build repository must be specified");
    }
}
