package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.testing.LocalRegistry;
import io.swell.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code containerIncludes}: the layers of other images appended to an augmented or frozen image. */
@Tag("slow")
class ContainerIncludesIT {
    private static final String TOOL = "included tool\n";

    @TempDir
    static Path tmp;

    private static LocalRegistry registry;
    private static SwellInstance swell;
    private static String busybox;
    private static String tools;

    @BeforeAll
    static void start() {
        registry = Fixtures.registryWithBusybox(tmp.resolve("busybox"));
        busybox = registry.hostPort() + "/lib/busybox:1";
        tools = registry.hostPort() + "/lib/tools:1";
        TestImages.push(TestImages.singleArchLayout(tmp.resolve("tools"), "1",
                Map.of("/opt/tools/tool.txt", TOOL.getBytes(StandardCharsets.UTF_8))), tools, null);
        TestImages.push(TestImages.multiArchLayout(tmp.resolve("multi"), "1"), registry.hostPort() + "/lib/multi:1",
                null);
        swell = SwellInstance.start(tmp.resolve("swell"), Builds.config("", registry.hostPort()));
    }

    @AfterAll
    static void stop() {
        Fixtures.closeAll(swell, registry);
    }

    @Test
    void anIncludedImagesLayersAreAddedToTheAugmentedImage() {
        ObjectNode request = Http.containerRequest(busybox);
        request.putArray("containerIncludes").add(tools);

        JsonNode answer = Http.submit(swell, request);

        PulledImage image = PulledImage.pull(answer.path("targetImage").asString(), tmp.resolve("augmented"));
        Path rootfs = image.unpack(tmp.resolve("augmented-bundle"));
        assertThat(rootfs.resolve("opt/tools/tool.txt")).hasContent(TOOL.strip());
        assertThat(rootfs.resolve("bin/busybox")).isRegularFile();
        // busybox's own layer, then both layers of the included image
        assertThat(image.manifest().path("layers").size()).isEqualTo(3);
        assertThat(image.config().path("rootfs").path("diff_ids").size()).isEqualTo(3);
        JsonNode described = Http.get(swell.uri("/container-token/" + answer.path("containerToken").asString()))
                .json();
        assertThat(described.path("request").path("containerConfig").path("layers").get(1).path("location")
                .asString()).startsWith("docker://" + registry.hostPort() + "/v2/lib/tools/blobs/sha256:");
    }

    @Test
    void aFreezeBakesTheIncludedLayersIn() {
        ObjectNode request = Http.containerRequest(busybox).put("freeze", true)
                .put("buildRepository", registry.hostPort() + "/frozen/includes");
        request.putArray("containerIncludes").add(tools);

        JsonNode answer = Http.submit(swell, request);
        JsonNode status = Builds.awaitDone(swell, answer.path("requestId").asString(), Duration.ofMinutes(2));

        assertThat(status.path("succeeded").asBoolean()).as("%s", status).isTrue();
        Path rootfs = PulledImage.pull(answer.path("targetImage").asString(), tmp.resolve("frozen"))
                .unpack(tmp.resolve("frozen-bundle"));
        assertThat(rootfs.resolve("opt/tools/tool.txt")).hasContent(TOOL.strip());
    }

    @Test
    void theRequestsPlatformPicksTheIncludedManifestOfAnIndex() {
        ObjectNode request = Http.containerRequest(busybox).put("containerPlatform", "linux/amd64");
        request.putArray("containerIncludes").add(registry.hostPort() + "/lib/multi:1");

        JsonNode answer = Http.submit(swell, request);

        PulledImage image = PulledImage.pull(answer.path("targetImage").asString(), tmp.resolve("from-index"));
        assertThat(image.manifest().path("layers").size()).isEqualTo(2);
    }

    @Test
    void includesThatCannotWorkAreRefusedAtRequestTime() {
        ObjectNode tooMany = Http.containerRequest(busybox);
        for (int i = 0; i < 11; i++) {
            tooMany.withArray("containerIncludes").add(tools);
        }
        assertRefused(tooMany, "At most 10 containerIncludes");

        ObjectNode unknown = Http.containerRequest(busybox);
        unknown.putArray("containerIncludes").add(registry.hostPort() + "/lib/missing:1");
        assertRefused(unknown, "does not exist");

        ObjectNode multiPlatformSource = Http.containerRequest(registry.hostPort() + "/lib/multi:1");
        multiPlatformSource.putArray("containerIncludes").add(tools);
        assertRefused(multiPlatformSource, "several platforms");

        ObjectNode arm = Http.containerRequest(busybox).put("containerPlatform", "linux/arm64");
        arm.putArray("containerIncludes").add(tools);
        assertRefused(arm, "no manifest for platform linux/arm64");

        ObjectNode build = Builds.request("FROM " + busybox + "\n");
        build.putArray("containerIncludes").add(tools);
        assertRefused(build, "freeze");

        ObjectNode registryLocation = Http.containerRequest(busybox);
        registryLocation.putObject("containerConfig").putArray("layers").addObject()
                .put("location", "docker://" + registry.hostPort() + "/v2/lib/tools/blobs/sha256:" + "0".repeat(64))
                .put("gzipDigest", "sha256:" + "0".repeat(64)).put("gzipSize", 1)
                .put("tarDigest", "sha256:" + "0".repeat(64));
        assertRefused(registryLocation, "containerIncludes");
    }

    private static void assertRefused(ObjectNode request, String message) {
        Http.Answer answer = Http.postJson(swell.uri(Builds.V2), request);
        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.message()).contains(message);
    }
}
