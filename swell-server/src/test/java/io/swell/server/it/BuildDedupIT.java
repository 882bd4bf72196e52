package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.testing.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Twenty identical build requests at once share one build (one build id, one buildah run), and twenty pulls
 * held during that build all get the image once it is done.
 */
@Tag("slow")
class BuildDedupIT {

    private static final int REQUESTS = 20;
    private static final String RUN_OUTPUT = "dedup-" + (6 * 7);

    @TempDir
    static Path tmp;

    private static LocalRegistry registry;
    private static SwellInstance swell;
    private static String containerFile;

    @BeforeAll
    static void start() {
        registry = Fixtures.registryWithBusybox(tmp.resolve("image"));
        // The RUN output ("dedup-42") differs from its command text, so it is counted apart from the STEP line.
        containerFile = """
                FROM %s/lib/busybox:1
                RUN sleep 3 && echo dedup-$((6*7)) | tee /dedup.txt
                """.formatted(registry.hostPort());
        swell = SwellInstance.start(tmp.resolve("swell"), Builds.config("", registry.hostPort()));
    }

    @AfterAll
    static void stop() {
        Fixtures.closeAll(swell, registry);
    }

    @Test
    void concurrentIdenticalRequestsShareOneBuildAndAllHeldPullsGetTheImage() throws Exception {
        List<JsonNode> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<JsonNode>> posts = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                posts.add(threads.submit(() -> {
                    go.await();
                    return Http.submit(swell, Builds.request(containerFile));
                }));
            }
            go.countDown();
            for (Future<JsonNode> post : posts) {
                answers.add(post.get());
            }
        }

        Set<String> buildIds = answers.stream().map(a -> a.path("buildId").asString()).collect(Collectors.toSet());
        assertThat(buildIds).as("one build for all: %s", answers).hasSize(1);
        String buildId = buildIds.iterator().next();
        assertThat(buildId).matches(Builds.BUILD_ID).endsWith("_1");
        assertThat(answers.stream().map(a -> a.path("requestId").asString()).distinct()).hasSize(REQUESTS);
        assertThat(answers.stream().map(a -> a.path("containerImage").asString()).distinct()).hasSize(1);
        assertThat(answers).allSatisfy(a -> {
            assertThat(a.path("cached").asBoolean(true)).as("%s", a).isFalse();
            assertThat(a.has("succeeded")).as("%s", a).isFalse();
        });
        assertThat(Builds.status(swell, answers.getFirst().path("requestId").asString()).path("status").asString())
                .as("the pulls below start while the build runs").isEqualTo("BUILDING");

        // Every token pulls while the build runs: 20 manifest GETs held, plus two full skopeo copies.
        String tag = Builds.containerId(buildId);
        List<Http.Answer> manifests = new ArrayList<>();
        List<PulledImage> copies = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Http.Answer>> gets = new ArrayList<>();
            for (JsonNode answer : answers) {
                TargetImage target = new TargetImage(answer.path("targetImage").asString());
                gets.add(threads.submit(() -> Http.get(swell.uri(target.manifestPath(tag)),
                        "Accept", Http.ACCEPT_MANIFESTS)));
            }
            List<Future<PulledImage>> pulls = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String image = answers.get(i).path("targetImage").asString();
                Path layout = tmp.resolve("pulled-" + i);
                pulls.add(threads.submit(() -> PulledImage.pull(image, layout)));
            }
            for (Future<Http.Answer> get : gets) {
                manifests.add(get.get());
            }
            for (Future<PulledImage> pull : pulls) {
                copies.add(pull.get());
            }
        }

        JsonNode record = Builds.record(swell, buildId);
        assertThat(record.path("status").asString()).isEqualTo("SUCCEEDED");
        String digest = record.path("digest").asString();
        assertThat(manifests).allSatisfy(m -> {
            assertThat(m.status()).as("%s", m).isEqualTo(200);
            assertThat(m.header("Docker-Content-Digest")).isEqualTo(digest);
        });
        for (int i = 0; i < copies.size(); i++) {
            Path rootfs = copies.get(i).unpack(tmp.resolve("bundle-" + i));
            assertThat(Files.readString(rootfs.resolve("dedup.txt"))).isEqualTo(RUN_OUTPUT + "\n");
        }

        // One buildah run: the RUN step printed its output once, and no second build number was used.
        String log = Builds.logs(swell, buildId);
        assertThat(Builds.linesEqualTo(log, RUN_OUTPUT)).as("RUN output in the log:\n%s", log).isEqualTo(1);
        assertThat(log.lines().filter(l -> l.startsWith("STEP 1/")).count()).as(log).isEqualTo(1);
        String second = buildId.substring(0, buildId.lastIndexOf('_')) + "_2";
        assertThat(Http.get(swell.uri("/v1alpha1/builds/" + second)).status()).isEqualTo(404);
        assertThat(logFiles()).as("one build log in the data dir").hasSize(1);
        for (JsonNode answer : answers) {
            JsonNode status = Builds.status(swell, answer.path("requestId").asString());
            assertThat(status.path("status").asString()).isEqualTo("DONE");
            assertThat(status.path("succeeded").asBoolean()).isTrue();
            assertThat(status.path("buildId").asString()).isEqualTo(buildId);
        }
    }

    private static List<Path> logFiles() throws IOException {
        try (var files = Files.walk(swell.dataDir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log")
                    && p.getFileName().toString().startsWith("bd-")).toList();
        }
    }
}
