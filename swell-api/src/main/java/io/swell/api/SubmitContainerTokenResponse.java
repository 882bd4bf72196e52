package io.swell.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** Answer to a container request: the image name to pull and what Swell knows about it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubmitContainerTokenResponse(
        String requestId,
        String containerToken,
        String targetImage,
        Instant expiration,
        String containerImage,
        String buildId,
        Boolean cached,
        Boolean freeze,
        Boolean mirror,
        String scanId,
        Boolean succeeded) {}
