package io.swell.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs the {@code umoci} CLI to unpack OCI layouts into runtime bundles whose files tests can read. */
public final class Umoci {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private Umoci() {
    }

    /**
     * Unpacks {@code layout:tag} into {@code bundle} and returns the bundle's {@code rootfs}.
     *
     * <p>{@code bundle} must be absent or empty: umoci refuses a directory that holds anything.
     * As root umoci keeps file owners; as anyone else it needs {@code --rootless}.
     */
    public static Path unpack(Path layout, String tag, Path bundle) {
        List<String> command = new ArrayList<>(List.of("umoci", "unpack"));
        if (!isRoot()) {
            command.add("--rootless");
        }
        command.addAll(List.of("--image", layout + ":" + tag, bundle.toString()));
        ToolCommand.run(TIMEOUT, command);
        return bundle.resolve("rootfs");
    }

    /** The owner of /proc/self is this process's effective uid, which is what umoci cares about. */
    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
