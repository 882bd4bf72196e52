package io.swell.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryPathTest {
    private static final String D = "sha256:" + "c".repeat(64);

    @Test
    void parsesTokenPaths() {
        RegistryPath p = RegistryPath.parse("wt/abc123/library/alpine/manifests/3.20");
        assertThat(p.token()).isEqualTo("abc123");
        assertThat(p.name()).isEqualTo("library/alpine");
        assertThat(p.kind()).isEqualTo(RegistryPath.Kind.MANIFESTS);
        assertThat(p.reference()).isEqualTo("3.20");
        assertThat(RegistryPath.parse("wt/t/a/b/c/blobs/" + D).kind()).isEqualTo(RegistryPath.Kind.BLOBS);
        assertThat(RegistryPath.parse("wt/t/a/tags/list").kind()).isEqualTo(RegistryPath.Kind.TAGS);
    }

    @Test
    void plainPathsNameTheirRegistryOrDockerHub() {
        var own = RegistryPath.parse("127.0.0.1:5000/lib/busybox/manifests/1").plainImage();
        assertThat(own.registry()).isEqualTo("127.0.0.1:5000");
        assertThat(own.repository()).isEqualTo("lib/busybox");
        var hub = RegistryPath.parse("ubuntu/manifests/22.04").plainImage();
        assertThat(hub.registry()).isEqualTo("docker.io");
        assertThat(hub.repository()).isEqualTo("library/ubuntu");
        assertThat(RegistryPath.parse("quay.io/biocontainers/salmon/blobs/" + D).plainImage().registry())
                .isEqualTo("quay.io");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "manifests/1", "a/b/uploads/x", "wt//a/manifests/1", "a/tags/other"})
    void rejectsOtherPathsAsNotFound(String path) {
        assertThatThrownBy(() -> RegistryPath.parse(path))
                .isInstanceOfSatisfying(SwellException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void rejectsBadReferences() {
        assertThatThrownBy(() -> RegistryPath.parse("a/blobs/sha256:xyz"))
                .isInstanceOfSatisfying(SwellException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_INVALID));
        assertThatThrownBy(() -> RegistryPath.parse("a/manifests/bad$tag"))
                .isInstanceOfSatisfying(SwellException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_UNKNOWN));
        assertThatThrownBy(() -> RegistryPath.parse("UPPER/x/manifests/1").plainImage())
                .isInstanceOfSatisfying(SwellException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_INVALID));
    }
}
