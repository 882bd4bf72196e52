package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.testing.LocalRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Wave's rate limits, per client IP: pulls (container requests and manifest GETs by digest) and new builds, each
 * answered with a 429 once the budget is spent. Each test runs its own Swell so budgets do not mix.
 */
@Tag("slow")
class RateLimitIT {
    @TempDir
    static Path tmp;

    private static LocalRegistry registry;
    private static String busybox;

    @BeforeAll
    static void start() {
        registry = Fixtures.registryWithBusybox(tmp.resolve("image"));
        busybox = registry.hostPort() + "/lib/busybox:1";
    }

    @AfterAll
    static void stop() {
        Fixtures.closeAll(registry);
    }

    @Test
    void containerRequestsAndManifestPullsByDigestShareThePullBudget() {
        try (SwellInstance swell = SwellInstance.start(tmp.resolve("pulls"), Builds.config("""
                rateLimit:
                  pull: 3/1h
                """, registry.hostPort()))) {
            JsonNode answer = Http.submit(swell, Http.containerRequest(busybox));
            String tokenPath = "/v2/wt/" + answer.path("containerToken").asString() + "/lib/busybox/manifests/";
            Http.Answer byTag = Http.get(swell.uri(tokenPath + "1"), "Accept", Http.ACCEPT_MANIFESTS);
            assertThat(byTag.status()).isEqualTo(200);
            String digest = byTag.header("Docker-Content-Digest");
            for (int i = 0; i < 3; i++) {
                // by tag: not counted
                assertThat(Http.get(swell.uri(tokenPath + "1"), "Accept", Http.ACCEPT_MANIFESTS).status())
                        .isEqualTo(200);
            }
            assertThat(Http.get(swell.uri(tokenPath + digest), "Accept", Http.ACCEPT_MANIFESTS).status())
                    .isEqualTo(200);
            assertThat(Http.postJson(swell.uri(Builds.V2), Http.containerRequest(busybox)).status()).isEqualTo(200);

            Http.Answer overByRequest = Http.postJson(swell.uri(Builds.V2), Http.containerRequest(busybox));
            assertThat(overByRequest.status()).isEqualTo(429);
            assertThat(overByRequest.message()).isEqualTo(
                    "Request exceeded pull rate limit for IP 127.0.0.1 (3 per PT1H)");
            Http.Answer overByDigest = Http.get(swell.uri(tokenPath + digest), "Accept", Http.ACCEPT_MANIFESTS);
            assertThat(overByDigest.status()).isEqualTo(429);
            assertThat(overByDigest.json().path("errors").get(0).path("code").asString())
                    .isEqualTo("TOOMANYREQUESTS");
        }
    }

    @Test
    void onlyNewBuildsCountAgainstTheBuildBudget() {
        try (SwellInstance swell = SwellInstance.start(tmp.resolve("builds"), Builds.config("""
                rateLimit:
                  build: 1/1h
                """, registry.hostPort()))) {
            String first = "FROM " + busybox + "\nRUN echo one > /one\n";
            JsonNode built = Http.submit(swell, Builds.request(first));
            assertThat(Builds.awaitDone(swell, built.path("requestId").asString(), Duration.ofMinutes(2))
                    .path("succeeded").asBoolean()).isTrue();
            // The same image again is a cache hit, not a build.
            assertThat(Http.submit(swell, Builds.request(first)).path("cached").asBoolean()).isTrue();

            Http.Answer second = Http.postJson(swell.uri(Builds.V2),
                    Builds.request("FROM " + busybox + "\nRUN echo two > /two\n"));

            assertThat(second.status()).isEqualTo(429);
            assertThat(second.message()).startsWith("Request exceeded build rate limit for IP 127.0.0.1");
        }
    }
}
