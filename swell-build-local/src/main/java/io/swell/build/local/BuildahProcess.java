package io.swell.build.local;

import io.swell.core.build.BuildLog;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one buildah command to its end: stdout and stderr merged and streamed line by line to a {@link BuildLog} by
 * a virtual thread, and the whole process tree stopped when a deadline passes or the caller is interrupted.
 */
final class BuildahProcess {

    /**
     * How long a stopped buildah gets after SIGTERM. buildah handles SIGTERM by stopping its RUN step and removing
     * its working container; SIGKILL would leave that container and its overlay mount in storage.
     */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(BuildahProcess.class);
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(5);

    /**
     * How a command ended.
     *
     * @param exitCode the exit code, or -1 when it timed out or did not start
     * @param timedOut whether it was stopped at the deadline
     * @param reason   a one-line summary of what went wrong (the last error line of its output), or {@code null}
     */
    record Result(int exitCode, boolean timedOut, String reason) {

        boolean succeeded() {
            return exitCode == 0 && !timedOut;
        }
    }

    private BuildahProcess() {
    }

    /**
     * Starts {@code command} with exactly {@code environment} (nothing inherited) in {@code directory} and waits
     * until it exits or {@code deadlineNanos} ({@link System#nanoTime()}) passes.
     *
     * @throws InterruptedException when interrupted; the process tree is stopped before this is thrown
     */
    static Result run(List<String> command, Map<String, String> environment, Path directory, long deadlineNanos,
            BuildLog log) throws InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Result(-1, false, "Cannot start " + command.getFirst() + ": " + e.getMessage());
        }
        LOG.debug("started pid {}: {}", process.pid(), command);
        FailureSummary errors = new FailureSummary();
        Thread reader = Thread.ofVirtual().name("buildah-output-" + process.pid())
                .start(() -> pump(process.getInputStream(), log, errors));
        try {
            boolean exited = process.waitFor(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (!exited) {
                LOG.info("pid {} passed its deadline; stopping it and its descendants", process.pid());
                stopTree(process);
                drain(reader, process);
                return new Result(-1, true, null);
            }
        } catch (InterruptedException e) {
            stopTree(process);
            drain(reader, process);
            throw e;
        }
        drain(reader, process);
        return new Result(process.exitValue(), false, process.exitValue() == 0 ? null : errors.summary());
    }

    /**
     * Sends SIGTERM to the descendants and then to the process, waits up to {@link #STOP_GRACE} for all of them,
     * then kills whatever still runs. Descendants are collected first: once the parent is gone, orphans are
     * re-parented and no longer show up as its descendants.
     */
    static void stopTree(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        boolean interrupted = false;
        for (ProcessHandle handle : tree) {
            interrupted |= awaitExit(handle, interrupted ? 0 : Math.max(0, deadline - System.nanoTime()));
        }
        // Anything started during the grace period, or that ignored SIGTERM, is killed now.
        List<ProcessHandle> left = new ArrayList<>(process.descendants().toList());
        left.addAll(tree);
        for (ProcessHandle handle : left) {
            if (handle.isAlive()) {
                LOG.warn("pid {} outlived SIGTERM by {}; killing it", handle.pid(), STOP_GRACE);
                handle.destroyForcibly();
            }
        }
        for (ProcessHandle handle : left) {
            interrupted |= awaitExit(handle, STOP_GRACE.toNanos());
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for {@code handle} to exit; returns whether the wait was interrupted (then it is killed at once). */
    private static boolean awaitExit(ProcessHandle handle, long nanos) {
        try {
            handle.onExit().get(nanos, TimeUnit.NANOSECONDS);
            return false;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            handle.destroyForcibly();
            return true;
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for pid " + handle.pid(), e);
        }
    }

    /**
     * Waits for the reader to deliver the last lines. A stray grandchild could hold the pipe open forever, so after
     * a while the stream is closed under the reader.
     */
    private static void drain(Thread reader, Process process) {
        boolean interrupted = Thread.interrupted();
        try {
            if (!reader.join(OUTPUT_DRAIN)) {
                process.getInputStream().close();
                reader.join(OUTPUT_DRAIN);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } catch (IOException e) {
            LOG.debug("closing the output of pid {}", process.pid(), e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void pump(InputStream output, BuildLog log, FailureSummary errors) {
        // Malformed UTF-8 becomes U+FFFD rather than an exception: build output is not ours to judge.
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
            String line;
            boolean logFailed = false;
            while ((line = reader.readLine()) != null) {
                errors.offer(line);
                if (logFailed) {
                    continue;
                }
                try {
                    log.line(line);
                } catch (RuntimeException e) {
                    // Keep reading anyway: a process whose pipe is not drained blocks forever.
                    LOG.warn("build log rejected a line; dropping the rest of the output", e);
                    logFailed = true;
                }
            }
        } catch (IOException e) {
            LOG.debug("output stream ended", e);
        }
    }
}
