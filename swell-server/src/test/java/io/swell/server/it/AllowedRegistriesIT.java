package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.testing.LocalRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code allowedRegistries}: Swell contacts only the registries an operator lists. */
class AllowedRegistriesIT {
    @TempDir
    static Path tmp;

    private static LocalRegistry allowed;
    private static LocalRegistry other;
    private static SwellInstance swell;

    @BeforeAll
    static void start() {
        allowed = Fixtures.registryWithBusybox(tmp.resolve("allowed"));
        other = Fixtures.registryWithBusybox(tmp.resolve("other"));
        swell = SwellInstance.start(tmp.resolve("swell"), "allowedRegistries: [\"%s\"]\n"
                .formatted(allowed.hostPort()));
    }

    @AfterAll
    static void stop() {
        Fixtures.closeAll(swell, allowed, other);
    }

    @Test
    void aListedRegistryIsServed() {
        JsonNode answer = Http.submit(swell, Http.containerRequest(allowed.hostPort() + "/lib/busybox:1"));

        assertThat(Http.get(swell.uri("/v2/wt/" + answer.path("containerToken").asString()
                + "/lib/busybox/manifests/1"), "Accept", Http.ACCEPT_MANIFESTS).status()).isEqualTo(200);
        assertThat(allowed.logTail(500)).contains("\"GET /v2/lib/busybox/manifests");
    }

    @Test
    void anyOtherRegistryIsRefusedWhereverItIsNamed() {
        Http.Answer request = Http.postJson(swell.uri(Builds.V2), Http.containerRequest(other.hostPort()
                + "/lib/busybox:1"));
        assertThat(request.status()).isEqualTo(400);
        assertThat(request.message()).contains("is not allowed on this server");

        Http.Answer plainPath = Http.get(swell.uri("/v2/" + other.hostPort() + "/lib/busybox/manifests/1"),
                "Accept", Http.ACCEPT_MANIFESTS);
        assertThat(plainPath.status()).isEqualTo(403);
        assertThat(plainPath.json().path("errors").get(0).path("code").asString()).isEqualTo("DENIED");

        Http.Answer inspect = Http.postJson(swell.uri("/v1alpha1/inspect"),
                Http.JSON.createObjectNode().put("containerImage", other.hostPort() + "/lib/busybox:1"));
        assertThat(inspect.status()).as("%s", inspect).isBetween(400, 499);
        assertThat(inspect.message()).contains("is not allowed on this server");
        // the fixture's own push is there; Swell never asked for the manifest
        assertThat(other.logTail(500)).doesNotContain("\"GET /v2/lib/busybox/manifests");
    }
}
