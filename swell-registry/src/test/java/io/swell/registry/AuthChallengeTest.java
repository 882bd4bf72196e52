package io.swell.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {

    @Test
    void parsesBearerChallenges() {
        var c = AuthChallenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:library/ubuntu:pull\"");
        assertThat(c.isBearer()).isTrue();
        assertThat(c.realm()).isEqualTo("https://auth.docker.io/token");
        assertThat(c.service()).isEqualTo("registry.docker.io");
    }

    @Test
    void parsesBasicUnquotedAndEscapedValues() {
        assertThat(AuthChallenge.parse("Basic realm=Registry").isBasic()).isTrue();
        assertThat(AuthChallenge.parse("basic realm=\"a \\\"b\\\"\"").realm()).isEqualTo("a \"b\"");
        assertThat(AuthChallenge.parse("bearer realm=\"http://x/t\"").service()).isNull();
    }

    @Test
    void unknownOrMissingChallengesMeanNoAuth() {
        assertThat(AuthChallenge.parse(null)).isEqualTo(AuthChallenge.NONE);
        assertThat(AuthChallenge.parse("Negotiate abc")).isEqualTo(AuthChallenge.NONE);
    }

    @Test
    void endpointsUseHttpOnlyForLoopbackAndConfiguredHosts() {
        var endpoints = new RegistryEndpoints(Set.of("registry.lan:5000"));
        assertThat(endpoints.baseUri("docker.io").toString()).isEqualTo("https://registry-1.docker.io");
        assertThat(endpoints.baseUri("127.0.0.1:5000").toString()).isEqualTo("http://127.0.0.1:5000");
        assertThat(endpoints.baseUri("localhost:1").getScheme()).isEqualTo("http");
        assertThat(endpoints.baseUri("[::1]:5000").getScheme()).isEqualTo("http");
        assertThat(endpoints.baseUri("registry.lan:5000").getScheme()).isEqualTo("http");
        assertThat(endpoints.baseUri("quay.io").getScheme()).isEqualTo("https");
        assertThat(endpoints.baseUri("127.example.com").getScheme()).isEqualTo("https");
    }

    @Test
    void manifestTypeComesFromAKnownContentTypeElseTheBody() {
        byte[] index = "{\"schemaVersion\":2,\"manifests\":[]}".getBytes(StandardCharsets.UTF_8);
        byte[] typed = ("{\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(RegistryClient.mediaType(MediaTypes.OCI_INDEX, index)).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(RegistryClient.mediaType("application/json", typed)).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(RegistryClient.mediaType("text/plain", index)).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(RegistryClient.mediaType(null, "{}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(MediaTypes.OCI_MANIFEST);
    }

    @Test
    void credentialsNeverPrintTheirSecret() {
        var c = new RegistryCredentials("bob", "s3cret");
        assertThat(c.toString()).doesNotContain("s3cret");
        assertThat(c.fingerprint()).doesNotContain("s3cret").hasSize(16);
        assertThat(c.basicHeader()).isEqualTo("Basic Ym9iOnMzY3JldA==");
    }
}
