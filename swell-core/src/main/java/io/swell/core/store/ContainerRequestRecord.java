package io.swell.core.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swell.api.ContainerConfig;
import io.swell.oci.ImageRef;
import java.time.Instant;

/**
 * What Swell keeps for one container request: the token, its lifetime, the source image and the changes to
 * serve. {@code containerConfig} holds verified layer digests; {@code data:} locations are not kept (the bytes
 * live in the content store).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerRequestRecord(
        String token,
        Instant createdAt,
        Instant expiresAt,
        boolean revoked,
        String containerImage,
        String platform,
        ContainerConfig containerConfig,
        String towerEndpoint,
        Long workspaceId,
        String fingerprint,
        String timestamp,
        String ipAddress,
        String targetImage,
        String sourceDigest,
        String waveDigest,
        String buildId,
        boolean freeze,
        boolean mirror) {

    /** The source image, parsed. */
    public ImageRef image() {
        return ImageRef.parse(containerImage);
    }

    /** True while the token opens pulls: not revoked and not expired at {@code now}. */
    public boolean isActive(Instant now) {
        return !revoked && now.isBefore(expiresAt);
    }

    /** True when the image is made by a build (pulls wait for it). */
    public boolean isBuild() {
        return buildId != null;
    }

    /** True when pulls must rewrite the image. */
    public boolean hasChanges() {
        return containerConfig != null && !containerConfig.isEmpty();
    }

    /** Whether the request adds Seqera's Fusion file system (a layer served from fusionfs.seqera.io). */
    public boolean usesFusion() {
        return containerConfig != null && containerConfig.layersOrEmpty().stream()
                .anyMatch(l -> l != null && l.location() != null && l.location().contains("fusionfs.seqera.io"));
    }
}
