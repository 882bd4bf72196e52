package io.swell.core.build.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.api.PackagesSpec;
import io.swell.api.PackagesSpec.CondaOpts;
import io.swell.api.PackagesSpec.CranOpts;
import io.swell.api.PackagesSpec.PixiOpts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares every template, as Docker and Singularity, for the main option combinations with the files under
 * {@code template-golden/}; run with {@code SWELL_GOLDEN_UPDATE=1} to rewrite them after a deliberate change.
 */
class PackageContainerFilesGoldenTest {

    static final String ENVIRONMENT = "name: rnaseq\nchannels:\n  - bioconda\ndependencies:\n  - salmon=1.10.2\n"
            + "  - pip:\n      - multiqc==1.21\n";

    /** The request shapes, by case name: build template and packages. */
    static Map<String, Case> cases() {
        Map<String, Case> cases = new LinkedHashMap<>();
        List<String> entries = List.of("bioconda::samtools=1.17", "numpy>=1.20,<2", "pip:requests==2.31.0");
        List<String> channels = List.of("conda-forge", "bioconda");
        String env = Base64.getEncoder().encodeToString(ENVIRONMENT.getBytes(StandardCharsets.UTF_8));
        String lock = "https://example.com/envs/samtools.lock?v=2";
        CondaOpts cli = new CondaOpts("mambaorg/micromamba:1.5.10-noble", null, "conda-forge::procps-ng", "ubuntu:24.04");
        CondaOpts custom = new CondaOpts("quay.io/acme/micromamba:2.0.5", List.of("RUN echo hello && touch /done",
                "ENV FOO=\"bar baz\""), "conda-forge::procps-ng  conda-forge::curl>=8", "debian:12-slim");
        CondaOpts noBase = new CondaOpts(null, null, "", null);
        for (String t : List.of("v1", "v2")) {
            String template = "conda/micromamba:" + t;
            cases.put("micromamba-" + t + "-entries", new Case(template, conda(entries, channels, null, cli)));
            cases.put("micromamba-" + t + "-environment", new Case(template, conda(null, List.of("conda-forge"), env, null)));
            cases.put("micromamba-" + t + "-lock", new Case(template, conda(List.of(lock), null, null, noBase)));
            cases.put("micromamba-" + t + "-custom", new Case(template, conda(List.of("bwa"), null, null, custom)));
        }
        cases.put("default-conda", new Case(null, conda(List.of("samtools"), channels, null, cli)));
        PixiOpts pixiCli = new PixiOpts("public.cr.seqera.io/wave/pixi:0.61.0-noble", null, "conda-forge::procps-ng",
                "ubuntu:24.04");
        PixiOpts pixiCustom = new PixiOpts("ghcr.io/prefix-dev/pixi:0.40.0", List.of("RUN pixi --version"),
                "conda-forge::procps-ng conda-forge::jq", "debian:12-slim");
        cases.put("pixi-v1-entries", new Case("conda/pixi:v1", pixi(entries, channels, null, pixiCli)));
        cases.put("pixi-v1-environment", new Case("conda/pixi:v1", pixi(null, null, env, null)));
        cases.put("pixi-v1-custom", new Case("conda/pixi:v1", pixi(List.of("bwa"), null, null, pixiCustom)));
        CranOpts cranCli = new CranOpts("rocker/r-ver:4.4.1", List.of("echo x"), "littler r-cran-docopt");
        cases.put("cran-v1-entries", new Case("cran/installr:v1", cran(List.of("dplyr=1.1.0", "ggplot2"), null, cranCli)));
        cases.put("cran-v1-bioc-repos", new Case(null, cran(
                List.of("bioc::limma", "data.table", "https://example.com/src/contrib/pkg_1.0.tar.gz"),
                List.of("https://r.example.com/cran", "bioconductor", "https://r2.example.com"), null)));
        cases.put("cran-v1-custom", new Case("cran/installr:v1", cran(List.of("https://example.com/pkg_1.0.tar.gz"),
                List.of("cran"), new CranOpts("rocker/r-ver:4.3.0", List.of("RUN R --version"), ""))));
        return cases;
    }

    static Stream<Arguments> outputs() {
        return cases().entrySet().stream().flatMap(e -> Stream.of(
                Arguments.of(e.getKey(), e.getValue(), false), Arguments.of(e.getKey(), e.getValue(), true)));
    }

    @ParameterizedTest(name = "{0} singularity={2}")
    @MethodSource("outputs")
    void matchesGoldenFile(String name, Case c, boolean singularity) throws IOException {
        PackageContainerFiles.Generated generated = PackageContainerFiles.generate(c.packages(), c.template(), singularity);
        assertThat(generated.containerFile()).doesNotContain("{{").doesNotContain("}}");
        compare(name + (singularity ? ".singularity" : ".Dockerfile"), generated.containerFile());
        if (generated.condaFile() != null) {
            compare(name + ".conda.yml", generated.condaFile());
        }
    }

    private static void compare(String file, String actual) throws IOException {
        if (System.getenv("SWELL_GOLDEN_UPDATE") != null) {
            Path path = Path.of("src/test/resources/template-golden", file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, actual);
            return;
        }
        try (InputStream in = PackageContainerFilesGoldenTest.class.getResourceAsStream("/template-golden/" + file)) {
            assertThat(in).as("golden file " + file).isNotNull();
            assertThat(actual).as(file).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static PackagesSpec conda(List<String> entries, List<String> channels, String env, CondaOpts opts) {
        return new PackagesSpec("CONDA", env, entries, channels, opts, null, null);
    }

    static PackagesSpec pixi(List<String> entries, List<String> channels, String env, PixiOpts opts) {
        return new PackagesSpec("CONDA", env, entries, channels, null, opts, null);
    }

    static PackagesSpec cran(List<String> entries, List<String> channels, CranOpts opts) {
        return new PackagesSpec("CRAN", null, entries, channels, null, null, opts);
    }

    /** One request shape. */
    record Case(String template, PackagesSpec packages) {
        @Override
        public String toString() {
            return String.valueOf(template);
        }
    }
}
