package io.swell.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command-line tool to completion with a timeout and fails with its stderr when it fails. */
public final class ToolCommand {

    private ToolCommand() {
    }

    /** Runs {@code command} and returns its stdout; throws when it exits non-zero or times out. */
    public static String run(Duration timeout, List<String> command) {
        return run(timeout, command, Map.of());
    }

    /** Runs {@code command} with extra environment variables and returns its stdout. */
    public static String run(Duration timeout, List<String> command, Map<String, String> env) {
        Path out = null;
        Path err = null;
        try {
            // Files rather than pipes: a chatty tool can never block on a full pipe buffer.
            out = Files.createTempFile("swell-tool-", ".out");
            err = Files.createTempFile("swell-tool-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                throw new ToolFailedException(command, -1, "timed out after " + timeout + "\n" + read(err));
            }
            if (process.exitValue() != 0) {
                throw new ToolFailedException(command, process.exitValue(), read(err));
            }
            return read(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A leftover temp file is harmless; the tool's result matters more.
            }
        }
    }
}
