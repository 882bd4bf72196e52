package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swell.testing.BuiltImage;
import io.swell.testing.LocalRegistry;
import io.swell.testing.Skopeo;
import io.swell.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Mirror: a native registry-to-registry copy that keeps the digest, answered as cached once in place. */
@Tag("slow")
class MirrorIT {
    private static final String USER = "mirror";
    private static final String PASSWORD = "mirror-secret";

    @TempDir
    static Path tmp;

    private static LocalRegistry source;
    private static LocalRegistry target;
    private static SwellInstance swell;
    private static BuiltImage index;

    @BeforeAll
    static void start() {
        source = LocalRegistry.open();
        index = TestImages.multiArchLayout(tmp.resolve("multi"), "1");
        TestImages.push(index, source.hostPort() + "/lib/multi:1", null);
        target = LocalRegistry.withBasicAuth(USER, PASSWORD);
        swell = SwellInstance.start(tmp.resolve("swell"), """
                registries:
                  "%s": {username: %s, password: %s}
                """.formatted(target.hostPort(), USER, PASSWORD));
    }

    @AfterAll
    static void stop() {
        Fixtures.closeAll(swell, target, source);
    }

    private static ObjectNode mirror(String repository) {
        return Http.containerRequest(source.hostPort() + "/lib/multi:1").put("mirror", true)
                .put("buildRepository", repository);
    }

    private static JsonNode awaitDone(String requestId) {
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() ->
                Http.get(swell.uri("/v1alpha2/container/" + requestId + "/status")).json().path("status").asString()
                        .equals("DONE"));
        return Http.get(swell.uri("/v1alpha2/container/" + requestId + "/status")).json();
    }

    @Test
    void mirrorsATwoPlatformIndexKeepingItsDigestThenAnswersCached() {
        JsonNode answer = Http.submit(swell, mirror(target.hostPort() + "/mirror"));
        String image = target.hostPort() + "/mirror/lib/multi:1";
        assertThat(answer.path("targetImage").asString()).isEqualTo(image);
        assertThat(answer.path("mirror").asBoolean()).isTrue();
        assertThat(answer.has("containerToken")).isFalse();
        String mirrorId = answer.path("buildId").asString();
        assertThat(mirrorId).startsWith("mr-");

        JsonNode status = awaitDone(answer.path("requestId").asString());
        assertThat(status.path("succeeded").asBoolean()).as("%s", status).isTrue();
        assertThat(status.path("mirrorId").asString()).isEqualTo(mirrorId);

        String raw = Skopeo.inspectRaw(image, false, USER + ":" + PASSWORD);
        assertThat(LayerTarball.sha256(raw.getBytes(StandardCharsets.UTF_8))).isEqualTo(index.manifestDigest());
        JsonNode record = Http.get(swell.uri("/v1alpha1/mirrors/" + mirrorId)).json();
        assertThat(record.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(record.path("digest").asString()).isEqualTo(index.manifestDigest());
        assertThat(record.path("sourceImage").asString()).isEqualTo(source.hostPort() + "/lib/multi:1");
        assertThat(Http.get(swell.uri("/v1alpha1/mirrors/" + mirrorId + "/logs")).status()).isEqualTo(200);

        JsonNode again = Http.submit(swell, mirror(target.hostPort() + "/mirror"));
        assertThat(again.path("cached").asBoolean()).isTrue();
        assertThat(again.path("succeeded").asBoolean()).isTrue();
        assertThat(again.path("buildId").asString()).isEqualTo(mirrorId);
        assertThat(Http.get(swell.uri("/v1alpha1/mirrors/" + mirrorId.replaceAll("_\\d+$", "_2"))).status())
                .isEqualTo(404);
    }

    @Test
    void aMirrorTokenIsNotPulledThroughSwell() {
        JsonNode answer = Http.submit(swell, mirror(target.hostPort() + "/other"));
        Http.Answer pull = Http.get(swell.uri("/v2/wt/" + answer.path("requestId").asString()
                + "/other/lib/multi/manifests/1"));
        assertThat(pull.status()).isEqualTo(404);
        assertThat(new String(pull.body(), StandardCharsets.UTF_8)).contains("mirror image");
        awaitDone(answer.path("requestId").asString());
    }

    @Test
    void refusesMirrorsThatCannotWork() {
        Http.Answer noRepo = Http.postJson(swell.uri("/v1alpha2/container"),
                Http.containerRequest(source.hostPort() + "/lib/multi:1").put("mirror", true));
        assertThat(noRepo.status()).isEqualTo(400);
        assertThat(noRepo.message()).contains("build repository");

        Http.Answer itself = Http.postJson(swell.uri("/v1alpha2/container"), Http.containerRequest(
                source.hostPort() + "/lib/multi:1").put("mirror", true).put("buildRepository", source.hostPort()));
        assertThat(itself.status()).isEqualTo(400);
        assertThat(itself.message()).contains("source image itself");

        Http.Answer withFreeze = Http.postJson(swell.uri("/v1alpha2/container"),
                mirror(target.hostPort() + "/x").put("freeze", true));
        assertThat(withFreeze.status()).isEqualTo(400);

        Http.Answer unknown = Http.postJson(swell.uri("/v1alpha2/container"), Http.containerRequest(
                source.hostPort() + "/lib/missing:1").put("mirror", true).put("buildRepository", target.hostPort()));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.message()).contains("does not exist");
    }
}
