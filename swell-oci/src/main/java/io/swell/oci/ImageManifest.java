package io.swell.oci;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An image manifest, OCI or Docker schema 2
 * (https://github.com/opencontainers/image-spec/blob/main/manifest.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageManifest(
        int schemaVersion,
        String mediaType,
        String artifactType,
        Descriptor config,
        List<Descriptor> layers,
        Descriptor subject,
        Map<String, String> annotations,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> other) {

    /** This manifest with another config and extra layers appended. */
    public ImageManifest withConfigAndExtraLayers(Descriptor newConfig, List<Descriptor> extraLayers) {
        List<Descriptor> all = new ArrayList<>(layers == null ? List.of() : layers);
        all.addAll(extraLayers);
        return new ImageManifest(schemaVersion, mediaType, artifactType, newConfig, List.copyOf(all), subject,
                annotations, other);
    }
}
