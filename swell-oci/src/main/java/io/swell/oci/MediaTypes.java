package io.swell.oci;

import java.util.Set;

/** Media types of manifests, indexes, configs and layers (OCI image spec and Docker schema 2). */
public final class MediaTypes {
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    public static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    /** The manifest types Swell asks upstream registries for, in the {@code Accept} header. */
    public static final String ACCEPT_MANIFESTS =
            String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

    private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_LIST);
    private static final Set<String> MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);

    private MediaTypes() {}

    public static boolean isIndex(String mediaType) {
        return INDEXES.contains(mediaType);
    }

    public static boolean isImageManifest(String mediaType) {
        return MANIFESTS.contains(mediaType);
    }

    public static boolean isSchema1(String mediaType) {
        return DOCKER_SCHEMA1.equals(mediaType) || DOCKER_SCHEMA1_SIGNED.equals(mediaType);
    }

    /** The gzip layer type that belongs in a manifest of the given type (Docker in Docker manifests, else OCI). */
    public static String gzipLayerFor(String manifestMediaType) {
        return DOCKER_MANIFEST.equals(manifestMediaType) ? DOCKER_LAYER_GZIP : OCI_LAYER_GZIP;
    }

    /** The config type that belongs in a manifest of the given type. */
    public static String configFor(String manifestMediaType) {
        return DOCKER_MANIFEST.equals(manifestMediaType) ? DOCKER_CONFIG : OCI_CONFIG;
    }
}
