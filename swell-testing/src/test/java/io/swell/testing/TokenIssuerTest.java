package io.swell.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TokenIssuerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CREDENTIALS = "bob:hunter2";

    private static TokenIssuer issuer;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startIssuer() {
        issuer = new TokenIssuer("bob", "hunter2");
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @Test
    void credentialedUsersGetEveryRequestedActionInASignedToken() throws Exception {
        HttpResponse<String> response = token("repository:team/app:pull,push", CREDENTIALS);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("access_token").asString()).isEqualTo(body.path("token").asString());
        assertThat(body.path("expires_in").asInt()).isEqualTo(300);

        String[] parts = body.path("token").asString().split("\\.");
        JsonNode header = decode(parts[0]);
        JsonNode claims = decode(parts[1]);
        assertThat(header.path("alg").asString()).isEqualTo("RS256");
        assertThat(claims.path("iss").asString()).isEqualTo(issuer.issuer());
        assertThat(claims.path("aud").asString()).isEqualTo(issuer.service());
        assertThat(claims.path("sub").asString()).isEqualTo("bob");
        assertThat(claims.path("access").get(0).path("name").asString()).isEqualTo("team/app");
        assertThat(claims.path("access").get(0).path("actions").valueStream().map(JsonNode::asString))
                .containsExactly("pull", "push");

        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Base64.getDecoder().decode(header.path("x5c").get(0).asString())));
        assertThat(cert.getExtendedKeyUsage()).as("Go's x509 verify wants no EKU restriction").isNull();
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(cert);
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rs256.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    }

    @Test
    void anonymousUsersMayOnlyPullPublicRepositories() throws Exception {
        JsonNode publicClaims = claims(token("repository:public/app:pull,push", null));
        assertThat(publicClaims.path("access").get(0).path("actions").valueStream().map(JsonNode::asString))
                .containsExactly("pull");

        JsonNode privateClaims = claims(token("repository:team/app:pull", null));
        assertThat(privateClaims.path("access")).isEmpty();
    }

    @Test
    void wrongCredentialsAreRefused() throws Exception {
        HttpResponse<String> response = token("repository:team/app:pull", "bob:wrong");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).path("errors")).isNotEmpty();
    }

    @Test
    void registryTrustsTheIssuersTokens() {
        int before = issuer.requests();
        BuiltImage image = TestImages.singleArchLayout(tmp.resolve("layout"), "v1", Map.of());
        try (LocalRegistry registry = LocalRegistry.withTokenAuth(issuer)) {
            String publicRef = registry.hostPort() + "/public/busybox:v1";
            String privateRef = registry.hostPort() + "/team/busybox:v1";

            assertThatThrownBy(() -> TestImages.push(image, publicRef, null))
                    .isInstanceOf(ToolFailedException.class);

            TestImages.push(image, publicRef, CREDENTIALS);
            TestImages.push(image, privateRef, CREDENTIALS);

            assertThat(Skopeo.inspectRaw(publicRef, false)).contains(image.configDigest());
            assertThat(Skopeo.inspectRaw(privateRef, false, CREDENTIALS)).contains(image.configDigest());
            assertThatThrownBy(() -> Skopeo.inspectRaw(privateRef, false))
                    .isInstanceOf(ToolFailedException.class);
            assertThat(issuer.requests()).isGreaterThan(before);
        }
    }

    private static HttpResponse<String> token(String scope, String credentials) throws Exception {
        URI uri = URI.create(issuer.realm() + "?service=" + issuer.service() + "&scope=" + scope);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (credentials != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static JsonNode claims(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        return decode(JSON.readTree(response.body()).path("token").asString().split("\\.")[1]);
    }

    private static JsonNode decode(String base64Url) {
        return JSON.readTree(Base64.getUrlDecoder().decode(base64Url));
    }
}
