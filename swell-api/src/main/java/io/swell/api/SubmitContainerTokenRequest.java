package io.swell.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Body of {@code POST /v1alpha2/container} and {@code POST /container-token} as Wave clients send it.
 * Enum-like fields are plain strings so that a bad value is a clear 400 from validation, not a parse error.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubmitContainerTokenRequest(
        String towerAccessToken,
        String towerRefreshToken,
        String towerEndpoint,
        Long towerWorkspaceId,
        String workflowId,
        String containerImage,
        String containerFile,
        ContainerConfig containerConfig,
        String condaFile,
        String containerPlatform,
        String buildRepository,
        String cacheRepository,
        ContainerLayer buildContext,
        BuildCompression buildCompression,
        String buildTemplate,
        String timestamp,
        String fingerprint,
        Boolean freeze,
        Boolean mirror,
        Boolean dryRun,
        String format,
        String nameStrategy,
        String scanMode,
        List<String> scanLevels,
        List<String> containerIncludes,
        PackagesSpec packages) {

    /** {@code buildCompression} of a request. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BuildCompression(String mode, Integer level, Boolean force) {}

    public boolean isFreeze() {
        return Boolean.TRUE.equals(freeze);
    }

    public boolean isMirror() {
        return Boolean.TRUE.equals(mirror);
    }

    public boolean isDryRun() {
        return Boolean.TRUE.equals(dryRun);
    }

    /** The same request with another {@code containerConfig} (e.g. with included images' layers appended). */
    public SubmitContainerTokenRequest withContainerConfig(ContainerConfig config) {
        return new SubmitContainerTokenRequest(towerAccessToken, towerRefreshToken, towerEndpoint, towerWorkspaceId,
                workflowId, containerImage, containerFile, config, condaFile, containerPlatform, buildRepository,
                cacheRepository, buildContext, buildCompression, buildTemplate, timestamp, fingerprint, freeze, mirror,
                dryRun, format, nameStrategy, scanMode, scanLevels, containerIncludes, packages);
    }
}
