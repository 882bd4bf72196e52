package io.swell.core.sif;

import io.swell.api.SwellException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A single-stage Singularity definition file with {@code Bootstrap: docker}, and its translation into a Containerfile
 * that buildah builds into the root filesystem {@code singularity build} would make (before /.singularity.d is added).
 *
 * <p>Sections that are absent are empty strings. {@code %post} is never spliced into the Containerfile: it travels as
 * the context file {@link #POST_SCRIPT}, so nothing in it can add an instruction.
 *
 * @param text the definition file text, line breaks normalised to {@code \n}
 * @param from the docker image reference to start from
 * @param includeCmd the {@code IncludeCmd} header (singularity ignores it for docker sources, so does Swell)
 * @param files the {@code %files} entries in order, sources relative to the build context
 * @param post the {@code %post} script
 * @param postInterpreter the program that runs {@code %post}, {@code /bin/sh} unless {@code %post -c} names another
 * @param environment the {@code %environment} code
 * @param runscript the {@code %runscript} body
 * @param startscript the {@code %startscript} body
 * @param test the {@code %test} body
 * @param help the {@code %help} text
 * @param labels the {@code %labels} entries in order
 */
public record SingularityDefinition(String text, String from, boolean includeCmd, List<FileCopy> files, String post,
        String postInterpreter, String environment, String runscript, String startscript, String test, String help,
        Map<String, String> labels) {

    /** Name, in the build context and at the image root, of the file holding the {@code %post} script. */
    public static final String POST_SCRIPT = ".swell-singularity-post.sh";
    /** Name, in the build context, of the empty file copied to {@link #POST_ENVIRONMENT} before {@code %post}. */
    public static final String ENVIRONMENT_SCRIPT = ".swell-singularity-environment.sh";
    /** The file {@code %post} may append run-time environment code to through {@code $SINGULARITY_ENVIRONMENT}. */
    public static final String POST_ENVIRONMENT = "/.singularity.d/env/91-environment.sh";

    private static final String CONTEXT_DIR = "{{wave_context_dir}}";
    // singularity splits stages at every line starting with "bootstrap:", even inside a section body
    // "-e" only means "stop at the first failing command" to shells; other interpreters would choke on it
    private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "yash");

    /** One {@code %files} line: a build-context path (globs allowed) and the absolute path it is copied to. */
    public record FileCopy(String source, String destination) {
        public FileCopy {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(destination, "destination");
        }

        // one %files line, "source [destination]": quotes keep spaces in a path, an unquoted "#" starts a comment
        static FileCopy parse(String line) {
            List<String> words = words(line.strip());
            if (words.isEmpty() || words.size() > 2) {
                throw bad("Malformed %files line '" + line.strip() + "': expected 'source [destination]'");
            }
            String raw = words.getFirst();
            String source = raw;
            if (source.equals(CONTEXT_DIR) || source.startsWith(CONTEXT_DIR + "/")) {
                // Wave puts the build context at {{wave_context_dir}}; Swell's buildah context is that directory
                source = source.substring(CONTEXT_DIR.length()).replaceFirst("^/+", "");
            }
            while (source.startsWith("./")) {
                source = source.substring(2);
            }
            source = source.isEmpty() ? "." : source;
            if (raw.isEmpty() || source.startsWith("/") || source.startsWith("~") || hasParentSegment(source)) {
                throw bad("The %files source '" + raw + "' must be a path inside the build context");
            }
            if (raw.contains("\\")) {
                // buildah and singularity disagree on backslash escapes in globs
                throw bad("The %files source '" + raw + "' must not contain a backslash");
            }
            int slash = source.lastIndexOf('/');
            if (words.size() == 1 && slash > 0 && hasGlob(source.substring(0, slash))) {
                throw bad("The %files source '" + raw
                        + "' has a wildcard before its last path segment: give a destination");
            }
            String destination = words.size() == 2 ? words.get(1) : defaultDestination(source);
            if (!destination.startsWith("/") || hasParentSegment(destination) || destination.contains("\\")) {
                throw bad("The %files destination '" + destination
                        + "' must be an absolute path without '..' or backslashes");
            }
            return new FileCopy(source, destination);
        }

        private static boolean hasParentSegment(String path) {
            return List.of(path.split("/")).contains("..");
        }

        private static List<String> words(String line) {
            var words = new ArrayList<String>();
            var word = new StringBuilder();
            boolean inWord = false;
            char quote = 0;
            for (char c : line.toCharArray()) {
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    } else {
                        word.append(c);
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                    inWord = true;
                } else if (Character.isWhitespace(c)) {
                    if (inWord) {
                        words.add(word.toString());
                        word.setLength(0);
                        inWord = false;
                    }
                } else if (c == '#' && !inWord) {
                    break;
                } else {
                    word.append(c);
                    inWord = true;
                }
            }
            if (quote != 0) {
                throw bad("Unterminated quote in the %files line '" + line + "'");
            }
            if (inWord) {
                words.add(word.toString());
            }
            return words;
        }
    }

    public SingularityDefinition {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(from, "from");
        files = List.copyOf(files);
        Objects.requireNonNull(post, "post");
        Objects.requireNonNull(postInterpreter, "postInterpreter");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(runscript, "runscript");
        Objects.requireNonNull(startscript, "startscript");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(help, "help");
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    /** Parses a definition file, answering 400 for anything Swell cannot build the way singularity would. */
    public static SingularityDefinition parse(String text) {
        if (text == null || text.isBlank()) {
            throw bad("The Singularity definition file is empty");
        }
        if (text.indexOf('\0') >= 0) {
            throw bad("The Singularity definition file contains a NUL byte");
        }
        String normalised = text.replace("\r\n", "\n").replace('\r', '\n');
        var parser = new DefinitionParser();
        for (String line : normalised.split("\n", -1)) {
            parser.accept(line);
        }
        return parser.finish(normalised);
    }

    /** The Containerfile for {@code buildah build}: %files copied in order, then %post run from the context file. */
    public String containerfile() {
        var out = new StringBuilder("# Translated by Swell from a Singularity definition file\n");
        out.append("FROM ").append(from).append('\n');
        for (FileCopy file : files) {
            out.append(copyInstruction(file));
        }
        if (!post.isBlank()) {
            // ARG values reach RUN as environment variables without being stored in the image config
            out.append("ARG SINGULARITY_ENVIRONMENT=").append(POST_ENVIRONMENT).append('\n');
            out.append("ARG APPTAINER_ENVIRONMENT=").append(POST_ENVIRONMENT).append('\n');
            out.append(instruction("COPY", List.of(ENVIRONMENT_SCRIPT, POST_ENVIRONMENT)));
            List<String> run = new ArrayList<>(List.of(postInterpreter));
            if (SHELLS.contains(postInterpreter.substring(postInterpreter.lastIndexOf('/') + 1))) {
                run.add("-e");
            }
            run.add("/" + POST_SCRIPT);
            // Bind-mounted for this step only: the script never becomes a file of the image, and removing it would
            // need an rm the image may not have.
            out.append(instruction("RUN --mount=type=bind,source=" + POST_SCRIPT + ",target=/" + POST_SCRIPT, run));
        }
        return out.toString();
    }

    /** Name to content of the files {@link #containerfile()} copies from the build context; empty without %post. */
    public Map<String, String> contextFiles() {
        if (post.isBlank()) {
            return Map.of();
        }
        var files = new LinkedHashMap<String, String>();
        files.put(POST_SCRIPT, post + "\n");
        files.put(ENVIRONMENT_SCRIPT, "");
        return Collections.unmodifiableMap(files);
    }

    // singularity runs "cp -fLr SRC DST"; COPY differs for globs: "dir/*" would flatten matched directories one level
    private static String copyInstruction(FileCopy file) {
        String source = file.source();
        String destination = file.destination();
        if (hasGlob(source)) {
            int slash = source.lastIndexOf('/');
            String parent = slash < 0 ? "" : source.substring(0, slash + 1);
            // no destination: every match keeps its own path, i.e. lands in its parent directory in the image
            destination = destination.equals(defaultDestination(source)) ? "/" + parent : withSlash(destination);
            if (source.substring(slash + 1).equals("*") && !hasGlob(parent)) {
                // "dir/" copies every entry of dir, dot files included, as Go's glob "dir/*" does for singularity
                source = parent.isEmpty() ? "./" : parent;
            }
        }
        return instruction("COPY", List.of(source, destination));
    }

    private static String instruction(String keyword, List<String> args) {
        var out = new StringBuilder(keyword).append(" [");
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (keyword.equals("COPY")) {
                // buildah runs COPY arguments through its shell-like word lexer, JSON form included
                arg = arg.replace("$", "\\$").replace("'", "\\'").replace("\"", "\\\"");
            }
            out.append(i == 0 ? "" : ",").append(jsonString(arg));
        }
        return out.append("]\n").toString();
    }

    private static String jsonString(String value) {
        var out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }

    private static boolean hasGlob(String path) {
        return path.indexOf('*') >= 0 || path.indexOf('?') >= 0 || path.indexOf('[') >= 0;
    }

    private static String defaultDestination(String source) {
        return source.equals(".") ? "/" : "/" + source;
    }

    private static String withSlash(String path) {
        return path.endsWith("/") ? path : path + "/";
    }

    static SwellException bad(String message) {
        return SwellException.badRequest(message);
    }

    static SwellException multiStage() {
        return bad("Multi-stage Singularity definitions are not supported");
    }
}
