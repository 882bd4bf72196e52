package io.swell.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The {@code containerConfig} of a request: changes applied to the image's config and extra layers. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ContainerConfig(
        List<String> entrypoint, List<String> cmd, List<String> env, String workingDir, List<ContainerLayer> layers) {

    /** True when the config asks for no change at all (Nextflow sends one with every field null). */
    public boolean isEmpty() {
        return empty(entrypoint) && empty(cmd) && empty(env) && (workingDir == null || workingDir.isEmpty())
                && empty(layers);
    }

    /** The layers, never null. */
    public List<ContainerLayer> layersOrEmpty() {
        return layers == null ? List.of() : layers;
    }

    private static boolean empty(List<?> list) {
        return list == null || list.isEmpty();
    }
}
