package io.swell.core.build.template;

import io.swell.api.SwellException;
import io.swell.oci.ImageRef;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks every user value that reaches a generated container file against a conservative pattern, so that no
 * package, channel, image or option can add instructions (no quotes, {@code $}, backticks, {@code ;}, {@code &},
 * {@code |}, spaces or line breaks); anything else is a 400 naming the field and the value.
 */
public final class PackageValidation {

    private static final int MAX_VALUE = 512;
    private static final String VERSION = "(?:[=<>!~][=<>!~*,.A-Za-z0-9_+-]*)?";
    private static final Pattern CONDA = Pattern.compile(
            "(?:[A-Za-z0-9_][A-Za-z0-9_.+-]*::)?[A-Za-z0-9_][A-Za-z0-9_.+-]*" + VERSION);
    private static final Pattern PIP = Pattern.compile(
            "pip:[A-Za-z0-9_][A-Za-z0-9_.-]*(?:\\[[A-Za-z0-9_.,-]+\\])?" + VERSION);
    private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+-]*(?:/[A-Za-z0-9_.+-]+)*");
    private static final Pattern URL = Pattern.compile("https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~/?#@%+=,:-]*)?");
    private static final Pattern CRAN = Pattern.compile("(bioc::)?[A-Za-z][A-Za-z0-9.]*(?:=([A-Za-z0-9.-]+))?");
    private static final Pattern APT = Pattern.compile("[a-z0-9][a-z0-9.+-]*(?:=[A-Za-z0-9.+:~-]+)?");

    private PackageValidation() {}

    /** True when {@code value} is an http(s) URL. */
    public static boolean isUrl(String value) {
        return value != null && (value.startsWith("http://") || value.startsWith("https://"));
    }

    /** A conda package spec ({@code [channel::]name[version]}) or a {@code pip:} spec. */
    public static String condaSpec(String field, String value) {
        if (value != null && value.startsWith("pip::")) {
            throw bad(field, value, "'pip::' is not a valid prefix, use 'pip:' for pip packages");
        }
        return check(field, value, value != null && value.startsWith("pip:") ? PIP : CONDA,
                "expected a conda package spec such as 'bioconda::samtools=1.17' or 'pip:name==1.0'");
    }

    /** A conda channel name (optionally with a label path) or an http(s) channel URL. */
    public static String condaChannel(String field, String value) {
        if (isUrl(value)) {
            return url(field, value);
        }
        return check(field, value, CHANNEL, "expected a channel name or an http(s) URL");
    }

    /** An http(s) URL made only of characters that are inert in a shell word and a Dockerfile. */
    public static String url(String field, String value) {
        return check(field, value, URL, "expected an http(s) URL without quotes, spaces or shell characters");
    }

    /** A CRAN entry: {@code name[=version]}, {@code bioc::name} or a package URL; returns it unchanged. */
    public static String cranEntry(String field, String value) {
        if (isUrl(value)) {
            return url(field, value);
        }
        check(field, value, CRAN, "expected an R package name such as 'dplyr', 'dplyr=1.1.0' or 'bioc::limma'");
        if (value.startsWith("bioc::") && value.contains("=")) {
            throw bad(field, value, "versions cannot be pinned for bioc:: packages");
        }
        return value;
    }

    /** Space-separated conda specs, normalised to single spaces; blank gives an empty string. */
    public static String condaPackages(String field, String value) {
        List<String> specs = new ArrayList<>();
        for (String spec : words(field, value)) {
            specs.add(condaSpec(field, spec));
        }
        return String.join(" ", specs);
    }

    /** Space-separated Debian package names, normalised to single spaces; blank gives an empty string. */
    public static String aptPackages(String field, String value) {
        List<String> names = new ArrayList<>();
        for (String name : words(field, value)) {
            names.add(check(field, name, APT, "expected a Debian package name"));
        }
        return String.join(" ", names);
    }

    /** An image reference that {@link ImageRef#parse} accepts; returned as given. */
    public static String image(String field, String value) {
        try {
            ImageRef.parse(value);
        } catch (SwellException e) {
            // keep ImageRef's reason but show the value escaped, as every other message does
            String why = e.getMessage();
            int end = why.lastIndexOf("': ");
            throw bad(field, value, "not a valid image name (" + (end >= 0 ? why.substring(end + 3) : why) + ")");
        }
        return value;
    }

    /**
     * User commands, one generated line each: no line breaks or NUL, no trailing backslash (which would swallow
     * the next generated line), and for Singularity no {@code %} section header.
     */
    public static List<String> commands(String field, List<String> commands, boolean singularity) {
        List<String> out = new ArrayList<>();
        if (commands == null) {
            return out;
        }
        for (String command : commands) {
            if (command == null || command.isBlank()) {
                continue;
            }
            if (command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0 || command.indexOf('\0') >= 0) {
                throw bad(field, command, "a command must be a single line");
            }
            if (command.strip().endsWith("\\")) {
                throw bad(field, command, "a command must not end with a line continuation");
            }
            if (singularity && command.strip().startsWith("%")) {
                throw bad(field, command, "a command must not start a Singularity section");
            }
            out.add(command.strip());
        }
        return out;
    }

    /** A 400 naming the field and (escaped) value. */
    static SwellException bad(String field, String value, String why) {
        return SwellException.badRequest("Invalid value '" + shown(value) + "' in " + field + ": " + why);
    }

    private static List<String> words(String field, String value) {
        List<String> words = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return words;
        }
        if (value.length() > MAX_VALUE * 8 || !value.matches("[^\\r\\n\\t\\x00]*")) {
            throw bad(field, value, "expected space-separated package names on one line");
        }
        for (String word : value.strip().split(" +")) {
            words.add(word);
        }
        return words;
    }

    private static String check(String field, String value, Pattern pattern, String expected) {
        if (value == null || value.isEmpty()) {
            throw SwellException.badRequest("Missing value in " + field);
        }
        if (value.length() > MAX_VALUE || !pattern.matcher(value).matches()) {
            throw bad(field, value, expected);
        }
        return value;
    }

    private static String shown(String value) {
        String escaped = value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\0", "\\0");
        return escaped.length() > 200 ? escaped.substring(0, 200) + "..." : escaped;
    }
}
