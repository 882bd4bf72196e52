package io.swell.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RangeTest {

    @Test
    void parsesSingleRanges() {
        assertThat(Range.parse("bytes=10-19", 100)).isEqualTo(new Range(10, 19, true));
        assertThat(Range.parse("bytes=90-", 100)).isEqualTo(new Range(90, 99, true));
        assertThat(Range.parse("bytes=-5", 100)).isEqualTo(new Range(95, 99, true));
        assertThat(Range.parse("bytes=50-500", 100)).isEqualTo(new Range(50, 99, true));
        assertThat(Range.parse("bytes=10-19", 100).length()).isEqualTo(10);
    }

    @Test
    void unsatisfiableAndIgnoredRanges() {
        assertThat(Range.parse("bytes=100-", 100).satisfiable()).isFalse();
        assertThat(Range.parse("bytes=20-10", 100).satisfiable()).isFalse();
        assertThat(Range.parse(null, 100)).isNull();
        assertThat(Range.parse("bytes=0-1,5-6", 100)).isNull();
        assertThat(Range.parse("items=0-1", 100)).isNull();
        assertThat(Range.parse("bytes=a-b", 100)).isNull();
    }

    @Test
    void redactsTokensFromLoggedPaths() {
        assertThat(ErrorMapper.redact("/v2/wt/abcdef/library/alpine/manifests/1"))
                .isEqualTo("/v2/wt/****/library/alpine/manifests/1");
        assertThat(ErrorMapper.redact("/v2/quay.io/x/manifests/1")).isEqualTo("/v2/quay.io/x/manifests/1");
    }
}
