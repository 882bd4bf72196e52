package io.swell.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** {@code GET /v1alpha1/mirrors/{mirrorId}}: Wave's mirror result, without who asked. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MirrorResponse(
        String mirrorId,
        String digest,
        String sourceImage,
        String targetImage,
        Instant creationTime,
        Status status,
        Double duration,
        Integer exitCode,
        Boolean succeeded,
        String reason) {

    /** Wave's two mirror statuses. */
    public enum Status { PENDING, COMPLETED }
}
