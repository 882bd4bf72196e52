package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Wave's usage metrics API: pulls and builds counted as they happen, read by admins. */
@Tag("slow")
class MetricsIT {
    private static final String ADMIN = "metrics-admin";
    private static final String PASSWORD = "count-Everything-1";

    @TempDir
    static Path tmp;

    private static LocalRegistry registry;
    private static SwellInstance swell;

    @BeforeAll
    static void start() {
        registry = Fixtures.registryWithBusybox(tmp.resolve("image"));
        swell = SwellInstance.start(tmp.resolve("swell"), Builds.config("""
                metrics: {enabled: true}
                accounts:
                  %s: %s
                """.formatted(ADMIN, LayerTarball.sha256(PASSWORD.getBytes(StandardCharsets.UTF_8))
                .substring("sha256:".length())), registry.hostPort()));
    }

    @AfterAll
    static void stop() {
        Fixtures.closeAll(swell, registry);
    }

    @Test
    void pullsAndBuildsAreCountedPerDayAndArchitecture() {
        JsonNode request = Http.submit(swell, Http.containerRequest(registry.hostPort() + "/lib/busybox:1")
                .put("containerPlatform", "linux/arm64"));
        String manifests = "/v2/wt/" + request.path("containerToken").asString() + "/lib/busybox/manifests/1";
        for (int i = 0; i < 3; i++) {
            assertThat(Http.get(swell.uri(manifests), "Accept", Http.ACCEPT_MANIFESTS).status()).isEqualTo(200);
        }
        assertThat(Http.head(swell.uri(manifests), "Accept", Http.ACCEPT_MANIFESTS).status()).isEqualTo(200);
        JsonNode build = Http.submit(swell, Builds.request("FROM " + registry.hostPort()
                + "/lib/busybox:1\nRUN echo counted > /c\n"));
        Builds.awaitDone(swell, build.path("requestId").asString(), Duration.ofMinutes(2));

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonNode pulls = read("/v1alpha3/metrics/pulls?date=" + today + "&arch=arm64");
        assertThat(pulls.path("metric").asString()).isEqualTo("pulls");
        assertThat(pulls.path("arch").asString()).isEqualTo("arm64");
        // three GETs; the HEAD is not a pull
        assertThat(pulls.path("count").asLong()).isEqualTo(3);
        assertThat(read("/v1alpha2/metrics/builds").path("count").asLong()).isEqualTo(1);
        assertThat(read("/v1alpha3/metrics/builds?arch=amd64").path("count").asLong()).isEqualTo(1);
        assertThat(read("/v1alpha2/metrics/mirrors").path("count").asLong()).isZero();
    }

    @Test
    void onlyAdminsReadMetricsAndBadQueriesAreExplained() {
        assertThat(Http.get(swell.uri("/v1alpha2/metrics/pulls")).status()).isEqualTo(401);
        Http.Answer badDate = Http.get(swell.uri("/v1alpha2/metrics/pulls?date=yesterday"), "Authorization", basic());
        assertThat(badDate.status()).isEqualTo(400);
        assertThat(badDate.message()).isEqualTo("date format should be yyyy-MM-dd");
        assertThat(Http.get(swell.uri("/v1alpha3/metrics/pulls?arch=mips"), "Authorization", basic()).status())
                .isEqualTo(400);
        assertThat(Http.get(swell.uri("/v1alpha2/metrics/logins"), "Authorization", basic()).status())
                .isEqualTo(404);
    }

    private static JsonNode read(String path) {
        Http.Answer answer = Http.get(swell.uri(path), "Authorization", basic());
        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        return answer.json();
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((ADMIN + ":" + PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
    }
}
