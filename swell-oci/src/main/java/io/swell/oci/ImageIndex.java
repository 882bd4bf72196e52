package io.swell.oci;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * An image index or Docker manifest list (https://github.com/opencontainers/image-spec/blob/main/image-index.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageIndex(
        int schemaVersion,
        String mediaType,
        String artifactType,
        List<Descriptor> manifests,
        Descriptor subject,
        Map<String, String> annotations,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> other) {

    /** This index with other entries. */
    public ImageIndex withManifests(List<Descriptor> entries) {
        return new ImageIndex(schemaVersion, mediaType, artifactType, List.copyOf(entries), subject, annotations,
                other);
    }
}
