package io.swell.build.local;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/** The image names a build uses: the registry part of a push target and the throw-away local name. */
final class ImageNames {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_REPOSITORY_LENGTH = 100;

    private ImageNames() {
    }

    /**
     * Returns the registry of {@code image} ({@code host[:port]/repo:tag}) the way auth files key it: the first path
     * component when it looks like a host (has a dot or a port, or is {@code localhost}), else {@code docker.io}
     * (https://github.com/distribution/reference/blob/main/reference.go, "domain" rule).
     */
    static String registryOf(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return "docker.io";
        }
        String first = image.substring(0, slash);
        boolean host = first.contains(".") || first.contains(":") || first.equals("localhost");
        return host ? first : "docker.io";
    }

    /**
     * Returns a unique name for the image in buildah's local storage, {@code localhost/swell-build/<build id>:<random>}.
     * The random tag keeps two runs of one build id apart, so removing one never untags the other.
     */
    static String localName(String buildId) {
        String repository = buildId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (repository.isEmpty()) {
            repository = "build";
        }
        if (repository.length() > MAX_REPOSITORY_LENGTH) {
            repository = repository.substring(0, MAX_REPOSITORY_LENGTH).replaceAll("-+$", "");
        }
        byte[] tag = new byte[6];
        RANDOM.nextBytes(tag);
        return "localhost/swell-build/" + repository + ":" + HexFormat.of().formatHex(tag);
    }
}
