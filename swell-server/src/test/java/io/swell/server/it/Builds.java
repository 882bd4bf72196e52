package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Build requests and the build/status/log answers the build ITs check. */
final class Builds {

    static final String V2 = "/v1alpha2/container";
    /** {@code bd-<16 hex container id>_<n>}. */
    static final String BUILD_ID = "bd-[0-9a-f]{16}_[0-9]+";

    private Builds() {
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A v2 request building {@code containerFile} (plain text; encoded here). */
    static ObjectNode request(String containerFile) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("containerFile", base64(containerFile));
        return body;
    }

    /** A v2 request building {@code containerFile} with {@code context} as its build context. */
    static ObjectNode request(String containerFile, LayerTarball context) {
        ObjectNode body = request(containerFile);
        body.set("buildContext", context.json());
        return body;
    }

    /** The Swell configuration a build test needs: buildah may pull base images from these http registries. */
    static String config(String extraYaml, String... insecureRegistries) {
        String list = String.join(", ", Arrays.stream(insecureRegistries).map(r -> '"' + r + '"').toList());
        return "insecureRegistries: [" + list + "]\n" + extraYaml;
    }

    /** {@code GET /v1alpha2/container/{id}/status}, asserted 200. */
    static JsonNode status(SwellInstance swell, String requestId) {
        Http.Answer answer = Http.get(swell.uri(V2 + "/" + requestId + "/status"));
        assertThat(answer.status()).as("status of %s: %s", requestId, answer).isEqualTo(200);
        return answer.json();
    }

    /** {@code GET /v1alpha1/builds/{id}}, asserted 200. */
    static JsonNode record(SwellInstance swell, String buildId) {
        Http.Answer answer = Http.get(swell.uri("/v1alpha1/builds/" + buildId));
        assertThat(answer.status()).as("record of %s: %s", buildId, answer).isEqualTo(200);
        return answer.json();
    }

    /** {@code GET /v1alpha1/builds/{id}/status}, asserted 200. */
    static JsonNode buildStatus(SwellInstance swell, String buildId) {
        Http.Answer answer = Http.get(swell.uri("/v1alpha1/builds/" + buildId + "/status"));
        assertThat(answer.status()).as("build status of %s: %s", buildId, answer).isEqualTo(200);
        return answer.json();
    }

    /** {@code GET /v1alpha1/builds/{id}/logs}, asserted 200 text/plain. */
    static String logs(SwellInstance swell, String buildId) {
        Http.Answer answer = Http.get(swell.uri("/v1alpha1/builds/" + buildId + "/logs"));
        assertThat(answer.status()).as("logs of %s: %s", buildId, answer).isEqualTo(200);
        assertThat(answer.header("Content-Type")).startsWith("text/plain");
        return answer.text();
    }

    /** How many lines of {@code text} are exactly {@code line} (after trimming). */
    static long linesEqualTo(String text, String line) {
        return text.lines().map(String::strip).filter(line::equals).count();
    }

    /** Waits until the request's status is DONE and returns it. */
    static JsonNode awaitDone(SwellInstance swell, String requestId, Duration max) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        await().atMost(max).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode status = status(swell, requestId);
            last.set(status);
            assertThat(status.path("status").asString()).as("%s", status).isEqualTo("DONE");
        });
        return last.get();
    }

    /** The container id part of a build id. */
    static String containerId(String buildId) {
        return buildId.substring(3, buildId.lastIndexOf('_'));
    }

    /**
     * Processes still alive whose command line mentions any of {@code markers} (a data dir, a unique argument of
     * a RUN step), with their descendants: what a build left running.
     */
    static List<ProcessHandle> processesMentioning(String... markers) {
        Set<ProcessHandle> found = new LinkedHashSet<>();
        ProcessHandle self = ProcessHandle.current();
        ProcessHandle.allProcesses()
                .filter(p -> !p.equals(self))
                .filter(p -> p.info().commandLine()
                        .map(cmd -> Arrays.stream(markers).anyMatch(cmd::contains)).orElse(false))
                .forEach(p -> {
                    found.add(p);
                    p.descendants().forEach(found::add);
                });
        return new ArrayList<>(found.stream().filter(ProcessHandle::isAlive).toList());
    }

    /** Describes processes for an assertion message. */
    static String describe(List<ProcessHandle> processes) {
        return String.join("\n", processes.stream()
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList());
    }

    /** Stops (by pid) processes a test left behind, so they do not outlive it; returns how many there were. */
    static int stopLeftovers(Path dataDir, String... markers) {
        List<String> all = new ArrayList<>(List.of(markers));
        all.add(dataDir.toString());
        List<ProcessHandle> left = processesMentioning(all.toArray(String[]::new));
        left.forEach(ProcessHandle::destroy);
        left.forEach(p -> p.onExit().completeOnTimeout(p, 10, TimeUnit.SECONDS).join());
        left.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        return left.size();
    }
}
