package io.swell.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** {@code GET /container-token/{token}}: the legacy description of a container request. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DescribeContainerResponse(
        String token, Instant expiration, RequestInfo request, BuildInfo build, ImageInfo source, ImageInfo wave) {

    /** What was asked. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RequestInfo(
            User user,
            Long workspaceId,
            String containerImage,
            ContainerConfig containerConfig,
            String platform,
            String towerEndpoint,
            String fingerprint,
            String timestamp,
            String ipAddress) {}

    /** Who asked ({@code null} when anonymous). */
    public record User(Long id) {}

    /** Build details (only for builds). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BuildInfo(String containerFile, String buildRepository, String cacheRepository, String buildId,
            Boolean buildNew, Boolean freeze) {}

    /** An image name and its digest. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ImageInfo(String image, String digest) {}
}
