package io.swell.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The {@code packages} of a v2 request: Conda or CRAN packages to build an image from. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PackagesSpec(
        String type,
        String environment,
        List<String> entries,
        List<String> channels,
        CondaOpts condaOpts,
        PixiOpts pixiOpts,
        CranOpts cranOpts) {

    /** Options of Conda builds. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CondaOpts(String mambaImage, List<String> commands, String basePackages, String baseImage) {}

    /** Options of Pixi builds. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PixiOpts(String pixiImage, List<String> commands, String basePackages, String baseImage) {}

    /** Options of CRAN builds. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CranOpts(String rImage, List<String> commands, String basePackages) {}
}
