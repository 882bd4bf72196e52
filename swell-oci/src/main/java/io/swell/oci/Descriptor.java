package io.swell.oci;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A content descriptor (https://github.com/opencontainers/image-spec/blob/main/descriptor.md); fields Swell does
 * not model are kept in {@code other} so they survive a rewrite.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Descriptor(
        String mediaType,
        String digest,
        long size,
        List<String> urls,
        Map<String, String> annotations,
        Platform platform,
        String artifactType,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> other) {

    /** A descriptor with just a type, digest and size. */
    public static Descriptor of(String mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest.toString(), size, null, null, null, null, null);
    }

    /** The same descriptor pointing at other content. */
    public Descriptor withContent(String newMediaType, Digest newDigest, long newSize) {
        return new Descriptor(newMediaType, newDigest.toString(), newSize, urls, annotations, platform, artifactType,
                other);
    }

    /** The platform object of an index entry. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Platform(
            String architecture,
            String os,
            String variant,
            @JsonProperty("os.version") String osVersion,
            @JsonProperty("os.features") List<String> osFeatures,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> other) {}
}
