package io.swell.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Body of {@code POST /v1alpha1/inspect} as {@code wave --inspect} sends it; the Platform ("tower") fields are
 * accepted and ignored, since Swell inspects with its own configured registry credentials.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InspectRequest(
        String containerImage, String towerAccessToken, String towerEndpoint, Long towerWorkspaceId) {

    @Override
    public String toString() {
        return "InspectRequest[containerImage=" + containerImage + ", towerEndpoint=" + towerEndpoint + "]";
    }
}
