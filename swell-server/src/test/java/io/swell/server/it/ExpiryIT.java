package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swell.testing.BuiltImage;
import io.swell.testing.LocalRegistry;
import io.swell.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What changes with time: a token stops opening pulls when its lifetime ends, and an upstream tag that moved is
 * seen once the tag cache entry expires. Each test runs its own Swell with short lifetimes.
 */
@Tag("slow")
class ExpiryIT {

    @TempDir
    static Path tmp;

    private static LocalRegistry registry;
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
                Map.of("/secret.txt", "a second layer\n".getBytes(StandardCharsets.UTF_8)));
        hello = LayerTarball.ofTextFiles(Map.of("/hello.txt", "hello\n"));
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void expiredTokensAre404() throws Exception {
        try (SwellInstance shortLived = SwellInstance.start(tmp.resolve("swell-short"), "tokens: {lifetime: 3s}\n")) {
            JsonNode answer = Http.submit(shortLived, body());
            TargetImage target = new TargetImage(answer.path("targetImage").asString());
            Instant expiration = Instant.parse(answer.path("expiration").asString());
            assertThat(expiration).isBefore(Instant.now().plusSeconds(10));
            assertThat(Http.get(shortLived.uri(target.manifestPath("1"))).status()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                Http.Answer pull = Http.get(shortLived.uri(target.manifestPath("1")));
                assertThat(pull.status()).isEqualTo(404);
                assertThat(pull.registryErrorCode()).isEqualTo("NOT_FOUND");
            });
            assertThat(Instant.now()).isAfterOrEqualTo(expiration);
            Http.Answer blob = Http.get(shortLived.uri(target.blobPath(hello.gzipDigest())));
            assertThat(blob.status()).isEqualTo(404);
        }
    }

    @Test
    void aMovedTagIsSeenOnceTheTagCacheExpires() throws Exception {
        String moving = registry.hostPort() + "/lib/moving:1";
        TestImages.push(image, moving, null);
        try (SwellInstance quickTags = SwellInstance.start(tmp.resolve("swell-tags"), "proxy: {tagCacheTtl: 1s}\n")) {
            ObjectNode body = Http.containerRequest(moving);
            body.putObject("containerConfig").putArray("env").add("MOVED=maybe");
            TargetImage target = new TargetImage(Http.submit(quickTags, body).path("targetImage").asString());
            JsonNode before = Http.get(quickTags.uri(target.manifestPath("1")), "Accept", Http.ACCEPT_MANIFESTS).json();

            TestImages.push(secret, moving, null);

            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                JsonNode after = Http.get(quickTags.uri(target.manifestPath("1")), "Accept", Http.ACCEPT_MANIFESTS)
                        .json();
                assertThat(after.path("layers")).hasSize(2);
                assertThat(after.path("layers").get(1).path("digest").asString())
                        .isEqualTo(secret.layerDigests().get(1));
            });
            assertThat(before.path("layers")).hasSize(1);
        }
    }

    private static ObjectNode body() {
        ObjectNode body = Http.containerRequest(source);
        ObjectNode config = body.putObject("containerConfig");
        config.putArray("env").add("EXPIRY=1");
        config.putArray("layers").add(hello.json());
        return body;
    }
}
