package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.swell.testing.FreePorts;
import io.swell.testing.LocalRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Swell stopped while a build runs: after a restart on the same data dir the build is failed with a reason that
 * says so (nobody waits for it forever), and the same request builds again under the next build number.
 *
 * <p>The build's RUN step waits on a {@link Gate} (an HTTP request to this test, which answers only when released),
 * so it is running for as long as the test needs and no longer.
 */
@Tag("slow")
class BuildRestartIT {

    @TempDir
    static Path tmp;

    private static LocalRegistry registry;
    private static String from;

    @BeforeAll
    static void start() {
        registry = Fixtures.registryWithBusybox(tmp.resolve("image"));
        from = "FROM " + registry.hostPort() + "/lib/busybox:1\n";
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void aBuildCutShortByAStopIsFailedAfterTheRestartAndBuiltAgain() throws IOException {
        Path workDir = tmp.resolve("swell");
        // A short failure retention, so the retry below is not answered with the failed build (see
        // aBuildFailedByARestartIsRebuiltAtOnce for the default).
        String yaml = Builds.config("build: {timeout: 2m, failureRetention: 1s}\n", registry.hostPort());
        try (Gate gate = new Gate()) {
            String containerFile = from + "RUN echo waiting-for-gate && wget -q -O /gate.txt " + gate.url()
                    + " && echo gate-passed-$((1+1))\n";
            SwellInstance before = SwellInstance.start(workDir, yaml);
            int port = before.port();
            Path dataDir = before.dataDir();
            JsonNode answer;
            try {
                answer = Http.submit(before, Builds.request(containerFile));
                gate.awaitHits(1, Duration.ofSeconds(60));
                assertThat(Builds.status(before, answer.path("requestId").asString()).path("status").asString())
                        .isEqualTo("BUILDING");
            } finally {
                before.close();
            }
            // Whatever the old build left running must not race the new server (see stoppingSwellStopsItsBuilds).
            Builds.stopLeftovers(dataDir, gate.url());
            String requestId = answer.path("requestId").asString();
            String buildId = answer.path("buildId").asString();
            assertThat(buildId).endsWith("_1");

            try (SwellInstance after = SwellInstance.startOn(port, dataDir, workDir, yaml, Map.of())) {
                JsonNode status = Builds.status(after, requestId);
                assertThat(status.path("status").asString()).as("%s", status).isEqualTo("DONE");
                assertThat(status.path("succeeded").isBoolean() && !status.path("succeeded").asBoolean())
                        .as("%s", status).isTrue();
                assertThat(status.path("reason").asString()).contains("Swell stopped");
                JsonNode record = Builds.record(after, buildId);
                assertThat(record.path("status").asString()).isEqualTo("FAILED");
                assertThat(record.path("reason").asString()).contains("Swell stopped");
                String log = Builds.logs(after, buildId);
                assertThat(log).contains("waiting-for-gate").contains("Swell stopped");
                assertThat(Builds.linesEqualTo(log, "gate-passed-2")).as(log).isZero();
                // A pull of the old token is answered at once with the failure.
                TargetImage target = new TargetImage(answer.path("targetImage").asString());
                Http.Answer pull = Http.get(after.uri(target.manifestPath(Builds.containerId(buildId))),
                        "Accept", Http.ACCEPT_MANIFESTS);
                assertThat(pull.status()).as("%s", pull).isEqualTo(400);
                assertThat(pull.text()).contains("Swell stopped");

                // Asked again (after the failure retention): a new build, number 2, which now gets through.
                gate.release();
                sleep(Duration.ofMillis(1100));
                JsonNode again = Http.submit(after, Builds.request(containerFile));
                String secondId = again.path("buildId").asString();
                assertThat(secondId).as("%s", again).isEqualTo(buildId.substring(0, buildId.length() - 1) + "2");
                assertThat(again.path("cached").asBoolean(true)).isFalse();
                JsonNode done = Builds.awaitDone(after, again.path("requestId").asString(), Duration.ofMinutes(2));
                assertThat(done.path("succeeded").asBoolean()).as("%s\n%s", done, Builds.logs(after, secondId))
                        .isTrue();
                TargetImage second = new TargetImage(again.path("targetImage").asString());
                Http.Answer manifest = Http.get(after.uri(second.manifestPath(Builds.containerId(secondId))),
                        "Accept", Http.ACCEPT_MANIFESTS);
                assertThat(manifest.status()).as("%s", manifest).isEqualTo(200);
                assertThat(manifest.header("Docker-Content-Digest"))
                        .isEqualTo(Builds.record(after, secondId).path("digest").asString());
                assertThat(Builds.linesEqualTo(Builds.logs(after, secondId), "gate-passed-2")).isEqualTo(1);
            } finally {
                Builds.stopLeftovers(dataDir, gate.url());
            }
        }
    }

    @Test
    void aBuildFailedByARestartIsRebuiltAtOnce() {
        Path workDir = tmp.resolve("swell-default-retention");
        String yaml = Builds.config("build: {timeout: 2m}\n", registry.hostPort());
        try (Gate gate = new Gate()) {
            String containerFile = from + "RUN echo default-retention && wget -q -O /gate.txt " + gate.url() + "\n";
            SwellInstance before = SwellInstance.start(workDir, yaml);
            int port = before.port();
            Path dataDir = before.dataDir();
            String buildId;
            try {
                buildId = Http.submit(before, Builds.request(containerFile)).path("buildId").asString();
                gate.awaitHits(1, Duration.ofSeconds(60));
            } finally {
                before.close();
                Builds.stopLeftovers(dataDir, gate.url());
            }
            gate.release();
            try (SwellInstance after = SwellInstance.startOn(port, dataDir, workDir, yaml, Map.of())) {
                JsonNode again = Http.submit(after, Builds.request(containerFile));

                assertThat(again.path("buildId").asString()).as("%s", again).isNotEqualTo(buildId);
                assertThat(again.path("cached").asBoolean(true)).isFalse();
            } finally {
                Builds.stopLeftovers(dataDir, gate.url());
            }
        }
    }

    @Test
    void stoppingWithAHeldPullStopsCleanly() {
        Path workDir = tmp.resolve("swell-held");
        try (Gate gate = new Gate()) {
            String containerFile = from + "RUN echo held-at-stop && wget -q -O /gate.txt " + gate.url() + "\n";
            SwellInstance swell = SwellInstance.start(workDir, Builds.config("build: {timeout: 2m}\n",
                    registry.hostPort()));
            Path dataDir = swell.dataDir();
            try {
                JsonNode answer = Http.submit(swell, Builds.request(containerFile));
                gate.awaitHits(1, Duration.ofSeconds(60));
                TargetImage target = new TargetImage(answer.path("targetImage").asString());
                String tag = Builds.containerId(answer.path("buildId").asString());
                CompletableFuture<Http.Answer> heldPull = CompletableFuture.supplyAsync(
                        () -> Http.get(swell.uri(target.manifestPath(tag)), "Accept", Http.ACCEPT_MANIFESTS),
                        Executors.newVirtualThreadPerTaskExecutor());
                await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                        .until(() -> !heldPull.isDone());

                swell.close();

                // The held pull ends (an error or a dropped connection), it does not hang.
                await().atMost(Duration.ofSeconds(15)).until(heldPull::isDone);
                assertThat(heldPull.handle((a, e) -> e != null || a.status() != 200).join()).isTrue();
            } finally {
                Builds.stopLeftovers(dataDir, gate.url());
            }
        }
    }

    @Test
    void stoppingSwellStopsItsBuilds() {
        Path workDir = tmp.resolve("swell-stop");
        try (Gate gate = new Gate()) {
            String containerFile = from + "RUN echo stop-me && wget -q -O /gate.txt " + gate.url() + "\n";
            SwellInstance swell = SwellInstance.start(workDir, Builds.config("build: {timeout: 2m}\n",
                    registry.hostPort()));
            Path dataDir = swell.dataDir();
            try {
                Http.submit(swell, Builds.request(containerFile));
                gate.awaitHits(1, Duration.ofSeconds(60));
                assertThat(Builds.processesMentioning(dataDir.toString(), gate.url())).as("buildah runs")
                        .isNotEmpty();

                swell.close();

                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    var left = Builds.processesMentioning(dataDir.toString(), gate.url());
                    assertThat(left).as("left running:\n%s", Builds.describe(left)).isEmpty();
                });
            } finally {
                Builds.stopLeftovers(dataDir, gate.url());
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An HTTP endpoint on 127.0.0.1 that answers only once released; a RUN step waits on it with wget. */
    static final class Gate implements AutoCloseable {
        private final HttpServer server;
        private final CountDownLatch released = new CountDownLatch(1);
        private final AtomicInteger hits = new AtomicInteger();

        Gate() {
            try {
                server = HttpServer.create(new InetSocketAddress(FreePorts.loopback(), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/gate", exchange -> {
                hits.incrementAndGet();
                try (exchange; OutputStream out = exchange.getResponseBody()) {
                    boolean open = released.await(3, TimeUnit.MINUTES);
                    byte[] body = (open ? "open\n" : "still closed\n").getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(open ? 200 : 503, body.length);
                    out.write(body);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/gate";
        }

        void awaitHits(int n, Duration max) {
            await().atMost(max).until(() -> hits.get() >= n);
        }

        void release() {
            released.countDown();
        }

        @Override
        public void close() {
            release();
            server.stop(0);
        }
    }
}
