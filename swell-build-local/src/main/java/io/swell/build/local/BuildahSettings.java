package io.swell.build.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where buildah keeps its state and how it is run, so that builds never touch {@code /var/lib/containers} or the
 * host's auth files.
 *
 * @param storageRoot        containers-storage root ({@code buildah --root}): images, layers and the cache of
 *                           pulled base images
 * @param runRoot            containers-storage run root ({@code buildah --runroot}): locks and mount state
 * @param storageDriver      {@code overlay} (default: fast, needs overlayfs on the storage filesystem) or
 *                           {@code vfs} (works anywhere, copies every layer in full)
 * @param buildahBinary      the buildah executable: an absolute path, or a name looked up on Swell's own PATH
 * @param insecureRegistries registries ({@code host[:port]}) that base images may be pulled from over plain http
 *                           or without TLS verification; a plain-http push target is added for its own build
 * @param singularityBinary  a {@code singularity} or {@code apptainer} executable that builds SIF images from their
 *                           definition file instead of buildah + mksquashfs, or {@code null} (the default)
 * @param storageMaxBytes    when the storage grows past this after a build and no build runs, every image in it
 *                           (the cached base images) is removed; 0 keeps them for ever
 */
public record BuildahSettings(Path storageRoot, Path runRoot, String storageDriver, String buildahBinary,
        List<String> insecureRegistries, String singularityBinary, long storageMaxBytes) {

    /** The default storage budget. */
    public static final long DEFAULT_STORAGE_MAX_BYTES = 20L << 30;

    /** The default storage driver. */
    public static final String OVERLAY = "overlay";
    /** The storage driver that works on every filesystem, at the cost of disk space and speed. */
    public static final String VFS = "vfs";

    // host, optional port; what registries.conf accepts as a location and what an image reference starts with.
    private static final Pattern REGISTRY = Pattern.compile("[A-Za-z0-9.-]+(:[0-9]{1,5})?");

    /** Checks every field and copies the list. */
    public BuildahSettings {
        Objects.requireNonNull(storageRoot, "storageRoot");
        Objects.requireNonNull(runRoot, "runRoot");
        if (!OVERLAY.equals(storageDriver) && !VFS.equals(storageDriver)) {
            throw new IllegalArgumentException("storageDriver must be overlay or vfs, not " + storageDriver);
        }
        if (buildahBinary == null || buildahBinary.isBlank()) {
            throw new IllegalArgumentException("buildahBinary must not be blank");
        }
        insecureRegistries = List.copyOf(insecureRegistries);
        if (storageMaxBytes < 0) {
            throw new IllegalArgumentException("storageMaxBytes must not be negative");
        }
        for (String registry : insecureRegistries) {
            if (!REGISTRY.matcher(registry).matches()) {
                throw new IllegalArgumentException("not a registry host[:port]: " + registry);
            }
        }
    }

    /** Keeps storage in {@code dataDir/buildah/storage} and {@code dataDir/buildah/run}, overlay driver. */
    public static BuildahSettings under(Path dataDir) {
        Path home = dataDir.resolve("buildah");
        return new BuildahSettings(home.resolve("storage"), home.resolve("run"), OVERLAY, "buildah", List.of(), null,
                DEFAULT_STORAGE_MAX_BYTES);
    }

    /** Returns a copy with another storage driver ({@link #OVERLAY} or {@link #VFS}). */
    public BuildahSettings withStorageDriver(String driver) {
        return new BuildahSettings(storageRoot, runRoot, driver, buildahBinary, insecureRegistries,
                singularityBinary, storageMaxBytes);
    }

    /** Returns a copy that may pull base images from {@code registries} over plain http. */
    public BuildahSettings withInsecureRegistries(List<String> registries) {
        return new BuildahSettings(storageRoot, runRoot, storageDriver, buildahBinary, registries,
                singularityBinary, storageMaxBytes);
    }

    /** Returns a copy that builds SIF images with {@code binary} ({@code null}: Swell's own pipeline). */
    public BuildahSettings withSingularityBinary(String binary) {
        return new BuildahSettings(storageRoot, runRoot, storageDriver, buildahBinary, insecureRegistries,
                binary == null || binary.isBlank() ? null : binary, storageMaxBytes);
    }

    /** Returns a copy with another storage budget (0: never prune). */
    public BuildahSettings withStorageMaxBytes(long maxBytes) {
        return new BuildahSettings(storageRoot, runRoot, storageDriver, buildahBinary, insecureRegistries,
                singularityBinary, maxBytes);
    }

    /** A buildah command line on this storage: {@code buildah --root .. --runroot .. --storage-driver .. <subcommand>}. */
    List<String> command(String... subcommand) {
        List<String> command = new java.util.ArrayList<>(List.of(buildahBinary,
                "--root", storageRoot.toString(),
                "--runroot", runRoot.toString(),
                "--storage-driver", storageDriver));
        command.addAll(List.of(subcommand));
        return command;
    }

    /** Whether {@code registry} is a valid {@code host[:port]} for {@link #insecureRegistries()}. */
    static boolean isRegistryHost(String registry) {
        return REGISTRY.matcher(registry).matches();
    }
}
