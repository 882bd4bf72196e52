package io.swell.core.sif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import io.swell.core.sif.SingularityDefinition.FileCopy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Parsing of Singularity definition files and their translation into a Containerfile for buildah. */
class SingularityDefinitionTest {
    private static final String HEADER = "Bootstrap: docker\nFrom: alpine:3.21\n";

    @Test
    void readsTheHeaderWithAnyKeyCaseAndSkipsComments() {
        var definition = SingularityDefinition.parse("""
                # a comment before the header

                BootStrap: docker
                FROM:   mambaorg/micromamba:1.5.10-noble   # trailing comment
                stage: final
                includecmd: YES
                %post
                    echo hi
                """);

        assertThat(definition.from()).isEqualTo("mambaorg/micromamba:1.5.10-noble");
        assertThat(definition.includeCmd()).isTrue();
        assertThat(definition.post()).isEqualTo("    echo hi");
        assertThat(definition.postInterpreter()).isEqualTo("/bin/sh");
        assertThat(SingularityDefinition.parse(HEADER + "IncludeCmd: no\n").includeCmd()).isFalse();
        assertThat(SingularityDefinition.parse("Bootstrap: docker\nFrom: docker.io/library/ubuntu@sha256:"
                + "a".repeat(64) + "\n").from()).isEqualTo("docker.io/library/ubuntu@sha256:" + "a".repeat(64));
    }

    @Test
    void readsEverySectionVerbatim() {
        var definition = SingularityDefinition.parse(HEADER + """
                %post -c /bin/bash
                    if true; then
                        echo "indented"
                    fi


                %environment
                    export A=1
                %runscript
                    exec echo "$@"
                %startscript
                    nc -lp 8080
                %test
                    test -f /etc/os-release
                %help
                    Usage: run me
                %labels
                    Author someone@example.com
                %files
                    data.txt /opt/data.txt
                """);

        assertThat(definition.post()).isEqualTo("    if true; then\n        echo \"indented\"\n    fi");
        assertThat(definition.postInterpreter()).isEqualTo("/bin/bash");
        assertThat(definition.environment()).isEqualTo("    export A=1");
        assertThat(definition.runscript()).isEqualTo("    exec echo \"$@\"");
        assertThat(definition.startscript()).isEqualTo("    nc -lp 8080");
        assertThat(definition.test()).isEqualTo("    test -f /etc/os-release");
        assertThat(definition.help()).isEqualTo("    Usage: run me");
        assertThat(definition.labels()).containsExactly(Map.entry("Author", "someone@example.com"));
        assertThat(definition.files()).containsExactly(new FileCopy("data.txt", "/opt/data.txt"));
    }

    @Test
    void absentSectionsAreEmpty() {
        var definition = SingularityDefinition.parse(HEADER);

        assertThat(List.of(definition.post(), definition.environment(), definition.runscript(),
                definition.startscript(), definition.test(), definition.help())).containsOnly("");
        assertThat(definition.files()).isEmpty();
        assertThat(definition.labels()).isEmpty();
        assertThat(definition.contextFiles()).isEmpty();
        assertThat(definition.containerfile())
                .isEqualTo("# Translated by Swell from a Singularity definition file\nFROM alpine:3.21\n");
    }

    @Test
    void concatenatesRepeatedSectionsInOrder() {
        var definition = SingularityDefinition.parse(HEADER + """
                %post
                    echo one
                %environment
                    export A=1
                %post
                    echo two
                %files
                    a.txt
                %labels
                    first 1
                %environment
                    export B=2
                %files
                    b.txt /b
                %labels
                    second 2
                    first again
                """);

        assertThat(definition.post()).isEqualTo("    echo one\n    echo two");
        assertThat(definition.environment()).isEqualTo("    export A=1\n    export B=2");
        assertThat(definition.files()).containsExactly(new FileCopy("a.txt", "/a.txt"), new FileCopy("b.txt", "/b"));
        // a repeated key keeps its first position and takes the last value, like a map put
        assertThat(definition.labels()).containsExactly(Map.entry("first", "again"), Map.entry("second", "2"));
    }

    @Test
    void readsLabelsInOrderWithEmptyValuesAndComments() {
        var definition = SingularityDefinition.parse(HEADER + """
                %labels
                    # not a label
                    org.example.version   1.2.3
                    Description  a   spaced value\t
                    Flag

                """);

        assertThat(definition.labels()).containsExactly(Map.entry("org.example.version", "1.2.3"),
                Map.entry("Description", "a   spaced value"), Map.entry("Flag", ""));
        assertThatThrownBy(() -> definition.labels().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void readsFilesWithAndWithoutDestination() {
        var definition = SingularityDefinition.parse(HEADER + """
                %files
                    # a comment line
                    {{wave_context_dir}}/layer-1/* /
                    {{wave_context_dir}}/conda.yml /scratch/conda.yml
                    ./scripts/run.sh
                    "my dir/with space" '/opt/with space'   # trailing comment
                    data/*.csv
                    {{wave_context_dir}}
                """);

        assertThat(definition.files()).containsExactly(
                new FileCopy("layer-1/*", "/"),
                new FileCopy("conda.yml", "/scratch/conda.yml"),
                new FileCopy("scripts/run.sh", "/scripts/run.sh"),
                new FileCopy("my dir/with space", "/opt/with space"),
                new FileCopy("data/*.csv", "/data/*.csv"),
                new FileCopy(".", "/"));
    }

    @Test
    void normalisesCarriageReturns() {
        var definition = SingularityDefinition.parse("Bootstrap: docker\r\nFrom: alpine\r\n%post\r\n  echo a\r\n"
                + "  echo b\r%labels\r\nA 1\r\n");

        assertThat(definition.from()).isEqualTo("alpine");
        assertThat(definition.post()).isEqualTo("  echo a\n  echo b");
        assertThat(definition.labels()).containsExactly(Map.entry("A", "1"));
        assertThat(definition.text()).doesNotContain("\r");
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("", "empty"),
                Arguments.of(HEADER + "%post\n echo \0\n", "NUL byte"),
                Arguments.of("From: alpine\n", "no 'Bootstrap: docker' header"),
                Arguments.of("Bootstrap: library\nFrom: alpine\n",
                        "Unsupported Singularity bootstrap agent 'library': Swell builds from 'docker' only"),
                Arguments.of("Bootstrap: localimage\nFrom: x.sif\n", "'localimage'"),
                Arguments.of("Bootstrap: docker\n", "no 'From:' header"),
                Arguments.of("Bootstrap: docker\nFrom:   \n", "no 'From:' header"),
                Arguments.of("Bootstrap: docker\nFrom: alpine latest\n", "'alpine latest' is not a docker image"),
                Arguments.of("Bootstrap: docker\nFrom: \"alpine\"\n", "not a docker image reference"),
                Arguments.of("Bootstrap: docker\nFrom: -alpine\n", "not a docker image reference"),
                Arguments.of("Bootstrap: docker\nFrom: docker://alpine\n", "not a docker image reference"),
                Arguments.of("Bootstrap: docker\nFrom: alpine\nFrom: ubuntu\n", "more than one 'From:'"),
                Arguments.of(HEADER + "Registry: quay.io\n", "Unsupported header keyword 'Registry'"),
                Arguments.of(HEADER + "just words\n", "Malformed header line 'just words'"),
                Arguments.of(HEADER + "IncludeCmd: maybe\n", "'yes' or 'no'"),
                Arguments.of(HEADER + "Stage: one\nStage: two\n",
                        "Multi-stage Singularity definitions are not supported"),
                Arguments.of(HEADER + "Bootstrap: docker\n", "Multi-stage Singularity definitions are not supported"),
                Arguments.of(HEADER + "Stage: build\n%post\n  make\nBootstrap: docker\nFrom: alpine\nStage: final\n",
                        "Multi-stage Singularity definitions are not supported"),
                Arguments.of(HEADER + "%files from build\n  /app /app\n",
                        "Multi-stage Singularity definitions are not supported"),
                Arguments.of(HEADER + "%setup\n  touch x\n",
                        "The %setup section runs on the build host and is not allowed"),
                Arguments.of(HEADER + "%pre\n  touch x\n", "The %pre section runs on the build host"),
                Arguments.of(HEADER + "%appinstall foo\n  make\n", "SCIF apps (%app… sections) are not supported"),
                Arguments.of(HEADER + "%apprun foo\n  run\n", "SCIF apps"),
                Arguments.of(HEADER + "%appenv foo\n", "SCIF apps"),
                Arguments.of(HEADER + "%appfiles foo\n", "SCIF apps"),
                Arguments.of(HEADER + "%applabels foo\n", "SCIF apps"),
                Arguments.of(HEADER + "%apphelp foo\n", "SCIF apps"),
                Arguments.of(HEADER + "%apptest foo\n", "SCIF apps"),
                Arguments.of(HEADER + "%appstart foo\n", "SCIF apps"),
                Arguments.of(HEADER + "%arguments\n  VERSION=1\n", "%arguments"),
                Arguments.of(HEADER + "%install\n  make\n", "Unknown section '%install'"),
                Arguments.of(HEADER + "%post -c bash\n", "The %post interpreter 'bash' must be an absolute path"),
                Arguments.of(HEADER + "%post -c /bin/bash;rm\n", "The %post interpreter '/bin/bash;rm'"),
                Arguments.of(HEADER + "%post -x\n", "Unsupported %post arguments '-x'"),
                Arguments.of(HEADER + "%post -c /bin/sh\n%post -c /bin/bash\n", "different interpreters"),
                Arguments.of(HEADER + "%runscript -c /bin/bash\n", "The %runscript section takes no arguments"),
                Arguments.of(HEADER + "%files\n  /etc/passwd /x\n",
                        "%files source '/etc/passwd' must be a path inside the build context"),
                Arguments.of(HEADER + "%files\n  ../secret /x\n", "%files source '../secret' must be a path inside"),
                Arguments.of(HEADER + "%files\n  a/../../b /x\n", "%files source 'a/../../b' must be a path inside"),
                Arguments.of(HEADER + "%files\n  {{wave_context_dir}}/../x /x\n",
                        "%files source '{{wave_context_dir}}/../x' must be a path inside"),
                Arguments.of(HEADER + "%files\n  ~/.ssh/id_rsa /x\n",
                        "%files source '~/.ssh/id_rsa' must be a path inside"),
                Arguments.of(HEADER + "%files\n  a\\*b /x\n", "must not contain a backslash"),
                Arguments.of(HEADER + "%files\n  */data\n", "wildcard before its last path segment"),
                Arguments.of(HEADER + "%files\n  a.txt relative/path\n",
                        "The %files destination 'relative/path' must be an absolute path"),
                Arguments.of(HEADER + "%files\n  a.txt /opt/../etc\n", "The %files destination '/opt/../etc'"),
                Arguments.of(HEADER + "%files\n  a b c\n", "Malformed %files line 'a b c'"),
                Arguments.of(HEADER + "%files\n  \"a b /x\n", "Unterminated quote"),
                Arguments.of("FROM alpine:latest\nRUN apk add curl\n", "not a Dockerfile"));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refusesWhatSwellCannotBuildLikeSingularity(String definition, String message) {
        assertThatThrownBy(() -> SingularityDefinition.parse(definition))
                .isInstanceOfSatisfying(SwellException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
                    assertThat(e.code().status()).isEqualTo(400);
                })
                .hasMessageContaining(message);
    }

    @Test
    void translatesAFullDefinitionIntoAContainerfile() {
        var definition = SingularityDefinition.parse(HEADER + """
                %files
                    {{wave_context_dir}}/conda.yml /scratch/conda.yml
                    {{wave_context_dir}}/layer-1/* /
                    scripts/run.sh
                    data/*.csv
                    docs/*.md /usr/share/doc
                %post
                    micromamba install -y -f /scratch/conda.yml
                    echo 'export X=1' >> $SINGULARITY_ENVIRONMENT
                %environment
                    export PATH=/opt/conda/bin:$PATH
                %runscript
                    exec "$@"
                """);

        assertThat(definition.containerfile()).isEqualTo("""
                # Translated by Swell from a Singularity definition file
                FROM alpine:3.21
                COPY ["conda.yml","/scratch/conda.yml"]
                COPY ["layer-1/","/"]
                COPY ["scripts/run.sh","/scripts/run.sh"]
                COPY ["data/*.csv","/data/"]
                COPY ["docs/*.md","/usr/share/doc/"]
                ARG SINGULARITY_ENVIRONMENT=/.singularity.d/env/91-environment.sh
                ARG APPTAINER_ENVIRONMENT=/.singularity.d/env/91-environment.sh
                COPY [".swell-singularity-environment.sh","/.singularity.d/env/91-environment.sh"]
                RUN --mount=type=bind,source=.swell-singularity-post.sh,target=/.swell-singularity-post.sh ["/bin/sh","-e","/.swell-singularity-post.sh"]
                """);
        assertThat(definition.contextFiles()).containsExactly(
                Map.entry(SingularityDefinition.POST_SCRIPT, "    micromamba install -y -f /scratch/conda.yml\n"
                        + "    echo 'export X=1' >> $SINGULARITY_ENVIRONMENT\n"),
                Map.entry(SingularityDefinition.ENVIRONMENT_SCRIPT, ""));
    }

    @Test
    void copiesAWholeDirectoryOfTheContextRoot() {
        var definition = SingularityDefinition.parse(HEADER + "%files\n  * /opt/app\n  *.txt\n");

        assertThat(definition.containerfile()).contains("COPY [\"./\",\"/opt/app/\"]\nCOPY [\"*.txt\",\"/\"]\n");
    }

    @Test
    void runsPostWithTheNamedInterpreter() {
        String bash = SingularityDefinition.parse(HEADER + "%post -c /bin/bash # use bash\n  shopt -s globstar\n")
                .containerfile();
        String python = SingularityDefinition.parse(HEADER + "%post -c /usr/bin/python3\n  print('hi')\n")
                .containerfile();

        assertThat(bash).contains(" [\"/bin/bash\",\"-e\",\"/.swell-singularity-post.sh\"]\n");
        // -e would be a syntax error for python: it only goes to shells
        assertThat(python).contains(" [\"/usr/bin/python3\",\"/.swell-singularity-post.sh\"]\n");
    }

    @Test
    void postTextCannotAddInstructions() {
        String harmless = SingularityDefinition.parse(HEADER + "%post\n  echo hi\n").containerfile();
        String injection = "  echo \"]\nRUN rm -rf /\n  echo '\"]'\nFROM evil\nCOPY [\"/etc/shadow\",\"/x\"]";
        var hostile = SingularityDefinition.parse(HEADER + "%post\n" + injection + "\n");

        assertThat(hostile.containerfile()).isEqualTo(harmless);
        assertThat(hostile.contextFiles()).containsEntry(SingularityDefinition.POST_SCRIPT, injection + "\n");
    }

    @Test
    void escapesCopyArgumentsForJsonAndBuildahsWordLexer() {
        var definition = SingularityDefinition.parse(HEADER + """
                %files
                    'say "hi".txt' "/opt/it's $HOME.txt"
                    "tab\there.txt" /t
                """);

        // JSON escapes " and \\; buildah's lexer needs \\ before $, ' and " to keep them literal
        assertThat(definition.containerfile()).contains("""
                COPY ["say \\\\\\"hi\\\\\\".txt","/opt/it\\\\'s \\\\$HOME.txt"]
                COPY ["tab\\there.txt","/t"]
                """);
        assertThat(definition.files().getFirst()).isEqualTo(new FileCopy("say \"hi\".txt", "/opt/it's $HOME.txt"));
    }

    @Test
    @Tag("slow")
    void buildahBuildsTheTranslationLikeSingularityWould(@TempDir Path tmp) throws Exception {
        Path context = Files.createDirectories(tmp.resolve("context"));
        Files.createDirectories(context.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), context.resolve("bin/busybox"));
        Files.createDirectories(context.resolve("layer/usr/bin"));
        Files.writeString(context.resolve("layer/usr/bin/tool"), "tool");
        Files.writeString(context.resolve("layer/.hidden"), "hidden");
        Files.createDirectories(context.resolve("odd"));
        Files.writeString(context.resolve("odd/it's $HOME.txt"), "odd");
        Files.createDirectories(context.resolve("data"));
        Files.writeString(context.resolve("data/a.csv"), "a");
        Files.writeString(context.resolve("data/b.csv"), "b");
        var definition = SingularityDefinition.parse("""
                Bootstrap: docker
                From: scratch
                %files
                    {{wave_context_dir}}/bin/busybox /bin/busybox
                    bin/busybox /bin/sh
                    bin/busybox /bin/rm
                    {{wave_context_dir}}/layer/* /
                    "odd/it's $HOME.txt" /opt/odd/
                    data/*.csv
                %post
                    /bin/busybox test -f /usr/bin/tool
                    echo "export FROM_POST=1" >> "$SINGULARITY_ENVIRONMENT"
                    echo "]
                RUN touch /injected" > /post-ran
                """);
        Files.writeString(tmp.resolve("Containerfile"), definition.containerfile());
        for (var file : definition.contextFiles().entrySet()) {
            Files.writeString(context.resolve(file.getKey()), file.getValue());
        }
        List<String> buildah = List.of("buildah", "--root", tmp.resolve("storage").toString(), "--runroot",
                tmp.resolve("run").toString(), "--storage-driver", "vfs");
        try {
            command(buildah, "build", "--isolation", "chroot", "-t", "localhost/sif-test", "-f",
                    tmp.resolve("Containerfile").toString(), context.toString());
            String container = command(buildah, "from", "localhost/sif-test").strip();
            Path image = Path.of(command(buildah, "mount", container).strip());

            assertThat(image.resolve("usr/bin/tool")).hasContent("tool");
            assertThat(image.resolve(".hidden")).hasContent("hidden");
            assertThat(image.resolve("opt/odd/it's $HOME.txt")).hasContent("odd");
            assertThat(image.resolve("data/a.csv")).hasContent("a");
            assertThat(image.resolve("data/b.csv")).hasContent("b");
            assertThat(image.resolve(".singularity.d/env/91-environment.sh")).hasContent("export FROM_POST=1");
            assertThat(image.resolve("post-ran")).hasContent("]\nRUN touch /injected");
            assertThat(image.resolve("injected")).doesNotExist();
            assertThat(image.resolve(SingularityDefinition.POST_SCRIPT)).doesNotExist();
            assertThat(command(buildah, "inspect", "--format", "{{.OCIv1.Config.Env}}", "localhost/sif-test"))
                    .doesNotContain("SINGULARITY_ENVIRONMENT");
        } finally {
            command(buildah, "rm", "--all");
            command(buildah, "rmi", "--all", "--force");
        }
    }

    private static String command(List<String> prefix, String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(prefix);
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
        return output;
    }
}
