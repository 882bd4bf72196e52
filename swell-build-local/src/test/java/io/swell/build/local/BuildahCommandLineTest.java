package io.swell.build.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swell.core.build.BuildJob;
import io.swell.core.build.PushTarget;
import io.swell.registry.RegistryCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files and command lines a build is made of, checked without running buildah. */
class BuildahCommandLineTest {

    private static final RegistryCredentials CREDENTIALS = new RegistryCredentials("builder", "top-secret");

    @TempDir
    Path workDir;

    private final BuildahBuildStrategy strategy = new BuildahBuildStrategy(
            new BuildahSettings(Path.of("/data/storage"), Path.of("/data/run"), "overlay", "/usr/bin/buildah",
                    List.of(), null, 0));

    @Test
    void buildRunsChrootIsolatedWithoutLayerCacheInOwnStorage() throws IOException {
        BuildScratch scratch = BuildScratch.create(workDir, Map.of(), List.of());
        BuildJob job = new BuildJob("bd-1", workDir, "linux/arm64", new PushTarget.Layout(workDir, "t"),
                Duration.ofMinutes(1));

        assertThat(strategy.buildCommand(job, "localhost/swell-build/bd-1:x", scratch)).containsExactly(
                "/usr/bin/buildah", "--root", "/data/storage", "--runroot", "/data/run", "--storage-driver", "overlay",
                "build", "--isolation", "chroot", "--platform", "linux/arm64", "--layers=false", "--force-rm", "--pull=newer",
                "--authfile", scratch.authFile().toString(),
                "-f", workDir.resolve("Containerfile").toString(),
                "-t", "localhost/swell-build/bd-1:x", workDir.resolve("context").toString());
    }

    @Test
    void pushToPlainHttpRegistryKeepsCredentialsOffTheCommandLine() throws IOException {
        BuildScratch scratch = BuildScratch.create(workDir, Map.of("127.0.0.1:5000", CREDENTIALS), List.of());
        PushTarget target = new PushTarget.Registry("127.0.0.1:5000/a/b:c", CREDENTIALS, true);

        List<String> command = strategy.pushCommand(target, "localhost/x:y", scratch);

        assertThat(command).containsSubsequence("push", "--authfile", scratch.authFile().toString(),
                "--tls-verify=false", "--digestfile", scratch.digestFile().toString(), "localhost/x:y",
                "docker://127.0.0.1:5000/a/b:c");
        assertThat(String.join(" ", command)).doesNotContain("top-secret").doesNotContain(basic("builder:top-secret"));
    }

    @Test
    void pushToHttpsRegistryVerifiesTls() throws IOException {
        BuildScratch scratch = BuildScratch.create(workDir, Map.of(), List.of());

        assertThat(strategy.pushCommand(new PushTarget.Registry("quay.io/a/b:c", null, false), "l:1", scratch))
                .doesNotContain("--tls-verify=false")
                .endsWith("l:1", "docker://quay.io/a/b:c");
    }

    @Test
    void pushToLayoutUsesOciTransportWithTag() throws IOException {
        BuildScratch scratch = BuildScratch.create(workDir, Map.of(), List.of());

        assertThat(strategy.pushCommand(new PushTarget.Layout(Path.of("/store/in"), "bd-1"), "l:1", scratch))
                .endsWith("l:1", "oci:/store/in:bd-1");
    }

    @Test
    void authFileIsPrivateDockerConfigForTheTargetRegistry() throws IOException {
        BuildScratch scratch = BuildScratch.create(workDir, Map.of("127.0.0.1:5000", CREDENTIALS), List.of());

        assertThat(Files.readString(scratch.authFile())).isEqualTo(
                "{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"" + basic("builder:top-secret") + "\"}}}\n");
        assertThat(Files.getPosixFilePermissions(scratch.authFile()))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(scratch.authFile().getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void authFileHoldsEveryRegistryAndRefusesWhatIsNotAHost() {
        assertThat(BuildScratch.authJson(Map.of("quay.io", new RegistryCredentials("q", "1"),
                "127.0.0.1:5000", CREDENTIALS))).isEqualTo("{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\""
                        + basic("builder:top-secret") + "\"},\"quay.io\":{\"auth\":\"" + basic("q:1") + "\"}}}\n");
        assertThatThrownBy(() -> BuildScratch.authJson(Map.of("a\"}", CREDENTIALS)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void authFileWithoutCredentialsIsEmptySoHostFilesAreNeverUsed() throws IOException {
        BuildScratch scratch = BuildScratch.create(workDir, Map.of(), List.of());

        assertThat(Files.readString(scratch.authFile())).isEqualTo("{\"auths\":{}}\n");
    }

    @Test
    void scratchDirIsDeletedWithItsSecret() throws IOException {
        BuildScratch scratch = BuildScratch.create(workDir, Map.of("r.io", CREDENTIALS), List.of());
        Files.writeString(scratch.tmp().resolve("leftover"), "x");

        scratch.delete();

        try (var files = Files.list(workDir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void registriesConfSearchesDockerHubAndMarksOnlyNamedRegistriesInsecure() {
        assertThat(BuildScratch.registriesConf(List.of("127.0.0.1:5000"))).isEqualTo("""
                # Written by Swell for one build.
                unqualified-search-registries = ["docker.io"]

                [[registry]]
                location = "127.0.0.1:5000"
                insecure = true
                """);
        assertThatThrownBy(() -> BuildScratch.registriesConf(List.of("evil\"]\n[x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void registryOfImageFollowsDockerReferenceRules() {
        assertThat(ImageNames.registryOf("127.0.0.1:5000/a/b:c")).isEqualTo("127.0.0.1:5000");
        assertThat(ImageNames.registryOf("quay.io/org/img:1")).isEqualTo("quay.io");
        assertThat(ImageNames.registryOf("localhost/img:1")).isEqualTo("localhost");
        assertThat(ImageNames.registryOf("library/ubuntu:22.04")).isEqualTo("docker.io");
        assertThat(ImageNames.registryOf("ubuntu")).isEqualTo("docker.io");
    }

    @Test
    void localNameIsValidReferenceAndUniquePerRun() {
        String first = ImageNames.localName("bd-ABC_1");
        String second = ImageNames.localName("bd-ABC_1");

        assertThat(first).matches("localhost/swell-build/bd-abc-1:[0-9a-f]{12}");
        assertThat(first).isNotEqualTo(second);
        assertThat(ImageNames.localName("__")).startsWith("localhost/swell-build/build:");
    }

    @Test
    void timeoutIsWrittenAsUsersWriteIt() {
        assertThat(BuildahBuildStrategy.human(Duration.ofSeconds(3))).isEqualTo("3s");
        assertThat(BuildahBuildStrategy.human(Duration.ofMinutes(15))).isEqualTo("15m");
        assertThat(BuildahBuildStrategy.human(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(BuildahBuildStrategy.human(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(BuildahBuildStrategy.human(Duration.ofMillis(200))).isEqualTo("200ms");
    }

    @Test
    void settingsRejectUnknownDriverAndBadRegistry() {
        assertThatThrownBy(() -> BuildahSettings.under(workDir).withStorageDriver("btrfs"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BuildahSettings.under(workDir).withInsecureRegistries(List.of("http://x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(BuildahSettings.under(workDir).storageRoot()).isEqualTo(workDir.resolve("buildah/storage"));
    }

    private static String basic(String userPass) {
        return Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }
}
