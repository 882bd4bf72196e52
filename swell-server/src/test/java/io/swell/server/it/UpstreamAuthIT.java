package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.testing.BuiltImage;
import io.swell.testing.LocalRegistry;
import io.swell.testing.TestImages;
import io.swell.testing.TokenIssuer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream registries that need credentials: HTTP Basic, and bearer tokens from a token server (with anonymous
 * tokens for public repositories). Swell uses the operator's credentials from its configuration; clients never
 * send any.
 */
class UpstreamAuthIT {

    private static final String USER = "operator";
    private static final String PASSWORD = "s3cret-Pw";
    private static final String NOT_AUTHORIZED = "does not exist or access is not authorized";

    @TempDir
    static Path tmp;

    private static LocalRegistry basicRegistry;
    private static TokenIssuer issuer;
    private static LocalRegistry tokenRegistry;
    private static SwellInstance withCredentials;
    private static SwellInstance withoutCredentials;
    private static LayerTarball layer;

    @BeforeAll
    static void start() {
        BuiltImage image = TestImages.singleArchLayout(tmp.resolve("image"), "1", Map.of());
        layer = LayerTarball.ofTextFiles(Map.of("/auth.txt", "pulled with operator credentials\n"));

        basicRegistry = LocalRegistry.withBasicAuth(USER, PASSWORD);
        TestImages.push(image, basicRegistry.hostPort() + "/lib/busybox:1", USER + ":" + PASSWORD);

        issuer = new TokenIssuer(USER, PASSWORD);
        tokenRegistry = LocalRegistry.withTokenAuth(issuer);
        TestImages.push(image, tokenRegistry.hostPort() + "/private/busybox:1", USER + ":" + PASSWORD);
        TestImages.push(image, tokenRegistry.hostPort() + "/public/busybox:1", USER + ":" + PASSWORD);

        withCredentials = SwellInstance.start(tmp.resolve("swell-creds"), """
                registries:
                  "%s": {username: %s, password: %s}
                  "%s": {username: %s, password: %s}
                """.formatted(basicRegistry.hostPort(), USER, PASSWORD, tokenRegistry.hostPort(), USER, PASSWORD));
        withoutCredentials = SwellInstance.start(tmp.resolve("swell-anon"));
    }

    @AfterAll
    static void stop() {
        Fixtures.closeAll(withCredentials, withoutCredentials, tokenRegistry, issuer, basicRegistry);
    }

    @Test
    void basicAuthRegistryWithConfiguredCredentialsIsAugmentedAndPulled() throws IOException {
        String target = augment(withCredentials, basicRegistry.hostPort() + "/lib/busybox:1");

        assertPullable(target, "basic");
    }

    @Test
    void basicAuthRegistryWithoutCredentialsIsRefusedAtRequestTime() {
        Http.Answer answer = Http.postJson(withoutCredentials.uri("/v1alpha2/container"),
                Http.containerRequest(basicRegistry.hostPort() + "/lib/busybox:1"));

        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.message()).contains(NOT_AUTHORIZED);
    }

    @Test
    void tokenAuthRegistryWithConfiguredCredentialsIsAugmentedAndPulled() throws IOException {
        int tokensBefore = issuer.requests();

        String target = augment(withCredentials, tokenRegistry.hostPort() + "/private/busybox:1");

        assertThat(issuer.requests()).as("Swell asked the token server").isGreaterThan(tokensBefore);
        assertPullable(target, "token");
    }

    @Test
    void publicRepositoryOfATokenRegistryWorksWithAnonymousTokens() throws IOException {
        int tokensBefore = issuer.requests();

        String target = augment(withoutCredentials, tokenRegistry.hostPort() + "/public/busybox:1");

        assertThat(issuer.requests()).isGreaterThan(tokensBefore);
        assertPullable(target, "public");
    }

    @Test
    void privateRepositoryOfATokenRegistryIsRefusedWithoutCredentials() {
        Http.Answer answer = Http.postJson(withoutCredentials.uri("/v1alpha2/container"),
                Http.containerRequest(tokenRegistry.hostPort() + "/private/busybox:1"));

        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.message()).contains(NOT_AUTHORIZED);
    }

    @Test
    void plainPathsUseTheConfiguredCredentialsToo() {
        Http.Answer answer = Http.get(withCredentials.uri("/v2/" + basicRegistry.hostPort()
                + "/lib/busybox/manifests/1"), "Accept", Http.ACCEPT_MANIFESTS);

        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        assertThat(answer.header("Docker-Content-Digest")).isEqualTo(LayerTarball.sha256(answer.body()));
    }

    private static String augment(SwellInstance swell, String image) {
        ObjectNode body = Http.containerRequest(image);
        ObjectNode config = body.putObject("containerConfig");
        config.putArray("env").add("AUTH=1");
        config.putArray("layers").add(layer.json());
        JsonNode answer = Http.submit(swell, body);
        return answer.path("targetImage").asString();
    }

    private static void assertPullable(String target, String name) throws IOException {
        PulledImage pulled = PulledImage.pull(target, tmp.resolve("pulled-" + name));
        assertThat(Http.strings(pulled.config().path("config").path("Env"))).contains("AUTH=1");
        Path rootfs = pulled.unpack(tmp.resolve("bundle-" + name));
        assertThat(Files.readString(rootfs.resolve("auth.txt"))).isEqualTo("pulled with operator credentials\n");
        assertThat(Files.mismatch(rootfs.resolve("bin/busybox"), Path.of("/bin/busybox"))).isEqualTo(-1L);
    }
}
