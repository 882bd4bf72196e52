package io.swell.core.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wave's pull and build rate limits (wave-api.md §5.2), per client IP since requests are anonymous: a pull is
 * counted for every container request and every manifest GET by digest, a build when a new build is about to
 * start. Each client has a token bucket of {@code permits} refilled evenly over {@code period}. Kept in memory:
 * with several replicas, each one enforces the limits on its own.
 */
public final class RateLimits {
    private static final Pattern RATE = Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\S+)\\s*");

    private final Limiter pulls;
    private final Limiter builds;

    /** {@code null} for a kind means it is not limited. */
    public RateLimits(Rate pullRate, Rate buildRate) {
        this(pullRate, buildRate, System::nanoTime);
    }

    RateLimits(Rate pullRate, Rate buildRate, java.util.function.LongSupplier nanoTime) {
        this.pulls = pullRate == null ? null : new Limiter("pull", pullRate, nanoTime);
        this.builds = buildRate == null ? null : new Limiter("build", buildRate, nanoTime);
    }

    /** No limits (the default: a self-hosted Swell serves its own users). */
    public static RateLimits unlimited() {
        return new RateLimits(null, null);
    }

    /**
     * A rate: at most {@code permits} per {@code period}.
     */
    public record Rate(int permits, Duration period) {
        public Rate {
            if (permits < 1 || period.isZero() || period.isNegative()) {
                throw new IllegalArgumentException("a rate needs at least one permit per positive period");
            }
        }

        /**
         * Reads Wave's form {@code N/duration}, e.g. {@code 100/1h}; {@code durationParser} reads the duration.
         */
        public static Rate parse(String value, java.util.function.Function<String, Duration> durationParser) {
            Matcher m = RATE.matcher(value);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a rate (N/duration, e.g. 100/1h): " + value);
            }
            return new Rate(Integer.parseInt(m.group(1)), durationParser.apply(m.group(2)));
        }
    }

    /** Counts one pull for {@code client}; a 429 when its budget is spent. */
    public void acquirePull(String client) {
        if (pulls != null) {
            pulls.acquire(client);
        }
    }

    /** Counts one build for {@code client}; a 429 when its budget is spent. */
    public void acquireBuild(String client) {
        if (builds != null) {
            builds.acquire(client);
        }
    }

    private static final class Limiter {
        private final String kind;
        private final Rate rate;
        private final Cache<String, Bucket> buckets;
        private final java.util.function.LongSupplier nanoTime;

        Limiter(String kind, Rate rate, java.util.function.LongSupplier nanoTime) {
            this.kind = kind;
            this.rate = rate;
            this.nanoTime = nanoTime;
            // A bucket idle for a whole period is full again: forgetting it changes nothing.
            this.buckets = Caffeine.newBuilder().expireAfterAccess(rate.period()).maximumSize(100_000).build();
        }

        void acquire(String client) {
            String key = client == null ? "unknown" : client;
            long now = nanoTime.getAsLong();
            if (!buckets.get(key, k -> new Bucket(rate, now)).tryTake(now)) {
                throw new SwellException(ErrorCode.TOO_MANY_REQUESTS, "Request exceeded " + kind
                        + " rate limit for IP " + key + " (" + rate.permits() + " per " + rate.period() + ")");
            }
        }
    }

    /** A token bucket: full at creation, refilled continuously at permits/period. */
    private static final class Bucket {
        private final double capacity;
        private final double perNano;
        private double tokens;
        private long last;

        Bucket(Rate rate, long now) {
            this.capacity = rate.permits();
            this.perNano = rate.permits() / (double) rate.period().toNanos();
            this.tokens = capacity;
            this.last = now;
        }

        synchronized boolean tryTake(long now) {
            tokens = Math.min(capacity, tokens + (now - last) * perNano);
            last = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
