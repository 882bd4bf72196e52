package io.swell.core.sif;

import io.swell.core.images.BuiltinImageStore;
import io.swell.oci.Descriptor;
import io.swell.oci.Digest;
import io.swell.oci.ImageManifest;
import io.swell.oci.ImageRef;
import io.swell.oci.MediaTypes;
import io.swell.oci.OciJson;
import io.swell.oci.RawManifest;
import io.swell.registry.RegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A SIF file as an ORAS artifact, the form {@code singularity push oras://…} writes and {@code singularity pull
 * oras://…} / {@code apptainer pull} read (sif-format.md §2): an OCI manifest whose one layer is the whole SIF file
 * ({@value #SIF_LAYER}, titled {@code image.sif}) and whose config is the empty JSON object ({@value #SIF_CONFIG}).
 * The OCI manifest type is what current Singularity and Apptainer push and what Quay accepts.
 */
public final class OrasArtifact {
    /** The media type of the layer that holds the SIF file; the pull side requires it. */
    public static final String SIF_LAYER = "application/vnd.sylabs.sif.layer.v1.sif";
    /** The media type of the (empty) config; the pull side does not check it. */
    public static final String SIF_CONFIG = "application/vnd.sylabs.sif.config.v1+json";
    /** The file name the SIF layer is annotated with, as Wave's pushes name it. */
    public static final String TITLE = "image.sif";

    private static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);

    private OrasArtifact() {}

    /** The manifest of a SIF file with {@code digest} and {@code size}. */
    public static RawManifest manifest(Digest digest, long size) {
        Descriptor config = Descriptor.of(SIF_CONFIG, Digest.sha256(EMPTY_CONFIG), EMPTY_CONFIG.length);
        Descriptor layer = new Descriptor(SIF_LAYER, digest.toString(), size, null,
                Map.of("org.opencontainers.image.title", TITLE), null, null, null);
        ImageManifest manifest = new ImageManifest(2, MediaTypes.OCI_MANIFEST, null, config, List.of(layer), null,
                null, null);
        return RawManifest.of(OciJson.write(manifest), MediaTypes.OCI_MANIFEST);
    }

    /** Where a SIF file goes once it is written: a registry, or Swell's own image store. */
    @FunctionalInterface
    public interface Destination {
        /**
         * Stores {@code sif} (whose sha256 is {@code digest}) as an ORAS artifact under the image's tag.
         *
         * @return the manifest's digest
         */
        Digest store(Path sif, Digest digest) throws IOException;
    }

    /**
     * A registry: the blobs are pushed first, each skipped when the repository has it, then the manifest under the
     * tag, so a failed push leaves no tag pointing at missing content.
     */
    public static Destination registry(RegistryClient registry, ImageRef target) {
        return (sif, digest) -> {
            long size = Files.size(sif);
            Digest configDigest = Digest.sha256(EMPTY_CONFIG);
            if (!registry.blobExists(target, configDigest)) {
                registry.pushBlob(target, configDigest, EMPTY_CONFIG.length,
                        new java.io.ByteArrayInputStream(EMPTY_CONFIG));
            }
            if (!registry.blobExists(target, digest)) {
                try (InputStream in = Files.newInputStream(sif)) {
                    registry.pushBlob(target, digest, size, in);
                }
            }
            RawManifest manifest = manifest(digest, size);
            registry.putManifest(target, manifest);
            return manifest.digest();
        };
    }

    /** Swell's built-in image store ({@code <host>/swell/build}): served by Swell's own {@code /v2}. */
    public static Destination builtin(BuiltinImageStore store, ImageRef target) {
        return (sif, digest) -> store.putArtifact(target.repository(), target.tag(), manifest(digest, Files.size(sif)),
                EMPTY_CONFIG, Map.of(digest, sif));
    }
}
