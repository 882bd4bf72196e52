package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.testing.LocalRegistry;
import io.swell.testing.TokenIssuer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1alpha2/validate-creds} (and the deprecated {@code /validate-creds}) against a Basic-auth and a
 * token-auth docker-registry: right credentials are {@code true}, wrong ones {@code false}. With the default
 * configuration a registry on a loopback address, by number or by name, is refused (SSRF protection).
 */
class ValidateCredsIT {

    private static final String USER = "operator";
    private static final String PASSWORD = "s3cret-Pw";
    private static final List<String> PATHS = List.of("/v1alpha2/validate-creds", "/validate-creds");

    @TempDir
    static Path tmp;

    private static LocalRegistry basicRegistry;
    private static TokenIssuer issuer;
    private static LocalRegistry tokenRegistry;
    private static LocalRegistry openRegistry;
    private static SwellInstance allowingPrivateHosts;
    private static SwellInstance byDefault;

    @BeforeAll
    static void start() {
        basicRegistry = LocalRegistry.withBasicAuth(USER, PASSWORD);
        issuer = new TokenIssuer(USER, PASSWORD);
        tokenRegistry = LocalRegistry.withTokenAuth(issuer);
        openRegistry = LocalRegistry.open();
        allowingPrivateHosts = SwellInstance.start(tmp.resolve("swell-private"), """
                validateCreds: {allowPrivateHosts: true}
                """);
        byDefault = SwellInstance.start(tmp.resolve("swell-default"));
    }

    @AfterAll
    static void stop() {
        Fixtures.closeAll(allowingPrivateHosts, byDefault, openRegistry, tokenRegistry, issuer, basicRegistry);
    }

    @Test
    void basicAuthRegistryAcceptsOnlyTheRightCredentials() {
        for (String path : PATHS) {
            assertThat(validate(path, USER, PASSWORD, basicRegistry.hostPort())).as(path).isTrue();
            assertThat(validate(path, USER, "wrong", basicRegistry.hostPort())).as(path).isFalse();
            assertThat(validate(path, "nobody", PASSWORD, basicRegistry.hostPort())).as(path).isFalse();
        }
    }

    @Test
    void tokenAuthRegistryIsCheckedAtItsTokenEndpoint() {
        int before = issuer.requests();
        for (String path : PATHS) {
            assertThat(validate(path, USER, PASSWORD, tokenRegistry.hostPort())).as(path).isTrue();
            assertThat(validate(path, USER, "wrong", tokenRegistry.hostPort())).as(path).isFalse();
        }
        assertThat(issuer.requests()).as("every check asked the token server").isEqualTo(before + 4);
    }

    @Test
    void aRegistryWithoutAuthenticationAcceptsAnyCredentials() {
        assertThat(validate(PATHS.get(0), "anyone", "anything", openRegistry.hostPort())).isTrue();
    }

    @Test
    void loopbackRegistriesAreRefusedByDefaultByNumberAndByName() {
        for (String registry : List.of(basicRegistry.hostPort(), "localhost:" + basicRegistry.port())) {
            for (String path : PATHS) {
                Http.Answer answer = post(byDefault, path, body(USER, PASSWORD, registry));
                assertThat(answer.status()).as("%s %s: %s", path, registry, answer).isEqualTo(400);
                assertThat(answer.message()).startsWith("Registry host not allowed");
            }
        }
    }

    @Test
    void missingFieldsAreNamed() {
        Map<String, ObjectNode> bodies = Map.of(
                "userName", body(null, PASSWORD, basicRegistry.hostPort()),
                "password", body(USER, null, basicRegistry.hostPort()),
                "registry", body(USER, PASSWORD, null));
        bodies.forEach((field, body) -> {
            Http.Answer answer = post(allowingPrivateHosts, PATHS.get(0), body);
            assertThat(answer.status()).as("%s", answer).isEqualTo(400);
            assertThat(answer.message()).contains("'" + field + "'");
        });
        assertThat(Http.postJson(allowingPrivateHosts.uri(PATHS.get(0)), "").status()).isEqualTo(400);
    }

    @Test
    void theRegistryMustBeAHostWithoutSchemeOrPath() {
        for (String registry : List.of("http://" + basicRegistry.hostPort(), basicRegistry.hostPort() + "/v2/",
                "user@" + basicRegistry.hostPort())) {
            Http.Answer answer = post(allowingPrivateHosts, PATHS.get(0), body(USER, PASSWORD, registry));
            assertThat(answer.status()).as("%s: %s", registry, answer).isEqualTo(400);
            assertThat(answer.message()).contains("host[:port]");
        }
    }

    private static boolean validate(String path, String user, String password, String registry) {
        Http.Answer answer = post(allowingPrivateHosts, path, body(user, password, registry));
        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.text()).isIn("true", "false");
        assertThat(answer.text()).doesNotContain(PASSWORD);
        return answer.json().asBoolean();
    }

    private static Http.Answer post(SwellInstance swell, String path, ObjectNode body) {
        return Http.postJson(swell.uri(path), body);
    }

    private static ObjectNode body(String user, String password, String registry) {
        ObjectNode body = Http.JSON.createObjectNode();
        if (user != null) {
            body.put("userName", user);
        }
        if (password != null) {
            body.put("password", password);
        }
        if (registry != null) {
            body.put("registry", registry);
        }
        return body;
    }
}
