package io.swell.core.mirror;

import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import io.swell.oci.Descriptor;
import io.swell.oci.Digest;
import io.swell.oci.ImageIndex;
import io.swell.oci.ImageManifest;
import io.swell.oci.ImageRef;
import io.swell.oci.MediaTypes;
import io.swell.oci.OciJson;
import io.swell.oci.RawManifest;
import io.swell.registry.RegistryClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one copy must move, read from the source before anything is written: the manifests in push order
 * (children before the index that lists them) and the distinct blobs they reference. Every entry of an index is
 * kept, attestations and unknown platforms included, because dropping one would change the index digest.
 */
final class CopyPlan {
    /** index → index → manifest is the deepest nesting seen in practice; deeper is refused rather than followed. */
    private static final int MAX_DEPTH = 3;

    /** A manifest to push, with a label for the log ("linux/arm64/v8", "unknown/unknown attestation-manifest"). */
    record PlannedManifest(RawManifest manifest, String label) {}

    private final List<PlannedManifest> manifests = new ArrayList<>();
    private final Map<Digest, Descriptor> blobs = new LinkedHashMap<>();

    private CopyPlan() {}

    /** Reads {@code top} and, for an index, every child manifest from {@code source}. */
    static CopyPlan of(RegistryClient registry, ImageRef source, RawManifest top) {
        CopyPlan plan = new CopyPlan();
        plan.add(registry, source, top, "", 0);
        return plan;
    }

    /** Manifests in push order; the last one is the top manifest. */
    List<PlannedManifest> manifests() {
        return manifests;
    }

    /** Distinct blobs (configs and layers) of every image manifest, in first-seen order. */
    Collection<Descriptor> blobs() {
        return blobs.values();
    }

    private void add(RegistryClient registry, ImageRef source, RawManifest manifest, String label, int depth) {
        String type = manifest.mediaType();
        if (MediaTypes.isSchema1(type)) {
            throw new SwellException(ErrorCode.UNSUPPORTED, "Image '" + source + "' is a Docker schema 1 manifest,"
                    + " which cannot be mirrored with its digest; push it again with a current client");
        }
        if (MediaTypes.isIndex(type)) {
            if (depth >= MAX_DEPTH) {
                throw new SwellException(ErrorCode.UNSUPPORTED, "Image '" + source + "' nests indexes deeper than "
                        + MAX_DEPTH + " levels");
            }
            ImageIndex index = OciJson.index(manifest.bytes());
            for (Descriptor entry : index.manifests() == null ? List.<Descriptor>of() : index.manifests()) {
                Digest digest = Digest.parse(entry.digest());
                if (manifests.stream().noneMatch(m -> m.manifest().digest().equals(digest))) {
                    RawManifest child = registry.getManifest(source.withReference(digest.toString()));
                    add(registry, source, child, label(entry), depth + 1);
                }
            }
        } else if (MediaTypes.isImageManifest(type)) {
            ImageManifest image = OciJson.manifest(manifest.bytes());
            if (image.config() != null) {
                addBlob(image.config());
            }
            for (Descriptor layer : image.layers() == null ? List.<Descriptor>of() : image.layers()) {
                addBlob(layer);
            }
        } else {
            throw new SwellException(ErrorCode.UNSUPPORTED,
                    "Image '" + source + "' has a manifest of type '" + type + "', which cannot be mirrored");
        }
        manifests.add(new PlannedManifest(manifest, label));
    }

    private void addBlob(Descriptor descriptor) {
        blobs.putIfAbsent(Digest.parse(descriptor.digest()), descriptor);
    }

    /**
     * True for a non-distributable ("foreign") layer that lives at its own URLs rather than in the registry;
     * like skopeo, a mirror leaves those where they are.
     */
    static boolean isForeign(Descriptor descriptor) {
        String type = descriptor.mediaType() == null ? "" : descriptor.mediaType();
        return (type.contains(".foreign.") || type.contains("nondistributable"))
                && descriptor.urls() != null && !descriptor.urls().isEmpty();
    }

    private static String label(Descriptor entry) {
        Descriptor.Platform p = entry.platform();
        String platform = p == null ? "no platform"
                : p.os() + "/" + p.architecture() + (p.variant() == null ? "" : "/" + p.variant());
        String kind = entry.annotations() == null ? null : entry.annotations().get("vnd.docker.reference.type");
        return kind == null ? platform : platform + " " + kind;
    }
}
