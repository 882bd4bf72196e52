package io.swell.build.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches this JVM's descendant processes while a build runs (every 20 ms) and remembers each one with its command
 * line, so a test can check what ran, what it was told, and that it is gone afterwards.
 */
final class ProcessSampler implements AutoCloseable {

    private final Set<Long> ignored;
    private final Map<Long, ProcessHandle> handles = new ConcurrentHashMap<>();
    private final Map<Long, String> commandLines = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    private ProcessSampler(Set<Long> ignored) {
        this.ignored = ignored;
        this.thread = Thread.ofVirtual().name("process-sampler").start(this::sampleUntilClosed);
    }

    /** Starts sampling, ignoring the processes {@code ignoredPids} (fixtures such as registries). */
    static ProcessSampler start(long... ignoredPids) {
        return new ProcessSampler(Set.copyOf(Arrays.stream(ignoredPids).boxed().toList()));
    }

    private void sampleUntilClosed() {
        while (running) {
            ProcessHandle.current().descendants()
                    .filter(handle -> !ignored.contains(handle.pid()))
                    .filter(handle -> handle.parent().map(p -> !ignored.contains(p.pid())).orElse(true))
                    .forEach(this::remember);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void remember(ProcessHandle handle) {
        handles.putIfAbsent(handle.pid(), handle);
        commandLines.computeIfAbsent(handle.pid(), ProcessSampler::commandLine);
    }

    /** /proc/PID/cmdline as one line; empty once the process is gone. */
    private static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** The command lines of every process seen so far. */
    List<String> commandLines() {
        return List.copyOf(commandLines.values());
    }

    /** Every process seen so far. */
    List<ProcessHandle> handles() {
        return List.copyOf(handles.values());
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
