package io.swell.core.inspect;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.swell.api.ErrorCode;
import io.swell.api.InspectRequest;
import io.swell.api.InspectResponse;
import io.swell.api.SwellException;
import io.swell.core.proxy.UpstreamManifests;
import io.swell.oci.Descriptor;
import io.swell.oci.Digest;
import io.swell.oci.ImageIndex;
import io.swell.oci.ImageManifest;
import io.swell.oci.ImageRef;
import io.swell.oci.MediaTypes;
import io.swell.oci.OciJson;
import io.swell.oci.Platform;
import io.swell.oci.RawManifest;
import io.swell.registry.RegistryClient;
import io.swell.registry.RegistryEndpoints;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Inspects an upstream image for {@code POST /v1alpha1/inspect} ({@code ../shared/reference/wave-api.md} §1.10):
 * an index without a platform is described as an index; a single manifest, or the index entry of the platform
 * asked for, is described with its manifest and config. Upstream is read with Swell's configured credentials.
 */
public final class InspectService {
    private static final int MAX_CONFIG_BYTES = 32 * 1024 * 1024;

    private final RegistryClient registry;
    private final UpstreamManifests manifests;
    private final RegistryEndpoints endpoints;
    /** Configs by repository and digest: content addressed, so they never go stale. */
    private final Cache<String, byte[]> configs = Caffeine.newBuilder()
            .maximumWeight(16L << 20)
            .weigher((String k, byte[] v) -> v.length + 100)
            .build();

    public InspectService(RegistryClient registry, UpstreamManifests manifests, RegistryEndpoints endpoints) {
        this.registry = registry;
        this.manifests = manifests;
        this.endpoints = endpoints;
    }

    /**
     * Describes the image of {@code request}.
     *
     * @param platform the {@code platform} query parameter, or {@code null}
     */
    public InspectResponse inspect(InspectRequest request, String platform) {
        if (request == null || request.containerImage() == null || request.containerImage().isBlank()) {
            throw SwellException.badRequest("Missing container image - set 'containerImage'");
        }
        Platform wanted = parsePlatform(platform);
        ImageRef ref = ImageRef.parse(request.containerImage().trim());
        RawManifest top = upstream(ref, () -> manifests.get(ref));
        if (top.isIndex()) {
            if (wanted == null) {
                return InspectResponse.of(InspectSpecs.index(top));
            }
            Descriptor entry = select(ref, OciJson.index(top.bytes()), wanted);
            RawManifest child = upstream(ref, () -> manifests.get(ref, Digest.parse(entry.digest())));
            return InspectResponse.of(describe(ref, child));
        }
        return InspectResponse.of(describe(ref, top));
    }

    private InspectResponse.ContainerSpec describe(ImageRef ref, RawManifest manifest) {
        if (MediaTypes.isSchema1(manifest.mediaType())) {
            throw new SwellException(ErrorCode.UNSUPPORTED, "Container image '" + ref
                    + "' has a Docker schema 1 manifest, which is not supported");
        }
        if (!MediaTypes.isImageManifest(manifest.mediaType())) {
            throw new SwellException(ErrorCode.UNSUPPORTED, "Container image '" + ref + "' resolves to a "
                    + manifest.mediaType() + " document, which is not an image manifest");
        }
        ImageManifest parsed = OciJson.manifest(manifest.bytes());
        byte[] config = null;
        if (parsed.config() != null && parsed.config().digest() != null && parsed.config().size() > 0) {
            Digest digest = Digest.parse(parsed.config().digest());
            config = upstream(ref, () -> configs.get(ref.registry() + "/" + ref.repository() + "@" + digest,
                    k -> registry.getBlobBytes(ref, digest, MAX_CONFIG_BYTES)));
        }
        return InspectSpecs.container(ref, endpoints.baseUri(ref.registry()), manifest, config);
    }

    /** The index entry for {@code wanted}; 404 naming what the index has when none matches. */
    private static Descriptor select(ImageRef ref, ImageIndex index, Platform wanted) {
        List<Descriptor> entries = index.manifests() == null ? List.of() : index.manifests();
        return entries.stream().filter(d -> wanted.matches(d.platform())).findFirst()
                .orElseThrow(() -> SwellException.notFound("Cannot find platform '" + wanted
                        + "' in the image index of '" + ref + "' - it has: " + entries.stream()
                        .map(d -> describe(d.platform())).distinct().collect(Collectors.joining(", "))));
    }

    private static String describe(Descriptor.Platform p) {
        if (p == null) {
            return "unknown";
        }
        return p.os() + "/" + p.architecture()
                + (p.variant() == null || p.variant().isEmpty() ? "" : "/" + p.variant());
    }

    /** One platform, Wave's aliases allowed; a list is refused as Wave refuses it. */
    static Platform parsePlatform(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.contains(",")) {
            throw SwellException.badRequest("Container multi-platform architecture not allowed");
        }
        return Platform.parse(value);
    }

    /** Runs an upstream call, rephrasing its failure for the API while keeping its status. */
    private static <T> T upstream(ImageRef ref, Supplier<T> call) {
        try {
            return call.get();
        } catch (SwellException e) {
            ErrorCode code = switch (e.code()) {
                case MANIFEST_UNKNOWN, NAME_UNKNOWN, BLOB_UNKNOWN -> ErrorCode.NOT_FOUND;
                // wave-cli retries 502/503/504 and then says Swell is unreachable: an unreachable upstream is
                // the image's problem, answered as a 400 with the reason (as container requests do).
                case UPSTREAM_UNAVAILABLE, TIMEOUT -> ErrorCode.BAD_REQUEST;
                default -> e.code();
            };
            String what = switch (code) {
                case NOT_FOUND, UNAUTHORIZED, DENIED -> "does not exist or access is not authorized";
                default -> "cannot be inspected";
            };
            throw new SwellException(code, "Container image '" + ref + "' " + what + " - " + e.getMessage(), e);
        }
    }
}
