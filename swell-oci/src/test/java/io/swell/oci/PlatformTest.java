package io.swell.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swell.api.SwellException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PlatformTest {

    @ParameterizedTest
    @CsvSource({
        "linux/amd64, linux/amd64", "amd64, linux/amd64", "x86_64, linux/amd64", "x86-64, linux/amd64",
        "linux/x86_64, linux/amd64", "arm64, linux/arm64", "aarch64, linux/arm64", "linux/arm64/v8, linux/arm64",
        "arm, linux/arm/v7", "linux/arm/v6, linux/arm/v6", "LINUX/AMD64, linux/amd64",
    })
    void parsesWaveAliases(String input, String expected) {
        assertThat(Platform.parse(input).toString()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"windows/amd64", "linux/s390x", "linux/amd64/v3", "linux/arm/v9", "a/b/c/d", " "})
    void rejectsUnsupported(String input) {
        assertThatThrownBy(() -> Platform.parse(input)).isInstanceOf(SwellException.class);
    }

    @Test
    void matchesIndexEntriesUnderAliases() {
        var arm64v8 = new Descriptor.Platform("arm64", "linux", "v8", null, null, null);
        var amd = new Descriptor.Platform("amd64", "linux", null, null, null, null);
        var unknown = new Descriptor.Platform("unknown", "unknown", null, null, null, null);
        assertThat(Platform.LINUX_ARM64.matches(arm64v8)).isTrue();
        assertThat(Platform.LINUX_AMD64.matches(arm64v8)).isFalse();
        assertThat(Platform.LINUX_AMD64.matches(amd)).isTrue();
        assertThat(Platform.LINUX_AMD64.matches(unknown)).isFalse();
        assertThat(Platform.LINUX_AMD64.matches(null)).isFalse();
    }
}
