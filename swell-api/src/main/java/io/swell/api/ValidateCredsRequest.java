package io.swell.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Body of {@code POST /v1alpha2/validate-creds} (and the deprecated {@code /validate-creds}); {@link #toString()}
 * never shows the password.
 *
 * @param registry registry {@code host[:port]}, e.g. {@code docker.io} or {@code quay.io}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ValidateCredsRequest(String userName, String password, String registry) {

    @Override
    public String toString() {
        return "ValidateCredsRequest[userName=" + userName + ", password=****, registry=" + registry + "]";
    }
}
