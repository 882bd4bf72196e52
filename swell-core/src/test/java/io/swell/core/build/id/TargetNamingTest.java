package io.swell.core.build.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swell.api.SwellException;
import io.swell.core.build.id.TargetImageNamer.Format;
import org.junit.jupiter.api.Test;

class TargetNamingTest {

    @Test
    void normalisersUseWaveLimitsByDefault() {
        String longTag = "a".repeat(100);
        assertThat(NameNormaliser.normaliseTag(longTag)).hasSize(80);
        assertThat(NameNormaliser.normaliseName("B".repeat(300))).isEqualTo("b".repeat(255));
        assertThat(NameNormaliser.normaliseTag("Ünïcode_Tag")).isEqualTo("ncode_Tag");
    }

    @Test
    void anImageSuffixWithOneVersionTagsTheVersion() {
        String conda = "dependencies:\n- bwa=0.7.17\n- bwa\n";
        // versions {0.7.17, null}: two distinct values, so the tag is the bare id
        assertThat(TargetImageNamer.makeTargetImage(Format.DOCKER, "r.io/b/", "abc", conda, "imageSuffix"))
                .isEqualTo("r.io/b/bwa:abc");
        assertThat(TargetImageNamer.makeTargetImage(Format.DOCKER, "r.io/b/", "abc", "dependencies: [BWA=1.0]",
                "imageSuffix")).isEqualTo("r.io/b/bwa:1.0--abc");
    }

    @Test
    void aTagThatNormalisesToNothingIsWrittenAsNullLikeWave() {
        assertThat(TargetImageNamer.makeTargetImage(Format.DOCKER, "r", "abc", "dependencies: ['(@)']", null))
                .isEqualTo("r:null--abc");
    }

    @Test
    void rejectsAnUnknownStrategy() {
        assertThatThrownBy(() -> TargetImageNamer.makeTargetImage(Format.DOCKER, "r", "abc", null, "random"))
                .isInstanceOf(SwellException.class).hasMessageContaining("random");
    }

    @Test
    void formatOfRequest() {
        assertThat(Format.ofRequest("sif")).isEqualTo(Format.SINGULARITY);
        assertThat(Format.ofRequest("docker")).isEqualTo(Format.DOCKER);
        assertThat(Format.ofRequest(null)).isEqualTo(Format.DOCKER);
    }

    @Test
    void aPublicRepositoryPathMayNotUseAReservedWord() {
        assertThatThrownBy(() -> TargetRepository.targetRepo("foo.com/alpha/library", null, "foo.com",
                TargetRepository.DEFAULT_RESERVED_WORDS))
                .isInstanceOf(SwellException.class).hasMessageContaining("library");
        assertThatThrownBy(() -> TargetRepository.targetRepo("foo.com/build", "none", "foo.com",
                TargetRepository.DEFAULT_RESERVED_WORDS))
                .isInstanceOf(SwellException.class).hasMessageContaining("build");
        // outside the public repository, the words are fine
        assertThat(TargetRepository.targetRepo("bar.com/build", null, "foo.com",
                TargetRepository.DEFAULT_RESERVED_WORDS)).isEqualTo("bar.com/build");
        assertThat(TargetRepository.targetRepo("foo.com", "none", "foo.com",
                TargetRepository.DEFAULT_RESERVED_WORDS)).isEqualTo("foo.com/library/build");
    }

    @Test
    void thePublicRepositoryDefaultsToImageSuffixNaming() {
        assertThat(TargetRepository.effectiveNameStrategy("foo.com/library", null, "foo.com"))
                .isEqualTo("imageSuffix");
        assertThat(TargetRepository.effectiveNameStrategy("foo.com/library", "none", "foo.com")).isEqualTo("none");
        assertThat(TargetRepository.effectiveNameStrategy("wave/build", null, "foo.com")).isNull();
        assertThat(TargetRepository.effectiveNameStrategy("wave/build", null, null)).isNull();
    }
}
