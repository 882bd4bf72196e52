package io.swell.core.build;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One single-platform build to run.
 *
 * @param buildId  the build id ({@code bd-<containerId>_<n>}), for names and logs
 * @param workDir  a directory holding {@code Containerfile} and {@code context/} (already extracted and checked)
 * @param platform {@code linux/amd64} or {@code linux/arm64}
 * @param target   where the built image goes
 * @param timeout  longest the build may run before it is stopped and failed
 */
public record BuildJob(String buildId, Path workDir, String platform, PushTarget target, Duration timeout) {

    public Path containerfile() {
        return workDir.resolve("Containerfile");
    }

    public Path context() {
        return workDir.resolve("context");
    }
}
