package io.swell.core.request;

import io.swell.api.ContainerConfig;
import io.swell.api.ContainerLayer;
import io.swell.api.ContainerStatusResponse;
import io.swell.api.ErrorCode;
import io.swell.api.SubmitContainerTokenRequest;
import io.swell.api.SubmitContainerTokenResponse;
import io.swell.api.SwellException;
import io.swell.core.build.BuildService;
import io.swell.core.build.id.TargetImageNamer;
import io.swell.core.proxy.ProxyService;
import io.swell.core.ratelimit.RateLimits;
import io.swell.core.store.BuildRecord;
import io.swell.core.store.ContainerRequestRecord;
import io.swell.core.store.ContainerRequestStore;
import io.swell.oci.ConfigChanges.AddedLayer;
import io.swell.oci.ImageRef;
import io.swell.oci.MediaTypes;
import io.swell.oci.OciJson;
import io.swell.oci.Platform;
import io.swell.oci.RawManifest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Handles container requests: validates them, checks the source image upstream, verifies and stores extra
 * layers, issues a token and answers the image name to pull. Features that are not built yet answer a clear
 * 501 instead of failing later.
 */
public final class ContainerRequestService {

    private final ContainerRequestStore store;
    private final ProxyService proxy;
    private final BuildRequests buildRequests;
    private final MirrorRequests mirrorRequests;
    private final BuildService builds;
    private final String serverUrl;
    private final LayerFetcher layers;
    private final ContainerIncludes includes;
    private final RateLimits limits;
    private final TokenGenerator tokens;
    private final Clock clock;
    private final String serverHost;
    private final Duration tokenLifetime;

    /** Which of the two request endpoints was called. */
    public enum ApiVersion { V1, V2 }

    /**
     * @param serverHost    {@code host[:port]} of the public server URL, the registry part of image names
     * @param tokenLifetime how long a token opens pulls
     */
    public ContainerRequestService(ContainerRequestStore store, ProxyService proxy, BuildRequests buildRequests,
            MirrorRequests mirrorRequests, BuildService builds, LayerFetcher layers, ContainerIncludes includes,
            RateLimits limits, TokenGenerator tokens, Clock clock, String serverUrl, String serverHost,
            Duration tokenLifetime) {
        this.store = store;
        this.proxy = proxy;
        this.buildRequests = buildRequests;
        this.mirrorRequests = mirrorRequests;
        this.builds = builds;
        this.serverUrl = serverUrl;
        this.layers = layers;
        this.includes = includes;
        this.limits = limits;
        this.tokens = tokens;
        this.clock = clock;
        this.serverHost = serverHost;
        this.tokenLifetime = tokenLifetime;
    }

    /** Handles one request; every refusal is a {@link SwellException} with a 4xx or 501 code. */
    public SubmitContainerTokenResponse submit(SubmitContainerTokenRequest req, ApiVersion version, String clientIp) {
        RequestRules.check(req, version);
        limits.acquirePull(clientIp);
        if (req.isMirror()) {
            return submitMirror(req, clientIp);
        }
        boolean hasIncludes = req.containerIncludes() != null && !req.containerIncludes().isEmpty();
        req = withIncludes(req);
        if (!blank(req.containerFile()) || req.packages() != null || req.isFreeze()) {
            return submitBuild(req, version, clientIp);
        }
        if (blank(req.containerImage())) {
            throw SwellException.badRequest("Missing container image - set 'containerImage' (or 'containerFile'"
                    + " or 'packages' to build one)");
        }
        ImageRef image = ImageRef.parse(req.containerImage().trim());
        Platform platform = platformOf(req.containerPlatform());
        // The source first: no layer is fetched for an image that does not exist.
        checkSource(image, platform, req.containerConfig(), hasIncludes);
        ContainerConfig config = verifiedConfig(req.containerConfig());

        Instant now = clock.instant();
        String token = tokens.next();
        String targetImage = serverHost + "/wt/" + token + "/" + image.pathWithReference();
        store.insert(new ContainerRequestRecord(token, now, now.plus(tokenLifetime), false, image.toString(),
                platform == null ? null : platform.toString(), config, req.towerEndpoint(), req.towerWorkspaceId(),
                req.fingerprint(), req.timestamp(), clientIp, targetImage, null, null, null, false, false));
        boolean v2 = version == ApiVersion.V2;
        return new SubmitContainerTokenResponse(token, token, targetImage, now.plus(tokenLifetime), image.toString(),
                null, v2 ? Boolean.TRUE : null, v2 ? Boolean.FALSE : null, v2 ? Boolean.FALSE : null, null,
                v2 ? Boolean.TRUE : null);
    }

    /**
     * The status of a request: an augmentation is done as soon as it is accepted. Like Wave, the status is only
     * known while the token is: an expired or revoked token is a 404.
     */
    public ContainerStatusResponse status(String requestId) {
        ContainerRequestRecord r = find(requestId);
        if (!r.isActive(clock.instant())) {
            throw SwellException.notFound("Container request '" + requestId + "' has expired or was revoked");
        }
        if (!r.isBuild()) {
            return new ContainerStatusResponse(r.token(), ContainerStatusResponse.ContainerStatus.DONE, null, null,
                    null, null, Boolean.TRUE, null, null, r.createdAt(), 0.0);
        }
        BuildRecord b = builds.find(r.buildId()).orElseThrow(() ->
                SwellException.notFound("Missing build record '" + r.buildId() + "'"));
        double seconds = b.duration(clock.instant()).toNanos() / 1e9;
        String buildId = r.mirror() ? null : b.buildId();
        String mirrorId = r.mirror() ? b.buildId() : null;
        if (!b.isDone()) {
            return new ContainerStatusResponse(r.token(), ContainerStatusResponse.ContainerStatus.BUILDING,
                    buildId, mirrorId, null, null, null, null, null, r.createdAt(), seconds);
        }
        boolean ok = b.state() == BuildRecord.State.SUCCEEDED;
        String what = r.mirror() ? "mirror" : "build";
        return new ContainerStatusResponse(r.token(), ContainerStatusResponse.ContainerStatus.DONE, buildId,
                mirrorId, null, null, ok, ok ? null : "Container " + what + " did not complete successfully"
                        + (b.reason() == null ? "" : ": " + b.reason()),
                ok ? null : serverUrl + (r.mirror() ? "/view/mirrors/" : "/view/builds/") + b.buildId(),
                r.createdAt(), seconds);
    }

    /** The stored record of a request (also after its token expired). */
    public ContainerRequestRecord find(String token) {
        return store.find(token).orElseThrow(() ->
                SwellException.notFound("Missing container record for token: " + token));
    }

    /** Revokes a token so that pulls with it fail at once. */
    public void revoke(String token) {
        if (!store.revoke(token)) {
            throw SwellException.notFound("Missing container token: " + token);
        }
        proxy.forgetToken(token);
    }

    /** A build request: the token names the built image; pulls wait for the build. */
    private SubmitContainerTokenResponse submitBuild(SubmitContainerTokenRequest req, ApiVersion version,
            String clientIp) {
        if (!blank(req.containerImage()) && !blank(req.containerFile())) {
            throw SwellException.badRequest("Attributes 'containerImage' and 'containerFile' cannot be used in the"
                    + " same request");
        }
        if (req.packages() != null && (!blank(req.containerImage()) || !blank(req.containerFile()))) {
            throw SwellException.badRequest("Attribute 'packages' cannot be used with 'containerImage' or"
                    + " 'containerFile' - set the base image with condaOpts.baseImage, pixiOpts.baseImage or"
                    + " cranOpts.rImage");
        }
        if (req.isFreeze() && blank(req.containerImage()) && blank(req.containerFile()) && req.packages() == null) {
            throw SwellException.badRequest("Missing container image or container file to freeze");
        }
        BuildRequests.Resolved build = buildRequests.submit(req, clientIp);
        Instant now = clock.instant();
        String token = tokens.next();
        boolean freeze = req.isFreeze();
        // A frozen image is durable: clients pull its real name (oras://… for a SIF image), and the token only
        // names the request. Only frozen builds may be SIF images.
        String name = build.targetImage().startsWith(TargetImageNamer.ORAS_PREFIX) ? build.targetImage()
                : ImageRef.parse(build.targetImage()).toString();
        String targetImage = freeze ? name
                : serverHost + "/wt/" + token + "/" + ImageRef.parse(name).pathWithReference();
        String buildId = build.build() != null ? build.build().buildId() : build.knownId();
        // A dry run names a build that does not exist: its record keeps no build id to wait for. A cache hit keeps
        // the finished build's id (when Swell made the image), so its status names the build.
        store.insert(new ContainerRequestRecord(token, now, now.plus(tokenLifetime), false, name,
                req.containerPlatform(), null, req.towerEndpoint(), req.towerWorkspaceId(), req.fingerprint(),
                req.timestamp(), clientIp, targetImage, null, null, req.isDryRun() ? null : buildId, freeze, false));
        boolean done = build.cached() || build.build() != null && build.build().isDone();
        Boolean succeeded = build.cached() ? Boolean.TRUE
                : done ? build.build().state() == BuildRecord.State.SUCCEEDED : null;
        boolean v2 = version == ApiVersion.V2;
        return new SubmitContainerTokenResponse(token, freeze ? null : token, targetImage,
                freeze ? null : now.plus(tokenLifetime), name, buildId, v2 ? done : null,
                v2 ? freeze : null, v2 ? Boolean.FALSE : null, null, v2 ? succeeded : null);
    }

    /** A mirror: a durable copy in the user's registry, answered at once while the copy runs. */
    private SubmitContainerTokenResponse submitMirror(SubmitContainerTokenRequest req, String clientIp) {
        MirrorRequests.Resolved mirror = mirrorRequests.submit(req, clientIp);
        Instant now = clock.instant();
        String token = tokens.next();
        String mirrorId = mirror.job() != null ? mirror.job().buildId() : mirror.knownId();
        store.insert(new ContainerRequestRecord(token, now, now.plus(tokenLifetime), false, mirror.targetImage(),
                null, null, req.towerEndpoint(), req.towerWorkspaceId(), req.fingerprint(), req.timestamp(),
                clientIp, mirror.targetImage(), null, null, mirrorId, false, true));
        boolean done = mirror.cached() || mirror.job().isDone();
        Boolean succeeded = mirror.cached() ? Boolean.TRUE
                : done ? mirror.job().state() == BuildRecord.State.SUCCEEDED : null;
        return new SubmitContainerTokenResponse(token, null, mirror.targetImage(), null, mirror.targetImage(),
                mirrorId, done, Boolean.FALSE, Boolean.TRUE, null, succeeded);
    }

    private static Platform platformOf(String value) {
        if (blank(value)) {
            return null;
        }
        if (value.contains(",")) {
            throw SwellException.badRequest("Multi-platform '" + value + "' is only allowed for container builds"
                    + " - request one platform, or none to keep every platform of the image");
        }
        return Platform.parse(value);
    }

    /** Validates the config and fetches its layers; the stored copy keeps digests, not {@code data:} bytes. */
    private ContainerConfig verifiedConfig(ContainerConfig config) {
        if (config == null || config.isEmpty()) {
            return null;
        }
        for (String entry : config.env() == null ? List.<String>of() : config.env()) {
            if (entry == null || entry.indexOf('=') <= 0) {
                throw SwellException.badRequest("Invalid containerConfig env entry '" + entry
                        + "' - use NAME=VALUE");
            }
        }
        List<ContainerLayer> kept = new ArrayList<>();
        List<ContainerLayer> given = config.layersOrEmpty();
        for (int i = 0; i < given.size(); i++) {
            ContainerLayer layer = given.get(i);
            if (layer == null) {
                throw SwellException.badRequest("containerConfig layer " + (i + 1) + " is null");
            }
            AddedLayer added = layers.fetch(layer, "containerConfig layer " + (i + 1));
            String location = layer.location().startsWith("http")
                    || layer.location().startsWith(ContainerIncludes.SCHEME) ? layer.location() : "data:DATA+OMITTED";
            kept.add(new ContainerLayer(location, added.gzipDigest().toString(), added.gzipSize(),
                    added.tarDigest().toString(), null));
        }
        return new ContainerConfig(config.entrypoint(), config.cmd(), config.env(), config.workingDir(),
                kept.isEmpty() ? null : kept);
    }

    /**
     * Appends the layers of {@code containerIncludes} to the config (for the request's platform, linux/amd64 by
     * default, as Wave). Only Swell writes {@code docker://} layer locations: a client sending one is refused.
     */
    private SubmitContainerTokenRequest withIncludes(SubmitContainerTokenRequest req) {
        if (req.containerConfig() != null && req.containerConfig().layersOrEmpty().stream()
                .anyMatch(l -> l != null && l.location() != null && l.location().startsWith(ContainerIncludes.SCHEME))) {
            throw SwellException.badRequest("Layer locations must be data:, gzip: or http(s) URLs - use"
                    + " 'containerIncludes' to add the layers of another image");
        }
        List<String> images = req.containerIncludes();
        if (images == null || images.isEmpty()) {
            return req;
        }
        if ((!blank(req.containerFile()) || req.packages() != null) && !req.isFreeze()) {
            throw SwellException.badRequest("Attribute 'containerIncludes' applies to a 'containerImage', or to a"
                    + " build with 'freeze'");
        }
        if (req.containerPlatform() != null && req.containerPlatform().contains(",")) {
            throw SwellException.badRequest("Attribute 'containerIncludes' needs a single 'containerPlatform'");
        }
        Platform platform = blank(req.containerPlatform()) ? Platform.LINUX_AMD64
                : Platform.parse(req.containerPlatform());
        return req.withContainerConfig(includes.withIncludes(req.containerConfig(), images, platform));
    }

    private void checkSource(ImageRef image, Platform platform, ContainerConfig config, boolean hasIncludes) {
        RawManifest source;
        try {
            source = proxy.source(image);
        } catch (SwellException e) {
            throw SwellException.badRequest("Container image '" + image + "' does not exist or access is not"
                    + " authorized - " + e.getMessage());
        }
        if (MediaTypes.isSchema1(source.mediaType())) {
            throw new SwellException(ErrorCode.UNSUPPORTED, "Container image '" + image + "' has a Docker schema 1"
                    + " manifest, which is not supported");
        }
        if (config != null && image.digest() != null) {
            throw new SwellException(ErrorCode.UNSUPPORTED, "Operation not allowed for container '" + image
                    + "': an image pinned by digest cannot be augmented (its digest would change)");
        }
        if (source.isIndex() && platform == null && hasIncludes) {
            // Swell augments every platform of an index; the included layers are of one platform only.
            throw SwellException.badRequest("Container image '" + image + "' has several platforms: give"
                    + " 'containerPlatform' to say which one the included images' layers are for");
        }
        if (source.isIndex() && platform != null && config != null) {
            boolean found = OciJson.index(source.bytes()).manifests().stream()
                    .anyMatch(d -> platform.matches(d.platform()));
            if (!found) {
                throw SwellException.badRequest("Cannot find matching platform '" + platform
                        + "' in the image index of '" + image + "'");
            }
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
