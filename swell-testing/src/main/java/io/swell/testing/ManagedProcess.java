package io.swell.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A long-running child process whose output goes to a log file and which is stopped by PID. */
public final class ManagedProcess implements AutoCloseable {

    private static final Duration GRACE = Duration.ofSeconds(5);

    private final Process process;
    private final Path logFile;
    private final List<String> command;

    private ManagedProcess(Process process, Path logFile, List<String> command) {
        this.process = process;
        this.logFile = logFile;
        this.command = List.copyOf(command);
    }

    /** Starts {@code command} with stdout and stderr appended to {@code logFile}. */
    public static ManagedProcess start(List<String> command, Path logFile) {
        return start(command, logFile, Map.of());
    }

    /** Starts {@code command} with extra environment variables and output appended to {@code logFile}. */
    public static ManagedProcess start(List<String> command, Path logFile, Map<String, String> env) {
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    // Servers must never wait on a terminal or a pipe nobody reads.
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(env);
            return new ManagedProcess(builder.start(), logFile, command);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Returns the operating-system process id. */
    public long pid() {
        return process.pid();
    }

    /** Returns whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Returns the file that receives the process's stdout and stderr. */
    public Path logFile() {
        return logFile;
    }

    /** Returns the command line the process was started with. */
    public List<String> command() {
        return command;
    }

    /** Returns the last {@code lines} lines of the log, or a note when there is no log yet. */
    public String logTail(int lines) {
        if (!Files.exists(logFile)) {
            return "(no log at " + logFile + ")";
        }
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    /**
     * Stops the process and everything it started, politely first, then by force, and waits
     * until they have exited so that ports and files are released when this returns.
     */
    @Override
    public void close() {
        stop(GRACE);
    }

    /** Like {@link #close()}, but kills by force whatever is still running after {@code grace}. */
    public void stop(Duration grace) {
        // Collect descendants before the parent dies, since orphans get re-parented and vanish
        // from our view of the tree.
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle handle : tree) {
            awaitExit(handle, deadline);
        }
    }

    private static void awaitExit(ProcessHandle handle, long deadline) {
        try {
            long left = Math.max(0, deadline - System.nanoTime());
            handle.onExit().get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            handle.destroyForcibly();
            handle.onExit().join();
        } catch (InterruptedException e) {
            handle.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for pid " + handle.pid(), e);
        }
    }

    @Override
    public String toString() {
        return "ManagedProcess[pid=" + pid() + ", " + command + "]";
    }
}
