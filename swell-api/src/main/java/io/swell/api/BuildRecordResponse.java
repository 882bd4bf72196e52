package io.swell.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * {@code GET /v1alpha1/builds/{buildId}}: Wave's build record, without who asked (Wave's public record shows the
 * requester's IP and e-mail; Swell keeps them private).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildRecordResponse(
        String buildId,
        String dockerFile,
        String targetImage,
        Instant startTime,
        Double duration,
        Integer exitStatus,
        String platform,
        String format,
        String digest,
        String status,
        String reason) {}
