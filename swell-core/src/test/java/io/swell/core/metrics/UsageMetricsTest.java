package io.swell.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import io.swell.core.store.UsageCounterStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UsageMetricsTest {
    /** Counters in a map, the store SPI at its simplest; {@code failing} makes writes fail. */
    private static final class MapCounters implements UsageCounterStore {
        final Map<String, Long> counters = new HashMap<>();
        boolean failing;

        @Override
        public synchronized void add(Map<String, Long> deltas) {
            if (failing) {
                throw new IllegalStateException("database down");
            }
            deltas.forEach((k, v) -> counters.merge(k, v, Long::sum));
        }

        @Override
        public synchronized long get(String name) {
            return counters.getOrDefault(name, 0L);
        }
    }

    private final MapCounters store = new MapCounters();
    private final UsageMetrics metrics = UsageMetrics.enabled(store,
            Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC), Duration.ofHours(1));

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void eachEventCountsInTheTotalTheDayAndItsArchitecture() {
        metrics.count(UsageMetrics.Metric.PULLS, "linux/arm64/v8");
        metrics.count(UsageMetrics.Metric.PULLS, null);
        metrics.count(UsageMetrics.Metric.PULLS, "linux/s390x");
        metrics.flush();

        assertThat(store.counters).containsEntry("pulls", 3L).containsEntry("pulls/d/2026-11-23", 3L)
                .containsEntry("pulls/a/arm64", 1L).containsEntry("pulls/a/arm64/d/2026-11-23", 1L)
                .containsEntry("pulls/a/amd64", 1L).hasSize(6);
        assertThat(metrics.read(UsageMetrics.Metric.PULLS, null, null, null).count()).isEqualTo(3);
        assertThat(metrics.read(UsageMetrics.Metric.PULLS, "2026-11-23", null, "aarch64"))
                .isEqualTo(new UsageMetrics.Count("pulls", "arm64", 1, Map.of()));
        assertThat(metrics.read(UsageMetrics.Metric.PULLS, "2026-11-22", null, null).count()).isZero();
        assertThat(metrics.read(UsageMetrics.Metric.BUILDS, null, null, null).count()).isZero();
    }

    @Test
    void readingShowsWhatWasCountedBeforeTheNextFlush() {
        metrics.count(UsageMetrics.Metric.FUSION, "amd64");

        assertThat(metrics.read(UsageMetrics.Metric.ofPath("fusion/pulls"), null, null, "x86_64").count())
                .isEqualTo(1);
    }

    @Test
    void countsSurviveAFailedWrite() {
        metrics.count(UsageMetrics.Metric.BUILDS, "amd64");
        store.failing = true;
        metrics.flush();
        store.failing = false;
        metrics.flush();

        assertThat(store.counters).containsEntry("builds", 1L);
    }

    @Test
    void anOrganisationHasNoCountsAndBadQueriesAre400s() {
        assertThat(metrics.read(UsageMetrics.Metric.MIRRORS, null, "seqera.io", null).orgs())
                .isEqualTo(Map.of("seqera.io", 0L));
        assertThatThrownBy(() -> metrics.read(UsageMetrics.Metric.PULLS, "23/11/2026", null, null))
                .hasMessage("date format should be yyyy-MM-dd");
        assertThatThrownBy(() -> metrics.read(UsageMetrics.Metric.PULLS, null, null, "riscv64"))
                .isInstanceOfSatisfying(SwellException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
        assertThatThrownBy(() -> UsageMetrics.Metric.ofPath("logins"))
                .isInstanceOfSatisfying(SwellException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void whenDisabledNothingIsCountedAndReadingIsA404() {
        UsageMetrics off = UsageMetrics.disabled();
        off.count(UsageMetrics.Metric.PULLS, null);

        assertThatThrownBy(() -> off.read(UsageMetrics.Metric.PULLS, null, null, null))
                .isInstanceOfSatisfying(SwellException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }
}
