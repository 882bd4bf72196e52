package io.swell.oci;

import java.util.List;

/**
 * What a container request changes in an image: lists that are {@code null} or empty leave the image as it is.
 *
 * @param entrypoint replaces the entrypoint
 * @param cmd        replaces the command
 * @param env        {@code NAME=VALUE} entries; a name already set is replaced in place, new names are appended
 * @param workingDir replaces the working directory
 * @param layers     layers appended on top of the image
 */
public record ConfigChanges(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir,
        List<AddedLayer> layers) {

    public ConfigChanges {
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        env = env == null ? List.of() : List.copyOf(env);
        workingDir = workingDir == null || workingDir.isEmpty() ? null : workingDir;
        layers = layers == null ? List.of() : List.copyOf(layers);
    }

    /** True when applying these changes would change nothing. */
    public boolean isEmpty() {
        return entrypoint.isEmpty() && cmd.isEmpty() && env.isEmpty() && workingDir == null && layers.isEmpty();
    }

    /** A verified layer to append: its compressed digest and size and its uncompressed (diff id) digest. */
    public record AddedLayer(Digest gzipDigest, long gzipSize, Digest tarDigest) {}
}
