package io.swell.build.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.swell.core.build.BuildJob;
import io.swell.core.build.BuildOutcome;
import io.swell.core.build.PushTarget;
import io.swell.testing.BuiltImage;
import io.swell.testing.LocalRegistry;
import io.swell.testing.Skopeo;
import io.swell.testing.TestImages;
import io.swell.testing.ToolCommand;
import io.swell.testing.Umoci;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds a linux/arm64 image on this amd64 host: the RUN step runs the arm64 busybox under qemu user emulation
 * (registered with binfmt_misc by {@code scripts/setup-qemu-arm64.sh}, which {@code ./swell test} runs first).
 * The base is the amd64+arm64 busybox index from {@link TestImages#multiArchLayout}, so buildah has to pick the
 * arm64 image from it. About 2 s here (registry, push, emulated RUN), so it is not tagged slow.
 */
class ArmBuildTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Path root;
    private static LocalRegistry open;
    private static BuildahSettings settings;
    private static BuildahBuildStrategy strategy;
    private static String base;

    @TempDir
    Path workDir;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void checkEmulationStartRegistryAndPushMultiArchBase() throws IOException {
        requireArm64Emulation();
        root = Files.createTempDirectory("swell-arm-build-test-");
        open = LocalRegistry.open();
        BuiltImage multi = TestImages.multiArchLayout(root.resolve("multi"), "1");
        base = open.hostPort() + "/lib/multi:1";
        TestImages.push(multi, base, null);
        settings = new BuildahSettings(root.resolve("storage"), root.resolve("run"), BuildahSettings.OVERLAY,
                "buildah", List.of(open.hostPort()), null, 0);
        strategy = new BuildahBuildStrategy(settings);
    }

    @AfterAll
    static void stopRegistryAndRemoveStorage() throws IOException {
        try {
            if (settings != null) {
                buildah("rm", "--all");
                buildah("rmi", "--all", "--force");
            }
        } finally {
            if (open != null) {
                open.close();
            }
            deleteRecursively(root);
        }
    }

    @Test
    void runStepExecutesUnderEmulationAndPushesAnArm64Image() throws Exception {
        Files.writeString(workDir.resolve("Containerfile"), "FROM %s\nRUN uname -m > /arch.txt\n".formatted(base));
        Files.createDirectories(workDir.resolve("context"));
        String image = open.hostPort() + "/builds/arm:bd-arm64";
        BuildJob job = new BuildJob("bd-arm64", workDir, "linux/arm64",
                new PushTarget.Registry(image, null, true), TIMEOUT);

        BuildOutcome outcome = strategy.run(job, log::add);

        assertThat(outcome.succeeded()).as("outcome %s, log:\n%s", outcome, String.join("\n", log)).isTrue();
        JsonNode manifest = JSON.readTree(Skopeo.inspectRaw(image, false));
        assertThat(manifest.has("manifests")).as("a single-platform manifest, not an index: %s", manifest).isFalse();
        JsonNode config = JSON.readTree(Skopeo.inspectConfig(image, false, null));
        assertThat(config.path("architecture").asString()).isEqualTo("arm64");
        assertThat(config.path("os").asString()).isEqualTo("linux");

        Path layout = workDir.resolve("pulled");
        Skopeo.copy(List.of("--override-arch", "arm64", "--src-tls-verify=false", "--src-no-creds",
                "docker://" + image, "oci:" + layout + ":x"));
        Path rootfs = Umoci.unpack(layout, "x", workDir.resolve("bundle"));
        assertThat(rootfs.resolve("arch.txt")).hasContent("aarch64");
        // The arm64 image of the index was used as the base, not the amd64 one.
        assertThat(rootfs.resolve("bin/busybox")).hasSameBinaryContentAs(TestImages.arm64Busybox());
    }

    /** Fails with the fix when this host cannot run arm64 binaries, instead of a bare "exit status 1" later. */
    private static void requireArm64Emulation() {
        Path busybox = TestImages.arm64Busybox();
        String out;
        try {
            out = ToolCommand.run(Duration.ofSeconds(30), List.of(busybox.toString(), "echo", "ok"));
        } catch (RuntimeException e) {
            out = e.toString();
        }
        if (!out.strip().equals("ok")) {
            fail("this host cannot run arm64 binaries (%s); run scripts/setup-qemu-arm64.sh as root to register"
                    + " qemu-aarch64 with binfmt_misc (./swell test does this)", out.strip());
        }
    }

    private static String buildah(String... args) {
        List<String> command = new ArrayList<>(List.of("buildah", "--root", settings.storageRoot().toString(),
                "--runroot", settings.runRoot().toString(), "--storage-driver", settings.storageDriver()));
        command.addAll(List.of(args));
        return ToolCommand.run(Duration.ofMinutes(1), command);
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
