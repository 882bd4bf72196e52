package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.testing.LocalRegistry;
import io.swell.testing.TestImages;
import io.swell.testing.ToolCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Singularity SIF builds without a singularity binary: a definition file is built with buildah, completed with the
 * {@code /.singularity.d} metadata, squashed with mksquashfs, wrapped in a SIF file by Swell and pushed as an ORAS
 * artifact to a basic-auth registry. The pulled blob is checked with the real siftool and unsquashfs.
 */
@Tag("slow")
class SifBuildIT {
    private static final String USER = "sylabs";
    private static final String PASSWORD = "sif-push-secret";
    private static final Duration BUILD_TIME = Duration.ofMinutes(3);

    @TempDir
    static Path tmp;

    private static LocalRegistry source;
    private static LocalRegistry target;
    private static SwellInstance swell;

    @BeforeAll
    static void start() {
        source = Fixtures.registryWithBusybox(tmp.resolve("image"));
        TestImages.push(TestImages.multiArchLayout(tmp.resolve("multi"), "1"), source.hostPort() + "/lib/multi:1",
                null);
        target = LocalRegistry.withBasicAuth(USER, PASSWORD);
        swell = SwellInstance.start(tmp.resolve("swell"), """
                registries:
                  "%s": {username: %s, password: %s}
                insecureRegistries: ["%s", "%s"]
                """.formatted(target.hostPort(), USER, PASSWORD, source.hostPort(), target.hostPort()));
    }

    @AfterAll
    static void stop() {
        Fixtures.closeAll(swell, target, source);
    }

    @Test
    void aDefinitionFileBuildIsPushedAsAnOrasSifThatSiftoolReads() throws Exception {
        String definition = """
                Bootstrap: docker
                From: %s/lib/busybox:1

                %%files
                    greeting.txt /opt/greeting.txt

                %%post
                    echo "made by post" > /post.txt
                    test -f /opt/greeting.txt

                %%environment
                    export GREETING="hello sif"

                %%runscript
                    echo "running with $GREETING"

                %%labels
                    Author swell-tests
                """.formatted(source.hostPort());
        ObjectNode request = sifRequest(definition, "/sif");
        request.set("buildContext", LayerTarball.ofTextFiles(Map.of("/greeting.txt", "hi from the context\n")).json());

        JsonNode answer = Http.submit(swell, request);

        String image = answer.path("targetImage").asString();
        assertThat(image).startsWith("oras://" + target.hostPort() + "/sif:");
        assertThat(answer.path("containerImage").asString()).isEqualTo(image);
        assertThat(answer.path("freeze").asBoolean()).isTrue();
        assertThat(answer.path("buildId").asString()).matches(Builds.BUILD_ID);
        JsonNode status = Builds.awaitDone(swell, answer.path("requestId").asString(), BUILD_TIME);
        assertThat(status.path("succeeded").asBoolean())
                .as("%s\n%s", status, Builds.logs(swell, answer.path("buildId").asString())).isTrue();

        JsonNode record = Builds.record(swell, answer.path("buildId").asString());
        assertThat(record.path("format").asString()).isEqualTo("SINGULARITY");
        assertThat(record.path("dockerFile").asString()).isEqualTo(definition);
        Path sif = pullSif(image, tmp.resolve("image.sif"));
        String list = siftool("list", sif.toString());
        assertThat(list).contains("Def.FILE").contains("FS (Squashfs/*System/amd64)");
        assertThat(list.lines().filter(l -> l.contains("JSON.Generic")).count()).isEqualTo(2);
        assertThat(siftool("info", "4", sif.toString())).contains("Squashfs").contains("amd64");
        assertThat(siftool("dump", "1", sif.toString())).isEqualTo(definition);
        assertThat(Http.JSON.readTree(siftool("dump", "2", sif.toString())).path("data").path("attributes")
                .path("labels").path("Author").asString()).isEqualTo("swell-tests");

        Path rootfs = unsquash(sif, tmp.resolve("rootfs"));
        assertThat(Files.readString(rootfs.resolve("post.txt"))).isEqualTo("made by post\n");
        assertThat(Files.readString(rootfs.resolve("opt/greeting.txt"))).isEqualTo("hi from the context\n");
        assertThat(rootfs.resolve(".swell-singularity-post.sh")).doesNotExist();
        assertThat(Files.readString(rootfs.resolve(".singularity.d/Singularity"))).isEqualTo(definition);
        assertThat(Http.JSON.readTree(Files.readString(rootfs.resolve(".singularity.d/labels.json"))).path("Author")
                .asString()).isEqualTo("swell-tests");
        // What `singularity run` does, minus the namespaces: source the environment, run the runscript.
        String run = ToolCommand.run(Duration.ofSeconds(30), List.of("chroot", rootfs.toString(), "/bin/sh", "-c",
                "for f in /.singularity.d/env/*.sh; do . \"$f\"; done; exec /.singularity.d/runscript"));
        assertThat(run.strip()).isEqualTo("running with hello sif");

        // Inspect gives what a client needs to download the SIF over https (the one layer's digest).
        Http.Answer inspect = Http.postJson(swell.uri("/v1alpha1/inspect"),
                Http.JSON.createObjectNode().put("containerImage", image.substring("oras://".length())));
        assertThat(inspect.status()).as("%s", inspect).isEqualTo(200);
        assertThat(inspect.json().path("container").path("manifest").path("layers").get(0).path("mediaType")
                .asString()).isEqualTo("application/vnd.sylabs.sif.layer.v1.sif");

        // The same request again is a cache hit on the pushed artifact.
        JsonNode again = Http.submit(swell, sifRequest(definition, "/sif")
                .set("buildContext", request.get("buildContext")));
        assertThat(again.path("targetImage").asString()).isEqualTo(image);
        assertThat(again.path("cached").asBoolean()).isTrue();
    }

    @Test
    void anArm64SifHasAnArm64PrimaryPartition() throws Exception {
        ObjectNode request = sifRequest("""
                Bootstrap: docker
                From: %s/lib/multi:1

                %%post
                    uname -m > /arch.txt
                """.formatted(source.hostPort()), "/sif-arm");
        request.put("containerPlatform", "linux/arm64");

        JsonNode answer = Http.submit(swell, request);
        JsonNode status = Builds.awaitDone(swell, answer.path("requestId").asString(), BUILD_TIME);
        assertThat(status.path("succeeded").asBoolean())
                .as("%s\n%s", status, Builds.logs(swell, answer.path("buildId").asString())).isTrue();

        Path sif = pullSif(answer.path("targetImage").asString(), tmp.resolve("arm64.sif"));
        assertThat(siftool("list", sif.toString())).contains("FS (Squashfs/*System/arm64)");
        assertThat(siftool("header", sif.toString())).contains("arm64");
        assertThat(Files.readString(unsquash(sif, tmp.resolve("arm64-rootfs")).resolve("arch.txt")))
                .isEqualTo("aarch64\n");
    }

    @Test
    void aFreezeOfAnImageWithConfigBecomesADefinitionWithEnvironmentAndRunscript() throws Exception {
        ObjectNode request = Http.containerRequest(source.hostPort() + "/lib/busybox:1")
                .put("format", "sif").put("freeze", true).put("buildRepository", target.hostPort() + "/sif-frozen");
        request.putObject("containerConfig").putArray("env").add("FROZEN=it's cold");
        ((ObjectNode) request.get("containerConfig")).putArray("entrypoint").add("/bin/echo").add("entry:");

        JsonNode answer = Http.submit(swell, request);
        JsonNode status = Builds.awaitDone(swell, answer.path("requestId").asString(), BUILD_TIME);
        assertThat(status.path("succeeded").asBoolean())
                .as("%s\n%s", status, Builds.logs(swell, answer.path("buildId").asString())).isTrue();

        Path rootfs = unsquash(pullSif(answer.path("targetImage").asString(), tmp.resolve("frozen.sif")),
                tmp.resolve("frozen-rootfs"));
        String run = ToolCommand.run(Duration.ofSeconds(30), List.of("chroot", rootfs.toString(), "/bin/sh", "-c",
                "for f in /.singularity.d/env/*.sh; do . \"$f\"; done; /.singularity.d/runscript \"$FROZEN\""));
        assertThat(run.strip()).isEqualTo("entry: it's cold");
    }

    @Test
    void aConfiguredSingularityBinaryBuildsTheSifUsingAStandInBecauseNoSingularityIsInstallableHere()
            throws Exception {
        Path calls = tmp.resolve("stand-in-calls.txt");
        Path standIn = Files.writeString(tmp.resolve("singularity"), """
                #!/bin/sh
                # Stand-in for `singularity build --force [--nohttps] <sif> <definition>`: records how it was called
                # and makes a SIF with siftool from a squashfs holding what the definition's %%files names.
                set -e
                {
                  echo "args: $*"
                  echo "cwd: $(pwd)"
                  test -f "$HOME/.singularity/docker-config.json" && echo "auth file: yes"
                } > %s
                [ "$1" = build ] && [ "$2" = --force ] || exit 2
                shift 2
                if [ "$1" = --nohttps ]; then shift; fi
                sif="$1"; definition="$2"
                root=$(mktemp -d)
                cp greeting.txt "$root/greeting.txt"
                mksquashfs "$root" "$sif.squashfs" -noappend -quiet
                siftool new "$sif"
                siftool add --datatype 1 --groupid 1 "$sif" "$definition"
                siftool add --datatype 4 --parttype 2 --partfs 1 --partarch 2 --groupid 1 "$sif" "$sif.squashfs"
                echo "stand-in singularity: built $sif"
                """.formatted(calls));
        Files.setPosixFilePermissions(standIn, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        String definition = """
                Bootstrap: docker
                From: %s/lib/busybox:1

                %%files
                    {{wave_context_dir}}/greeting.txt /greeting.txt
                """.formatted(source.hostPort());
        try (SwellInstance withBinary = SwellInstance.start(tmp.resolve("swell-singularity"), """
                registries:
                  "%s": {username: %s, password: %s}
                insecureRegistries: ["%s", "%s"]
                build:
                  singularityBinary: %s
                """.formatted(target.hostPort(), USER, PASSWORD, source.hostPort(), target.hostPort(), standIn))) {
            ObjectNode request = sifRequest(definition, "/sif-binary");
            request.set("buildContext", LayerTarball.ofTextFiles(Map.of("/greeting.txt", "from the binary\n"))
                    .json());

            JsonNode answer = Http.submit(withBinary, request);
            JsonNode status = Builds.awaitDone(withBinary, answer.path("requestId").asString(), BUILD_TIME);
            assertThat(status.path("succeeded").asBoolean())
                    .as("%s\n%s", status, Builds.logs(withBinary, answer.path("buildId").asString())).isTrue();

            Path sif = pullSif(answer.path("targetImage").asString(), tmp.resolve("binary.sif"));
            String usedDefinition = siftool("dump", "1", sif.toString());
            assertThat(usedDefinition).doesNotContain("{{wave_context_dir}}").contains("/context/greeting.txt");
            assertThat(Files.readString(unsquash(sif, tmp.resolve("binary-rootfs")).resolve("greeting.txt")))
                    .isEqualTo("from the binary\n");
            String recorded = Files.readString(calls);
            assertThat(recorded).contains("args: build --force --nohttps ").contains("/Singularity.def");
            assertThat(recorded.lines().filter(l -> l.startsWith("cwd: ")).findFirst().orElseThrow())
                    .endsWith("/context");
            assertThat(recorded).contains("auth file: yes");

            JsonNode arm = Http.submit(withBinary, sifRequest(definition, "/sif-binary-arm")
                    .put("containerPlatform", "linux/arm64"));
            JsonNode armStatus = Builds.awaitDone(withBinary, arm.path("requestId").asString(), BUILD_TIME);
            assertThat(armStatus.path("succeeded").asBoolean()).isFalse();
            assertThat(armStatus.path("reason").asString()).contains("builds linux/amd64 images only");
        }
    }

    @Test
    void withoutARegistryTheSifGoesToSwellsOwnStoreAndIsPulledFromSwell() {
        String definition = "Bootstrap: docker\nFrom: " + source.hostPort() + "/lib/busybox:1\n\n%post\n"
                + "    echo built-in > /where.txt\n";
        ObjectNode request = Builds.request(definition).put("format", "sif").put("freeze", true)
                .put("buildRepository", swell.host() + "/swell/build");

        JsonNode answer = Http.submit(swell, request);

        String image = answer.path("targetImage").asString();
        assertThat(image).startsWith("oras://" + swell.host() + "/swell/build:");
        JsonNode status = Builds.awaitDone(swell, answer.path("requestId").asString(), BUILD_TIME);
        assertThat(status.path("succeeded").asBoolean())
                .as("%s\n%s", status, Builds.logs(swell, answer.path("buildId").asString())).isTrue();
        Path sif = SifFiles.pull(swell.uri("/"), image, tmp.resolve("builtin.sif"), null);
        assertThat(siftool("list", sif.toString())).contains("FS (Squashfs/*System/amd64)");
        assertThat(unsquash(sif, tmp.resolve("builtin-rootfs")).resolve("where.txt")).hasContent("built-in");
        JsonNode again = Http.submit(swell, Builds.request(definition).put("format", "sif").put("freeze", true)
                .put("buildRepository", swell.host() + "/swell/build"));
        assertThat(again.path("cached").asBoolean()).isTrue();
    }

    @Test
    void singularityRequestsAreCheckedBeforeAnythingIsBuilt() {
        String from = "Bootstrap: docker\nFrom: " + source.hostPort() + "/lib/busybox:1\n";
        assertRefused(sifRequest(from, "/sif").put("freeze", false), "only allowed enabling freeze mode");
        assertRefused(sifRequest(from, "/sif").put("containerPlatform", "linux/amd64,linux/arm64"),
                "Multi-platform builds are not supported for Singularity");
        assertRefused(sifRequest(from + "%setup\n    touch /tmp/host-file\n", "/sif"), "%setup");
        assertRefused(sifRequest("Bootstrap: library\nFrom: alpine\n", "/sif"), "bootstrap");
        assertRefused(sifRequest(from + "%files\n    /etc/passwd /passwd\n", "/sif"), "/etc/passwd");
        assertRefused(sifRequest("FROM alpine:latest\nRUN apk add curl\n", "/sif"), "not a Dockerfile");
    }

    @Test
    void aPackagesDryRunIsNamedAfterThePackagesWithTheOrasPrefix() {
        ObjectNode request = Http.JSON.createObjectNode().put("format", "sif").put("freeze", true)
                .put("dryRun", true).put("buildRepository", target.hostPort() + "/sif-conda");
        ObjectNode packages = request.putObject("packages").put("type", "CONDA");
        packages.putArray("entries").add("salmon=1.10.3");
        packages.putArray("channels").add("conda-forge").add("bioconda");

        JsonNode answer = Http.submit(swell, request);

        assertThat(answer.path("targetImage").asString())
                .matches("oras://" + java.util.regex.Pattern.quote(target.hostPort())
                        + "/sif-conda:salmon-1\\.10\\.3--[0-9a-f]{16}");
        assertThat(answer.path("buildId").asString()).matches("[0-9a-f]{16}_0");
    }

    private static void assertRefused(ObjectNode request, String message) {
        Http.Answer answer = Http.postJson(swell.uri(Builds.V2), request);
        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.message()).containsIgnoringCase(message);
    }

    private static ObjectNode sifRequest(String definition, String repository) {
        return Builds.request(definition).put("format", "sif").put("freeze", true)
                .put("buildRepository", target.hostPort() + repository);
    }

    private static Path pullSif(String orasImage, Path file) {
        return SifFiles.pull(target.baseUri(), orasImage, file, USER + ":" + PASSWORD);
    }

    private static String siftool(String... args) {
        return SifFiles.siftool(args);
    }

    private static Path unsquash(Path sif, Path dir) {
        return SifFiles.unsquash(sif, dir);
    }
}
