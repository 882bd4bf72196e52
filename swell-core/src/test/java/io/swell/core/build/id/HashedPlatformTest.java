package io.swell.core.build.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HashedPlatformTest {

    @ParameterizedTest
    @CsvSource({
        "'', linux/amd64",
        "x86-64, linux/amd64",
        "linux/amd64/v3, linux/amd64/v3",
        "windows/amd64, windows/amd64",
        "linux//arm64, linux/arm64",
        "linux/arm/6, linux/arm/v6",
        "linux/arm/8, linux/arm/v8",
        "linux/arm/v9, linux/arm/v9",
        "linux/aarch64/8, linux/arm64",
        "' linux/amd64 , linux/arm64 ', 'linux/amd64,linux/arm64'",
        "'amd64,aarch64', 'linux/amd64,linux/arm64'",
    })
    void normalises(String raw, String expected) {
        HashedPlatform platform = HashedPlatform.parse(raw);
        assertThat(platform.value()).isEqualTo(expected);
        assertThat(platform.isMulti()).isEqualTo(expected.contains(","));
    }

    @ParameterizedTest
    @ValueSource(strings = {"AMD64", "linux/Arm64", "s390x", "linux/386", "linux/arm64,linux/amd64",
        "linux/amd64,linux/arm/v7", "linux/amd64,", "linux/amd64/v2/x", " ", "/"})
    void rejectsWithABadRequest(String raw) {
        assertThatThrownBy(() -> HashedPlatform.parse(raw))
                .isInstanceOfSatisfying(SwellException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
                .hasMessageContaining(raw);
    }
}
