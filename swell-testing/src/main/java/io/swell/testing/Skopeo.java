package io.swell.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs the {@code skopeo} CLI (1.9 on Debian 12) and fails with its stderr when it fails. */
public final class Skopeo {

    private static final Duration COPY_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration INSPECT_TIMEOUT = Duration.ofSeconds(60);

    private Skopeo() {
    }

    /** Runs {@code skopeo copy ARGS} with a five-minute timeout and returns its stdout. */
    public static String copy(List<String> args) {
        return copy(args, COPY_TIMEOUT);
    }

    /** Runs {@code skopeo copy ARGS} with the given timeout and returns its stdout. */
    public static String copy(List<String> args, Duration timeout) {
        List<String> command = new ArrayList<>(List.of("skopeo", "copy"));
        command.addAll(args);
        return ToolCommand.run(timeout, command);
    }

    /** Returns the manifest (or index) exactly as the registry serves it, anonymously. */
    public static String inspectRaw(String dockerRef, boolean tlsVerify) {
        return inspectRaw(dockerRef, tlsVerify, null);
    }

    /** Returns the manifest (or index) exactly as served; {@code credentials} is "user:pass" or null. */
    public static String inspectRaw(String dockerRef, boolean tlsVerify, String credentials) {
        return inspect(dockerRef, tlsVerify, credentials, "--raw");
    }

    /** Returns the image config JSON; for an index, skopeo picks the linux/amd64 image. */
    public static String inspectConfig(String dockerRef, boolean tlsVerify, String credentials) {
        return inspect(dockerRef, tlsVerify, credentials, "--config");
    }

    /** Returns skopeo's summary JSON (Digest, Layers, Architecture, ...). */
    public static String inspect(String dockerRef, boolean tlsVerify, String credentials) {
        return inspect(dockerRef, tlsVerify, credentials, null);
    }

    private static String inspect(String dockerRef, boolean tlsVerify, String credentials, String mode) {
        List<String> command = new ArrayList<>(List.of("skopeo", "inspect", "--tls-verify=" + tlsVerify));
        if (mode != null) {
            command.add(mode);
        }
        // Explicit either way, so a stray auth.json on the machine never changes who we are.
        if (credentials == null) {
            command.add("--no-creds");
        } else {
            command.addAll(List.of("--creds", credentials));
        }
        command.add(dockerRef.startsWith("docker://") ? dockerRef : "docker://" + dockerRef);
        return ToolCommand.run(INSPECT_TIMEOUT, command);
    }
}
