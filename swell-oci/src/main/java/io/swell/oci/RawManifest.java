package io.swell.oci;

/**
 * Manifest or index bytes exactly as served, with their media type and digest. The bytes are the truth: a
 * digest is always computed from them, never from a re-serialisation.
 */
public record RawManifest(byte[] bytes, String mediaType, Digest digest) {

    /** Wraps bytes, computing their sha256 digest. */
    public static RawManifest of(byte[] bytes, String mediaType) {
        return new RawManifest(bytes, mediaType, Digest.sha256(bytes));
    }

    public boolean isIndex() {
        return MediaTypes.isIndex(mediaType);
    }
}
