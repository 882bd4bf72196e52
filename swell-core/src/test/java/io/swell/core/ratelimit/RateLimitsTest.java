package io.swell.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void aClientGetsItsBudgetThenA429NamingTheLimit() {
        RateLimits limits = new RateLimits(new RateLimits.Rate(3, Duration.ofHours(1)), null, now::get);
        for (int i = 0; i < 3; i++) {
            limits.acquirePull("10.0.0.1");
        }
        assertThatThrownBy(() -> limits.acquirePull("10.0.0.1"))
                .isInstanceOfSatisfying(SwellException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_REQUESTS))
                .hasMessage("Request exceeded pull rate limit for IP 10.0.0.1 (3 per PT1H)");
        limits.acquirePull("10.0.0.2");
        limits.acquireBuild("10.0.0.1");
    }

    @Test
    void theBudgetRefillsEvenlyOverThePeriod() {
        RateLimits limits = new RateLimits(null, new RateLimits.Rate(2, Duration.ofMinutes(1)), now::get);
        limits.acquireBuild("c");
        limits.acquireBuild("c");
        assertThatThrownBy(() -> limits.acquireBuild("c")).hasMessageContaining("build rate limit");

        now.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThatThrownBy(() -> limits.acquireBuild("c")).isInstanceOf(SwellException.class);
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        limits.acquireBuild("c");
        now.addAndGet(Duration.ofHours(5).toNanos());
        limits.acquireBuild("c");
        limits.acquireBuild("c");
        assertThatThrownBy(() -> limits.acquireBuild("c")).isInstanceOf(SwellException.class);
    }

    @Test
    void ratesAreReadInWavesForm() {
        java.util.function.Function<String, Duration> durations = v -> Duration.parse("PT" + v.toUpperCase());

        assertThat(RateLimits.Rate.parse("100/1h", durations)).isEqualTo(new RateLimits.Rate(100, Duration.ofHours(1)));
        assertThat(RateLimits.Rate.parse(" 10 / 30m ", durations))
                .isEqualTo(new RateLimits.Rate(10, Duration.ofMinutes(30)));
        for (String bad : new String[] {"100", "x/1h", "0/1h", "-1/1h"}) {
            assertThatThrownBy(() -> RateLimits.Rate.parse(bad, durations)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
