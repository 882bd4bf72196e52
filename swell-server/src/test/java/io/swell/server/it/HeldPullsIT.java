package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.testing.LocalRegistry;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Thousands of pulls held on one running build: each waits on a virtual thread woken by the build, so they all
 * complete and the server's platform threads stay few.
 */
@Tag("slow")
class HeldPullsIT {
    private static final int PULLS = 2000;

    @TempDir
    static Path tmp;

    private static LocalRegistry registry;
    private static SwellInstance swell;

    @BeforeAll
    static void start() {
        registry = Fixtures.registryWithBusybox(tmp.resolve("image"));
        swell = SwellInstance.start(tmp.resolve("swell"), "insecureRegistries: [\"%s\"]\n"
                .formatted(registry.hostPort()));
    }

    @AfterAll
    static void stop() {
        Fixtures.closeAll(swell, registry);
    }

    @Test
    void twoThousandPullsWaitForOneBuildOnFewPlatformThreads() throws Exception {
        String dockerfile = "FROM " + registry.hostPort() + "/lib/busybox:1\nRUN sleep 8 && echo held > /held.txt\n";
        JsonNode answer = Http.submit(swell, JsonNodeFactory.instance.objectNode().put("containerFile",
                Base64.getEncoder().encodeToString(dockerfile.getBytes(StandardCharsets.UTF_8))));
        String target = answer.path("targetImage").asString();
        URI manifest = swell.uri(new TargetImage(target).manifestPath(target.substring(target.lastIndexOf(':') + 1)));

        var threads = ManagementFactory.getThreadMXBean();
        threads.resetPeakThreadCount();
        int before = threads.getThreadCount();
        List<CompletableFuture<HttpResponse<byte[]>>> pulls = new ArrayList<>();
        // One client per 100 pulls keeps each client's connection pool modest; HTTP/1.1 means one socket a pull.
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<HttpClient> clients = new ArrayList<>();
            for (int i = 0; i < PULLS / 100; i++) {
                clients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                        .connectTimeout(Duration.ofSeconds(30)).build());
            }
            for (int i = 0; i < PULLS; i++) {
                HttpRequest request = HttpRequest.newBuilder(manifest).timeout(Duration.ofMinutes(3))
                        .header("Accept", Http.ACCEPT_MANIFESTS).GET().build();
                pulls.add(clients.get(i % clients.size()).sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()));
            }
            JsonNode status = Http.get(swell.uri("/v1alpha2/container/" + answer.path("requestId").asString()
                    + "/status")).json();
            assertThat(status.path("status").asString()).as("the build is still running while pulls wait")
                    .isEqualTo("BUILDING");
            CompletableFuture.allOf(pulls.toArray(CompletableFuture[]::new)).get();
            clients.forEach(HttpClient::close);
        }
        long ok = pulls.stream().filter(f -> f.join().statusCode() == 200).count();
        assertThat(ok).isEqualTo(PULLS);
        assertThat(pulls.stream().map(f -> new String(f.join().body(), StandardCharsets.UTF_8)).distinct())
                .hasSize(1);
        // Platform threads only (virtual threads are not counted): the waits must not pin one each.
        assertThat(threads.getPeakThreadCount() - before).as("platform threads added while %d pulls waited", PULLS)
                .isLessThan(200);
    }
}
