package io.swell.core.sif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The /.singularity.d metadata written into a root filesystem, checked file by file and by running the scripts. */
class SingularityRootFsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant BUILD_TIME = Instant.parse("2026-11-23T00:41:14.123Z");
    private static final String TRICKY = "say \"hi\" to $HOME and `id` in C:\\temp";
    private static final String IMAGE_CONFIG = """
            {"architecture":"amd64","os":"linux",
             "config":{"Env":["PATH=/opt/conda/bin:/usr/bin:/bin","TRICKY=%s","QUOTED=it's {braced}","EMPTY=",
                              "1BAD=x","NO_EQUALS","bad-name=x"],
                       "Entrypoint":["/bin/echo","it's"],"Cmd":["a b"],"WorkingDir":"/work",
                       "Labels":{"maintainer":"image","shared":"from image"}},
             "rootfs":{"type":"layers","diff_ids":[]}}
            """.formatted(TRICKY.replace("\\", "\\\\").replace("\"", "\\\""));
    private static final String FULL_DEFINITION = """
            Bootstrap: docker
            From: alpine:3.21
            %environment
                export A=1
            %startscript
                echo started
            %test
                echo testing
            %help
                Some help
            %labels
                shared from definition
                Author me
            """;

    @TempDir
    Path tmp;

    @Test
    void writesTheSingularityLayout() throws IOException {
        Path rootfs = rootfs();
        var definition = SingularityDefinition.parse(FULL_DEFINITION);

        SingularityRootFs.complete(rootfs, definition, IMAGE_CONFIG, BUILD_TIME);

        for (String dir : List.of(".singularity.d/actions", ".singularity.d/env", ".singularity.d/libs", "dev", "proc",
                "root", "var/tmp", "tmp", "etc", "sys", "home")) {
            assertThat(rootfs.resolve(dir)).as(dir).isDirectory();
        }
        assertThat(mode(rootfs.resolve("tmp"))).isEqualTo(01777);
        assertThat(mode(rootfs.resolve("var/tmp"))).isEqualTo(01777);
        assertThat(mode(rootfs.resolve(".singularity.d"))).isEqualTo(0755);
        assertFile(rootfs, "etc/hosts", 0644, "");
        assertFile(rootfs, "etc/resolv.conf", 0644, "");
        assertFile(rootfs, ".singularity.d/Singularity", 0644, definition.text());
        assertFile(rootfs, ".singularity.d/env/90-environment.sh", 0755,
                "#!/bin/sh\n# The %environment section of the Singularity definition file\n    export A=1\n");
        assertFile(rootfs, ".singularity.d/startscript", 0755, "#!/bin/sh\n\n    echo started\n");
        assertFile(rootfs, ".singularity.d/test", 0755, "#!/bin/sh\n\n    echo testing\n");
        assertFile(rootfs, ".singularity.d/runscript.help", 0644, "    Some help\n");
        for (String env : List.of("01-base.sh", "10-docker2singularity.sh", "95-apps.sh", "99-base.sh",
                "99-runtimevars.sh")) {
            assertThat(mode(rootfs.resolve(".singularity.d/env/" + env))).as(env).isEqualTo(0755);
            assertThat(read(rootfs, ".singularity.d/env/" + env)).as(env).startsWith("#!/bin/sh\n");
        }
        assertThat(read(rootfs, ".singularity.d/env/99-base.sh")).contains("PS1=\"${PS1:-Singularity> }\"");
        Map<String, String> actions = Map.of("exec", "exec \"$@\"\n", "run", "exec /.singularity.d/runscript \"$@\"\n",
                "shell", "exec /bin/sh \"$@\"\n", "start", "exec /.singularity.d/startscript \"$@\"\n",
                "test", "echo \"No test script\"\nexit 0\n");
        for (var action : actions.entrySet()) {
            String path = ".singularity.d/actions/" + action.getKey();
            assertThat(mode(rootfs.resolve(path))).as(path).isEqualTo(0755);
            assertThat(read(rootfs, path)).as(path).startsWith("#!/bin/sh\n")
                    .contains("for swell_env in /.singularity.d/env/*.sh; do").endsWith(action.getValue());
        }
        Map<String, String> links = Map.of("singularity", ".singularity.d/runscript",
                ".run", ".singularity.d/actions/run", ".exec", ".singularity.d/actions/exec",
                ".shell", ".singularity.d/actions/shell", ".test", ".singularity.d/actions/test",
                "environment", ".singularity.d/env/90-environment.sh");
        for (var link : links.entrySet()) {
            assertThat(Files.readSymbolicLink(rootfs.resolve(link.getKey()))).as(link.getKey())
                    .isEqualTo(Path.of(link.getValue()));
            assertThat(rootfs.resolve(link.getKey())).as(link.getKey() + " resolves").isRegularFile();
        }
    }

    @Test
    void keepsExistingDirectoriesAndReplacesFilesAndLinks() throws IOException {
        Path rootfs = rootfs();
        Files.createDirectories(rootfs.resolve("home/user"));
        Files.writeString(rootfs.resolve("etc/hosts"), "127.0.0.1 image\n");
        Files.createSymbolicLink(rootfs.resolve("environment"), Path.of("etc/hosts"));

        SingularityRootFs.complete(rootfs, SingularityDefinition.parse(FULL_DEFINITION), IMAGE_CONFIG, BUILD_TIME);

        assertThat(rootfs.resolve("home/user")).isDirectory();
        assertThat(read(rootfs, "etc/hosts")).isEmpty();
        assertThat(Files.readSymbolicLink(rootfs.resolve("environment")))
                .isEqualTo(Path.of(".singularity.d/env/90-environment.sh"));
    }

    @Test
    void writesTheImageEnvironmentSoThatEveryValueRoundTrips() throws Exception {
        Path rootfs = rootfs();
        SingularityRootFs.complete(rootfs, SingularityDefinition.parse(FULL_DEFINITION), IMAGE_CONFIG, BUILD_TIME);
        Path env = rootfs.resolve(".singularity.d/env/10-docker2singularity.sh");

        String script = read(rootfs, ".singularity.d/env/10-docker2singularity.sh");
        assertThat(script).contains("export PATH=\"/opt/conda/bin:/usr/bin:/bin\"\n")
                .contains("export TRICKY=\"${TRICKY:-say \\\"hi\\\" to \\$HOME and \\`id\\` in C:\\\\temp}\"\n")
                .contains("export EMPTY=\"${EMPTY:-}\"\n")
                .doesNotContain("1BAD").doesNotContain("NO_EQUALS").doesNotContain("bad-name");
        for (String shell : List.of("/bin/sh", "/bin/bash")) {
            assertThat(sh(shell, ". " + env + "; printf %s \"$TRICKY\"", Map.of())).as(shell).isEqualTo(TRICKY);
            assertThat(sh(shell, ". " + env + "; printf %s \"$QUOTED\"", Map.of())).as(shell)
                    .isEqualTo("it's {braced}");
            // a value set at run time wins over the image's, except PATH which the image sets
            assertThat(sh(shell, ". " + env + "; printf %s \"$TRICKY|$QUOTED|$PATH\"",
                    Map.of("TRICKY", "mine", "QUOTED", "ours", "PATH", "/usr/bin:/bin")))
                    .as(shell).isEqualTo("mine|ours|/opt/conda/bin:/usr/bin:/bin");
        }
    }

    @Test
    void derivesTheRunscriptFromEntrypointAndCmd() throws Exception {
        Path rootfs = rootfs();
        var definition = SingularityDefinition.parse("Bootstrap: docker\nFrom: alpine\n");
        SingularityRootFs.complete(rootfs, definition, IMAGE_CONFIG, BUILD_TIME);
        Path runscript = rootfs.resolve(".singularity.d/runscript");

        assertThat(mode(runscript)).isEqualTo(0755);
        assertThat(read(rootfs, ".singularity.d/runscript")).isEqualTo("""
                #!/bin/sh
                # Generated by Swell from the image's ENTRYPOINT and CMD
                if [ $# -gt 0 ]; then
                    exec '/bin/echo' 'it'\\''s' "$@"
                fi
                exec '/bin/echo' 'it'\\''s' 'a b'
                """);
        assertThat(run("/bin/sh", runscript.toString())).isEqualTo("it's a b\n");
        assertThat(run("/bin/sh", runscript.toString(), "x", "$HOME")).isEqualTo("it's x $HOME\n");

        assertThat(runscriptFor(definition, "{\"config\":{\"Cmd\":[\"/bin/echo\",\"$HOME\",\"`id`\"]}}"))
                .endsWith("if [ $# -gt 0 ]; then\n    exec \"$@\"\nfi\nexec '/bin/echo' '$HOME' '`id`'\n");
        assertThat(run("/bin/sh", rootfs.resolve(".singularity.d/runscript").toString()))
                .isEqualTo("$HOME `id`\n");
        assertThat(run("/bin/sh", rootfs.resolve(".singularity.d/runscript").toString(), "/bin/echo", "args"))
                .isEqualTo("args\n");
        assertThat(runscriptFor(definition, "{\"config\":{\"Entrypoint\":[\"/bin/echo\"],\"Cmd\":null}}"))
                .endsWith("exec '/bin/echo' \"$@\"\nfi\nexec '/bin/echo'\n");
        assertThat(runscriptFor(definition, "{\"config\":{\"Entrypoint\":null}}")).endsWith("fi\nexec /bin/sh\n");
        assertThat(runscriptFor(definition, "{\"architecture\":\"arm64\"}")).endsWith("fi\nexec /bin/sh\n");
        assertThat(runscriptFor(definition, "{\"config\":null}")).endsWith("fi\nexec /bin/sh\n");
        assertThat(runscriptFor(SingularityDefinition.parse("Bootstrap: docker\nFrom: alpine\n%runscript\n"
                + "  echo from def\n"), IMAGE_CONFIG)).isEqualTo("#!/bin/sh\n\n  echo from def\n");
        assertThat(read(rootfs, ".singularity.d/startscript")).isEqualTo("#!/bin/sh\n");
        assertThat(rootfs.resolve(".singularity.d/test")).doesNotExist();
        assertThat(rootfs.resolve(".singularity.d/runscript.help")).doesNotExist();
    }

    @Test
    void replacesASymlinkedMetadataDirectoryWithoutTouchingItsTarget() throws IOException {
        Path rootfs = rootfs();
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "host file");
        Files.createSymbolicLink(rootfs.resolve(".singularity.d"), outside);
        Files.createSymbolicLink(rootfs.resolve("tmp"), outside);

        SingularityRootFs.complete(rootfs, SingularityDefinition.parse(FULL_DEFINITION), IMAGE_CONFIG, BUILD_TIME);

        try (var files = Files.list(outside)) {
            assertThat(files).containsExactly(outside.resolve("keep"));
        }
        assertThat(mode(outside)).isNotEqualTo(01777);
        assertThat(rootfs.resolve(".singularity.d")).isDirectory();
        assertThat(Files.isSymbolicLink(rootfs.resolve(".singularity.d"))).isFalse();
        assertThat(rootfs.resolve(".singularity.d/runscript")).isRegularFile();
        // a standard directory is the image's business: a link there is left as it is, and nothing goes through it
        assertThat(Files.readSymbolicLink(rootfs.resolve("tmp"))).isEqualTo(outside);
    }

    @Test
    void refusesToWriteThroughASymlinkedParentDirectory() throws IOException {
        Path rootfs = Files.createDirectory(tmp.resolve("rootfs"));
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.createSymbolicLink(rootfs.resolve("etc"), outside);

        assertThatThrownBy(() -> SingularityRootFs.complete(rootfs, SingularityDefinition.parse(FULL_DEFINITION),
                IMAGE_CONFIG, BUILD_TIME))
                .isInstanceOf(IOException.class).hasMessageContaining("/etc is a symbolic link");
        try (var files = Files.list(outside)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void mergesLabelsImageFirstThenBuildThenDefinition() throws IOException {
        Path rootfs = rootfs();
        SingularityRootFs.complete(rootfs, SingularityDefinition.parse(FULL_DEFINITION), IMAGE_CONFIG, BUILD_TIME);

        JsonNode labels = JSON.readTree(read(rootfs, ".singularity.d/labels.json"));
        assertThat(read(rootfs, ".singularity.d/labels.json")).startsWith("{\n  \"maintainer\"");
        assertThat(mode(rootfs.resolve(".singularity.d/labels.json"))).isEqualTo(0644);
        assertThat(names(labels)).containsExactly("maintainer", "shared", "org.label-schema.build-arch",
                "org.label-schema.build-date", "org.label-schema.schema-version",
                "org.label-schema.usage.singularity.deffile.bootstrap",
                "org.label-schema.usage.singularity.deffile.from", "Author");
        assertThat(labels.get("shared").stringValue()).isEqualTo("from definition");
        assertThat(labels.get("org.label-schema.build-arch").stringValue()).isEqualTo("amd64");
        assertThat(labels.get("org.label-schema.build-date").stringValue()).isEqualTo("2026-11-23T00:41:14Z");
        assertThat(labels.get("org.label-schema.usage.singularity.deffile.from").stringValue())
                .isEqualTo("alpine:3.21");
        assertThat(labels.get("Author").stringValue()).isEqualTo("me");
    }

    @Test
    void describesTheImageForInspect() throws IOException {
        Path rootfs = rootfs();
        var definition = SingularityDefinition.parse(FULL_DEFINITION);
        SingularityRootFs.complete(rootfs, definition, IMAGE_CONFIG, BUILD_TIME);
        // what %post appended to $SINGULARITY_ENVIRONMENT is listed; a link planted there is not followed
        Files.writeString(rootfs.resolve(".singularity.d/env/91-environment.sh"), "export B=2\n");
        Files.writeString(tmp.resolve("secret"), "host secret");
        Files.delete(rootfs.resolve(".singularity.d/runscript.help"));
        Files.createSymbolicLink(rootfs.resolve(".singularity.d/runscript.help"), tmp.resolve("secret"));

        JsonNode metadata = JSON.readTree(SingularityRootFs.inspectMetadata(definition, rootfs));

        assertThat(names(metadata)).containsExactly("data", "type");
        assertThat(metadata.get("type").stringValue()).isEqualTo("container");
        JsonNode attributes = metadata.get("data").get("attributes");
        assertThat(names(attributes)).containsExactly("labels", "environment", "runscript", "startscript", "test",
                "deffile");
        assertThat(attributes.get("labels")).isEqualTo(JSON.readTree(read(rootfs, ".singularity.d/labels.json")));
        assertThat(names(attributes.get("environment")))
                .containsExactly("90-environment.sh", "91-environment.sh", "10-docker2singularity.sh");
        assertThat(attributes.get("environment").get("91-environment.sh").stringValue()).isEqualTo("export B=2\n");
        assertThat(attributes.get("environment").get("10-docker2singularity.sh").stringValue())
                .isEqualTo(read(rootfs, ".singularity.d/env/10-docker2singularity.sh"));
        assertThat(attributes.get("runscript").stringValue()).isEqualTo(read(rootfs, ".singularity.d/runscript"));
        assertThat(attributes.get("startscript").stringValue()).isEqualTo("#!/bin/sh\n\n    echo started\n");
        assertThat(attributes.get("test").stringValue()).isEqualTo("#!/bin/sh\n\n    echo testing\n");
        assertThat(attributes.get("deffile").stringValue()).isEqualTo(definition.text());
        assertThat(metadata.toString()).doesNotContain("host secret");

        Files.delete(rootfs.resolve(".singularity.d/runscript.help"));
        Files.writeString(rootfs.resolve(".singularity.d/runscript.help"), "help text\n");
        assertThat(JSON.readTree(SingularityRootFs.inspectMetadata(definition, rootfs))
                .get("data").get("attributes").get("helpfile").stringValue()).isEqualTo("help text\n");
    }

    @Test
    void extractsTheOciConfig() {
        assertThat(SingularityRootFs.ociConfig(IMAGE_CONFIG))
                .startsWith("{\"Env\":[\"PATH=/opt/conda/bin:/usr/bin:/bin\"")
                .endsWith("\"Labels\":{\"maintainer\":\"image\",\"shared\":\"from image\"}}");
        assertThat(SingularityRootFs.ociConfig("{\"architecture\":\"amd64\"}")).isEqualTo("{}");
        assertThat(SingularityRootFs.ociConfig("{\"config\":null}")).isEqualTo("{}");
        assertThat(SingularityRootFs.ociConfig("{\"config\":{\"Cmd\":[\"sh\"]}}")).isEqualTo("{\"Cmd\":[\"sh\"]}");
        assertThatThrownBy(() -> SingularityRootFs.ociConfig("not json")).isInstanceOf(IllegalArgumentException.class);
    }

    private Path rootfs() throws IOException {
        Path rootfs = Files.createDirectory(tmp.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("etc"));
        return rootfs;
    }

    // the runscript complete() writes into a fresh rootfs for this image config
    private String runscriptFor(SingularityDefinition definition, String imageConfig) throws IOException {
        Path rootfs = tmp.resolve("rootfs");
        SingularityRootFs.complete(rootfs, definition, imageConfig, BUILD_TIME);
        return read(rootfs, ".singularity.d/runscript");
    }

    private static void assertFile(Path rootfs, String path, int mode, String content) throws IOException {
        assertThat(mode(rootfs.resolve(path))).as(path).isEqualTo(mode);
        assertThat(read(rootfs, path)).as(path).isEqualTo(content);
    }

    private static String read(Path rootfs, String path) throws IOException {
        return Files.readString(rootfs.resolve(path));
    }

    private static int mode(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private static List<String> names(JsonNode node) {
        return node.properties().stream().map(Map.Entry::getKey).toList();
    }

    private static String sh(String shell, String script, Map<String, String> env) throws Exception {
        var command = new ArrayList<>(List.of(shell, "-c", script));
        return exec(command, env);
    }

    private static String run(String... command) throws Exception {
        return exec(List.of(command), Map.of());
    }

    // runs with a clean environment so that nothing of the test JVM leaks into what the scripts see
    private static String exec(List<String> command, Map<String, String> env) throws Exception {
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/bin:/bin");
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
