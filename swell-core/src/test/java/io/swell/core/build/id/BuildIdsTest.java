package io.swell.core.build.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swell.api.SwellException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuildIdsTest {

    @Test
    void formats() {
        assertThat(BuildIds.of("181ec22b26ae6d04", 1)).isEqualTo("bd-181ec22b26ae6d04_1");
        assertThat(BuildIds.template("12345")).isEqualTo("bd-12345_0");
        assertThat(BuildIds.dryRun("be9ee6ac1eeff4b5")).isEqualTo("be9ee6ac1eeff4b5_0");
    }

    @Test
    void parsesWithOrWithoutPrefixAndCount() {
        assertThat(BuildIds.parse("bd-181ec22b26ae6d04_12")).isEqualTo(new BuildIds.Parts("181ec22b26ae6d04", 12L));
        assertThat(BuildIds.parse("be9ee6ac1eeff4b5_0")).isEqualTo(new BuildIds.Parts("be9ee6ac1eeff4b5", 0L));
        assertThat(BuildIds.parse("bd-181ec22b26ae6d04")).isEqualTo(new BuildIds.Parts("181ec22b26ae6d04", null));
        assertThat(BuildIds.parse("181ec22b26ae6d04")).isEqualTo(new BuildIds.Parts("181ec22b26ae6d04", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bd-", "bd-_1", "abc_", "abc_x", "../etc_1", "bd-abc_1_2", "abc_1234567890123456789"})
    void rejectsWhatIsNotABuildId(String text) {
        assertThatThrownBy(() -> BuildIds.parse(text)).isInstanceOf(SwellException.class);
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> BuildIds.parse(null)).isInstanceOf(SwellException.class);
    }

    @Test
    void scanIdsHashTheDigestOnlyWhenPresent() {
        assertThat(ScanIds.of("x", "", 0)).isEqualTo(ScanIds.of("x", null, 0)).isEqualTo("sc-94be9fbddcc3af8e_0");
        assertThat(ScanIds.of("x", "y", 3)).isEqualTo("sc-00769af315dcb1fe_3");
    }
}
