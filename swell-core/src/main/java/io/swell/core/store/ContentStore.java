package io.swell.core.store;

import io.swell.oci.Digest;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Content-addressed storage for what Swell serves itself: injected layers, generated configs and manifests.
 * Content is written once and verified: nothing is stored under a digest it does not have.
 */
public interface ContentStore {

    Optional<StoredContent> find(Digest digest);

    /** Stores bytes under their sha256 digest (idempotent). */
    StoredContent put(byte[] bytes, String mediaType);

    /** Moves an already verified file into the store under {@code digest} (idempotent). */
    StoredContent adopt(Path verifiedFile, Digest digest, String mediaType);

    /** A directory for temporary files on the same file system, so {@link #adopt} is a rename. */
    Path tempDir();
}
