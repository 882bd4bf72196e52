package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.testing.LocalPostgres;
import io.swell.testing.LocalRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Two Swell replicas on one PostgreSQL database (Debian's server) and one registry: a request made on one replica
 * is pulled through the other, and identical build requests sent to both make one build.
 */
@Tag("slow")
class ReplicasIT {
    @TempDir
    static Path tmp;

    private static LocalPostgres postgres;
    private static LocalRegistry registry;
    private static SwellInstance first;
    private static SwellInstance second;

    @BeforeAll
    static void start() {
        postgres = LocalPostgres.start();
        registry = Fixtures.registryWithBusybox(tmp.resolve("image"));
        String config = Builds.config("""
                store:
                  url: "%s"
                  user: %s
                """.formatted(postgres.newDatabase(), LocalPostgres.USER), registry.hostPort());
        first = SwellInstance.start(tmp.resolve("first"), config);
        second = SwellInstance.start(tmp.resolve("second"), config);
    }

    @AfterAll
    static void stop() {
        Fixtures.closeAll(first, second, registry, postgres);
    }

    @Test
    void aTokenIssuedByOneReplicaIsPulledThroughTheOther() {
        ObjectNode request = Http.containerRequest(registry.hostPort() + "/lib/busybox:1");
        request.putObject("containerConfig").putArray("env").add("REPLICA=first");
        JsonNode answer = Http.submit(first, request);
        String token = answer.path("containerToken").asString();
        String throughSecond = answer.path("targetImage").asString().replace(first.host(), second.host());

        PulledImage image = PulledImage.pull(throughSecond, tmp.resolve("pulled"));

        assertThat(Http.strings(image.config().path("config").path("Env"))).contains("REPLICA=first");
        assertThat(Http.get(second.uri("/container-token/" + token)).json().path("request").path("containerImage")
                .asString()).isEqualTo(registry.hostPort() + "/lib/busybox:1");
    }

    @Test
    void identicalBuildRequestsOnBothReplicasMakeOneBuild() throws Exception {
        String containerFile = "FROM " + registry.hostPort() + "/lib/busybox:1\nRUN echo replicas > /r.txt\n";
        List<Future<JsonNode>> answers = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 6; i++) {
                SwellInstance replica = i % 2 == 0 ? first : second;
                answers.add(pool.submit(() -> Http.submit(replica, Builds.request(containerFile)
                        .put("buildRepository", registry.hostPort() + "/replicas"))));
            }
        }
        List<String> buildIds = new ArrayList<>();
        for (Future<JsonNode> answer : answers) {
            buildIds.add(answer.get().path("buildId").asString());
        }
        assertThat(buildIds).allMatch(id -> id.equals(buildIds.getFirst())).allMatch(id -> id.matches(Builds.BUILD_ID));

        // The replica that did not run the build learns the outcome from the shared store.
        for (SwellInstance replica : List.of(first, second)) {
            JsonNode status = Builds.buildStatus(replica, buildIds.getFirst());
            assertThat(status.path("id").asString()).isEqualTo(buildIds.getFirst());
        }
        JsonNode done = Builds.awaitDone(second, answers.get(1).get().path("requestId").asString(),
                Duration.ofMinutes(2));
        assertThat(done.path("succeeded").asBoolean()).as("%s", done).isTrue();
        Path rootfs = PulledImage.pull(answers.get(1).get().path("targetImage").asString(), tmp.resolve("built"))
                .unpack(tmp.resolve("built-bundle"));
        assertThat(rootfs.resolve("r.txt")).hasContent("replicas");
        // One claim in the shared store: the first build of this container id.
        assertThat(buildIds.getFirst()).endsWith("_1");
    }
}
