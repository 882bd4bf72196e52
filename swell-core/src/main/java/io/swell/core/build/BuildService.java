package io.swell.core.build;

import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import io.swell.core.metrics.UsageMetrics;
import io.swell.core.ratelimit.RateLimits;
import io.swell.core.store.BuildRecord;
import io.swell.core.store.BuildStore;
import io.swell.core.store.LogStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs builds: one build per target image however many requests ask for it (see {@link BuildStore#claim}), at
 * most {@code maxConcurrent} at once with the rest queued, each stopped at its timeout. Waiters (held pulls,
 * status calls) are woken when the build ends, without polling, when the build runs in this process.
 */
public final class BuildService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BuildService.class);
    private static final Duration POLL = Duration.ofSeconds(2);

    private final BuildStore builds;
    private final LogStore logs;
    private final BuildStrategy strategy;
    private final RateLimits limits;
    private final UsageMetrics metrics;
    private final Clock clock;
    private final BuildSettings settings;
    private final Semaphore slots;
    private final Map<String, CompletableFuture<BuildRecord>> running = new ConcurrentHashMap<>();
    private final Map<String, Thread> workers = new ConcurrentHashMap<>();
    /** Finished builds never change: pulls of built images must not read the database every time. */
    private final com.github.benmanes.caffeine.cache.Cache<String, BuildRecord> finished =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(10_000).build();
    private volatile boolean closing;
    private volatile BiConsumer<BuildRecord, PushTarget> onSuccess = (r, t) -> { };

    public BuildService(BuildStore builds, LogStore logs, BuildStrategy strategy, Clock clock,
            BuildSettings settings, RateLimits limits, UsageMetrics metrics) {
        this.builds = builds;
        this.limits = limits;
        this.metrics = metrics;
        this.logs = logs;
        this.strategy = strategy;
        this.clock = clock;
        this.settings = settings;
        this.slots = new Semaphore(settings.maxConcurrent(), true);
    }

    /**
     * A hook run after a successful build, before waiters wake (e.g. importing a layout into the built-in store);
     * if it throws, the build fails.
     */
    public void onSuccess(BiConsumer<BuildRecord, PushTarget> hook) {
        this.onSuccess = hook;
    }

    /** Marks builds left unfinished by a previous run as failed, so nobody waits for them forever. */
    public int recover() {
        int n = 0;
        for (BuildRecord r : builds.unfinished()) {
            if (running.containsKey(r.buildId())) {
                continue;
            }
            String reason = "Swell stopped while this build was " + r.state().name().toLowerCase() + "; request it"
                    + " again to rebuild";
            logs.append(r.buildId(), reason);
            builds.update(r.finished(false, clock.instant(), -1, reason, null));
            // Not the build's fault: the next identical request builds again at once.
            builds.release(r.buildId());
            n++;
        }
        return n;
    }

    /** Claims the build of {@code spec.targetImage()} and starts it when this call created it. */
    public BuildStore.Claim submit(BuildSpec spec) {
        Instant now = clock.instant();
        BuildRecord candidate = new BuildRecord("bd-" + spec.containerId() + "_0", spec.containerId(),
                spec.targetImage(), spec.platform(), spec.containerFile(), BuildRecord.State.PENDING, now, null,
                null, null, null, spec.requestIp(), null);
        BuildStore.Claim claim = builds.claim(candidate, now.minus(settings.failureRetention()));
        if (claim.created()) {
            admit(claim.record());
            metrics.count(UsageMetrics.Metric.BUILDS, spec.platform());
            CompletableFuture<BuildRecord> done = new CompletableFuture<>();
            running.put(claim.record().buildId(), done);
            String id = claim.record().buildId();
            workers.put(id, Thread.ofVirtual().name("build-" + id).start(() -> {
                try {
                    run(claim.record(), spec, done);
                } finally {
                    workers.remove(id);
                }
            }));
        }
        return claim;
    }

    /**
     * Counts a new build against its client's build rate limit; over the limit the claimed build ends at once
     * (failed, and released so that the next request after the limit resets builds again) and the caller gets
     * the 429.
     */
    private void admit(BuildRecord record) {
        try {
            limits.acquireBuild(record.requestIp());
        } catch (SwellException e) {
            builds.update(record.finished(false, clock.instant(), -1, e.getMessage(), null));
            builds.release(record.buildId());
            throw e;
        }
    }

    /** The last {@code maxChars} characters of a build's log. */
    public String logTail(String buildId, int maxChars) {
        return logs.tail(buildId, maxChars);
    }

    /**
     * The conda or pixi lock a package build printed between {@code >> CONDA_LOCK_START} and
     * {@code << CONDA_LOCK_END} (the last such section, as Wave reads it), if any.
     */
    public java.util.Optional<String> condaLock(String buildId) {
        var log = logs.open(buildId);
        if (log.isEmpty()) {
            return java.util.Optional.empty();
        }
        String text;
        try (var in = log.get()) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int start = text.lastIndexOf(">> CONDA_LOCK_START");
        int end = start < 0 ? -1 : text.indexOf("<< CONDA_LOCK_END", start);
        if (start < 0 || end < 0) {
            return java.util.Optional.empty();
        }
        String lock = text.substring(text.indexOf('\n', start) + 1, end);
        return java.util.Optional.of(lock);
    }

    /** The whole log of a build, if it has one. */
    public java.util.Optional<java.io.InputStream> log(String buildId) {
        return logs.open(buildId);
    }

    /** How long a pull may wait for a build: its timeout plus the time it may queue. */
    public Duration maxWait() {
        return settings.timeout().multipliedBy(2).plusMinutes(1);
    }

    /** Work that ends a composite build, e.g. assembling an index from its platform builds. */
    @FunctionalInterface
    public interface Assembly {
        BuildOutcome run(BuildLog log) throws Exception;
    }

    /**
     * Claims a composite build (a multi-platform image) of {@code targetImage} and, when this call created it, runs
     * {@code work} with the usual record, log and waiters. It takes no build slot: it only waits for its parts,
     * which do.
     */
    public BuildStore.Claim submitAssembly(String containerId, String targetImage, String platform,
            String containerFile, String requestIp, Assembly work) {
        return submitJob("bd-", containerId, targetImage, platform, containerFile, requestIp, null, work);
    }

    /**
     * Claims a mirror of {@code sourceImage} to {@code targetImage} ({@code mr-<id>_<n>}) and runs {@code work} in
     * the same lifecycle as builds: one job per target, record, log, waiters.
     */
    public BuildStore.Claim submitMirror(String jobId, String sourceImage, String targetImage, String requestIp,
            Assembly work) {
        return submitJob("mr-", jobId, targetImage, null, null, requestIp, sourceImage, work);
    }

    private BuildStore.Claim submitJob(String prefix, String containerId, String targetImage, String platform,
            String containerFile, String requestIp, String sourceImage, Assembly work) {
        Instant now = clock.instant();
        BuildRecord candidate = new BuildRecord(prefix + containerId + "_0", containerId, targetImage, platform,
                containerFile, BuildRecord.State.PENDING, now, null, null, null, null, requestIp, sourceImage);
        BuildStore.Claim claim = builds.claim(candidate, now.minus(settings.failureRetention()));
        if (claim.created()) {
            if (prefix.equals("mr-")) {
                metrics.count(UsageMetrics.Metric.MIRRORS, null);
            }
            BuildRecord record = claim.record();
            CompletableFuture<BuildRecord> done = new CompletableFuture<>();
            running.put(record.buildId(), done);
            workers.put(record.buildId(), Thread.ofVirtual().name("assemble-" + record.buildId()).start(() -> {
                BuildRecord result = record.withState(BuildRecord.State.RUNNING);
                try {
                    builds.update(result);
                    BuildOutcome outcome = work.run(line -> logs.append(record.buildId(), line));
                    result = result.finished(outcome.succeeded(), clock.instant(), outcome.exitCode(),
                            outcome.reason(), outcome.manifestDigest());
                } catch (SwellException e) {
                    logs.append(record.buildId(), "ERROR: " + e.getMessage());
                    result = result.finished(false, clock.instant(), -1, e.getMessage(), null);
                } catch (Exception e) {
                    LOG.error("Build {} failed unexpectedly", record.buildId(), e);
                    logs.append(record.buildId(), "ERROR: " + e);
                    result = result.finished(false, clock.instant(), -1, "The build could not complete", null);
                } finally {
                    builds.update(result);
                    if (closing) {
                        builds.release(record.buildId());
                    }
                    running.remove(record.buildId());
                    workers.remove(record.buildId());
                    done.complete(result);
                }
            }));
        }
        return claim;
    }

    /**
     * Stops every build of this process: the strategies stop their processes, the builds are failed (and
     * released, so the next identical request builds again), and pulls held on them are answered.
     */
    @Override
    public void close() {
        closing = true;
        workers.values().forEach(Thread::interrupt);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (Thread t : workers.values()) {
            try {
                t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        strategy.close();
    }

    /** The last successful build of an image, if Swell still owns it (to name the build of a cache hit). */
    public java.util.Optional<String> succeededBuildOf(String targetImage) {
        return builds.current(targetImage).filter(r -> r.state() == BuildRecord.State.SUCCEEDED)
                .map(BuildRecord::buildId);
    }

    public java.util.Optional<BuildRecord> find(String buildId) {
        return builds.find(buildId);
    }

    /**
     * Waits until the build ends (or {@code max} passes) and returns its record. Builds of this process wake their
     * waiters directly; builds of another replica are polled from the store.
     */
    public BuildRecord await(String buildId, Duration max) throws InterruptedException {
        BuildRecord known = finished.getIfPresent(buildId);
        if (known != null) {
            return known;
        }
        BuildRecord done = awaitUncached(buildId, max);
        finished.put(buildId, done);
        return done;
    }

    private BuildRecord awaitUncached(String buildId, Duration max) throws InterruptedException {
        Instant deadline = clock.instant().plus(max);
        CompletableFuture<BuildRecord> local = running.get(buildId);
        if (local != null) {
            try {
                return local.get(max.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } catch (TimeoutException e) {
                throw timeout(buildId);
            }
        }
        while (true) {
            BuildRecord r = builds.find(buildId)
                    .orElseThrow(() -> SwellException.notFound("Unknown build '" + buildId + "'"));
            if (r.isDone()) {
                return r;
            }
            if (clock.instant().isAfter(deadline)) {
                throw timeout(buildId);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static SwellException timeout(String buildId) {
        return new SwellException(ErrorCode.TIMEOUT, "Build '" + buildId + "' did not end in time");
    }

    private void run(BuildRecord record, BuildSpec spec, CompletableFuture<BuildRecord> done) {
        String id = record.buildId();
        Path workDir = settings.workRoot().resolve(id);
        BuildRecord result = record;
        try {
            slots.acquire();
            try {
                result = record.withState(BuildRecord.State.RUNNING);
                builds.update(result);
                prepare(workDir, spec);
                BuildOutcome outcome = strategy.run(new BuildJob(id, workDir, spec.platform(), spec.target(),
                        settings.timeout()), line -> logs.append(id, line));
                result = result.finished(outcome.succeeded(), clock.instant(), outcome.exitCode(),
                        outcome.reason(), outcome.manifestDigest());
                if (outcome.succeeded()) {
                    onSuccess.accept(result, spec.target());
                }
            } finally {
                slots.release();
            }
        } catch (InterruptedException e) {
            result = result.finished(false, clock.instant(), -1, "Swell stopped while this build was running;"
                    + " request it again to rebuild", null);
            logs.append(id, result.reason());
        } catch (SwellException e) {
            logs.append(id, "ERROR: " + e.getMessage());
            result = result.finished(false, clock.instant(), -1, e.getMessage(), null);
        } catch (RuntimeException | IOException e) {
            LOG.error("Build {} failed unexpectedly", id, e);
            logs.append(id, "ERROR: the build could not run: " + e);
            result = result.finished(false, clock.instant(), -1, "The build could not run (see the build log)",
                    null);
        } finally {
            builds.update(result);
            if (closing) {
                // Not the build's fault: the next identical request builds again at once.
                builds.release(id);
            }
            running.remove(id);
            done.complete(result);
            deleteQuietly(workDir);
            LOG.info("Build {} of {} {} in {} s", id, record.targetImage(),
                    result.state() == BuildRecord.State.SUCCEEDED ? "succeeded" : "failed",
                    result.duration(clock.instant()).toSeconds());
        }
    }

    private static void prepare(Path workDir, BuildSpec spec) throws IOException {
        Files.createDirectories(workDir);
        Files.writeString(workDir.resolve("Containerfile"), spec.buildFile(), StandardCharsets.UTF_8);
        Path context = Files.createDirectories(workDir.resolve("context"));
        if (spec.context() != null) {
            copyTree(spec.context(), context);
        }
        for (var file : spec.contextFiles().entrySet()) {
            Files.copy(file.getValue(), context.resolve(file.getKey()),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Copies a directory tree, links as links (they were checked to stay inside when it was extracted). */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isSymbolicLink(p)) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** Deletes a directory tree, logging (not throwing) on failure. */
    public static void deleteTree(Path dir) {
        deleteQuietly(dir);
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Cannot delete build directory {}: {}", dir, e.toString());
        }
    }
}
