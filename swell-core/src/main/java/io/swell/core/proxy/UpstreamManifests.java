package io.swell.core.proxy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.swell.oci.Digest;
import io.swell.oci.ImageRef;
import io.swell.oci.RawManifest;
import io.swell.registry.RegistryClient;
import java.time.Duration;

/**
 * Upstream manifests, cached: by digest for good (content cannot change), by tag for a short time (a tag can
 * move). Concurrent misses for one key make one upstream call.
 */
public final class UpstreamManifests {
    private final RegistryClient registry;
    private final Cache<String, RawManifest> byDigest;
    private final Cache<String, RawManifest> byTag;

    public UpstreamManifests(RegistryClient registry, Duration tagTtl, long maxCachedBytes) {
        this.registry = registry;
        this.byDigest = Caffeine.newBuilder()
                .maximumWeight(maxCachedBytes)
                .weigher((String k, RawManifest m) -> m.bytes().length + 200)
                .build();
        this.byTag = Caffeine.newBuilder().expireAfterWrite(tagTtl).maximumSize(10_000).build();
    }

    /** The manifest or index {@code ref} designates (by its digest when it has one, else its tag). */
    public RawManifest get(ImageRef ref) {
        if (ref.digest() != null) {
            return byDigest.get(ref.registry() + "/" + ref.repository() + "@" + ref.digest(),
                    k -> registry.getManifest(ref));
        }
        return byTag.get(ref.toString(), k -> {
            RawManifest m = registry.getManifest(ref);
            byDigest.put(ref.registry() + "/" + ref.repository() + "@" + m.digest(), m);
            return m;
        });
    }

    /** The manifest with this digest in the repository of {@code repo}. */
    public RawManifest get(ImageRef repo, Digest digest) {
        return get(repo.withReference(digest.toString()));
    }
}
