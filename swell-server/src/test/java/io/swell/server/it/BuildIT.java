package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.testing.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Dockerfile build into Swell's built-in store: the pull of the answered image starts while the build runs, is
 * held until the build ends and then gets the built image (RUN output and COPY from the build context in its file
 * system); the built image is also pulled by its own name; the same request again reuses the build.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BuildIT {

    private static final String HELLO = "hello from the build context\n";
    private static final String RUN_MARKER = "run-step-output-" + (6 * 7);

    @TempDir
    static Path tmp;

    private static LocalRegistry registry;
    private static SwellInstance swell;
    private static String containerFile;
    private static LayerTarball context;
    /** The answer to the first request, once {@link #build()} or {@link #firstAnswer()} sent it. */
    private static JsonNode first;

    @BeforeAll
    static void start() {
        registry = Fixtures.registryWithBusybox(tmp.resolve("image"));
        containerFile = """
                FROM %s/lib/busybox:1
                RUN sleep 2 && echo built > /built.txt && echo run-step-output-$((6*7))
                COPY hello.txt /hello.txt
                """.formatted(registry.hostPort());
        context = LayerTarball.ofTextFiles(Map.of("/hello.txt", HELLO));
        swell = SwellInstance.start(tmp.resolve("swell"), Builds.config("", registry.hostPort()));
    }

    @AfterAll
    static void stop() {
        Fixtures.closeAll(swell, registry);
    }

    @Test
    @Order(1)
    void thePullStartedDuringTheBuildIsHeldAndGetsTheBuiltImage() throws IOException {
        JsonNode answer = Http.submit(swell, Builds.request(containerFile, context));
        first = answer;
        String requestId = answer.path("requestId").asString();

        // In progress: not cached, outcome unknown.
        assertThat(answer.path("cached").asBoolean(true)).as("%s", answer).isFalse();
        assertThat(answer.has("succeeded")).as("no outcome while building: %s", answer).isFalse();
        String buildId = answer.path("buildId").asString();
        assertThat(buildId).matches(Builds.BUILD_ID).endsWith("_1");
        String containerId = Builds.containerId(buildId);
        assertThat(answer.path("containerImage").asString()).isEqualTo(swell.host() + "/swell/build:" + containerId);
        assertThat(answer.path("containerToken").asString()).isEqualTo(requestId);
        assertThat(answer.path("targetImage").asString())
                .isEqualTo(swell.host() + "/wt/" + requestId + "/swell/build:" + containerId);
        assertThat(answer.path("freeze").asBoolean(true)).isFalse();
        assertThat(answer.path("mirror").asBoolean(true)).isFalse();
        assertThat(Instant.parse(answer.path("expiration").asString())).isAfter(Instant.now());

        // The pull starts at once, while the build is still running.
        assertThat(Builds.status(swell, requestId).path("status").asString()).isEqualTo("BUILDING");
        Instant copyStarted = Instant.now();
        CompletableFuture<PulledImage> copy = CompletableFuture.supplyAsync(
                () -> PulledImage.pull(answer.path("targetImage").asString(), tmp.resolve("pulled")),
                Executors.newVirtualThreadPerTaskExecutor());
        JsonNode building = Builds.status(swell, requestId);
        assertThat(building.path("status").asString()).as("still building after the copy started: %s", building)
                .isEqualTo("BUILDING");
        assertThat(building.path("buildId").asString()).isEqualTo(buildId);
        assertThat(building.has("succeeded")).isFalse();

        // While the status says BUILDING, the copy cannot have finished: its manifest GET is held.
        String state;
        do {
            boolean copyDone = copy.isDone();
            state = Builds.status(swell, requestId).path("status").asString();
            if (state.equals("BUILDING")) {
                assertThat(copyDone).as("the copy finished while the build was still running").isFalse();
            }
            sleep(Duration.ofMillis(100));
        } while (state.equals("BUILDING") && Duration.between(copyStarted, Instant.now()).toMinutes() < 3);

        PulledImage pulled = copy.join();
        Instant copyEnded = Instant.now();
        Path rootfs = pulled.unpack(tmp.resolve("bundle"));
        assertThat(Files.readString(rootfs.resolve("built.txt"))).isEqualTo("built\n");
        assertThat(Files.readString(rootfs.resolve("hello.txt"))).isEqualTo(HELLO);
        assertThat(rootfs.resolve("bin/busybox")).isRegularFile();

        JsonNode status = Builds.status(swell, requestId);
        assertThat(status.path("status").asString()).isEqualTo("DONE");
        assertThat(status.path("succeeded").isBoolean() && status.path("succeeded").asBoolean()).as("%s", status)
                .isTrue();
        assertThat(status.path("buildId").asString()).isEqualTo(buildId);
        assertThat(status.has("reason")).as("no reason for a success: %s", status).isFalse();
        assertThat(status.path("duration").asDouble()).isGreaterThanOrEqualTo(2.0);

        JsonNode record = Builds.record(swell, buildId);
        assertThat(record.path("buildId").asString()).isEqualTo(buildId);
        assertThat(record.path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(record.path("exitStatus").asInt(-99)).isZero();
        assertThat(record.path("dockerFile").asString()).isEqualTo(containerFile);
        assertThat(record.path("targetImage").asString()).isEqualTo(answer.path("containerImage").asString());
        assertThat(record.path("platform").asString()).isEqualTo("linux/amd64");
        assertThat(record.path("format").asString()).isEqualTo("DOCKER");
        Instant buildEnded = Instant.parse(record.path("startTime").asString())
                .plusNanos((long) (record.path("duration").asDouble() * 1e9));
        assertThat(copyStarted).as("the copy started before the build ended").isBefore(buildEnded);
        assertThat(copyEnded).as("the copy ended after the build").isAfter(buildEnded);

        // The digest the build recorded is the one served, and the one skopeo copied.
        TargetImage target = new TargetImage(answer.path("targetImage").asString());
        Http.Answer manifest = Http.get(swell.uri(target.manifestPath(containerId)), "Accept", Http.ACCEPT_MANIFESTS);
        assertThat(manifest.status()).as("%s", manifest).isEqualTo(200);
        String digest = manifest.header("Docker-Content-Digest");
        assertThat(digest).isEqualTo(LayerTarball.sha256(manifest.body()));
        assertThat(record.path("digest").asString()).isEqualTo(digest);
        assertThat(pulled.manifest().path("config").path("digest").asString())
                .isEqualTo(manifest.json().path("config").path("digest").asString());

        String log = Builds.logs(swell, buildId);
        assertThat(Builds.linesEqualTo(log, RUN_MARKER)).as("RUN output once in the log:\n%s", log).isEqualTo(1);
        assertThat(log).contains("COPY hello.txt /hello.txt");

        JsonNode buildStatus = Builds.buildStatus(swell, buildId);
        assertThat(buildStatus.path("id").asString()).isEqualTo(buildId);
        assertThat(buildStatus.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(buildStatus.path("succeeded").asBoolean()).isTrue();
    }

    @Test
    @Order(2)
    void theBuiltImageIsPulledByItsOwnName() throws IOException {
        JsonNode answer = firstAnswer();
        String containerImage = answer.path("containerImage").asString();
        String buildId = answer.path("buildId").asString();
        Builds.awaitDone(swell, answer.path("requestId").asString(), Duration.ofMinutes(3));

        PulledImage pulled = PulledImage.pull(containerImage, tmp.resolve("pulled-direct"));

        Path rootfs = pulled.unpack(tmp.resolve("bundle-direct"));
        assertThat(Files.readString(rootfs.resolve("built.txt"))).isEqualTo("built\n");
        assertThat(Files.readString(rootfs.resolve("hello.txt"))).isEqualTo(HELLO);
        String tag = containerImage.substring(containerImage.lastIndexOf(':') + 1);
        Http.Answer head = Http.head(swell.uri("/v2/swell/build/manifests/" + tag), "Accept", Http.ACCEPT_MANIFESTS);
        assertThat(head.status()).as("%s", head).isEqualTo(200);
        assertThat(head.header("Docker-Content-Digest")).isEqualTo(Builds.record(swell, buildId).path("digest")
                .asString());
    }

    @Test
    @Order(3)
    void theSameRequestAgainReusesTheBuild() {
        JsonNode answer = firstAnswer();
        String buildId = answer.path("buildId").asString();
        Builds.awaitDone(swell, answer.path("requestId").asString(), Duration.ofMinutes(3));
        JsonNode recordBefore = Builds.record(swell, buildId);
        String logBefore = Builds.logs(swell, buildId);

        long started = System.nanoTime();
        JsonNode again = Http.submit(swell, Builds.request(containerFile, context));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).as("no build behind the answer").isLessThan(Duration.ofSeconds(2));
        assertThat(again.path("cached").asBoolean()).as("%s", again).isTrue();
        assertThat(again.path("succeeded").asBoolean()).as("%s", again).isTrue();
        assertThat(again.path("containerImage").asString()).isEqualTo(answer.path("containerImage").asString());
        assertThat(again.path("requestId").asString()).isNotEqualTo(answer.path("requestId").asString());
        JsonNode status = Builds.status(swell, again.path("requestId").asString());
        assertThat(status.path("status").asString()).isEqualTo("DONE");
        assertThat(status.path("succeeded").asBoolean()).isTrue();
        // The new token pulls at once.
        TargetImage target = new TargetImage(again.path("targetImage").asString());
        String tag = Builds.containerId(buildId);
        Http.Answer manifest = Http.get(swell.uri(target.manifestPath(tag)), "Accept", Http.ACCEPT_MANIFESTS);
        assertThat(manifest.status()).as("%s", manifest).isEqualTo(200);
        assertThat(manifest.header("Docker-Content-Digest")).isEqualTo(recordBefore.path("digest").asString());
        // No second build.
        assertThat(Builds.record(swell, buildId)).isEqualTo(recordBefore);
        assertThat(Builds.logs(swell, buildId)).isEqualTo(logBefore);
        String nextId = buildId.substring(0, buildId.lastIndexOf('_')) + "_2";
        assertThat(Http.get(swell.uri("/v1alpha1/builds/" + nextId)).status()).isEqualTo(404);
    }

    @Test
    @Order(4)
    void theSameRequestAgainAnswersTheBuildId() {
        JsonNode answer = firstAnswer();
        Builds.awaitDone(swell, answer.path("requestId").asString(), Duration.ofMinutes(3));

        JsonNode again = Http.submit(swell, Builds.request(containerFile, context));

        assertThat(again.path("buildId").asString()).as("%s", again).isEqualTo(answer.path("buildId").asString());
        assertThat(Builds.status(swell, again.path("requestId").asString()).path("buildId").asString())
                .isEqualTo(answer.path("buildId").asString());
    }

    /** The first answer; sends the request when the first test did not run (e.g. one test run alone). */
    private static JsonNode firstAnswer() {
        if (first == null) {
            ObjectNode body = Builds.request(containerFile, context);
            first = Http.submit(swell, body);
        }
        return first;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
