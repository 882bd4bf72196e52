package io.swell.core.build;

import io.swell.api.ContainerConfig;
import io.swell.api.SwellException;
import io.swell.oci.ConfigChanges.AddedLayer;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes the Containerfile of a freeze request (wave-api.md §3.9): {@code FROM} the image (or the given file),
 * then the request's config baked in: one {@code ADD} per extra layer, {@code WORKDIR}, {@code ENV},
 * {@code ENTRYPOINT}, {@code CMD}. Values are written in JSON form and refused when they hold a line break, so
 * nothing a client sends can add an instruction.
 */
public final class FreezeFile {
    /** The marker Wave writes before generated lines. */
    public static final String MARKER = "# wave generated container file\n";

    private FreezeFile() {}

    /** The context file name of an extra layer ({@code ADD} extracts local tar archives). */
    public static String layerFileName(AddedLayer layer) {
        return "layer-" + layer.gzipDigest().hex() + ".tar.gz";
    }

    /** The Containerfile for freezing {@code image} with {@code config}. */
    public static String fromImage(String image, ContainerConfig config, List<AddedLayer> layers) {
        checkLine(image, "containerImage");
        return MARKER + "FROM " + image + "\n" + configLines(config, layers);
    }

    /** The Containerfile for freezing a given Containerfile with {@code config}. */
    public static String fromFile(String containerFile, ContainerConfig config, List<AddedLayer> layers) {
        if (config == null || config.isEmpty()) {
            return containerFile;
        }
        return containerFile + "\n" + MARKER + configLines(config, layers);
    }

    static String configLines(ContainerConfig config, List<AddedLayer> layers) {
        if (config == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (AddedLayer layer : layers) {
            out.append("ADD ").append(layerFileName(layer)).append(" /\n");
        }
        if (config.workingDir() != null && !config.workingDir().isEmpty()) {
            out.append("WORKDIR ").append(json(List.of(checkLine(config.workingDir(), "workingDir")))
                    .replaceAll("^\\[|\\]$", "")).append('\n');
        }
        if (config.env() != null && !config.env().isEmpty()) {
            out.append("ENV ").append(config.env().stream().map(FreezeFile::envPair)
                    .collect(Collectors.joining(" "))).append('\n');
        }
        if (config.entrypoint() != null && !config.entrypoint().isEmpty()) {
            out.append("ENTRYPOINT ").append(json(config.entrypoint())).append('\n');
        }
        if (config.cmd() != null && !config.cmd().isEmpty()) {
            out.append("CMD ").append(json(config.cmd())).append('\n');
        }
        return out.toString();
    }

    private static String envPair(String entry) {
        int eq = entry == null ? -1 : entry.indexOf('=');
        if (eq <= 0) {
            throw SwellException.badRequest("Invalid containerConfig env entry '" + entry + "' - use NAME=VALUE");
        }
        String name = entry.substring(0, eq);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw SwellException.badRequest("Invalid containerConfig env name '" + name + "'");
        }
        return name + "=" + quote(checkLine(entry.substring(eq + 1), "env value"));
    }

    /** A JSON array of strings, which Containerfile exec form reads exactly. */
    private static String json(List<String> words) {
        return words.stream().map(w -> quote(checkLine(w, "containerConfig value")))
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"', '\\' -> out.append('\\').append(c);
                case '$' -> out.append("\\$");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static String checkLine(String value, String what) {
        if (value == null || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
            throw SwellException.badRequest("Invalid " + what + ": line breaks are not allowed");
        }
        return value;
    }
}
