package io.swell.core.build.id;

import io.swell.api.SwellException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The build repository rewrite for the public (community) repository, as Wave's {@code targetRepo} does it,
 * applied before the repository is hashed into the container id.
 */
public final class TargetRepository {

    /**
     * The words a user may not put in a public repository path, because the rewrite itself uses them
     * ({@code /library}, {@code /library/build}).
     */
    public static final Set<String> DEFAULT_RESERVED_WORDS = Set.of("build", "library");

    private TargetRepository() {}

    /**
     * The repository to build into: unchanged unless it starts with {@code publicRepo}; a bare public repository
     * gets {@code /library} (strategy null or imageSuffix) or {@code /library/build} (tagPrefix, none) appended.
     *
     * @param publicRepo    the configured public repository, or null when none is configured
     * @param reservedWords path parts not allowed after the first part of a public repository
     * @throws SwellException (bad request) when a public repository path uses a reserved word
     */
    public static String targetRepo(String repository, String nameStrategy, String publicRepo,
            Collection<String> reservedWords) {
        if (!isPublic(repository, publicRepo)) {
            return repository;
        }
        List<String> parts = new ArrayList<>();
        for (String part : repository.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        if (parts.size() > 1) {
            for (String part : parts.subList(1, parts.size())) {
                if (reservedWords.contains(part)) {
                    throw SwellException.badRequest("Use of repository '" + repository
                            + "' is not allowed - '" + part + "' is a reserved word");
                }
            }
            return repository;
        }
        String base = repository.endsWith("/") ? repository.substring(0, repository.length() - 1) : repository;
        boolean suffixNaming = nameStrategy == null || TargetImageNamer.IMAGE_SUFFIX.equals(nameStrategy);
        return base + (suffixNaming ? "/library" : "/library/build");
    }

    /**
     * The name strategy a build uses: imageSuffix when the request names none and builds into the public
     * repository, else the request's own (null then behaves as tagPrefix).
     */
    public static String effectiveNameStrategy(String repository, String nameStrategy, String publicRepo) {
        if (nameStrategy == null && isPublic(repository, publicRepo)) {
            return TargetImageNamer.IMAGE_SUFFIX;
        }
        return nameStrategy;
    }

    private static boolean isPublic(String repository, String publicRepo) {
        // a plain text prefix test, as Wave does; an empty setting means "no public repository"
        return repository != null && publicRepo != null && !publicRepo.isEmpty()
                && repository.startsWith(publicRepo);
    }
}
