package io.swell.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** {@code GET /v1alpha1/builds/{buildId}/status}: {@code PENDING} while it runs, {@code COMPLETED} after. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildStatusResponse(String id, Status status, Instant startTime, Double duration, Boolean succeeded) {

    /** Wave's two build statuses. */
    public enum Status { PENDING, COMPLETED }
}
