package io.swell.core.request;

import io.swell.api.ContainerConfig;
import io.swell.api.SubmitContainerTokenRequest;
import io.swell.api.SwellException;
import io.swell.core.build.FreezeFile;
import io.swell.core.build.id.HashedPlatform;
import io.swell.core.sif.ShellWords;
import io.swell.oci.ImageRef;
import java.util.List;

/**
 * The rules of {@code "format": "sif"} requests (wave-api.md §1.3, §3.9): they need freeze, one platform, and a
 * definition file, which for a plain {@code containerImage} is written here with the request's config baked in.
 */
final class SingularityRequests {

    private SingularityRequests() {}

    /** Refuses what Wave refuses for Singularity builds besides a missing freeze (checked with the options). */
    static void check(SubmitContainerTokenRequest req) {
        if (HashedPlatform.parse(req.containerPlatform()).isMulti()) {
            throw SwellException.badRequest("Multi-platform builds are not supported for Singularity format");
        }
    }

    /**
     * The definition file of a freeze: the given one, or Wave's generated header for {@code containerImage}, with the
     * config appended as {@code %environment} and {@code %runscript} sections. Values are single-quoted for sh and
     * refused when they hold a line break, so nothing a client sends becomes a line of the file.
     */
    static String freezeFile(SubmitContainerTokenRequest req, String baseFile) {
        String base = baseFile;
        if (base == null) {
            String image = ImageRef.parse(req.containerImage().trim()).toString();
            base = FreezeFile.MARKER + "BootStrap: docker\nFrom: " + image + "\n";
        }
        ContainerConfig config = req.containerConfig();
        if (config == null || config.isEmpty()) {
            return base;
        }
        if (!config.layersOrEmpty().isEmpty()) {
            throw SwellException.badRequest("Container config layers are not supported for Singularity images:"
                    + " add the files with a '%files' section of a definition file");
        }
        if (config.workingDir() != null && !config.workingDir().isEmpty()) {
            throw SwellException.badRequest("Container config 'workingDir' is not supported for Singularity images:"
                    + " they run in the caller's directory");
        }
        StringBuilder out = new StringBuilder(base);
        if (baseFile != null) {
            out.append('\n').append(FreezeFile.MARKER);
        }
        if (config.env() != null && !config.env().isEmpty()) {
            out.append("%environment\n");
            for (String entry : config.env()) {
                int eq = entry == null ? -1 : entry.indexOf('=');
                if (eq <= 0) {
                    throw SwellException.badRequest("Invalid containerConfig env entry '" + entry
                            + "' - use NAME=VALUE");
                }
                String name = entry.substring(0, eq);
                if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw SwellException.badRequest("Invalid containerConfig env name '" + name + "'");
                }
                out.append("    export ").append(name).append('=').append(quote(entry.substring(eq + 1)))
                        .append('\n');
            }
        }
        List<String> entrypoint = config.entrypoint() == null ? List.of() : config.entrypoint();
        List<String> cmd = config.cmd() == null ? List.of() : config.cmd();
        if (!entrypoint.isEmpty() || !cmd.isEmpty()) {
            // Docker's rule: arguments replace CMD and follow ENTRYPOINT.
            String exec = entrypoint.isEmpty() ? "exec" : "exec " + words(entrypoint);
            out.append("%runscript\n");
            out.append("    if [ $# -gt 0 ]; then ").append(exec).append(" \"$@\"; fi\n");
            out.append("    ").append(cmd.isEmpty() ? exec : exec + " " + words(cmd)).append('\n');
        }
        return out.toString();
    }

    private static String words(List<String> words) {
        words.forEach(SingularityRequests::checkLine);
        return ShellWords.join(words);
    }

    private static String quote(String value) {
        return ShellWords.quote(checkLine(value));
    }

    private static String checkLine(String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
            throw SwellException.badRequest("Invalid containerConfig value: line breaks are not allowed");
        }
        return value;
    }
}
