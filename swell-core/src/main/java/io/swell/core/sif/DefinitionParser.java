package io.swell.core.sif;

import io.swell.core.sif.SingularityDefinition.FileCopy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the definition line by line: the header, then one section at a time. */
final class DefinitionParser {
    static final Pattern IMAGE_REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@+-]*");
    static final Pattern INTERPRETER = Pattern.compile("/[A-Za-z0-9._-][A-Za-z0-9/._-]*");
    static final Pattern STAGE_START = Pattern.compile("(?i)bootstrap\\s*:.*");
    static final Set<String> SCIF_SECTIONS = Set.of("appinstall", "apprun", "appenv", "appfiles",
            "applabels", "apphelp", "apptest", "appstart");

    private String bootstrap;
    private String from;
    private boolean stage;
    private boolean includeCmd;
    private String interpreter;
    private String section; // null while still in the header
    private final List<String> lines = new ArrayList<>();
    private final Map<String, StringBuilder> scripts = new LinkedHashMap<>();
    private final List<FileCopy> files = new ArrayList<>();
    private final Map<String, String> labels = new LinkedHashMap<>();

    void accept(String line) {
        String trimmed = line.strip();
        if (trimmed.startsWith("%")) {
            closeSection();
            openSection(trimmed);
        } else if (section == null) {
            header(trimmed);
        } else if (STAGE_START.matcher(line).matches()) {
            throw SingularityDefinition.multiStage();
        } else {
            lines.add(line);
        }
    }

    SingularityDefinition finish(String text) {
        closeSection();
        if (bootstrap == null) {
            throw SingularityDefinition.bad("The Singularity definition file has no 'Bootstrap: docker' header");
        }
        if (from == null || from.isEmpty()) {
            throw SingularityDefinition.bad(
                    "The Singularity definition file has no 'From:' header naming the image to start from");
        }
        return new SingularityDefinition(text, from, includeCmd, files, script("post"),
                interpreter == null ? "/bin/sh" : interpreter, script("environment"), script("runscript"),
                script("startscript"), script("test"), script("help"), labels);
    }

    private String script(String name) {
        var body = scripts.get(name);
        return body == null ? "" : body.toString();
    }

    private void header(String line) {
        String content = withoutComment(line).strip();
        if (content.isEmpty()) {
            return;
        }
        if (content.matches("(FROM|ARG)\\s.*")) {
            throw SingularityDefinition.bad("Singularity builds ('format: sif') need a Singularity definition file"
                    + " ('Bootstrap: docker', 'From: <image>', '%post' ...), not a Dockerfile");
        }
        int colon = content.indexOf(':');
        if (colon <= 0) {
            throw SingularityDefinition.bad("Malformed header line '" + line
                    + "' in the Singularity definition file: expected 'Key: value'");
        }
        String key = content.substring(0, colon).strip();
        String value = content.substring(colon + 1).strip();
        switch (key.toLowerCase(Locale.ROOT)) {
            case "bootstrap" -> {
                if (bootstrap != null) {
                    throw SingularityDefinition.multiStage();
                }
                if (!value.equalsIgnoreCase("docker")) {
                    throw SingularityDefinition.bad("Unsupported Singularity bootstrap agent '" + value
                            + "': Swell builds from 'docker' only");
                }
                bootstrap = value;
            }
            case "from" -> {
                if (from != null) {
                    throw SingularityDefinition.bad("The Singularity definition file has more than one 'From:' header");
                }
                if (!value.isEmpty() && (!IMAGE_REFERENCE.matcher(value).matches() || value.contains("//"))) {
                    throw SingularityDefinition.bad("The Singularity 'From:' value '" + value + "' is not a docker image reference");
                }
                from = value;
            }
            case "stage" -> {
                if (stage) {
                    throw SingularityDefinition.multiStage();
                }
                stage = true;
            }
            case "includecmd" -> {
                if (!value.equalsIgnoreCase("yes") && !value.equalsIgnoreCase("no")) {
                    throw SingularityDefinition.bad("The Singularity 'IncludeCmd:' header must be 'yes' or 'no', not '" + value + "'");
                }
                includeCmd = value.equalsIgnoreCase("yes");
            }
            default -> throw SingularityDefinition.bad("Unsupported header keyword '" + key + "' in the Singularity definition file");
        }
    }

    private void openSection(String line) {
        String[] words = line.substring(1).split("\\s+", 2);
        String name = words[0].toLowerCase(Locale.ROOT);
        String args = words.length < 2 ? "" : withoutComment(words[1]).strip();
        switch (name) {
            case "setup", "pre" -> throw SingularityDefinition.bad("The %" + name + " section runs on the build host and is not allowed");
            case "post" -> postArguments(args);
            case "files" -> {
                if (args.equals("from") || args.startsWith("from ")) {
                    throw SingularityDefinition.multiStage();
                }
                noArguments(name, args);
            }
            case "environment", "runscript", "startscript", "test", "help", "labels" -> noArguments(name, args);
            case "arguments" -> throw SingularityDefinition.bad("The %arguments section (build arguments) is not supported");
            default -> throw SingularityDefinition.bad(SCIF_SECTIONS.contains(name)
                    ? "SCIF apps (%app… sections) are not supported: found %" + name
                    : "Unknown section '%" + name + "' in the Singularity definition file");
        }
        section = name;
    }

    private void postArguments(String args) {
        if (args.isEmpty()) {
            return;
        }
        String[] words = args.split("\\s+");
        if (words.length != 2 || !words[0].equals("-c")) {
            throw SingularityDefinition.bad("Unsupported %post arguments '" + args + "': only '-c /path/to/interpreter' is allowed");
        }
        if (!INTERPRETER.matcher(words[1]).matches()) {
            throw SingularityDefinition.bad("The %post interpreter '" + words[1]
                    + "' must be an absolute path made of letters, digits and '/', '.', '_', '-'");
        }
        if (interpreter != null && !interpreter.equals(words[1])) {
            throw SingularityDefinition.bad("The %post sections name different interpreters: '" + interpreter + "' and '"
                    + words[1] + "'");
        }
        interpreter = words[1];
    }

    private static void noArguments(String name, String args) {
        if (!args.isEmpty()) {
            throw SingularityDefinition.bad("The %" + name + " section takes no arguments, found '" + args + "'");
        }
    }

    private void closeSection() {
        if (section == null) {
            return;
        }
        int end = lines.size();
        while (end > 0 && lines.get(end - 1).isBlank()) {
            end--;
        }
        List<String> body = lines.subList(0, end);
        switch (section) {
            case "files" -> body.stream().filter(DefinitionParser::isEntry)
                    .forEach(l -> files.add(FileCopy.parse(l)));
            case "labels" -> body.stream().filter(DefinitionParser::isEntry).forEach(l -> {
                String[] words = l.strip().split("\\s+", 2);
                labels.put(words[0], words.length < 2 ? "" : words[1].strip());
            });
            default -> {
                if (!body.isEmpty()) {
                    var script = scripts.computeIfAbsent(section, s -> new StringBuilder());
                    // singularity appends repeated sections to each other in file order
                    script.append(script.isEmpty() ? "" : "\n").append(String.join("\n", body));
                }
            }
        }
        lines.clear();
    }

    private static boolean isEntry(String line) {
        String trimmed = line.strip();
        return !trimmed.isEmpty() && !trimmed.startsWith("#");
    }

    static String withoutComment(String text) {
        int hash = text.indexOf('#');
        return hash < 0 ? text : text.substring(0, hash);
    }
}
