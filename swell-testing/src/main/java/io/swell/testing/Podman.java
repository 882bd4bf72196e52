package io.swell.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code podman} against private, throwaway image storage, so tests never see or change the
 * machine's own images; pulls use plain HTTP for loopback registries.
 */
public final class Podman implements AutoCloseable {

    private static final Duration PULL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);

    private final Path workDir;

    /** Creates empty storage in a fresh temp dir. */
    public Podman() {
        this.workDir = TempDirs.create("swell-podman-");
        try {
            // An empty auth file keeps credentials stored elsewhere on the machine out of the test.
            Files.writeString(authFile(), "{}");
        } catch (IOException e) {
            TempDirs.deleteRecursively(workDir);
            throw new UncheckedIOException(e);
        }
    }

    /** Pulls {@code ref} (e.g. "127.0.0.1:5000/app:1") without TLS and returns the image id. */
    public String pull(String ref) {
        return pull(ref, null);
    }

    /** Pulls {@code ref} with {@code credentials} ("user:pass", or null for anonymous); returns the image id. */
    public String pull(String ref, String credentials) {
        List<String> args = new ArrayList<>(List.of("pull", "--quiet", "--tls-verify=false"));
        if (credentials != null) {
            args.addAll(List.of("--creds", credentials));
        }
        args.add(ref);
        String out = run(PULL_TIMEOUT, args).strip();
        // --quiet prints only the image id, but take the last line in case a warning slips in.
        return out.substring(out.lastIndexOf('\n') + 1);
    }

    /** Returns {@code podman image inspect} JSON for an image id or reference. */
    public String inspect(String image) {
        return run(QUERY_TIMEOUT, List.of("image", "inspect", image));
    }

    /** Runs any podman subcommand against this instance's storage and returns its stdout. */
    public String run(Duration timeout, List<String> args) {
        List<String> command = new ArrayList<>(List.of("podman",
                "--root", workDir.resolve("root").toString(),
                "--runroot", workDir.resolve("runroot").toString(),
                "--tmpdir", workDir.resolve("tmp").toString(),
                // vfs needs no kernel overlay support and leaves no mounts behind to clean up.
                "--storage-driver", "vfs",
                // journald may be absent in containers and CI; a file keeps events local.
                "--events-backend", "file",
                "--cgroup-manager", "cgroupfs"));
        command.addAll(args);
        return ToolCommand.run(timeout, command, Map.of("REGISTRY_AUTH_FILE", authFile().toString()));
    }

    private Path authFile() {
        return workDir.resolve("auth.json");
    }

    /** Deletes the private storage and everything pulled into it. */
    @Override
    public void close() {
        TempDirs.deleteRecursively(workDir);
    }
}
