package io.swell.oci;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * An image configuration (https://github.com/opencontainers/image-spec/blob/main/config.md); only the fields
 * augmentation touches are typed, everything else is carried in {@code other}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageConfig(
        String architecture,
        String os,
        String variant,
        RunConfig config,
        RootFs rootfs,
        List<History> history,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> other) {

    /** The run-time defaults of a container ({@code config} inside the image config). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunConfig(
            @JsonProperty("Env") List<String> env,
            @JsonProperty("Entrypoint") List<String> entrypoint,
            @JsonProperty("Cmd") List<String> cmd,
            @JsonProperty("WorkingDir") String workingDir,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> other) {

        public static final RunConfig EMPTY = new RunConfig(null, null, null, null, null);
    }

    /** The layer diff ids. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RootFs(String type, @JsonProperty("diff_ids") List<String> diffIds,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> other) {}

    /** One history entry. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record History(
            String created,
            @JsonProperty("created_by") String createdBy,
            String author,
            String comment,
            @JsonProperty("empty_layer") Boolean emptyLayer,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> other) {}
}
