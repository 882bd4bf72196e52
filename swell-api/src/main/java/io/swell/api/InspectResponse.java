package io.swell.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Answer of {@code POST /v1alpha1/inspect}: exactly one of {@code container} (one image manifest) or {@code index}
 * (an image index or manifest list). Field names are the Java field names of wave-api's spec classes, which is
 * what wave-cli reads ({@code ../shared/reference/wave-cli.md} §4.3), not OCI's capitalised keys.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InspectResponse(ContainerSpec container, IndexSpec index) {

    public static InspectResponse of(ContainerSpec container) {
        return new InspectResponse(container, null);
    }

    public static InspectResponse of(IndexSpec index) {
        return new InspectResponse(null, index);
    }

    /**
     * One image: where it lives and its manifest and config.
     *
     * @param registry  registry host[:port], {@code docker.io} for Docker Hub
     * @param hostName  base URL of the registry's API: {@code hostName + "/v2/" + imageName + "/blobs/" + digest}
     *                  is a blob URL
     * @param imageName repository inside the registry
     * @param reference the tag or digest asked for
     * @param digest    digest of the image manifest described
     * @param v1        whether the manifest is a Docker schema 1 manifest (as Wave answers)
     * @param v2        whether it is schema version 2
     * @param oci       whether it is an OCI image manifest
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ContainerSpec(String registry, String hostName, String imageName, String reference, String digest,
            ConfigSpec config, ManifestSpec manifest, boolean v1, boolean v2, boolean oci) {}

    /** The image config (OCI {@code config.json}) fields Wave exposes. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ConfigSpec(String architecture, RunConfig config, String container, Instant created,
            RootFs rootfs) {}

    /** The run-time defaults of the image, OCI's capitalised keys in lower camel case. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunConfig(String hostName, String domainName, String user, Boolean attachStdin,
            Boolean attachStdout, Boolean attachStderr, Boolean tty, List<String> env, List<String> cmd, String image,
            String workingDir, List<String> entrypoint, Map<String, String> labels) {}

    /** The layer diff ids of the config. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RootFs(String type, @JsonProperty("diff_ids") List<String> diffIds) {}

    /** The image manifest. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ManifestSpec(Integer schemaVersion, String mediaType, ObjectRef config, List<ObjectRef> layers,
            Map<String, String> annotations, String artifactType) {}

    /** A descriptor of a config or a layer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ObjectRef(String mediaType, String digest, Long size, Map<String, String> annotations) {}

    /** An image index or manifest list. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IndexSpec(Integer schemaVersion, String mediaType, String digest, List<IndexEntry> manifests) {}

    /** One entry of an index. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IndexEntry(String mediaType, String digest, Long size, Map<String, String> annotations,
            PlatformSpec platform) {}

    /** The platform of an index entry. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PlatformSpec(String architecture, String os, String variant) {}
}
