package io.swell.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * {@code GET /v1alpha2/container/{requestId}/status}. {@code duration} is decimal seconds (wave-cli reads an
 * integer as nanoseconds), and {@code creationTime} is always present (nf-wave requires it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerStatusResponse(
        String id,
        ContainerStatus status,
        String buildId,
        String mirrorId,
        String scanId,
        Map<String, Integer> vulnerabilities,
        Boolean succeeded,
        String reason,
        String detailsUri,
        Instant creationTime,
        Double duration) {

    /** The statuses Wave clients accept (exactly these, upper case). */
    public enum ContainerStatus { PENDING, BUILDING, SCANNING, DONE }
}
