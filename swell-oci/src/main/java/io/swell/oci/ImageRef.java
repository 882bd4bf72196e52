package io.swell.oci;

import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import java.util.regex.Pattern;

/**
 * A parsed image reference {@code [registry/]repository[:tag][@digest]}, normalised the way docker does
 * ({@code alpine} is {@code docker.io/library/alpine:latest}); grammar from distribution's reference package.
 *
 * @param registry   registry host[:port], {@code docker.io} when none is given
 * @param repository repository path inside the registry
 * @param tag        tag, or {@code null} when only a digest is given
 * @param digest     digest, or {@code null}
 */
public record ImageRef(String registry, String repository, String tag, String digest) {
    public static final String DOCKER_HUB = "docker.io";
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern HOST = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                    + "|\\[[0-9a-fA-F:]+\\])(?::[0-9]{1,5})?");
    private static final int MAX_NAME = 255;

    /** Parses a reference; anything malformed is a 400 naming the problem. */
    public static ImageRef parse(String value) {
        if (value == null || value.isBlank()) {
            throw invalid(value, "empty name");
        }
        if (value.contains("://")) {
            throw invalid(value, "an image name must not start with a URL scheme");
        }
        String rest = value;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            try {
                Digest.parse(digest);
            } catch (SwellException e) {
                throw invalid(value, "bad digest");
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid(value, "bad tag '" + tag + "'");
            }
        }
        String registry = DOCKER_HUB;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("[")) {
                if (!HOST.matcher(first).matches()) {
                    throw invalid(value, "bad registry host '" + first + "'");
                }
                registry = first.toLowerCase(java.util.Locale.ROOT);
                rest = rest.substring(slash + 1);
            }
        }
        if (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) {
            registry = DOCKER_HUB;
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        if (rest.isEmpty() || rest.length() > MAX_NAME) {
            throw invalid(value, "bad repository length");
        }
        for (String component : rest.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw invalid(value, "bad repository component '" + component + "' (lower case letters, digits and"
                        + " separators only)");
            }
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageRef(registry, rest, tag, digest);
    }

    /** True when {@code name} is a valid repository path (used to validate {@code /v2} paths). */
    public static boolean isRepositoryPath(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
            return false;
        }
        for (String component : name.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code value} is a valid tag. */
    public static boolean isTag(String value) {
        return value != null && TAG.matcher(value).matches();
    }

    private static SwellException invalid(String value, String why) {
        return new SwellException(ErrorCode.BAD_REQUEST, "Invalid container image name '" + value + "': " + why);
    }

    /** The digest if given, else the tag: what to ask the registry for. */
    public String reference() {
        return digest != null ? digest : tag;
    }

    /** The same repository at another tag or digest. */
    public ImageRef withReference(String reference) {
        return Digest.isDigest(reference)
                ? new ImageRef(registry, repository, null, reference)
                : new ImageRef(registry, repository, reference, null);
    }

    /** {@code repository[:tag][@digest]} without the registry. */
    public String pathWithReference() {
        return repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    @Override
    public String toString() {
        return registry + "/" + pathWithReference();
    }
}
