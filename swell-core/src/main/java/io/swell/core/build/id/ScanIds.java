package io.swell.core.build.id;

import java.util.LinkedHashMap;
import java.util.SequencedMap;

/** Wave's scan ids, {@code sc-<hash of image[, digest]>_<n>}, named the same way as build ids. */
public final class ScanIds {

    public static final String PREFIX = "sc-";

    private ScanIds() {}

    /**
     * The scan id of an image with a count.
     *
     * @param targetImage the scanned image
     * @param digest      its digest, or null/empty (then not hashed at all)
     */
    public static String of(String targetImage, String digest, long count) {
        return PREFIX + SipHash24.hashMap(hashEntries(targetImage, digest)) + "_" + count;
    }

    /** The ordered entries a scan id hashes: the image, then the digest only when it is non-empty. */
    public static SequencedMap<String, String> hashEntries(String targetImage, String digest) {
        SequencedMap<String, String> entries = new LinkedHashMap<>();
        entries.put("image", targetImage);
        if (digest != null && !digest.isEmpty()) {
            entries.put("digest", digest);
        }
        return entries;
    }
}
