package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.testing.LocalRegistry;
import io.swell.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Package builds through the whole pipeline. No conda channel or micromamba binary can be had on these machines,
 * so the end-to-end test uses a stand-in micromamba (a shell script in an image Swell builds first) and says so
 * in its name; the real templates are covered by the golden tests in swell-core.
 */
@Tag("slow")
class PackageBuildIT {
    /** Records what it is asked to install and prints a lock, as micromamba would. */
    private static final String STAND_IN_MICROMAMBA = """
            #!/bin/sh
            # Stand-in for micromamba: records the requested specs instead of solving and downloading them.
            P="${MAMBA_ROOT_PREFIX:-/opt/conda}"
            cmd="$1"; shift
            case "$cmd" in
              install)
                mkdir -p "$P/bin" "$P/conda-meta"
                while [ $# -gt 0 ]; do
                  case "$1" in
                    -f) cat "$2" >> "$P/conda-meta/environment.yml"; shift 2; continue ;;
                    -n) shift 2; continue ;;
                    -*) shift; continue ;;
                  esac
                  echo "$1" >> "$P/conda-meta/installed"; shift
                done
                ln -sf /bin/busybox "$P/bin/which"
                echo "stand-in micromamba: installed" ;;
              env) echo "@EXPLICIT"; cat "$P/conda-meta/installed" "$P/conda-meta/environment.yml" 2>/dev/null ;;
              *) ;;
            esac
            """;

    @TempDir
    static Path tmp;

    private static LocalRegistry registry;
    private static SwellInstance swell;
    private static String busybox;
    private static String standInMamba;

    @BeforeAll
    static void start() {
        registry = LocalRegistry.open();
        busybox = registry.hostPort() + "/lib/busybox:1";
        TestImages.push(TestImages.singleArchLayout(tmp.resolve("image"), "1", Map.of()), busybox, null);
        swell = SwellInstance.start(tmp.resolve("swell"), Builds.config("", registry.hostPort()));
    }

    @AfterAll
    static void stop() {
        Fixtures.closeAll(swell, registry);
    }

    private static ObjectNode condaRequest(String mambaImage) {
        return condaRequest(mambaImage, busybox);
    }

    private static ObjectNode condaRequest(String mambaImage, String baseImage) {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        ObjectNode packages = request.putObject("packages").put("type", "CONDA");
        packages.putArray("entries").add("bioconda::samtools=1.17");
        packages.putArray("channels").add("conda-forge").add("bioconda");
        packages.putObject("condaOpts").put("mambaImage", mambaImage).put("baseImage", baseImage)
                .put("basePackages", "conda-forge::procps-ng");
        return request;
    }

    /** Builds (once) a small image whose micromamba is the stand-in script; returns its name. */
    private static synchronized String standInMamba() {
        if (standInMamba != null) {
            return standInMamba;
        }
        LayerTarball context = LayerTarball.ofTextFiles(Map.of("/micromamba", STAND_IN_MICROMAMBA));
        // busybox plus what real base images have and the templates use: applets on the PATH and a root user.
        String standIn = "FROM " + busybox + "\nRUN /bin/busybox mkdir -p /usr/bin /usr/sbin /etc && /bin/busybox --install -s"
                + " && echo 'root:x:0:0:root:/root:/bin/sh' > /etc/passwd && echo 'root:x:0:' > /etc/group\n"
                + "COPY micromamba /usr/local/bin/micromamba\nRUN chmod +x /usr/local/bin/micromamba\n"
                + "ENV MAMBA_ROOT_PREFIX=/opt/conda\n";
        JsonNode mamba = Http.submit(swell, Builds.request(standIn, context)
                .put("buildRepository", registry.hostPort() + "/standin/micromamba"));
        JsonNode mambaDone = Builds.awaitDone(swell, mamba.path("requestId").asString(), Duration.ofMinutes(2));
        assertThat(mambaDone.path("succeeded").asBoolean()).as("%s", mambaDone).isTrue();

        standInMamba = mamba.path("containerImage").asString();
        return standInMamba;
    }

    @Test
    void aDryRunNamesThePackageImageAsWaveDoes() {
        JsonNode tagPrefix = Http.submit(swell, condaRequest(busybox).put("dryRun", true));
        assertThat(tagPrefix.path("buildId").asString()).matches("[0-9a-f]{16}_0");
        String id = tagPrefix.path("buildId").asString().replace("_0", "");
        assertThat(tagPrefix.path("containerImage").asString()).endsWith("/swell/build:samtools-1.17--" + id);

        JsonNode suffix = Http.submit(swell, condaRequest(busybox).put("dryRun", true)
                .put("nameStrategy", "imageSuffix"));
        assertThat(suffix.path("containerImage").asString()).endsWith("/swell/build/samtools:1.17--" + id);
    }

    @Test
    void condaPackagesBuildEndToEndWithAStandInMicromambaBecauseNoCondaChannelIsReachableHere() throws Exception {
        String mambaImage = standInMamba();
        JsonNode answer = Http.submit(swell, condaRequest(mambaImage, mambaImage));
        String buildId = answer.path("buildId").asString();
        PulledImage image = PulledImage.pull(answer.path("targetImage").asString(), tmp.resolve("pulled"));
        Path rootfs = image.unpack(tmp.resolve("bundle"));

        String installed = Files.readString(rootfs.resolve("opt/conda/conda-meta/installed"), StandardCharsets.UTF_8);
        assertThat(installed).contains("conda-forge::procps-ng");
        String environment = Files.readString(rootfs.resolve("opt/conda/conda-meta/environment.yml"),
                StandardCharsets.UTF_8);
        assertThat(environment).contains("bioconda::samtools=1.17").contains("conda-forge").contains("bioconda");
        assertThat(image.config().path("config").path("Env").toString()).contains("/opt/conda/bin");

        Http.Answer lock = Http.get(swell.uri("/v1alpha1/builds/" + buildId + "/condalock"));
        assertThat(lock.status()).isEqualTo(200);
        assertThat(new String(lock.body(), StandardCharsets.UTF_8)).contains("@EXPLICIT").contains("samtools");
        assertThat(answer.path("containerImage").asString()).contains(":samtools-1.17--");
    }

    @Test
    void condaPackagesBuildASingularityImageWithAStandInMicromambaBecauseNoCondaChannelIsReachableHere() {
        String mambaImage = standInMamba();
        ObjectNode request = condaRequest(mambaImage, mambaImage).put("format", "sif").put("freeze", true)
                .put("buildRepository", registry.hostPort() + "/sif-conda");

        JsonNode answer = Http.submit(swell, request);

        String image = answer.path("targetImage").asString();
        assertThat(image).startsWith("oras://" + registry.hostPort() + "/sif-conda:samtools-1.17--");
        JsonNode status = Builds.awaitDone(swell, answer.path("requestId").asString(), Duration.ofMinutes(2));
        String buildId = answer.path("buildId").asString();
        assertThat(status.path("succeeded").asBoolean()).as("%s\n%s", status, Builds.logs(swell, buildId)).isTrue();
        Path sif = SifFiles.pull(registry.baseUri(), image, tmp.resolve("conda.sif"), null);
        assertThat(SifFiles.siftool("list", sif.toString())).contains("FS (Squashfs/*System/amd64)");
        Path rootfs = SifFiles.unsquash(sif, tmp.resolve("conda-sif-rootfs"));
        assertThat(rootfs.resolve("opt/conda/conda-meta/installed")).content(StandardCharsets.UTF_8)
                .contains("conda-forge::procps-ng");
        assertThat(rootfs.resolve("opt/conda/conda-meta/environment.yml")).content(StandardCharsets.UTF_8)
                .contains("bioconda::samtools=1.17");
        assertThat(rootfs.resolve(".singularity.d/env/90-environment.sh")).content(StandardCharsets.UTF_8)
                .contains("MAMBA_ROOT_PREFIX/bin");
        Http.Answer lock = Http.get(swell.uri("/v1alpha1/builds/" + buildId + "/condalock"));
        assertThat(lock.status()).isEqualTo(200);
        assertThat(new String(lock.body(), StandardCharsets.UTF_8)).contains("@EXPLICIT").contains("samtools");
    }

    @Test
    void theV1CondaFileGoesIntoTheBuildContextAndNamesTheImage() throws Exception {
        String condaFile = "name: tools\ndependencies:\n  - bioconda::samtools=1.17\n";
        ObjectNode request = Builds.request("FROM " + busybox + "\nCOPY conda.yml /opt/conda.yml\n")
                .put("condaFile", Builds.base64(condaFile));

        JsonNode answer = Http.submit(swell, "/container-token", request);

        // Wave names the image after the environment's name when it has one, else after its packages.
        assertThat(answer.path("targetImage").asString()).contains(":tools--");
        PulledImage image = PulledImage.pull(answer.path("targetImage").asString(), tmp.resolve("v1-conda"));
        assertThat(image.unpack(tmp.resolve("v1-conda-bundle")).resolve("opt/conda.yml"))
                .content(StandardCharsets.UTF_8).isEqualTo(condaFile);

        Http.Answer withoutFile = Http.postJson(swell.uri("/container-token"), Http.JSON.createObjectNode()
                .put("containerImage", busybox).put("condaFile", Builds.base64(condaFile)));
        assertThat(withoutFile.status()).isEqualTo(400);
        assertThat(withoutFile.message()).contains("needs a 'containerFile'");
    }
}
