package io.swell.core.store;

import java.util.Optional;

/** Tags of the built-in image store: repository and tag to a manifest in the content store. */
public interface ImageTagStore {

    /** A tagged manifest. */
    record TaggedManifest(String digest, String mediaType) {}

    void put(String repository, String tag, TaggedManifest manifest);

    Optional<TaggedManifest> find(String repository, String tag);
}
