package io.swell.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import io.swell.api.ValidateCredsRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The login flow against scripted registries (a JDK HttpServer playing an open, a Basic and a bearer registry),
 * and the host checks that keep the endpoint from probing private networks.
 */
class CredentialsValidatorTest {
    private static final String BASIC_BOB = basic("bob", "pw");

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile String mode = "open";
    private HttpServer server;
    private HttpClient http;
    private String registry;

    /** A Basic header built without the class under test. */
    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        http = new HttpClient();
        http.start();
        registry = "127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String target = ex.getRequestURI().toString();
        requests.add(target + " " + (auth == null ? "-" : auth));
        int status;
        if (target.startsWith("/v2/")) {
            switch (mode) {
                case "open" -> status = 200;
                case "basic" -> {
                    status = BASIC_BOB.equals(auth) ? 200 : 401;
                    ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test\"");
                }
                case "bearer" -> {
                    status = 401;
                    ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + registry
                            + "/token\",service=\"test registry\"");
                }
                case "redirect" -> {
                    status = 302;
                    ex.getResponseHeaders().add("Location", "http://" + registry + "/elsewhere");
                }
                default -> status = 500;
            }
        } else if (target.startsWith("/token")) {
            status = BASIC_BOB.equals(auth) ? 200 : 401;
        } else {
            status = 404;
        }
        byte[] body = status == 200 ? "{\"token\":\"t\"}".getBytes(StandardCharsets.UTF_8) : new byte[0];
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
        ex.close();
    }

    private CredentialsValidator validator(boolean allowPrivateHosts) {
        return new CredentialsValidator(http, new RegistryEndpoints(Set.of()), allowPrivateHosts);
    }

    private boolean check(String user, String password) {
        return validator(true).validate(new ValidateCredsRequest(user, password, registry));
    }

    @Test
    void anOpenRegistryAcceptsAnyCredentials() {
        mode = "open";
        assertThat(check("anyone", "anything")).isTrue();
        assertThat(requests).containsExactly("/v2/ -");
    }

    @Test
    void aBasicRegistryIsAskedAgainWithTheCredentials() {
        mode = "basic";
        assertThat(check("bob", "pw")).isTrue();
        assertThat(check("bob", "wrong")).isFalse();
        assertThat(requests).contains("/v2/ " + BASIC_BOB);
    }

    @Test
    void aBearerRegistrySendsTheCredentialsToItsRealmWithTheServiceAndNoScope() {
        mode = "bearer";
        assertThat(check("bob", "pw")).isTrue();
        assertThat(requests).contains("/token?service=test+registry " + BASIC_BOB);
        assertThat(requests).noneMatch(r -> r.contains("scope="));
        assertThat(check("bob", "wrong")).isFalse();
    }

    @Test
    void redirectsAndErrorsAreNotALogin() {
        mode = "redirect";
        assertThat(check("bob", "pw")).isFalse();
        assertThat(requests).noneMatch(r -> r.startsWith("/elsewhere"));
        mode = "broken";
        assertThat(check("bob", "pw")).isFalse();
    }

    @Test
    void loopbackHostsAreRefusedUnlessAllowed() {
        for (String host : List.of(registry, "localhost:" + server.getAddress().getPort(), "[::1]:5000")) {
            assertThatThrownBy(() -> validator(false).validate(new ValidateCredsRequest("bob", "pw", host)))
                    .isInstanceOfSatisfying(SwellException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
                        assertThat(e.getMessage()).startsWith("Registry host not allowed");
                    });
        }
        assertThat(requests).isEmpty();
    }

    @Test
    void namesResolvingToAnyPrivateAddressAreRefused() throws Exception {
        InetAddress[] mixed = {InetAddress.getByName("93.184.215.14"), InetAddress.getByName("10.1.2.3")};
        var validator = new CredentialsValidator(http, new RegistryEndpoints(Set.of()), false, host -> {
            if (host.equals("unknown.example")) {
                throw new UnknownHostException(host);
            }
            return host.equals("public.example") ? new InetAddress[] {mixed[0]} : mixed;
        });
        validator.checkHost("public.example");
        assertThatThrownBy(() -> validator.checkHost("sneaky.example")).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> validator.checkHost("unknown.example")).hasMessageContaining("Unknown registry");
    }

    @Test
    void theRegistryMustBeAHostAndPort() {
        assertThat(CredentialsValidator.registryHost("Quay.IO")).isEqualTo("quay.io");
        assertThat(CredentialsValidator.registryHost("registry.lan:5000")).isEqualTo("registry.lan:5000");
        assertThat(CredentialsValidator.registryHost("index.docker.io")).isEqualTo("docker.io");
        assertThat(CredentialsValidator.registryHost("[::1]:443")).isEqualTo("[::1]:443");
        for (String bad : List.of("https://quay.io", "quay.io/org", "quay.io:99999", "quay.io:0", "user@quay.io",
                "quay .io", "-bad.io")) {
            assertThatThrownBy(() -> CredentialsValidator.registryHost(bad))
                    .as(bad).hasMessageContaining("expected host[:port]");
        }
    }

    @Test
    void everyFieldIsRequired() {
        var validator = validator(true);
        assertThatThrownBy(() -> validator.validate(new ValidateCredsRequest(null, "pw", registry)))
                .hasMessageContaining("'userName'");
        assertThatThrownBy(() -> validator.validate(new ValidateCredsRequest("bob", "", registry)))
                .hasMessageContaining("'password'");
        assertThatThrownBy(() -> validator.validate(new ValidateCredsRequest("bob", "pw", " ")))
                .hasMessageContaining("'registry'");
        assertThat(new ValidateCredsRequest("bob", "pw", registry).toString()).doesNotContain("pw,");
    }
}
