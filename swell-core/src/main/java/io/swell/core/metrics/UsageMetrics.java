package io.swell.core.metrics;

import io.swell.api.SwellException;
import io.swell.core.store.UsageCounterStore;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Usage counters as Wave keeps them (wave-api.md §5.1): per metric, per day ({@code <metric>/d/<yyyy-MM-dd>}), per
 * architecture ({@code <metric>/a/<arch>}, and per day), plus a total ({@code <metric>}). Requests are anonymous,
 * so no per-organisation counters are written. Counting costs a map update on the hot path (a manifest pull):
 * the counts are added to the store by a background flush every few seconds and when Swell stops.
 */
public final class UsageMetrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UsageMetrics.class);

    /** What is counted; {@code key} is the counter prefix, {@code path} the API path naming it. */
    public enum Metric {
        BUILDS("builds", "builds"), PULLS("pulls", "pulls"), FUSION("fusion", "fusion/pulls"),
        MIRRORS("mirrors", "mirrors"), SCANS("scans", "scans");

        private final String key;
        private final String path;

        Metric(String key, String path) {
            this.key = key;
            this.path = path;
        }

        /** The metric an API path names ({@code builds}, {@code fusion/pulls}, ...); a 404 for anything else. */
        public static Metric ofPath(String path) {
            for (Metric m : values()) {
                if (m.path.equals(path)) {
                    return m;
                }
            }
            throw SwellException.notFound("Unknown metric '" + path + "'");
        }

        public String path() {
            return path;
        }
    }

    /** One answer of the metrics API: the count and, when an organisation was asked for, its count by name. */
    public record Count(String metric, String arch, long count, Map<String, Long> orgs) {}

    private final UsageCounterStore store;
    private final Clock clock;
    private final boolean enabled;
    private final ConcurrentHashMap<String, LongAdder> pending = new ConcurrentHashMap<>();
    private final Thread flusher;

    private UsageMetrics(UsageCounterStore store, Clock clock, boolean enabled, Duration flushEvery) {
        this.store = store;
        this.clock = clock;
        this.enabled = enabled;
        this.flusher = enabled ? Thread.ofVirtual().name("usage-metrics").start(() -> flushLoop(flushEvery)) : null;
    }

    /** Counting on: counts reach {@code store} every {@code flushEvery}. */
    public static UsageMetrics enabled(UsageCounterStore store, Clock clock, Duration flushEvery) {
        return new UsageMetrics(store, clock, true, flushEvery);
    }

    /** Counting off (Wave's default): nothing is counted and the API answers 404. */
    public static UsageMetrics disabled() {
        return new UsageMetrics(null, Clock.systemUTC(), false, Duration.ZERO);
    }

    /** Whether counting is on (lets callers skip work that only feeds a count). */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Counts one event; {@code platform} ({@code linux/arm64}, {@code amd64}, ...) adds the per-architecture
     * counters when it is amd64 or arm64, and linux/amd64 is assumed when it is {@code null}.
     */
    public void count(Metric metric, String platform) {
        if (!enabled) {
            return;
        }
        String day = LocalDate.now(clock.withZone(ZoneOffset.UTC)).toString();
        increment(metric.key);
        increment(metric.key + "/d/" + day);
        String arch = arch(platform == null ? "amd64" : platform.substring(platform.indexOf('/') + 1));
        if (arch != null) {
            increment(metric.key + "/a/" + arch);
            increment(metric.key + "/a/" + arch + "/d/" + day);
        }
    }

    /**
     * Reads a count: the total, or one day's ({@code date} {@code yyyy-MM-dd}), optionally of one architecture;
     * {@code org} asks for an organisation's count, always 0 here (requests are anonymous).
     */
    public Count read(Metric metric, String date, String org, String arch) {
        if (!enabled) {
            throw SwellException.notFound("Usage metrics are not enabled on this server (metrics.enabled)");
        }
        if (date != null) {
            try {
                LocalDate.parse(date);
            } catch (DateTimeParseException e) {
                throw SwellException.badRequest("date format should be yyyy-MM-dd");
            }
        }
        String normalisedArch = null;
        if (arch != null) {
            normalisedArch = arch(arch);
            if (normalisedArch == null) {
                throw SwellException.badRequest("Invalid 'arch' value '" + arch + "' - use amd64 or arm64");
            }
        }
        flush();
        if (org != null) {
            return new Count(metric.key, normalisedArch, 0, Map.of(org, 0L));
        }
        String key = metric.key + (normalisedArch == null ? "" : "/a/" + normalisedArch)
                + (date == null ? "" : "/d/" + date);
        return new Count(metric.key, normalisedArch, store.get(key), Map.of());
    }

    /** Writes what was counted since the last flush; a failure keeps the counts for the next one. */
    public synchronized void flush() {
        if (!enabled || pending.isEmpty()) {
            return;
        }
        Map<String, Long> deltas = new HashMap<>();
        for (String key : pending.keySet()) {
            long n = pending.get(key).sumThenReset();
            if (n > 0) {
                deltas.put(key, n);
            }
        }
        if (deltas.isEmpty()) {
            return;
        }
        try {
            store.add(deltas);
        } catch (RuntimeException e) {
            deltas.forEach((key, n) -> pending.computeIfAbsent(key, k -> new LongAdder()).add(n));
            LOG.warn("Cannot write usage counters (kept for the next flush): {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (flusher != null) {
            flusher.interrupt();
            try {
                flusher.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            flush();
        }
    }

    private void increment(String key) {
        pending.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    private void flushLoop(Duration every) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                return;
            }
            flush();
        }
    }

    /** Wave's architecture names: amd64 and arm64 and their aliases; others are not counted per architecture. */
    private static String arch(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        int slash = v.indexOf('/');
        v = slash < 0 ? v : v.substring(0, slash);
        return switch (v) {
            case "amd64", "x86_64", "x86-64" -> "amd64";
            case "arm64", "aarch64", "arm" -> "arm64";
            default -> null;
        };
    }
}
