package io.swell.core.build.id;

import io.swell.api.ContainerConfig;
import io.swell.api.ContainerLayer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.SequencedMap;

/** Computes the container id of a build exactly as Wave's {@code ContainerHelper.makeContainerId} does. */
public final class ContainerIdCalculator {

    private ContainerIdCalculator() {}

    /**
     * The 16-hex-digit container id of a build.
     *
     * @param containerFile   the final container file text (after freeze rewriting or template generation)
     * @param condaFile       the conda YAML text, or null
     * @param platform        the normalised platform
     * @param repository      the build repository, without tag, after the public-repo rewrite
     * @param buildContext    the request's build context, or null when the request has none
     * @param containerConfig the config to hash (the request's only for freeze requests), or null
     */
    public static String makeContainerId(String containerFile, String condaFile, HashedPlatform platform,
            String repository, ContainerLayer buildContext, ContainerConfig containerConfig) {
        return SipHash24.hashMap(hashEntries(containerFile, condaFile, platform, repository, buildContext,
                containerConfig));
    }

    /** The ordered entries {@link #makeContainerId} hashes; exposed so tests can pin the exact hash input. */
    public static SequencedMap<String, String> hashEntries(String containerFile, String condaFile,
            HashedPlatform platform, String repository, ContainerLayer buildContext,
            ContainerConfig containerConfig) {
        SequencedMap<String, String> entries = new LinkedHashMap<>();
        // the first four keys are always written, even with a null value (which hashes like "")
        entries.put("containerFile", containerFile);
        entries.put("condaFile", condaFile);
        entries.put("platform", platform.value());
        entries.put("repository", repository);
        // a build context object adds its key even when its digest is null
        if (buildContext != null) {
            entries.put("buildContext", buildContext.tarDigest());
        }
        if (isNonEmpty(containerConfig)) {
            entries.put("containerConfig", String.valueOf(containerConfigHash(containerConfig)));
        }
        return entries;
    }

    /**
     * Whether a config counts as given (Groovy truth of Wave's {@code ContainerConfig}): some list field is
     * non-empty or the working directory is a non-empty string.
     */
    public static boolean isNonEmpty(ContainerConfig config) {
        return config != null && !config.isEmpty();
    }

    /**
     * The value of wave-api's {@code ContainerConfig.hashCode()} for this config. The Swell record's own hash
     * differs (records hash fields differently, and a layer's size is a Long here but an Integer in Wave).
     */
    public static int containerConfigHash(ContainerConfig config) {
        return Objects.hash(config.entrypoint(), config.cmd(), config.env(), config.workingDir(),
                layersHash(config.layers()));
    }

    /** Wave's {@code List<ContainerLayer>.hashCode()}: the List contract over Wave's layer hash. */
    private static Object layersHash(List<ContainerLayer> layers) {
        if (layers == null) {
            return null;
        }
        int h = 1;
        for (ContainerLayer layer : layers) {
            h = 31 * h + (layer == null ? 0 : layerHash(layer));
        }
        // boxed so that Objects.hash adds it as is: Integer.hashCode() is the value itself
        return h;
    }

    /** Wave's {@code ContainerLayer.hashCode()}: skipHashing is not part of it, gzipSize is an int there. */
    private static int layerHash(ContainerLayer layer) {
        Integer gzipSize = layer.gzipSize() == null ? null : layer.gzipSize().intValue();
        return Objects.hash(layer.location(), layer.gzipDigest(), gzipSize, layer.tarDigest());
    }
}
