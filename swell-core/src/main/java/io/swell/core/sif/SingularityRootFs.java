package io.swell.core.sif;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Adds the {@code /.singularity.d} metadata, the standard directories and the symlinks that {@code singularity build}
 * puts in a root filesystem, so that the squashfs made from it runs under singularity and apptainer.
 *
 * <p>The root filesystem comes from an image the user chose, so it is hostile: nothing here follows a symlink found
 * in it. A symlink where Swell writes a file, a directory of its own or a link is removed first; a symlink in a parent
 * directory makes the write fail with an {@link IOException}; a standard directory (such as {@code /tmp}) that exists
 * as a symlink is left alone.
 */
public final class SingularityRootFs {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String META = ".singularity.d";
    private static final String SHEBANG = "#!/bin/sh\n";
    private static final Pattern SHELL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int EXECUTABLE = 0755;
    private static final int READABLE = 0644;
    private static final int STICKY = 01777;
    private static final long MAX_READ = 4 << 20;
    private static final String SOURCE_ENV = """
            for swell_env in /.singularity.d/env/*.sh; do
                if [ -f "$swell_env" ]; then
                    . "$swell_env"
                fi
            done
            unset swell_env
            """;

    private SingularityRootFs() {}

    /** Writes the singularity metadata for a built image into its mounted root filesystem. */
    public static void complete(Path rootfs, SingularityDefinition definition, String imageConfigJson,
            Instant buildTime) throws IOException {
        if (!Files.isDirectory(rootfs)) {
            throw new IOException("Root filesystem " + rootfs + " is not a directory");
        }
        JsonNode image = parse(imageConfigJson);
        JsonNode config = image.path("config");
        for (String dir : List.of(META, META + "/actions", META + "/env", META + "/libs")) {
            ownDirectory(rootfs, dir);
        }
        for (String dir : List.of("dev", "proc", "root", "var/tmp", "tmp", "etc", "sys", "home")) {
            standardDirectory(rootfs, dir, dir.endsWith("tmp") ? STICKY : dir.equals("root") ? 0700 : 0755);
        }
        // singularity binds the host's files over these at run time
        write(rootfs, "etc/hosts", "", READABLE);
        write(rootfs, "etc/resolv.conf", "", READABLE);
        write(rootfs, META + "/Singularity", definition.text(), READABLE);

        write(rootfs, META + "/env/01-base.sh", SHEBANG
                + "# Written by Swell: the scripts in this directory are sourced in name order before every action.\n",
                EXECUTABLE);
        write(rootfs, META + "/env/10-docker2singularity.sh", dockerEnvironment(config), EXECUTABLE);
        write(rootfs, META + "/env/90-environment.sh", SHEBANG
                + "# The %environment section of the Singularity definition file\n"
                + lines(definition.environment()), EXECUTABLE);
        write(rootfs, META + "/env/95-apps.sh", SHEBANG
                + "# Swell builds no SCIF apps, so there is no app environment to load.\n", EXECUTABLE);
        write(rootfs, META + "/env/99-base.sh", SHEBANG + """
                # Written by Swell: a prompt that shows the shell runs in a container.
                PS1="${PS1:-Singularity> }"
                export PS1
                """, EXECUTABLE);
        write(rootfs, META + "/env/99-runtimevars.sh", SHEBANG + """
                # Written by Swell: applies the PATH changes singularity passes from its --env options.
                if [ -n "${SING_USER_DEFINED_PREPEND_PATH:-}" ]; then PATH="$SING_USER_DEFINED_PREPEND_PATH:$PATH"; fi
                if [ -n "${SING_USER_DEFINED_APPEND_PATH:-}" ]; then PATH="$PATH:$SING_USER_DEFINED_APPEND_PATH"; fi
                if [ -n "${SING_USER_DEFINED_PATH:-}" ]; then PATH="$SING_USER_DEFINED_PATH"; fi
                export PATH
                """, EXECUTABLE);

        write(rootfs, META + "/runscript", definition.runscript().isBlank() ? imageRunscript(config)
                : SHEBANG + "\n" + lines(definition.runscript()), EXECUTABLE);
        write(rootfs, META + "/startscript", definition.startscript().isBlank() ? SHEBANG
                : SHEBANG + "\n" + lines(definition.startscript()), EXECUTABLE);
        if (!definition.test().isBlank()) {
            write(rootfs, META + "/test", SHEBANG + "\n" + lines(definition.test()), EXECUTABLE);
        }
        if (!definition.help().isBlank()) {
            write(rootfs, META + "/runscript.help", lines(definition.help()), READABLE);
        }
        writeActions(rootfs);
        write(rootfs, META + "/labels.json", JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(labels(definition, image, buildTime)), READABLE);

        link(rootfs, "singularity", META + "/runscript");
        link(rootfs, ".run", META + "/actions/run");
        link(rootfs, ".exec", META + "/actions/exec");
        link(rootfs, ".shell", META + "/actions/shell");
        link(rootfs, ".test", META + "/actions/test");
        link(rootfs, "environment", META + "/env/90-environment.sh");
    }

    /** The {@code inspect-metadata.json} SIF object, read back from a root filesystem {@link #complete} wrote. */
    public static String inspectMetadata(SingularityDefinition definition, Path rootfs) throws IOException {
        ObjectNode attributes = JSON.createObjectNode();
        attributes.set("labels", parse(read(rootfs, META + "/labels.json").orElse("{}")));
        ObjectNode environment = attributes.putObject("environment");
        // 91-environment.sh is what %post appended to $SINGULARITY_ENVIRONMENT, if anything
        for (String name : List.of("90-environment.sh", "91-environment.sh", "10-docker2singularity.sh")) {
            read(rootfs, META + "/env/" + name).ifPresent(text -> environment.put(name, text));
        }
        read(rootfs, META + "/runscript").ifPresent(text -> attributes.put("runscript", text));
        if (!definition.startscript().isBlank()) {
            read(rootfs, META + "/startscript").ifPresent(text -> attributes.put("startscript", text));
        }
        read(rootfs, META + "/test").ifPresent(text -> attributes.put("test", text));
        read(rootfs, META + "/runscript.help").ifPresent(text -> attributes.put("helpfile", text));
        attributes.put("deffile", definition.text());
        ObjectNode metadata = JSON.createObjectNode();
        metadata.putObject("data").set("attributes", attributes);
        metadata.put("type", "container");
        return JSON.writeValueAsString(metadata);
    }

    /** The {@code oci-config.json} SIF object: the {@code config} part of an OCI image config, {@code {}} if none. */
    public static String ociConfig(String imageConfigJson) {
        JsonNode config = parse(imageConfigJson).path("config");
        return config.isObject() ? JSON.writeValueAsString(config) : "{}";
    }

    // one line per image Env entry; a value given at run time wins, except for PATH (as singularity does)
    private static String dockerEnvironment(JsonNode config) {
        var out = new StringBuilder(SHEBANG).append("# The environment of the image, written by Swell\n");
        for (JsonNode entry : config.path("Env")) {
            String text = entry.isString() ? entry.stringValue() : "";
            int equals = text.indexOf('=');
            String name = equals < 0 ? text : text.substring(0, equals);
            if (equals < 0 || !SHELL_NAME.matcher(name).matches()) {
                continue;
            }
            String value = escaped(text.substring(equals + 1));
            if (name.equals("PATH")) {
                out.append("export PATH=\"").append(value).append("\"\n");
            } else if (value.contains("'") || value.contains("}")) {
                // shells disagree on ' and } inside "${K:-...}" (bash reads ' as a quote there): test instead
                out.append("if [ -z \"${").append(name).append(":-}\" ]; then ").append(name).append("=\"")
                        .append(value).append("\"; fi\nexport ").append(name).append('\n');
            } else {
                out.append("export ").append(name).append("=\"${").append(name).append(":-").append(value)
                        .append("}\"\n");
            }
        }
        return out.toString();
    }

    // docker semantics: arguments replace CMD, ENTRYPOINT stays; each word single-quoted so nothing is expanded
    private static String imageRunscript(JsonNode config) {
        String entrypoint = words(config.path("Entrypoint"));
        String cmd = words(config.path("Cmd"));
        String prefix = entrypoint.isEmpty() ? "" : entrypoint + " ";
        String fallback = entrypoint.isEmpty() ? (cmd.isEmpty() ? "/bin/sh" : cmd) : prefix + cmd;
        return SHEBANG + "# Generated by Swell from the image's ENTRYPOINT and CMD\n"
                + "if [ $# -gt 0 ]; then\n    exec " + prefix + "\"$@\"\nfi\n"
                + "exec " + fallback.strip() + "\n";
    }

    private static String words(JsonNode array) {
        var words = new ArrayList<String>();
        for (JsonNode word : array) {
            if (word.isString()) {
                words.add(word.stringValue());
            }
        }
        return ShellWords.join(words);
    }

    private static void writeActions(Path rootfs) throws IOException {
        Map<String, String> actions = new LinkedHashMap<>();
        actions.put("exec", "exec \"$@\"\n");
        actions.put("run", "exec /.singularity.d/runscript \"$@\"\n");
        actions.put("shell", "exec /bin/sh \"$@\"\n");
        actions.put("start", "exec /.singularity.d/startscript \"$@\"\n");
        actions.put("test", """
                if [ -x /.singularity.d/test ]; then
                    exec /.singularity.d/test "$@"
                fi
                echo "No test script"
                exit 0
                """);
        for (var action : actions.entrySet()) {
            write(rootfs, META + "/actions/" + action.getKey(), SHEBANG
                    + "# Written by Swell: loads the container environment, then runs the '" + action.getKey()
                    + "' action.\n" + SOURCE_ENV + action.getValue(), EXECUTABLE);
        }
    }

    // image labels, then singularity's build labels, then %labels: a later key wins
    private static ObjectNode labels(SingularityDefinition definition, JsonNode image, Instant buildTime) {
        ObjectNode labels = JSON.createObjectNode();
        for (var label : image.path("config").path("Labels").properties()) {
            JsonNode value = label.getValue();
            if (!value.isNull()) {
                labels.put(label.getKey(), value.isString() ? value.stringValue() : value.toString());
            }
        }
        if (image.path("architecture").isString()) {
            labels.put("org.label-schema.build-arch", image.path("architecture").stringValue());
        }
        labels.put("org.label-schema.build-date",
                DateTimeFormatter.ISO_INSTANT.format(buildTime.truncatedTo(ChronoUnit.SECONDS)));
        labels.put("org.label-schema.schema-version", "1.0");
        labels.put("org.label-schema.usage.singularity.deffile.bootstrap", "docker");
        labels.put("org.label-schema.usage.singularity.deffile.from", definition.from());
        definition.labels().forEach(labels::put);
        return labels;
    }

    // the text of a double-quoted shell string that stands for value
    private static String escaped(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`");
    }

    private static String lines(String text) {
        return text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
    }

    private static JsonNode parse(String json) {
        try {
            JsonNode node = JSON.readTree(json == null || json.isBlank() ? "{}" : json);
            if (!node.isObject()) {
                throw new IllegalArgumentException("The image config is not a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw new IllegalArgumentException("The image config is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    // a directory Swell owns: whatever else sits at its path (a symlink above all) is replaced
    private static void ownDirectory(Path rootfs, String rel) throws IOException {
        Path dir = inside(rootfs, rel);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(dir);
            Files.createDirectory(dir);
        }
        chmod(dir, 0755);
    }

    // a directory singularity mounts over at run time: kept as the image has it, made only where nothing exists
    private static void standardDirectory(Path rootfs, String rel, int mode) throws IOException {
        Path dir = rootfs;
        Path relative = Path.of(rel);
        for (int i = 0; i < relative.getNameCount(); i++) {
            dir = dir.resolve(relative.getName(i).toString());
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(dir);
                chmod(dir, i == relative.getNameCount() - 1 ? mode : 0755);
            } else if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return; // a symlink or a file: never create anything through it
            }
        }
    }

    private static void write(Path rootfs, String rel, String content, int mode) throws IOException {
        Path file = inside(rootfs, rel);
        Files.deleteIfExists(file);
        // CREATE_NEW and NOFOLLOW_LINKS: fail rather than write through a link that appeared meanwhile
        Files.write(file, content.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        chmod(file, mode);
    }

    private static void link(Path rootfs, String rel, String target) throws IOException {
        Path link = inside(rootfs, rel);
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of(target));
    }

    private static Optional<String> read(Path rootfs, String rel) throws IOException {
        Path file = inside(rootfs, rel);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty(); // absent, or a link that could point at a file of the build host
        }
        if (Files.size(file) > MAX_READ) {
            throw new IOException(rel + " is larger than " + MAX_READ + " bytes");
        }
        return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    }

    // the path of rel under rootfs, after checking that every directory on the way is a real one
    private static Path inside(Path rootfs, String rel) throws IOException {
        Path path = rootfs;
        Path relative = Path.of(rel);
        for (int i = 0; i < relative.getNameCount() - 1; i++) {
            path = path.resolve(relative.getName(i).toString());
            if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("Refusing to touch /" + rel + ": /" + rootfs.relativize(path)
                        + (Files.isSymbolicLink(path) ? " is a symbolic link" : " is not a directory"));
            }
        }
        return path.resolve(relative.getFileName().toString());
    }

    // the "unix" attribute view is the only one that can set a sticky bit; modes are exact, whatever the umask
    private static void chmod(Path path, int mode) throws IOException {
        Files.setAttribute(path, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
    }
}
