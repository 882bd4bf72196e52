package io.swell.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swell.api.SwellException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageRefTest {

    @ParameterizedTest
    @CsvSource({
        "alpine, docker.io, library/alpine, latest,",
        "alpine:3.20, docker.io, library/alpine, 3.20,",
        "biocontainers/salmon:1.0, docker.io, biocontainers/salmon, 1.0,",
        "quay.io/biocontainers/salmon, quay.io, biocontainers/salmon, latest,",
        "127.0.0.1:5000/a/b/c:v1, 127.0.0.1:5000, a/b/c, v1,",
        "localhost/x, localhost, x, latest,",
        "index.docker.io/library/ubuntu:22.04, docker.io, library/ubuntu, 22.04,",
    })
    void parsesLikeDocker(String input, String registry, String repository, String tag, String digest) {
        ImageRef ref = ImageRef.parse(input);
        assertThat(ref.registry()).isEqualTo(registry);
        assertThat(ref.repository()).isEqualTo(repository);
        assertThat(ref.tag()).isEqualTo(tag);
        assertThat(ref.digest()).isEqualTo(digest);
    }

    @Test
    void keepsDigestAndOmitsDefaultTag() {
        String d = "sha256:" + "a".repeat(64);
        ImageRef ref = ImageRef.parse("ubuntu@" + d);
        assertThat(ref.tag()).isNull();
        assertThat(ref.reference()).isEqualTo(d);
        assertThat(ref.toString()).isEqualTo("docker.io/library/ubuntu@" + d);
        assertThat(ImageRef.parse("ubuntu:22.04@" + d).pathWithReference()).isEqualTo("library/ubuntu:22.04@" + d);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "docker://alpine", "Alpine", "alpine:", "alpine@sha256:zz", "a//b", "-a", "a:b:c",
        "host.io/UPPER/x", "alpine:" + "t$"})
    void rejectsMalformedNames(String input) {
        assertThatThrownBy(() -> ImageRef.parse(input))
                .isInstanceOf(SwellException.class)
                .hasMessageContaining("Invalid container image name");
    }

    @Test
    void withReferenceSwitchesBetweenTagAndDigest() {
        ImageRef ref = ImageRef.parse("quay.io/a/b:1");
        String d = "sha256:" + "b".repeat(64);
        assertThat(ref.withReference(d).digest()).isEqualTo(d);
        assertThat(ref.withReference(d).tag()).isNull();
        assertThat(ref.withReference("2").tag()).isEqualTo("2");
    }
}
