package io.swell.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** {@code GET /v1alpha2/container/{requestId}}: the persisted request record, {@code data:} layers omitted. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerRecordResponse(
        String id,
        DescribeContainerResponse.User user,
        Long workspaceId,
        String containerImage,
        ContainerConfig containerConfig,
        String platform,
        String towerEndpoint,
        String fingerprint,
        String timestamp,
        String ipAddress,
        String sourceImage,
        String sourceDigest,
        String waveImage,
        String waveDigest,
        Instant expiration,
        Instant creationTime,
        String buildId,
        Boolean buildNew,
        Boolean freeze,
        Boolean mirror) {}
