package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swell.testing.LocalRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** A build that runs past {@code build.timeout} is stopped (processes and all) and failed with a clear reason. */
@Tag("slow")
class BuildTimeoutIT {

    /** A sleep no other test uses, to find the RUN step's processes. */
    private static final String SLEEP = "sleep 61";

    @TempDir
    static Path tmp;

    private static LocalRegistry registry;
    private static SwellInstance swell;

    @BeforeAll
    static void start() {
        registry = Fixtures.registryWithBusybox(tmp.resolve("image"));
        swell = SwellInstance.start(tmp.resolve("swell"), Builds.config("build: {timeout: 3s}\n",
                registry.hostPort()));
    }

    @AfterAll
    static void stop() {
        if (swell != null) {
            swell.close();
            Builds.stopLeftovers(swell.dataDir(), SLEEP);
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void aBuildPastItsTimeoutIsStoppedAndFailed() {
        String containerFile = "FROM " + registry.hostPort() + "/lib/busybox:1\n"
                + "RUN echo sleeping-past-the-timeout && " + SLEEP + "\n";
        long started = System.nanoTime();
        JsonNode answer = Http.submit(swell, Builds.request(containerFile));
        String requestId = answer.path("requestId").asString();
        String buildId = answer.path("buildId").asString();
        TargetImage target = new TargetImage(answer.path("targetImage").asString());
        CompletableFuture<Http.Answer> heldPull = CompletableFuture.supplyAsync(
                () -> Http.get(swell.uri(target.manifestPath(Builds.containerId(buildId))),
                        "Accept", Http.ACCEPT_MANIFESTS), Executors.newVirtualThreadPerTaskExecutor());

        JsonNode status = Builds.awaitDone(swell, requestId, Duration.ofSeconds(20));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).as("%s\n%s", status, Builds.logs(swell, buildId))
                .isLessThan(Duration.ofSeconds(20)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(status.path("succeeded").isBoolean() && !status.path("succeeded").asBoolean())
                .as("%s", status).isTrue();
        assertThat(status.path("reason").asString()).contains("timed out");
        JsonNode record = Builds.record(swell, buildId);
        assertThat(record.path("status").asString()).isEqualTo("FAILED");
        assertThat(record.path("reason").asString()).contains("timed out").contains("3s");
        assertThat(record.path("exitStatus").asInt(0)).isNotZero();
        assertThat(record.path("duration").asDouble()).isBetween(3.0, 20.0);
        String log = Builds.logs(swell, buildId);
        assertThat(log).contains("sleeping-past-the-timeout").contains("timed out");

        Http.Answer pull = heldPull.join();
        assertThat(pull.status()).as("%s", pull).isEqualTo(400);
        assertThat(pull.registryErrorCode()).isEqualTo("UNKNOWN");
        assertThat(pull.text()).contains(buildId).contains("timed out");

        // Nothing of the build keeps running.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            var left = Builds.processesMentioning(swell.dataDir().toString(), SLEEP);
            assertThat(left).as("left running:\n%s", Builds.describe(left)).isEmpty();
        });
    }
}
