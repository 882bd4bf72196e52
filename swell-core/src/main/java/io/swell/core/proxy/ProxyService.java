package io.swell.core.proxy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import io.swell.core.build.BuildService;
import io.swell.core.images.BuiltinImageStore;
import io.swell.core.metrics.UsageMetrics;
import io.swell.core.ratelimit.RateLimits;
import io.swell.core.store.BuildRecord;
import io.swell.core.store.ContainerRequestRecord;
import io.swell.core.store.ContainerRequestStore;
import io.swell.core.store.ContentStore;
import io.swell.core.store.StoredContent;
import io.swell.oci.Digest;
import io.swell.oci.ImageRef;
import io.swell.oci.MediaTypes;
import io.swell.oci.RawManifest;
import io.swell.registry.RegistryClient;
import io.swell.registry.UpstreamBlob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Answers the {@code /v2} read endpoints: resolves token paths to their request, serves upstream or augmented
 * manifests, and serves blobs from Swell's own store, the blob cache, or an upstream redirect.
 */
public final class ProxyService {
    private final ContainerRequestStore requests;
    private final ContentStore content;
    private final RegistryClient registry;
    private final UpstreamManifests upstream;
    private final AugmentedManifests augmented;
    private final BlobCache blobCache;
    private final BuiltinImageStore builtin;
    private final BuildService builds;
    private final RateLimits limits;
    private final UsageMetrics metrics;
    private final Clock clock;
    /** Token → resolved target; short-lived so a revoke on another replica takes effect within seconds. */
    private final Cache<String, Optional<Target>> tokens =
            Caffeine.newBuilder().expireAfterWrite(Duration.ofSeconds(5)).maximumSize(100_000).build();
    private final Cache<String, RawManifest> generated = Caffeine.newBuilder().maximumWeight(64L << 20)
            .weigher((String k, RawManifest m) -> m.bytes().length + 200).build();
    private final Cache<String, Boolean> digestsRecorded = Caffeine.newBuilder().maximumSize(100_000).build();

    public ProxyService(ContainerRequestStore requests, ContentStore content, RegistryClient registry,
            UpstreamManifests upstream, BlobCache blobCache, BuiltinImageStore builtin, BuildService builds,
            RateLimits limits, UsageMetrics metrics, Clock clock) {
        this.requests = requests;
        this.limits = limits;
        this.metrics = metrics;
        this.content = content;
        this.registry = registry;
        this.upstream = upstream;
        this.augmented = new AugmentedManifests(registry, upstream, content);
        this.blobCache = blobCache;
        this.builtin = builtin;
        this.builds = builds;
        this.clock = clock;
    }

    /** What a parsed path designates: the upstream repository and, on token paths, the request. */
    public record Target(ImageRef repo, ContainerRequestRecord request) {}

    /** Resolves a path: an unknown, revoked or expired token is a 404, as is a name that is not the token's. */
    public Target resolve(RegistryPath path) {
        if (path.token() == null) {
            ImageRef plain = path.plainImage();
            boolean builtName = path.name().equals(BuiltinImageStore.DEFAULT_REPOSITORY)
                    || path.name().startsWith(BuiltinImageStore.DEFAULT_REPOSITORY + "/");
            if (builtName && plain.registry().equals(ImageRef.DOCKER_HUB)) {
                // A built image pulled by its own name (<this host>/swell/build:<tag>).
                plain = new ImageRef(builtin.host(), path.name(), "latest", null);
            }
            return new Target(plain, null);
        }
        Optional<Target> found = tokens.get(path.token(),
                t -> requests.find(t).map(r -> new Target(r.image(), r)));
        if (found.isEmpty() || !found.get().request().isActive(clock.instant())) {
            throw new SwellException(ErrorCode.NOT_FOUND, "Unknown Wave container for token '" + path.token()
                    + "' (it may have expired or been revoked)");
        }
        Target target = found.get();
        if (target.request().freeze() || target.request().mirror()) {
            throw new SwellException(ErrorCode.NOT_FOUND, "Container '" + path.token() + "' is a "
                    + (target.request().mirror() ? "mirror" : "freeze") + " image and must be pulled directly from '"
                    + target.request().containerImage() + "'");
        }
        if (!target.repo().repository().equals(path.name())) {
            throw new SwellException(ErrorCode.NAME_UNKNOWN, "Repository '" + path.name()
                    + "' does not belong to token '" + path.token() + "' (expected '"
                    + target.repo().repository() + "')");
        }
        return target;
    }

    /** Forgets a cached token at once (after a revoke on this replica). */
    public void forgetToken(String token) {
        tokens.invalidate(token);
    }

    /**
     * The manifest (bytes, type, digest) to serve for a tag or digest; a GET by digest counts as a pull of
     * {@code client} (Wave counts pulls there and at each container request).
     */
    public RawManifest manifest(Target target, String reference, String client, boolean head) {
        if (!head && Digest.isDigest(reference)) {
            limits.acquirePull(client);
        }
        RawManifest manifest = find(target, reference);
        if (!head && metrics.isEnabled() && MediaTypes.isImageManifest(manifest.mediaType())) {
            // Wave's pull metric: image manifests served (an index is not a pull yet).
            ContainerRequestRecord request = target.request();
            metrics.count(UsageMetrics.Metric.PULLS, request == null ? null : request.platform());
            if (request != null && request.usesFusion()) {
                metrics.count(UsageMetrics.Metric.FUSION, request.platform());
            }
        }
        return manifest;
    }

    private RawManifest find(Target target, String reference) {
        if (target.request() != null && target.request().isBuild()) {
            awaitBuild(target.request().buildId());
        }
        if (builtin.holds(target.repo())) {
            return builtin.manifest(target.repo().repository(), reference).orElseThrow(() ->
                    new SwellException(ErrorCode.MANIFEST_UNKNOWN, "Manifest '" + target.repo().repository() + ":"
                            + reference + "' not found"));
        }
        boolean byDigest = Digest.isDigest(reference);
        if (byDigest && target.request() != null) {
            Optional<RawManifest> own = generatedManifest(Digest.parse(reference));
            if (own.isPresent()) {
                return own.get();
            }
        }
        ImageRef ref = target.repo().withReference(reference);
        RawManifest source = upstream.get(ref);
        if (MediaTypes.isSchema1(source.mediaType())) {
            throw new SwellException(ErrorCode.UNSUPPORTED, "Docker schema 1 manifests are not supported ('" + ref
                    + "'); push the image with a current client to convert it");
        }
        ContainerRequestRecord request = target.request();
        if (request == null || !request.hasChanges()) {
            recordDigests(request, source, source);
            return source;
        }
        if (byDigest) {
            throw new SwellException(ErrorCode.UNSUPPORTED, "Operation not allowed for container '" + ref
                    + "': an augmented image cannot be pulled by an upstream digest");
        }
        RawManifest served = augmented.augment(request, target.repo(), source);
        recordDigests(request, source, served);
        return served;
    }

    /**
     * Holds a pull until the token's build ends (no polling: the build wakes its waiters). A failed build is an
     * error carrying the reason and the end of the build log.
     */
    private void awaitBuild(String buildId) {
        BuildRecord build;
        try {
            build = builds.await(buildId, builds.maxWait());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SwellException(ErrorCode.TIMEOUT, "Interrupted while waiting for build " + buildId);
        }
        if (build.state() != BuildRecord.State.SUCCEEDED) {
            throw new SwellException(ErrorCode.BUILD_FAILED, "Container build " + buildId + " failed"
                    + (build.reason() == null ? "" : ": " + build.reason()) + "\n--- end of the build log ---\n"
                    + builds.logTail(buildId, 4000));
        }
    }

    /** The blob to serve: Swell's own content first, then the upstream (cached, redirected or streamed). */
    public BlobAnswer blob(Target target, Digest digest, String range, boolean head) {
        if (builtin.holds(target.repo())) {
            StoredContent stored = content.find(digest).orElseThrow(() ->
                    new SwellException(ErrorCode.BLOB_UNKNOWN, "Blob " + digest + " not found"));
            return new BlobAnswer.LocalFile(stored.path(), stored.size());
        }
        Optional<StoredContent> own = target.request() != null ? content.find(digest) : Optional.empty();
        if (own.isPresent()) {
            return new BlobAnswer.LocalFile(own.get().path(), own.get().size());
        }
        ImageRef repo = target.repo();
        if (head || range != null) {
            UpstreamBlob answer = registry.openBlob(repo, digest, range, head);
            return switch (answer) {
                case UpstreamBlob.Redirect r -> new BlobAnswer.Redirect(r.status(), r.location());
                case UpstreamBlob.Body b -> new BlobAnswer.Stream(b.status(), b.contentLength(), b.contentRange(),
                        b.stream());
            };
        }
        return blobCache.get(repo.registry() + "/" + repo.repository(), digest,
                () -> registry.openBlob(repo, digest, null, false),
                () -> {
                    UpstreamBlob check = registry.openBlob(repo, digest, null, true);
                    if (check instanceof UpstreamBlob.Body b) {
                        b.close();
                    }
                });
    }

    /** An upstream {@code tags/list} answer, passed on as it came. */
    public record Tags(int status, byte[] body) {}

    /** The upstream tag list of the target's repository ({@code n} and {@code last} passed through). */
    public Tags tags(Target target, String query) {
        if (builtin.holds(target.repo())) {
            throw new SwellException(ErrorCode.UNSUPPORTED, "Listing the tags of built images is not supported");
        }
        var response = registry.tagsList(target.repo(), query);
        return new Tags(response.getStatus(), response.getContent());
    }

    /** The upstream manifest a container request names, to check at request time that it exists. */
    public RawManifest source(ImageRef image) {
        return upstream.get(image);
    }

    private Optional<RawManifest> generatedManifest(Digest digest) {
        RawManifest cached = generated.getIfPresent(digest.toString());
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<StoredContent> stored = content.find(digest);
        if (stored.isEmpty() || stored.get().mediaType() == null
                || !(MediaTypes.isImageManifest(stored.get().mediaType())
                        || MediaTypes.isIndex(stored.get().mediaType()))) {
            return Optional.empty();
        }
        try {
            RawManifest m = new RawManifest(Files.readAllBytes(stored.get().path()), stored.get().mediaType(), digest);
            generated.put(digest.toString(), m);
            return Optional.of(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void recordDigests(ContainerRequestRecord request, RawManifest source, RawManifest served) {
        if (request == null || request.sourceDigest() != null && request.waveDigest() != null) {
            return;
        }
        if (digestsRecorded.asMap().putIfAbsent(request.token(), Boolean.TRUE) == null) {
            Thread.ofVirtual().start(() ->
                    requests.recordDigests(request.token(), source.digest().toString(), served.digest().toString()));
        }
    }
}
