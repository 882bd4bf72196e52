package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Replays requests recorded from real Wave clients (wave-cli, Nextflow's nf-wave) in
 * {@code client-requests.jsonl}: Swell answers each with 200, a 4xx or a 501 carrying a message, never a 500.
 * Docker Hub is unreachable here, so requests for its images are refused as not found (400); each such
 * request takes Swell about 0.6 s (it retries the failed lookup), hence the "slow" tag.
 */
@Tag("slow")
class ClientRequestsReplayIT {

    private static final String RECORDING = "/client-requests.jsonl";

    @TempDir
    static Path tmp;

    private static SwellInstance swell;

    /** One recorded request. */
    record Recorded(int line, String client, String useCase, String method, String path, JsonNode body) {

        @Override
        public String toString() {
            return "line " + line + " " + useCase + ": " + method + " " + path;
        }

        boolean asksForAnUnbuiltFeature() {
            return "required".equals(body.path("scanMode").asString(""));
        }
    }

    @BeforeAll
    static void start() {
        swell = SwellInstance.start(tmp.resolve("swell"));
    }

    @AfterAll
    static void stop() {
        if (swell != null) {
            swell.close();
        }
    }

    static List<Recorded> recording() {
        List<Recorded> requests = new ArrayList<>();
        try (InputStream in = ClientRequestsReplayIT.class.getResourceAsStream(RECORDING)) {
            assertThat(in).as(RECORDING + " on the test class path").isNotNull();
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                JsonNode line = Http.JSON.readTree(lines[i]);
                requests.add(new Recorded(i + 1, line.path("client").asString(), line.path("case").asString(),
                        line.path("method").asString(), line.path("path").asString(), line.path("body")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return requests;
    }

    static Stream<Arguments> posts() {
        return recording().stream().filter(r -> r.method().equals("POST")).map(Arguments::of);
    }

    static Stream<Arguments> gets() {
        return recording().stream().filter(r -> r.method().equals("GET")).map(Arguments::of);
    }

    @Test
    void theRecordingHoldsRequestsOfBothClients() {
        List<Recorded> all = recording();

        assertThat(all).hasSizeGreaterThan(40);
        assertThat(all).extracting(Recorded::client).anyMatch(c -> c.startsWith("wave-cli"))
                .anyMatch(c -> c.startsWith("nextflow"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("posts")
    void everyRecordedPostGetsAnAnswerAClientUnderstands(Recorded request) {
        Http.Answer answer = Http.postJson(swell.uri(request.path()), Http.JSON.writeValueAsString(request.body()));

        assertThat(answer.status()).as("%s", answer)
                .matches(s -> s == 200 || s >= 400 && s <= 499 || s == 501, "200, a 4xx or 501");
        if (answer.status() == 200) {
            assertThat(answer.json().path("targetImage").asString()).isNotBlank();
            return;
        }
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.message()).as("%s", answer).isNotBlank();
        if (request.path().equals("/v1alpha2/container") && request.asksForAnUnbuiltFeature()) {
            assertThat(answer.status()).as("unbuilt feature: %s", answer).isEqualTo(501);
        }
        if (request.path().equals("/v1alpha2/container") && !request.asksForAnUnbuiltFeature()
                && request.body().path("containerImage").isString() && !request.body().path("freeze").asBoolean(false)
                && !request.body().path("mirror").asBoolean(false)) {
            assertThat(answer.status()).as("Docker Hub is unreachable: %s", answer).isEqualTo(400);
            assertThat(answer.message()).contains("does not exist or access is not authorized");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gets")
    void everyRecordedGetIsAnsweredWithoutAServerError(Recorded request) {
        Http.Answer answer = Http.get(swell.uri(request.path()));

        if (request.path().startsWith("/v1alpha2/container/")) {
            // The ids were made up by the recording: they are unknown here.
            assertThat(answer.status()).as("%s", answer).isEqualTo(404);
            assertThat(answer.message()).as("%s", answer).isNotBlank();
        } else {
            assertThat(answer.status()).as("%s", answer).isEqualTo(200);
            assertThat(answer.json().isObject()).isTrue();
        }
    }
}
