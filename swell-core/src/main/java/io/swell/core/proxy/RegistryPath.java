package io.swell.core.proxy;

import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import io.swell.oci.Digest;
import io.swell.oci.ImageRef;

/**
 * A parsed {@code /v2} path (distribution spec endpoints end-2, end-3, end-8a): either a token path
 * {@code /v2/wt/<token>/<name>/<kind>/<reference>} or a plain path {@code /v2/<registry>/<name>/<kind>/<reference>}.
 *
 * @param token     the token of a token path, {@code null} for a plain path
 * @param name      repository name as written in the path (without {@code wt/<token>})
 * @param kind      what is asked for
 * @param reference tag or digest ({@code list} for tags)
 */
public record RegistryPath(String token, String name, Kind kind, String reference) {

    /** The three read endpoints of the registry API. */
    public enum Kind { MANIFESTS, BLOBS, TAGS }

    /** Parses the path after {@code /v2/}; anything malformed is a 404 NAME_UNKNOWN/NOT_FOUND, as distribution. */
    public static RegistryPath parse(String afterV2) {
        String[] parts = afterV2.split("/", -1);
        if (parts.length < 3) {
            throw invalid();
        }
        String reference = parts[parts.length - 1];
        Kind kind = switch (parts[parts.length - 2]) {
            case "manifests" -> Kind.MANIFESTS;
            case "blobs" -> Kind.BLOBS;
            case "tags" -> Kind.TAGS;
            default -> throw invalid();
        };
        String token = null;
        int start = 0;
        if (parts[0].equals("wt") && parts.length >= 4) {
            token = parts[1];
            start = 2;
        }
        String name = String.join("/", java.util.Arrays.copyOfRange(parts, start, parts.length - 2));
        if (name.isEmpty() || (token != null && token.isEmpty())) {
            throw invalid();
        }
        switch (kind) {
            case TAGS -> {
                if (!reference.equals("list")) {
                    throw invalid();
                }
            }
            case BLOBS -> Digest.parse(reference);
            case MANIFESTS -> {
                if (Digest.isDigest(reference)) {
                    Digest.parse(reference);
                } else if (!ImageRef.isTag(reference)) {
                    throw new SwellException(ErrorCode.MANIFEST_UNKNOWN, "Invalid tag '" + reference + "'");
                }
            }
        }
        return new RegistryPath(token, name, kind, reference);
    }

    /** For a plain path: the upstream image the name designates ({@code <registry>/<repo>} or Docker Hub). */
    public ImageRef plainImage() {
        int slash = name.indexOf('/');
        String first = slash < 0 ? "" : name.substring(0, slash);
        boolean hasRegistry = first.contains(".") || first.contains(":") || first.equals("localhost");
        String registry = hasRegistry ? first : ImageRef.DOCKER_HUB;
        String repository = hasRegistry ? name.substring(slash + 1) : name;
        if (registry.equals(ImageRef.DOCKER_HUB) && !repository.contains("/")) {
            repository = "library/" + repository;
        }
        if (!ImageRef.isRepositoryPath(repository)) {
            throw new SwellException(ErrorCode.NAME_INVALID, "Invalid repository name '" + name + "'");
        }
        return new ImageRef(registry, repository, "latest", null);
    }

    private static SwellException invalid() {
        return new SwellException(ErrorCode.NOT_FOUND, "Invalid request path");
    }
}
