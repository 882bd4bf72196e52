package io.swell.build.local;

import io.swell.core.build.BuildJob;
import io.swell.core.build.BuildLog;
import io.swell.core.build.BuildOutcome;
import io.swell.core.build.BuildStrategy;
import io.swell.core.build.PushTarget;
import io.swell.registry.RegistryCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds with a local {@code buildah} process: {@code buildah build} with chroot isolation into Swell's own
 * containers-storage, then {@code buildah push} to the target, then (in the background) {@code buildah rmi} of the
 * local image.
 *
 * <p>Choices, and why:
 * <ul>
 *   <li>{@code --isolation chroot}: the only isolation that runs RUN steps without a runtime (runc/crun) and without
 *       user namespaces; it shares the host network, which RUN steps such as {@code apt-get install} need.</li>
 *   <li>{@code --layers=false}: only the final image is committed. Identical builds are already deduplicated by
 *       build id before they get here, intermediate images would grow storage with every distinct Containerfile,
 *       and a failed or stopped build leaves nothing behind. Pulled base images stay in storage and are the cache.</li>
 *   <li>{@code --force-rm}: buildah 1.28 otherwise keeps the working container of a FROM-only build, mounted, for
 *       ever.</li>
 *   <li>{@code --pull=newer}: a base image is re-pulled only when its tag moved, so a cached {@code ubuntu:latest}
 *       never goes stale and an unchanged one costs one manifest request.</li>
 *   <li>{@code --authfile} always, with a private HOME: buildah never reads the host's auth files, and credentials
 *       never appear on a command line ({@code ps}) or in the build log.</li>
 *   <li>A registries.conf of our own: short names resolve to Docker Hub (Debian's file defines no search registry)
 *       and only the registries named insecure may be reached over plain http.</li>
 * </ul>
 */
public final class BuildahBuildStrategy implements BuildStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(BuildahBuildStrategy.class);
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Duration CLEANUP_TIMEOUT = Duration.ofMinutes(1);
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}");

    private final BuildahSettings settings;
    private final Map<String, RegistryCredentials> registryCredentials;
    private final StoragePruner pruner;
    /** Background image removals and pruning still running, joined by {@link #close()}. */
    private final java.util.Queue<Thread> cleanups = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** Creates the strategy without registry credentials besides each push target's own. */
    public BuildahBuildStrategy(BuildahSettings settings) {
        this(settings, Map.of());
    }

    /**
     * Creates the strategy; nothing runs until {@link #run}.
     *
     * @param registryCredentials credentials (by registry host) buildah may use for base images of every build,
     *                            e.g. a private registry named in {@code FROM}; a push target's own credentials
     *                            are added per build
     */
    public BuildahBuildStrategy(BuildahSettings settings, Map<String, RegistryCredentials> registryCredentials) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Map<String, RegistryCredentials> usable = new java.util.HashMap<>();
        registryCredentials.forEach((host, credentials) -> {
            if (BuildahSettings.isRegistryHost(host)) {
                usable.put(host, credentials);
            } else {
                LOG.warn("Credentials for '{}' are not given to builds: not a registry host[:port]", host);
            }
        });
        this.registryCredentials = Map.copyOf(usable);
        this.pruner = new StoragePruner(settings);
    }

    @Override
    public String name() {
        return "buildah";
    }

    @Override
    public BuildOutcome run(BuildJob job, BuildLog log) throws InterruptedException {
        long deadline = System.nanoTime() + job.timeout().toNanos();
        if (job.target() instanceof PushTarget.Layout layout && layout.directory().toString().contains(":")) {
            // The oci: transport splits "path:tag" at the first colon.
            return BuildOutcome.failure(-1, "OCI layout directory must not contain ':': " + layout.directory());
        }
        BuildScratch scratch;
        try {
            scratch = createScratch(job);
        } catch (IOException | RuntimeException e) {
            LOG.warn("build {}: cannot prepare buildah's files", job.buildId(), e);
            return BuildOutcome.failure(-1, "Cannot prepare the build: " + e.getMessage());
        }
        String localName = ImageNames.localName(job.buildId());
        Map<String, String> environment = environment(scratch);
        boolean built = false;
        boolean interrupted = false;
        pruner.buildLock().lock();
        try {
            if (job.target() instanceof PushTarget.Squashfs squashfs && settings.singularityBinary() != null) {
                return new SingularityBinaryBuild(settings, job, log).run(squashfs.image(), scratch, environment,
                        deadline);
            }
            BuildahProcess.Result build = BuildahProcess.run(buildCommand(job, localName, scratch), environment,
                    job.workDir(), deadline, log);
            if (!build.succeeded()) {
                return failed(job, build, "buildah build", log);
            }
            built = true;
            if (job.target() instanceof PushTarget.Squashfs squashfs) {
                return new SquashfsExport(settings, environment, job, log).run(localName, squashfs.image(), deadline);
            }
            BuildahProcess.Result push = BuildahProcess.run(pushCommand(job.target(), localName, scratch),
                    environment, job.workDir(), deadline, log);
            if (!push.succeeded()) {
                return failed(job, push, "buildah push", log);
            }
            return readDigest(scratch);
        } catch (InterruptedException e) {
            interrupted = true;
            throw e;
        } finally {
            // The scratch dir holds the auth file: it goes now. Removing the local image takes ~30 ms of buildah
            // and nobody needs to wait for it, so it runs behind the caller's back (pulls held on the build are
            // woken that much sooner).
            pruner.buildLock().unlock();
            deleteScratch(job.buildId(), scratch);
            boolean removeImage = built;
            Thread cleanup = Thread.ofVirtual().unstarted(() -> {
                if (removeImage) {
                    removeImage(job.buildId(), localName, environment);
                }
                pruner.pruneIfOverBudget(cleanupEnvironment(environment));
                cleanups.remove(Thread.currentThread());
            });
            cleanups.add(cleanup);
            cleanup.start();
        }
    }

    private BuildScratch createScratch(BuildJob job) throws IOException {
        if (job.target() instanceof PushTarget.Layout layout) {
            // buildah's oci: transport creates the layout directory but not its parents.
            Files.createDirectories(layout.directory());
        }
        Set<String> insecure = new LinkedHashSet<>(settings.insecureRegistries());
        Map<String, RegistryCredentials> credentials = new java.util.HashMap<>(registryCredentials);
        if (job.target() instanceof PushTarget.Registry push) {
            String registry = ImageNames.registryOf(push.image());
            if (push.credentials() != null) {
                credentials.put(registry, push.credentials());
            }
            if (push.plainHttp()) {
                // Lets a build use the push registry's own images as FROM, as it may when they are on https.
                insecure.add(registry);
            }
        }
        return BuildScratch.create(job.workDir(), credentials, insecure);
    }

    /** Exactly these variables and nothing inherited, so no secret of Swell's own environment reaches a build. */
    private Map<String, String> environment(BuildScratch scratch) {
        return Map.of(
                "PATH", PATH,
                "HOME", scratch.home().toString(),
                "TMPDIR", scratch.tmp().toString(),
                "STORAGE_DRIVER", settings.storageDriver(),
                "CONTAINERS_REGISTRIES_CONF", scratch.registriesConf().toString());
    }

    private List<String> buildah(String... subcommand) {
        return settings.command(subcommand);
    }

    List<String> buildCommand(BuildJob job, String localName, BuildScratch scratch) {
        return buildah("build",
                "--isolation", "chroot",
                "--platform", job.platform(),
                "--layers=false",
                "--force-rm",
                "--pull=newer",
                "--authfile", scratch.authFile().toString(),
                "-f", job.containerfile().toString(),
                "-t", localName,
                job.context().toString());
    }

    List<String> pushCommand(PushTarget target, String localName, BuildScratch scratch) {
        List<String> command = buildah("push", "--authfile", scratch.authFile().toString());
        String destination = switch (target) {
            case PushTarget.Registry registry -> {
                if (registry.plainHttp()) {
                    command.add("--tls-verify=false");
                }
                yield "docker://" + registry.image();
            }
            case PushTarget.Layout layout -> "oci:" + layout.directory() + ":" + layout.tag();
            case PushTarget.Squashfs squashfs -> throw new IllegalArgumentException("a squashfs is not pushed by buildah");
        };
        command.addAll(List.of("--digestfile", scratch.digestFile().toString(), localName, destination));
        return command;
    }

    static BuildOutcome failed(BuildJob job, BuildahProcess.Result result, String step, BuildLog log) {
        if (result.timedOut()) {
            String reason = "Build timed out after " + human(job.timeout());
            log.line(reason);
            return BuildOutcome.failure(-1, reason);
        }
        String reason = result.reason() != null ? result.reason() : step + " failed with exit code " + result.exitCode();
        return BuildOutcome.failure(result.exitCode(), reason);
    }

    private static BuildOutcome readDigest(BuildScratch scratch) {
        try {
            String digest = Files.readString(scratch.digestFile(), StandardCharsets.UTF_8).strip();
            if (!DIGEST.matcher(digest).matches()) {
                return BuildOutcome.failure(-1, "buildah push wrote no valid digest: " + digest);
            }
            return BuildOutcome.success(digest);
        } catch (NoSuchFileException e) {
            return BuildOutcome.failure(-1, "buildah push wrote no digest file");
        } catch (IOException e) {
            return BuildOutcome.failure(-1, "Cannot read the pushed digest: " + e.getMessage());
        }
    }

    /**
     * Waits (bounded) for image removals still running, then releases the bind mount that containers/storage puts
     * on its overlay directory: buildah leaves it behind when it is stopped mid-build, which would keep the data
     * directory busy after Swell stops.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + CLEANUP_TIMEOUT.toNanos();
        for (Thread t : cleanups) {
            try {
                t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        Path overlay = settings.storageRoot().resolve("overlay").toAbsolutePath();
        try {
            boolean mounted = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .map(line -> line.split(" "))
                    .anyMatch(fields -> fields.length > 4 && fields[4].equals(overlay.toString()));
            if (mounted) {
                Process umount = new ProcessBuilder("umount", overlay.toString()).redirectErrorStream(true).start();
                String out = new String(umount.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (umount.waitFor() != 0) {
                    LOG.warn("Cannot unmount buildah's overlay storage {}: {}", overlay, out.strip());
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot release buildah's overlay storage {}: {}", overlay, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Removes the local image; never throws. It runs after the work dir is gone, so HOME and TMPDIR point at
     * buildah's run root instead of the build's scratch dir (rmi needs neither credentials nor registries).
     */
    private void removeImage(String buildId, String localImage, Map<String, String> buildEnvironment) {
        Map<String, String> environment = cleanupEnvironment(buildEnvironment);
        try {
            Files.createDirectories(settings.runRoot());
            BuildahProcess.Result rmi = BuildahProcess.run(buildah("rmi", localImage), environment,
                    settings.runRoot(), System.nanoTime() + CLEANUP_TIMEOUT.toNanos(),
                    line -> LOG.debug("build {}: {}", buildId, line));
            if (!rmi.succeeded()) {
                LOG.warn("build {}: cannot remove local image {}: {}", buildId, localImage, rmi.reason());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.warn("build {}: cannot remove local image {}", buildId, localImage, e);
        }
    }

    /** The environment of work after a build: its scratch dir is gone, so HOME and TMPDIR are the run root. */
    private Map<String, String> cleanupEnvironment(Map<String, String> buildEnvironment) {
        Map<String, String> environment = new java.util.HashMap<>(buildEnvironment);
        environment.put("HOME", settings.runRoot().toString());
        environment.put("TMPDIR", settings.runRoot().toString());
        environment.remove("CONTAINERS_REGISTRIES_CONF");
        return environment;
    }

    /** Deletes the scratch dir (and with it the auth file); never throws. */
    private static void deleteScratch(String buildId, BuildScratch scratch) {
        try {
            scratch.delete();
        } catch (IOException | RuntimeException e) {
            LOG.warn("build {}: cannot delete buildah's scratch dir", buildId, e);
        }
    }

    /** "15m", "3s", "1h30m", "1.5s": how a user would write the timeout. */
    static String human(Duration duration) {
        if (duration.toMillis() % 1000 != 0) {
            return duration.toMillis() < 1000 ? duration.toMillis() + "ms" : duration.toMillis() / 1000.0 + "s";
        }
        StringBuilder text = new StringBuilder();
        long hours = duration.toHours();
        int minutes = duration.toMinutesPart();
        int seconds = duration.toSecondsPart();
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (minutes > 0) {
            text.append(minutes).append('m');
        }
        if (seconds > 0 || text.isEmpty()) {
            text.append(seconds).append('s');
        }
        return text.toString();
    }
}
