package io.swell.core.store;

import io.swell.oci.Digest;
import java.nio.file.Path;

/** A blob held by Swell: where its bytes are, how many, and its media type when known. */
public record StoredContent(Digest digest, Path path, long size, String mediaType) {}
