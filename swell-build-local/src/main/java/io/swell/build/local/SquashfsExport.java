package io.swell.build.local;

import io.swell.core.build.BuildJob;
import io.swell.core.build.BuildLog;
import io.swell.core.build.BuildOutcome;
import io.swell.core.build.SquashfsImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.slf4j.LoggerFactory;

/**
 * Turns a built image into a squashfs without copying its files: a working container of the image is mounted
 * ({@code buildah from} + {@code buildah mount}), completed by the {@link SquashfsImage} (writes land in the
 * container's own layer and are thrown away with it), squashed with {@code mksquashfs} straight from the mount, and
 * removed. The squashfs is then handed back to be packaged and published.
 */
final class SquashfsExport {

    private static final Logger LOG = LoggerFactory.getLogger(SquashfsExport.class);
    /** Debian's squashfs-tools; found on the build's fixed PATH. */
    static final String MKSQUASHFS = "mksquashfs";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BuildahSettings settings;
    private final Map<String, String> environment;
    private final BuildJob job;
    private final BuildLog log;

    SquashfsExport(BuildahSettings settings, Map<String, String> environment, BuildJob job, BuildLog log) {
        this.settings = settings;
        this.environment = environment;
        this.job = job;
        this.log = log;
    }

    BuildOutcome run(String localImage, SquashfsImage image, long deadline) throws InterruptedException {
        Path outDir = job.workDir().resolve("squashfs");
        Path squashfs = outDir.resolve("rootfs.squashfs");
        String container = "swell-squash-" + localImage.substring(localImage.lastIndexOf(':') + 1);
        Captured inspect = capture(deadline, settings.command("inspect", "--type", "image", localImage));
        if (!inspect.result().succeeded()) {
            return failure(inspect.result(), "buildah inspect");
        }
        String config = imageConfig(inspect.lines());
        if (config == null) {
            log.line("ERROR: buildah inspect printed no OCI image config");
            return BuildOutcome.failure(-1, "Cannot read the built image's config");
        }
        Captured from = capture(deadline, settings.command("from", "--pull=never", "--quiet", "--name", container,
                localImage));
        if (!from.result().succeeded()) {
            return failure(from.result(), "buildah from");
        }
        try {
            Captured mount = capture(deadline, settings.command("mount", container));
            if (!mount.result().succeeded() || mount.lines().isEmpty()) {
                return failure(mount.result(), "buildah mount");
            }
            Path rootfs = Path.of(mount.lines().getLast().strip());
            try {
                image.prepare(rootfs, config);
                Files.createDirectories(outDir);
            } catch (IOException | RuntimeException e) {
                LOG.warn("build {}: cannot complete the root filesystem", job.buildId(), e);
                log.line("ERROR: cannot complete the root filesystem: " + e.getMessage());
                return BuildOutcome.failure(-1, "Cannot complete the root filesystem: " + e.getMessage());
            }
            log.line("Squashing the root filesystem with mksquashfs");
            // gzip is what singularity writes and every runtime reads; -quiet and -no-progress keep the log short.
            BuildahProcess.Result squash = BuildahProcess.run(List.of(MKSQUASHFS,
                    rootfs.toString(), squashfs.toString(), "-noappend", "-comp", "gzip", "-quiet", "-no-progress"),
                    environment, job.workDir(), deadline, log);
            if (!squash.succeeded()) {
                return failure(squash, "mksquashfs");
            }
        } finally {
            removeContainer(container);
        }
        try {
            log.line("Root filesystem squashed: " + Files.size(squashfs) + " bytes");
        } catch (IOException e) {
            return BuildOutcome.failure(-1, "mksquashfs wrote no file: " + e.getMessage());
        }
        return image.publish(squashfs, config, job.platform(), outDir, log);
    }

    private BuildOutcome failure(BuildahProcess.Result result, String step) {
        return BuildahBuildStrategy.failed(job, result, step, log);
    }

    /** Removes the working container (which unmounts it); never throws. */
    private void removeContainer(String container) {
        boolean interrupted = Thread.interrupted();
        try {
            // The deadline is its own: the container must go even when the build's time is up.
            BuildahProcess.Result rm = BuildahProcess.run(settings.command("rm", container), environment,
                    job.workDir(), System.nanoTime() + BuildahProcess.STOP_GRACE.toNanos() * 3,
                    line -> LOG.debug("build {}: {}", job.buildId(), line));
            if (!rm.succeeded()) {
                LOG.warn("build {}: cannot remove working container {}: {}", job.buildId(), container, rm.reason());
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private record Captured(BuildahProcess.Result result, List<String> lines) {}

    /**
     * The OCI image config ({@code OCIv1}) in the JSON buildah inspect prints, skipping any warning lines before the
     * document; {@code null} when there is none.
     */
    static String imageConfig(List<String> output) {
        int start = output.indexOf("{");
        if (start < 0) {
            return null;
        }
        try {
            JsonNode config = JSON.readTree(String.join("\n", output.subList(start, output.size()))).path("OCIv1");
            return config.isObject() ? JSON.writeValueAsString(config) : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** Runs a command whose output is data, not log: its lines are kept and not written to the build log. */
    private Captured capture(long deadline, List<String> command) throws InterruptedException {
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        BuildahProcess.Result result = BuildahProcess.run(command, environment, job.workDir(), deadline, lines::add);
        if (!result.succeeded()) {
            lines.forEach(log::line);
        }
        return new Captured(result, List.copyOf(lines));
    }
}
