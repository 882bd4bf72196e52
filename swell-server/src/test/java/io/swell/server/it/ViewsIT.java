package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.testing.Chromium;
import io.swell.testing.LocalRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The HTML pages, loaded by a real browser (Debian's headless Chromium). */
@Tag("slow")
class ViewsIT {
    @TempDir
    static Path tmp;

    private static LocalRegistry registry;
    private static SwellInstance swell;
    private static String busybox;

    @BeforeAll
    static void start() {
        registry = Fixtures.registryWithBusybox(tmp.resolve("image"));
        busybox = registry.hostPort() + "/lib/busybox:1";
        swell = SwellInstance.start(tmp.resolve("swell"), Builds.config("", registry.hostPort()));
    }

    @AfterAll
    static void stop() {
        Fixtures.closeAll(swell, registry);
    }

    @Test
    void aBuildPageShowsTheBuildItsFileAndItsLog() {
        JsonNode answer = Http.submit(swell, Builds.request("FROM " + busybox + "\nRUN echo page-visible-line\n"));
        String buildId = answer.path("buildId").asString();
        Builds.awaitDone(swell, answer.path("requestId").asString(), Duration.ofMinutes(2));

        String dom = Chromium.dumpDom(swell.uri("/view/builds/" + buildId));

        assertThat(dom).contains("<title>Build " + buildId + " · Swell</title>", "Succeeded",
                answer.path("containerImage").asString(), "RUN echo page-visible-line", "linux/amd64")
                .containsPattern("(?s)Build log.*page-visible-line");
        assertThat(dom).doesNotContain("http-equiv=\"refresh\"");
    }

    @Test
    void whatABuildPrintsIsShownAsTextAndNeverRun() {
        String attack = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">";
        JsonNode answer = Http.submit(swell, Builds.request("FROM " + busybox + "\nRUN echo \"" + attack.replace("\"",
                "\\\"") + "\" && exit 3\n"));
        String buildId = answer.path("buildId").asString();
        Builds.awaitDone(swell, answer.path("requestId").asString(), Duration.ofMinutes(2));
        Http.Answer raw = Http.get(swell.uri("/view/builds/" + buildId));
        assertThat(raw.header("Content-Security-Policy")).contains("default-src 'none'");

        String dom = Chromium.dumpDom(swell.uri("/view/builds/" + buildId));

        assertThat(dom).contains("<title>Build " + buildId + " · Swell</title>", "Failed", "exit status 3")
                .contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;")
                .doesNotContain("<script>").doesNotContain("<img");
    }

    @Test
    void aContainerPageLinksItsBuildAndDashedIdsRedirect() {
        JsonNode answer = Http.submit(swell, Builds.request("FROM " + busybox + "\nRUN echo linked\n"));
        String buildId = answer.path("buildId").asString();
        Builds.awaitDone(swell, answer.path("requestId").asString(), Duration.ofMinutes(2));

        String dom = Chromium.dumpDom(swell.uri("/view/containers/" + answer.path("requestId").asString()));

        assertThat(dom).contains("Container request", answer.path("targetImage").asString(),
                "href=\"/view/builds/" + buildId + "\"");
        String dashed = buildId.substring(0, buildId.lastIndexOf('_')) + "-" + buildId.substring(
                buildId.lastIndexOf('_') + 1);
        Http.Answer redirect = Http.get(swell.uri("/view/builds/" + dashed));
        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.header("Location")).isEqualTo("/view/builds/" + buildId);
        assertThat(Http.get(swell.uri("/view/builds/bd-0000000000000000_9")).status()).isEqualTo(404);
    }
}
