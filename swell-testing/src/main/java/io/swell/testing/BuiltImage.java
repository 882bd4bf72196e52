package io.swell.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@link TestImages} wrote: an OCI layout, the tag inside it and the digests a registry will
 * serve after a push.
 *
 * @param layout         the OCI image layout directory
 * @param tag            the tag in the layout's index.json
 * @param manifestDigest digest of the top-level manifest or image index
 * @param mediaType      media type of that manifest or index
 * @param configDigest   digest of the image config, or {@code null} for an index
 * @param layerDigests   digests of the compressed layers in order, empty for an index
 * @param platforms      for an index, each platform ("linux/amd64", "linux/arm64/v8") to its image
 */
public record BuiltImage(Path layout, String tag, String manifestDigest, String mediaType,
        String configDigest, List<String> layerDigests, Map<String, BuiltImage> platforms) {

    /** Copies the collections so the record is immutable. */
    public BuiltImage {
        layerDigests = List.copyOf(layerDigests);
        platforms = Map.copyOf(platforms);
    }

    /** Returns whether this is a multi-platform image index. */
    public boolean isIndex() {
        return !platforms.isEmpty();
    }

    /** Returns the reference skopeo uses to read this image, {@code oci:LAYOUT:TAG}. */
    public String ociReference() {
        return "oci:" + layout + ":" + tag;
    }
}
