package io.swell.server.it;

/**
 * An image name Swell handed out, {@code <host>/wt/<token>/<repository>:<tag>}, and the {@code /v2} paths that
 * read it.
 *
 * @param name the full image name
 */
record TargetImage(String name) {

    /** The part between the host and the tag or digest: {@code wt/<token>/<repository>}. */
    String repository() {
        String withoutHost = name.substring(name.indexOf('/') + 1);
        int at = withoutHost.indexOf('@');
        if (at >= 0) {
            return withoutHost.substring(0, at);
        }
        int tag = withoutHost.lastIndexOf(':');
        return tag > withoutHost.lastIndexOf('/') ? withoutHost.substring(0, tag) : withoutHost;
    }

    /** The token, the path component after {@code wt/}. */
    String token() {
        return repository().split("/")[1];
    }

    String manifestPath(String reference) {
        return "/v2/" + repository() + "/manifests/" + reference;
    }

    String blobPath(String digest) {
        return "/v2/" + repository() + "/blobs/" + digest;
    }

    @Override
    public String toString() {
        return name;
    }
}
