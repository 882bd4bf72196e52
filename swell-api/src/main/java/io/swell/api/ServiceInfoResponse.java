package io.swell.api;

/**
 * {@code GET /service-info}. {@code version} is the Wave API level Swell implements (strict semver, which
 * wave-cli checks); {@code swellVersion} is Swell's own version.
 */
public record ServiceInfoResponse(ServiceInfo serviceInfo) {

    /** Version details. */
    public record ServiceInfo(String version, String commitId, String swellVersion) {}
}
