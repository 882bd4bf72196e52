package io.swell.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistryEndpointsTest {

    @Test
    void dockerHubLoopbackAndInsecureHostsGetTheirSchemes() {
        RegistryEndpoints endpoints = new RegistryEndpoints(Set.of("reg.lan:5000"));

        assertThat(endpoints.baseUri("docker.io")).isEqualTo(URI.create("https://registry-1.docker.io"));
        assertThat(endpoints.baseUri("127.0.0.1:5000")).isEqualTo(URI.create("http://127.0.0.1:5000"));
        assertThat(endpoints.baseUri("reg.lan:5000")).isEqualTo(URI.create("http://reg.lan:5000"));
        assertThat(endpoints.baseUri("quay.io")).isEqualTo(URI.create("https://quay.io"));
        assertThat(endpoints.isPlainHttp("127.example.com")).isFalse();
    }

    @Test
    void withoutAnAllowListEveryRegistryIsAllowed() {
        assertThat(new RegistryEndpoints(Set.of()).isAllowed("anything.example:1234")).isTrue();
    }

    @Test
    void anAllowListNamesHostsExactlyOrDomainsByWildcard() {
        RegistryEndpoints endpoints = new RegistryEndpoints(Set.of(),
                List.of("docker.io", "127.0.0.1:5000", "*.corp.example"));

        assertThat(endpoints.isAllowed("docker.io")).isTrue();
        assertThat(endpoints.isAllowed("DOCKER.IO")).isTrue();
        assertThat(endpoints.isAllowed("127.0.0.1:5000")).isTrue();
        assertThat(endpoints.isAllowed("127.0.0.1:5001")).isFalse();
        assertThat(endpoints.isAllowed("127.0.0.1")).isFalse();
        assertThat(endpoints.isAllowed("reg.corp.example")).isTrue();
        assertThat(endpoints.isAllowed("reg.corp.example:8443")).isTrue();
        assertThat(endpoints.isAllowed("corp.example")).isFalse();
        assertThat(endpoints.isAllowed("evilcorp.example")).isFalse();
        assertThat(endpoints.isAllowed("quay.io")).isFalse();
        assertThatThrownBy(() -> endpoints.baseUri("169.254.169.254"))
                .isInstanceOfSatisfying(SwellException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DENIED))
                .hasMessageContaining("allowedRegistries");
    }
}
