package io.swell.core.build.id;

import io.swell.api.SwellException;
import java.util.Optional;

/** Names the image a build pushes, as Wave's {@code ContainerHelper.makeTargetImage} does. */
public final class TargetImageNamer {

    /** Tag {@code <names>--<id>} (also what a null strategy does). */
    public static final String TAG_PREFIX = "tagPrefix";
    /** Repository {@code <repo>/<names>}, tag {@code <version>--<id>} when there is one version. */
    public static final String IMAGE_SUFFIX = "imageSuffix";
    /** Tag {@code <id>}. */
    public static final String NONE = "none";

    /** The prefix Wave gives Singularity images, which are pushed as ORAS artifacts. */
    public static final String ORAS_PREFIX = "oras://";

    /** What a build produces: an OCI image, or a Singularity SIF file pushed with ORAS. */
    public enum Format {
        DOCKER,
        SINGULARITY;

        /** The format of a request's {@code format} field: {@code sif} is Singularity, anything else Docker. */
        public static Format ofRequest(String format) {
            return "sif".equals(format) ? SINGULARITY : DOCKER;
        }
    }

    private TargetImageNamer() {}

    /**
     * The full target image: {@code [oras://]<repository>[/<names>]:<tag>}.
     *
     * @param repository   the build repository, without tag
     * @param containerId  the container id
     * @param condaFile    the conda YAML text, or null (its package names may go into the name)
     * @param nameStrategy {@link #TAG_PREFIX}, {@link #IMAGE_SUFFIX}, {@link #NONE} or null (as tagPrefix)
     * @throws SwellException (bad request) for any other strategy
     */
    public static String makeTargetImage(Format format, String repository, String containerId, String condaFile,
            String nameStrategy) {
        String repo = repository;
        String tag = containerId;
        if (nameStrategy == null || TAG_PREFIX.equals(nameStrategy)) {
            Optional<CondaRecipeNames> names = condaFile == null || condaFile.isEmpty()
                    ? Optional.empty() : CondaRecipeNames.guess(condaFile, false);
            if (names.isPresent()) {
                // a null from normaliseTag is written as "null", as Wave's string interpolation does
                tag = NameNormaliser.normaliseTag(names.get().joined()) + "--" + containerId;
            }
        } else if (IMAGE_SUFFIX.equals(nameStrategy)) {
            Optional<CondaRecipeNames> names = CondaRecipeNames.guess(condaFile, true);
            if (names.isPresent()) {
                String base = repo.endsWith("/") ? repo.substring(0, repo.length() - 1) : repo;
                repo = base + "/" + NameNormaliser.normaliseName(names.get().joined());
                var versions = names.get().versions();
                String only = versions.size() == 1 ? versions.get(0) : null;
                if (only != null && !only.isEmpty()) {
                    tag = NameNormaliser.normaliseTag(only) + "--" + containerId;
                }
            }
        } else if (!NONE.equals(nameStrategy)) {
            throw SwellException.badRequest("Unsupported name strategy '" + nameStrategy + "' - use one of "
                    + TAG_PREFIX + ", " + IMAGE_SUFFIX + " or " + NONE);
        }
        String image = repo + ":" + tag;
        return format == Format.SINGULARITY ? ORAS_PREFIX + image : image;
    }
}
