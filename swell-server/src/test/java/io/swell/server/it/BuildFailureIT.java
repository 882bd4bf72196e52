package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.swell.testing.LocalRegistry;
import io.swell.testing.ToolFailedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A build whose RUN step fails: the held pull fails with the reason and the build id, the status, the build
 * record and the log say what happened, and a retry within the failure retention gets the same failed build.
 */
class BuildFailureIT {

    @TempDir
    static Path tmp;

    private static LocalRegistry registry;
    private static SwellInstance swell;
    private static String containerFile;

    @BeforeAll
    static void start() {
        registry = Fixtures.registryWithBusybox(tmp.resolve("image"));
        containerFile = """
                FROM %s/lib/busybox:1
                RUN echo about-to-fail && exit 3
                """.formatted(registry.hostPort());
        swell = SwellInstance.start(tmp.resolve("swell"), Builds.config("", registry.hostPort()));
    }

    @AfterAll
    static void stop() {
        Fixtures.closeAll(swell, registry);
    }

    @Test
    void aFailedBuildFailsTheHeldPullAndShowsEverywhere() {
        JsonNode answer = Http.submit(swell, Builds.request(containerFile));
        String requestId = answer.path("requestId").asString();
        String buildId = answer.path("buildId").asString();
        assertThat(buildId).matches(Builds.BUILD_ID);
        assertThat(answer.path("cached").asBoolean(true)).isFalse();
        assertThat(answer.has("succeeded")).isFalse();
        String targetImage = answer.path("targetImage").asString();

        CompletableFuture<PulledImage> copy = CompletableFuture.supplyAsync(
                () -> PulledImage.pull(targetImage, tmp.resolve("pulled")), Executors.newVirtualThreadPerTaskExecutor());

        ToolFailedException failure = catchThrowableOfType(ToolFailedException.class,
                () -> unwrap(copy));
        assertThat(failure).as("the pull of a failed build fails").isNotNull();
        assertThat(failure.stderr()).contains(buildId).contains("exit status 3");

        JsonNode status = Builds.status(swell, requestId);
        assertThat(status.path("status").asString()).isEqualTo("DONE");
        assertThat(status.path("succeeded").isBoolean()).as("%s", status).isTrue();
        assertThat(status.path("succeeded").asBoolean()).isFalse();
        assertThat(status.path("buildId").asString()).isEqualTo(buildId);
        assertThat(status.path("reason").asString()).isNotBlank().contains("exit status 3");
        assertThat(status.path("detailsUri").asString()).endsWith("/view/builds/" + buildId);
        assertThat(Http.get(java.net.URI.create(status.path("detailsUri").asString())).status()).isEqualTo(200);

        String log = Builds.logs(swell, buildId);
        assertThat(Builds.linesEqualTo(log, "about-to-fail")).as(log).isEqualTo(1);

        JsonNode record = Builds.record(swell, buildId);
        assertThat(record.path("status").asString()).isEqualTo("FAILED");
        assertThat(record.path("exitStatus").asInt()).isEqualTo(3);
        assertThat(record.path("reason").asString()).contains("exit status 3");
        assertThat(record.has("digest")).as("nothing was pushed: %s", record).isFalse();
        assertThat(record.path("duration").isNumber()).isTrue();

        JsonNode buildStatus = Builds.buildStatus(swell, buildId);
        assertThat(buildStatus.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(buildStatus.path("succeeded").isBoolean() && !buildStatus.path("succeeded").asBoolean())
                .as("%s", buildStatus).isTrue();

        // Any later pull of the token fails the same way: a registry error with the reason and the log's end.
        TargetImage target = new TargetImage(targetImage);
        Http.Answer manifest = Http.get(swell.uri(target.manifestPath(Builds.containerId(buildId))),
                "Accept", Http.ACCEPT_MANIFESTS);
        assertThat(manifest.status()).as("%s", manifest).isEqualTo(400);
        assertThat(manifest.registryErrorCode()).isEqualTo("UNKNOWN");
        String message = manifest.json().path("errors").get(0).path("message").asString();
        assertThat(message).contains(buildId).contains("exit status 3").contains("about-to-fail");

        // Nothing was stored under the image's own name.
        String tag = Builds.containerId(buildId);
        Http.Answer direct = Http.get(swell.uri("/v2/swell/build/manifests/" + tag), "Accept", Http.ACCEPT_MANIFESTS);
        assertThat(direct.status()).as("%s", direct).isEqualTo(404);
    }

    @Test
    void theSameRequestRightAfterTheFailureGetsTheFailedBuild() {
        String otherFile = containerFile + "# the second test's own build\n";
        JsonNode answer = Http.submit(swell, Builds.request(otherFile));
        String buildId = answer.path("buildId").asString();
        Builds.awaitDone(swell, answer.path("requestId").asString(), Duration.ofMinutes(2));

        JsonNode again = Http.submit(swell, Builds.request(otherFile));

        assertThat(again.path("buildId").asString()).isEqualTo(buildId);
        assertThat(again.path("cached").asBoolean()).as("%s", again).isTrue();
        assertThat(again.path("succeeded").isBoolean()).as("%s", again).isTrue();
        assertThat(again.path("succeeded").asBoolean()).isFalse();
        JsonNode status = Builds.status(swell, again.path("requestId").asString());
        assertThat(status.path("status").asString()).isEqualTo("DONE");
        assertThat(status.path("succeeded").asBoolean(true)).isFalse();
        assertThat(Builds.linesEqualTo(Builds.logs(swell, buildId), "about-to-fail")).as("built once").isEqualTo(1);
    }

    private static PulledImage unwrap(CompletableFuture<PulledImage> copy) {
        try {
            return copy.get(Duration.ofMinutes(3).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }
}
