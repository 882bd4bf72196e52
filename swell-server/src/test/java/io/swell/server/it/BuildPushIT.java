package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swell.testing.LocalRegistry;
import io.swell.testing.Skopeo;
import io.swell.testing.TokenIssuer;
import io.swell.testing.ToolFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Builds pushed to a build repository in a registry that needs credentials: with the operator's credentials in
 * Swell's configuration the image lands there and is pullable without Swell; without them the push is refused and
 * the build fails with a reason that says so.
 */
class BuildPushIT {

    private static final String USER = "builder";
    private static final String PASSWORD = "pUsh-s3cret";

    @TempDir
    static Path tmp;

    private static LocalRegistry baseRegistry;
    private static LocalRegistry basicRegistry;
    private static TokenIssuer issuer;
    private static LocalRegistry tokenRegistry;
    private static SwellInstance withCredentials;
    private static SwellInstance withoutCredentials;
    private static String from;

    @BeforeAll
    static void start() {
        baseRegistry = Fixtures.registryWithBusybox(tmp.resolve("image"));
        from = "FROM " + baseRegistry.hostPort() + "/lib/busybox:1\n";
        basicRegistry = LocalRegistry.withBasicAuth(USER, PASSWORD);
        issuer = new TokenIssuer(USER, PASSWORD);
        tokenRegistry = LocalRegistry.withTokenAuth(issuer);

        withCredentials = SwellInstance.start(tmp.resolve("swell-creds"), Builds.config("""
                registries:
                  "%s": {username: %s, password: %s}
                """.formatted(basicRegistry.hostPort(), USER, PASSWORD), baseRegistry.hostPort(),
                basicRegistry.hostPort()));
        withoutCredentials = SwellInstance.start(tmp.resolve("swell-anon"), Builds.config("",
                baseRegistry.hostPort(), basicRegistry.hostPort(), tokenRegistry.hostPort()));
    }

    @AfterAll
    static void stop() {
        Fixtures.closeAll(withCredentials, withoutCredentials, tokenRegistry, issuer, basicRegistry, baseRegistry);
    }

    @Test
    void theImageIsPushedToTheBuildRepositoryWithTheConfiguredCredentials() throws IOException {
        String repository = basicRegistry.hostPort() + "/builds";
        JsonNode answer = Http.submit(withCredentials, Builds.request(from + "RUN echo pushed > /pushed.txt\n")
                .put("buildRepository", repository));
        String buildId = answer.path("buildId").asString();
        String containerImage = answer.path("containerImage").asString();
        String containerId = Builds.containerId(buildId);
        assertThat(containerImage).isEqualTo(repository + ":" + containerId);
        String requestId = answer.path("requestId").asString();
        assertThat(answer.path("targetImage").asString())
                .isEqualTo(withCredentials.host() + "/wt/" + requestId + "/builds:" + containerId);

        JsonNode status = Builds.awaitDone(withCredentials, requestId, Duration.ofMinutes(2));

        assertThat(status.path("succeeded").asBoolean()).as("%s\n%s", status,
                Builds.logs(withCredentials, buildId)).isTrue();
        JsonNode record = Builds.record(withCredentials, buildId);
        assertThat(record.path("targetImage").asString()).isEqualTo(containerImage);
        String digest = record.path("digest").asString();
        assertThat(digest).startsWith("sha256:");
        // In the registry, without Swell: with the credentials only.
        JsonNode inspected = Http.JSON.readTree(Skopeo.inspect(containerImage, false, USER + ":" + PASSWORD));
        assertThat(inspected.path("Digest").asString()).isEqualTo(digest);
        assertThatThrownBy(() -> Skopeo.inspect(containerImage, false, null))
                .isInstanceOf(ToolFailedException.class);
        // Through Swell's token: proxied with the configured credentials.
        PulledImage pulled = PulledImage.pull(answer.path("targetImage").asString(), tmp.resolve("pulled"));
        Path rootfs = pulled.unpack(tmp.resolve("bundle"));
        assertThat(Files.readString(rootfs.resolve("pushed.txt"))).isEqualTo("pushed\n");
        // Asked again: the image exists in the repository, so no build.
        JsonNode again = Http.submit(withCredentials, Builds.request(from + "RUN echo pushed > /pushed.txt\n")
                .put("buildRepository", repository));
        assertThat(again.path("cached").asBoolean()).as("%s", again).isTrue();
        assertThat(again.path("succeeded").asBoolean()).isTrue();
        assertThat(again.path("containerImage").asString()).isEqualTo(containerImage);
    }

    @Test
    void withoutCredentialsABasicAuthRepositoryIsRefused() {
        JsonNode body = Builds.request(from + "RUN echo no-credentials\n")
                .put("buildRepository", basicRegistry.hostPort() + "/builds");

        Http.Answer answer = Http.postJson(withoutCredentials.uri(Builds.V2), body);

        // Refused before building (as Wave does when it has no push credentials): Swell cannot even check
        // whether the image is already there.
        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.message()).contains(basicRegistry.hostPort() + "/builds");
        assertThat(answer.message().toLowerCase()).containsAnyOf("unauthorized", "authentication", "credentials");
    }

    @Test
    void withoutCredentialsThePushIsRefusedAndTheBuildFails() {
        JsonNode answer = Http.submit(withoutCredentials, anonymousPush("RUN echo anonymous-push\n"));

        assertThat(answer.path("cached").asBoolean(true)).isFalse();
        String buildId = answer.path("buildId").asString();
        JsonNode status = Builds.awaitDone(withoutCredentials, answer.path("requestId").asString(),
                Duration.ofMinutes(2));
        assertThat(status.path("succeeded").asBoolean(true)).as("%s", status).isFalse();
        assertThat(status.path("reason").asString()).as("%s", status).contains("pushing image");
        String log = Builds.logs(withoutCredentials, buildId);
        assertThat(log).contains("anonymous-push").contains("unauthorized: authentication required");
        JsonNode record = Builds.record(withoutCredentials, buildId);
        assertThat(record.path("status").asString()).isEqualTo("FAILED");
        assertThat(record.path("exitStatus").asInt(0)).isNotZero();
        assertThat(record.has("digest")).isFalse();
        // The held pull's error carries the end of the log, where the registry's answer is.
        TargetImage target = new TargetImage(answer.path("targetImage").asString());
        Http.Answer manifest = Http.get(withoutCredentials.uri(target.manifestPath(Builds.containerId(buildId))),
                "Accept", Http.ACCEPT_MANIFESTS);
        assertThat(manifest.status()).as("%s", manifest).isEqualTo(400);
        assertThat(manifest.registryErrorCode()).isEqualTo("UNKNOWN");
        assertThat(manifest.text()).contains(buildId).contains("unauthorized: authentication required");
    }

    @Test
    void withoutCredentialsTheReasonSaysAuthenticationFailed() {
        JsonNode answer = Http.submit(withoutCredentials, anonymousPush("RUN echo anonymous-push-reason\n"));

        assertFailedForAuthentication(withoutCredentials, answer);
    }

    /**
     * A build request pushing to {@code public/} of the token registry: anonymous users may pull there (so the
     * check whether the image exists passes) but never push.
     */
    private static JsonNode anonymousPush(String runStep) {
        return Builds.request(from + runStep)
                .put("buildRepository", tokenRegistry.hostPort() + "/" + TokenIssuer.PUBLIC_PREFIX + "builds");
    }

    private static void assertFailedForAuthentication(SwellInstance swell, JsonNode answer) {
        String buildId = answer.path("buildId").asString();
        JsonNode status = Builds.awaitDone(swell, answer.path("requestId").asString(), Duration.ofMinutes(2));
        assertThat(status.path("succeeded").asBoolean(true)).as("%s", status).isFalse();
        assertThat(status.path("reason").asString().toLowerCase()).as("%s\n%s", status, Builds.logs(swell, buildId))
                .containsAnyOf("unauthorized", "authentication required", "denied");
        JsonNode record = Builds.record(swell, buildId);
        assertThat(record.path("status").asString()).isEqualTo("FAILED");
        assertThat(record.path("exitStatus").asInt(0)).isNotZero();
        assertThat(record.has("digest")).isFalse();
    }
}
