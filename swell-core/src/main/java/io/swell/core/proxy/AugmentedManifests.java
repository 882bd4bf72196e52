package io.swell.core.proxy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.swell.api.ContainerConfig;
import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import io.swell.core.store.ContainerRequestRecord;
import io.swell.core.store.ContentStore;
import io.swell.oci.ConfigChanges;
import io.swell.oci.Descriptor;
import io.swell.oci.Digest;
import io.swell.oci.ImageAugmenter;
import io.swell.oci.ImageRef;
import io.swell.oci.MediaTypes;
import io.swell.oci.OciJson;
import io.swell.oci.Platform;
import io.swell.oci.RawManifest;
import io.swell.registry.RegistryClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Makes the manifest a token serves from the upstream one: for an image, a new config and manifest; for an index,
 * every platform entry the request covers augmented and the rest dropped. Generated configs and manifests go to
 * the content store so they are served by digest; results are cached per token and upstream digest (the
 * functions are deterministic, so a restart recomputes the same digests).
 */
public final class AugmentedManifests {
    private static final int MAX_CONFIG_BYTES = 32 * 1024 * 1024;

    private final RegistryClient registry;
    private final UpstreamManifests upstream;
    private final ContentStore content;
    private final Cache<String, RawManifest> results =
            Caffeine.newBuilder().maximumWeight(128L << 20).weigher((String k, RawManifest m) -> m.bytes().length + 200)
                    .build();

    public AugmentedManifests(RegistryClient registry, UpstreamManifests upstream, ContentStore content) {
        this.registry = registry;
        this.upstream = upstream;
        this.content = content;
    }

    /** The manifest to serve for {@code source} (an upstream manifest or index of {@code repo}). */
    public RawManifest augment(ContainerRequestRecord request, ImageRef repo, RawManifest source) {
        return results.get(request.token() + "|" + source.digest(), k -> compute(request, repo, source));
    }

    private RawManifest compute(ContainerRequestRecord request, ImageRef repo, RawManifest source) {
        ConfigChanges changes = changesOf(request.containerConfig());
        if (source.isIndex()) {
            Platform platform = request.platform() == null ? null : Platform.parse(request.platform());
            Predicate<Descriptor> covered = d -> MediaTypes.isImageManifest(d.mediaType())
                    && (platform == null || platform.matches(d.platform()));
            Map<String, RawManifest> replaced = new HashMap<>();
            for (Descriptor d : OciJson.index(source.bytes()).manifests()) {
                if (covered.test(d)) {
                    RawManifest m = upstream.get(repo, Digest.parse(d.digest()));
                    replaced.put(d.digest(), augmentImage(repo, m, changes));
                }
            }
            if (replaced.isEmpty()) {
                throw SwellException.badRequest("Cannot find matching platform '"
                        + (platform == null ? "any" : platform) + "' in the image index of '" + repo + "'");
            }
            RawManifest index = ImageAugmenter.rewriteIndex(source, covered, replaced);
            content.put(index.bytes(), index.mediaType());
            return index;
        }
        return augmentImage(repo, source, changes);
    }

    private RawManifest augmentImage(ImageRef repo, RawManifest manifest, ConfigChanges changes) {
        if (!MediaTypes.isImageManifest(manifest.mediaType())) {
            throw new SwellException(ErrorCode.UNSUPPORTED, "Cannot augment a manifest of type '"
                    + manifest.mediaType() + "' (Docker schema 2 and OCI images are supported)");
        }
        Descriptor config = OciJson.manifest(manifest.bytes()).config();
        byte[] configBytes = registry.getBlobBytes(repo, Digest.parse(config.digest()), MAX_CONFIG_BYTES);
        ImageAugmenter.Augmented result = ImageAugmenter.augment(manifest, configBytes, changes);
        content.put(result.config(), config.mediaType());
        content.put(result.manifest().bytes(), result.manifest().mediaType());
        return result.manifest();
    }

    /** The pure-model changes of a stored request config (its layers were verified at request time). */
    static ConfigChanges changesOf(ContainerConfig config) {
        List<ConfigChanges.AddedLayer> layers = config.layersOrEmpty().stream()
                .map(l -> new ConfigChanges.AddedLayer(Digest.parse(l.gzipDigest()), l.gzipSize(),
                        Digest.parse(l.tarDigest())))
                .toList();
        return new ConfigChanges(config.entrypoint(), config.cmd(), config.env(), config.workingDir(), layers);
    }
}
