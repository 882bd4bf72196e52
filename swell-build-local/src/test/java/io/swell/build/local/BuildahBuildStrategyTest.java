package io.swell.build.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swell.core.build.BuildJob;
import io.swell.core.build.BuildLog;
import io.swell.core.build.BuildOutcome;
import io.swell.core.build.PushTarget;
import io.swell.core.build.SquashfsImage;
import io.swell.registry.RegistryCredentials;
import io.swell.testing.BuiltImage;
import io.swell.testing.LocalRegistry;
import io.swell.testing.Skopeo;
import io.swell.testing.TestImages;
import io.swell.testing.ToolCommand;
import io.swell.testing.Umoci;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs real buildah builds (chroot isolation, overlay storage in a temp dir) from a busybox base image served by a
 * real docker-registry over plain http, and checks what lands in the target.
 */
class BuildahBuildStrategyTest {

    private static final String USER = "builder";
    private static final String PASSWORD = "pa55-Not-In-Logs";
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private static Path root;
    private static LocalRegistry open;
    private static LocalRegistry basic;
    private static BuildahSettings settings;
    private static BuildahBuildStrategy strategy;
    private static String base;

    @TempDir
    Path workDir;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void startRegistriesAndPushBase() throws IOException {
        root = Files.createTempDirectory("swell-buildah-test-");
        open = LocalRegistry.open();
        basic = LocalRegistry.withBasicAuth(USER, PASSWORD);
        BuiltImage busybox = TestImages.singleArchLayout(root.resolve("busybox"), "1", Map.of());
        base = open.hostPort() + "/lib/busybox:1";
        TestImages.push(busybox, base, null);
        settings = new BuildahSettings(root.resolve("storage"), root.resolve("run"), BuildahSettings.OVERLAY,
                "buildah", List.of(open.hostPort()), null, 0);
        strategy = new BuildahBuildStrategy(settings);
    }

    @AfterAll
    static void stopRegistriesAndRemoveStorage() throws IOException {
        try {
            if (settings != null) {
                buildah("rm", "--all");
                buildah("rmi", "--all", "--force");
            }
        } finally {
            if (open != null) {
                open.close();
            }
            if (basic != null) {
                basic.close();
            }
            deleteRecursively(root);
        }
    }

    @Test
    void buildsRunAndCopyStepsAndPushesToRegistry() throws Exception {
        writeJob("""
                FROM %s
                RUN echo built > /built.txt
                COPY hello.txt /hello.txt
                """.formatted(base), Map.of("hello.txt", "hello from context\n"));
        String image = open.hostPort() + "/builds/first:bd-1";

        BuildOutcome outcome = strategy.run(job(new PushTarget.Registry(image, null, true), TIMEOUT), log::add);

        assertThat(outcome.succeeded()).as("outcome %s, log:\n%s", outcome, String.join("\n", log)).isTrue();
        String raw = Skopeo.inspectRaw(image, false);
        assertThat(outcome.manifestDigest()).isEqualTo(sha256(raw));
        Path layout = workDir.resolve("pulled");
        Skopeo.copy(List.of("--src-tls-verify=false", "--src-no-creds", "docker://" + image, "oci:" + layout + ":x"));
        Path rootfs = Umoci.unpack(layout, "x", workDir.resolve("bundle"));
        assertThat(rootfs.resolve("built.txt")).hasContent("built");
        assertThat(rootfs.resolve("hello.txt")).hasContent("hello from context");
        assertThat(rootfs.resolve("bin/busybox")).isRegularFile();
        assertThat(log).anyMatch(line -> line.contains("RUN echo built > /built.txt"));
        assertNothingLeftBehind();
    }

    @Test
    void pushesWithCredentialsThatNeverShowInLogsOrCommandLines() throws Exception {
        writeJob("FROM %s\nRUN echo private > /private.txt\n".formatted(base), Map.of());
        String image = basic.hostPort() + "/private/img:bd-2";
        PushTarget target = new PushTarget.Registry(image, new RegistryCredentials(USER, PASSWORD), true);

        BuildOutcome outcome;
        List<String> commandLines;
        try (ProcessSampler sampler = ProcessSampler.start(open.pid(), basic.pid())) {
            outcome = strategy.run(job(target, TIMEOUT), log::add);
            commandLines = sampler.commandLines();
        }

        assertThat(outcome.succeeded()).as("outcome %s, log:\n%s", outcome, String.join("\n", log)).isTrue();
        assertThat(Skopeo.inspectRaw(image, false, USER + ":" + PASSWORD)).satisfies(
                raw -> assertThat(sha256(raw)).isEqualTo(outcome.manifestDigest()));
        String basicToken = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(commandLines).as("buildah processes seen").isNotEmpty()
                .noneMatch(line -> line.contains(PASSWORD) || line.contains(basicToken));
        assertThat(log).isNotEmpty().noneMatch(line -> line.contains(PASSWORD) || line.contains(basicToken));
        assertNothingLeftBehind();
    }

    @Test
    void failingRunStepFailsWithItsExitCodeAndOneLineReason() throws Exception {
        writeJob("FROM %s\nRUN echo about to fail && exit 3\n".formatted(base), Map.of());

        BuildOutcome outcome = strategy.run(
                job(new PushTarget.Registry(open.hostPort() + "/builds/failing:bd-3", null, true), TIMEOUT), log::add);

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(outcome.reason()).contains("RUN echo about to fail && exit 3").contains("exit status 3")
                .doesNotContain("\n");
        assertThat(log).contains("about to fail").anyMatch(line -> line.contains("RUN echo about to fail && exit 3"));
        assertNothingLeftBehind();
    }

    @Test
    void timeoutStopsTheWholeProcessTree() throws Exception {
        writeJob("FROM %s\nRUN sleep 60\n".formatted(base), Map.of());
        Duration timeout = Duration.ofSeconds(3);

        BuildOutcome outcome;
        ProcessSampler sampler = ProcessSampler.start(open.pid(), basic.pid());
        try (sampler) {
            outcome = strategy.run(
                    job(new PushTarget.Registry(open.hostPort() + "/builds/slow:bd-4", null, true), timeout),
                    log::add);
        }

        assertThat(outcome).isEqualTo(BuildOutcome.failure(-1, "Build timed out after 3s"));
        assertThat(sampler.commandLines()).as("processes seen during the build")
                .anyMatch(line -> line.startsWith("buildah "))
                .anyMatch(line -> line.contains("sleep 60"));
        assertThat(sampler.handles()).as("processes still alive").noneMatch(ProcessHandle::isAlive);
        assertThat(log).contains("Build timed out after 3s");
        assertNothingLeftBehind();
    }

    @Test
    void interruptStopsTheWholeProcessTreeAndRethrows() throws Exception {
        writeJob("FROM %s\nRUN sleep 60\n".formatted(base), Map.of());
        AtomicReference<Throwable> thrown = new AtomicReference<>();

        ProcessSampler sampler = ProcessSampler.start(open.pid(), basic.pid());
        try (sampler) {
            Thread caller = Thread.ofPlatform().name("build-caller").start(() -> {
                try {
                    strategy.run(job(new PushTarget.Registry(open.hostPort() + "/builds/cut:bd-6", null, true),
                            TIMEOUT), log::add);
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> sampler.commandLines().stream().anyMatch(line -> line.contains("sleep 60")));
            caller.interrupt();
            caller.join(Duration.ofSeconds(30));
            assertThat(caller.isAlive()).as("caller still blocked after interrupt").isFalse();
        }

        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(sampler.handles()).as("processes still alive").noneMatch(ProcessHandle::isAlive);
        // The scratch dir is removed behind the interrupted caller's back.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(this::assertNothingLeftBehind);
    }

    @Test
    void pushesToOciLayoutWithTheGivenTag() throws Exception {
        writeJob("FROM %s\nRUN echo layout > /layout.txt\n".formatted(base), Map.of());
        Path layout = workDir.resolve("store/layout");

        BuildOutcome outcome = strategy.run(job(new PushTarget.Layout(layout, "bd-5"), TIMEOUT), log::add);

        assertThat(outcome.succeeded()).as("outcome %s, log:\n%s", outcome, String.join("\n", log)).isTrue();
        JsonNode index = JsonMapper.builder().build().readTree(layout.resolve("index.json").toFile());
        assertThat(index.path("manifests").valueStream().toList()).anySatisfy(entry -> {
            assertThat(entry.path("annotations").path("org.opencontainers.image.ref.name").asString())
                    .isEqualTo("bd-5");
            assertThat(entry.path("digest").asString()).isEqualTo(outcome.manifestDigest());
        });
        Path manifest = layout.resolve("blobs/sha256/" + outcome.manifestDigest().substring("sha256:".length()));
        assertThat(sha256(Files.readString(manifest))).isEqualTo(outcome.manifestDigest());
        Path rootfs = Umoci.unpack(layout, "bd-5", workDir.resolve("bundle"));
        assertThat(rootfs.resolve("layout.txt")).hasContent("layout");
        assertNothingLeftBehind();
    }

    /** No local image, no working container, no scratch dir (with its auth file) in the work dir. */
    @Test
    void aBuildWithNothingButFromLeavesNoWorkingContainerMounted() throws Exception {
        // buildah 1.28 keeps the working container of a FROM-only build (mounted) unless told --force-rm.
        writeJob("FROM %s\n".formatted(base), Map.of());
        String image = open.hostPort() + "/builds/from-only:bd-7";

        BuildOutcome outcome = strategy.run(job(new PushTarget.Registry(image, null, true), TIMEOUT), log::add);

        assertThat(outcome.succeeded()).as("outcome %s, log:\n%s", outcome, String.join("\n", log)).isTrue();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(this::assertNothingLeftBehind);
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo")))
                .noneMatch(line -> line.contains(settings.storageRoot() + "/overlay/"));
    }

    @Test
    void aSquashfsTargetGetsTheBuiltRootFilesystemSquashedAndLeavesNothingBehind() throws Exception {
        writeJob("FROM %s\nRUN echo squashed > /built.txt\nENV FROM_BUILD=1\n".formatted(base), Map.of());
        AtomicReference<String> config = new AtomicReference<>();
        List<String> squashfsListing = Collections.synchronizedList(new ArrayList<>());
        SquashfsImage image = new SquashfsImage() {
            @Override
            public void prepare(Path rootfs, String imageConfigJson) throws IOException {
                assertThat(rootfs.resolve("built.txt")).hasContent("squashed");
                Files.writeString(rootfs.resolve("added-by-prepare.txt"), "prepared");
            }

            @Override
            public BuildOutcome publish(Path squashfs, String imageConfigJson, String platform, Path dir,
                    BuildLog buildLog) {
                config.set(imageConfigJson);
                squashfsListing.addAll(ToolCommand.run(Duration.ofSeconds(30),
                        List.of("unsquashfs", "-l", squashfs.toString())).lines().toList());
                return BuildOutcome.success("sha256:" + "0".repeat(64));
            }

            @Override
            public String definition() {
                return "Bootstrap: docker\nFrom: " + base + "\n";
            }

            @Override
            public String baseImage() {
                return base;
            }

            @Override
            public BuildOutcome publishSif(Path sif, BuildLog buildLog) {
                throw new AssertionError("buildah builds hand over a squashfs, not a SIF");
            }
        };

        BuildOutcome outcome = strategy.run(job(new PushTarget.Squashfs(image, "test"), TIMEOUT), log::add);

        assertThat(outcome.succeeded()).as("outcome %s, log:\n%s", outcome, String.join("\n", log)).isTrue();
        assertThat(squashfsListing).contains("squashfs-root/built.txt", "squashfs-root/added-by-prepare.txt",
                "squashfs-root/bin/busybox");
        JsonNode imageConfig = JsonMapper.builder().build().readTree(config.get());
        assertThat(imageConfig.path("architecture").asString()).isEqualTo("amd64");
        assertThat(imageConfig.path("config").path("Env").toString()).contains("FROM_BUILD=1");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(this::assertNothingLeftBehind);
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo")))
                .noneMatch(line -> line.contains(settings.storageRoot() + "/overlay/"));
    }

    @Test
    void overItsBudgetTheStorageIsPrunedOnceNoBuildRuns() throws Exception {
        BuildahSettings small = new BuildahSettings(root.resolve("pruned-storage"), root.resolve("pruned-run"),
                BuildahSettings.OVERLAY, "buildah", List.of(open.hostPort()), null, 1);
        BuildahBuildStrategy pruning = new BuildahBuildStrategy(small);
        writeJob("FROM %s\nRUN echo pruned > /p.txt\n".formatted(base), Map.of());
        try {
            BuildOutcome outcome = pruning.run(job(new PushTarget.Registry(open.hostPort() + "/builds/pruned:bd-8",
                    null, true), TIMEOUT), log::add);
            assertThat(outcome.succeeded()).as("outcome %s, log:\n%s", outcome, String.join("\n", log)).isTrue();

            // the base image was pulled into the storage; one byte of budget means nothing stays
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(ToolCommand.run(Duration.ofMinutes(1), small.command("images", "--noheading",
                            "--quiet"))).isBlank());
            assertThat(StoragePruner.size(small.storageRoot())).isLessThan(StoragePruner.size(settings.storageRoot()));
        } finally {
            pruning.close();
        }
        // without a budget the base image stays cached
        assertThat(strategy.run(job(new PushTarget.Registry(open.hostPort() + "/builds/kept:bd-9", null, true),
                TIMEOUT), log::add).succeeded()).isTrue();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(this::assertNothingLeftBehind);
        assertThat(buildah("images", "--noheading", "--format", "{{.Name}}:{{.Tag}}")).contains("lib/busybox:1");
    }

    private void assertNothingLeftBehind() throws IOException {
        assertThat(buildah("images", "--noheading", "--format", "{{.Name}}:{{.Tag}}"))
                .doesNotContain("swell-build");
        assertThat(buildah("containers", "--all", "--noheading", "--quiet")).isBlank();
        try (Stream<Path> files = Files.list(workDir)) {
            assertThat(files.map(path -> path.getFileName().toString())).noneMatch(name -> name.startsWith(".buildah"));
        }
    }

    private BuildJob job(PushTarget target, Duration timeout) {
        return new BuildJob("bd-test", workDir, "linux/amd64", target, timeout);
    }

    private void writeJob(String containerfile, Map<String, String> context) throws IOException {
        Files.writeString(workDir.resolve("Containerfile"), containerfile);
        Path contextDir = Files.createDirectories(workDir.resolve("context"));
        for (Map.Entry<String, String> file : context.entrySet()) {
            Files.writeString(contextDir.resolve(file.getKey()), file.getValue());
        }
    }

    private static String buildah(String... args) {
        List<String> command = new ArrayList<>(List.of("buildah", "--root", settings.storageRoot().toString(),
                "--runroot", settings.runRoot().toString(), "--storage-driver", settings.storageDriver()));
        command.addAll(List.of(args));
        return ToolCommand.run(Duration.ofMinutes(1), command);
    }

    private static String sha256(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
