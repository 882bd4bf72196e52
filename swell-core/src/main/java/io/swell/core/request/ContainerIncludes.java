package io.swell.core.request;

import io.swell.api.ContainerConfig;
import io.swell.api.ContainerLayer;
import io.swell.api.SwellException;
import io.swell.oci.Descriptor;
import io.swell.oci.Digest;
import io.swell.oci.ImageConfig;
import io.swell.oci.ImageManifest;
import io.swell.oci.ImageRef;
import io.swell.oci.MediaTypes;
import io.swell.oci.OciJson;
import io.swell.oci.Platform;
import io.swell.oci.RawManifest;
import io.swell.registry.RegistryClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code containerIncludes} (wave-api.md §3.11): the layers of up to ten other images, for the request's platform,
 * appended to {@code containerConfig.layers} as {@code docker://<registry>/v2/<repository>/blobs/<digest>}
 * locations, which {@link LayerFetcher} fetches and verifies like any other layer. So includes work wherever
 * config layers do: augmentation and freeze.
 */
public final class ContainerIncludes {
    /** The location scheme of an included layer. */
    static final String SCHEME = "docker://";
    /** Wave's limit. */
    static final int MAX_INCLUDES = 10;

    private static final int MAX_CONFIG_BYTES = 4 << 20;
    private static final Set<String> GZIP_LAYERS = Set.of(MediaTypes.OCI_LAYER_GZIP, MediaTypes.DOCKER_LAYER_GZIP);

    private final RegistryClient registry;

    public ContainerIncludes(RegistryClient registry) {
        this.registry = registry;
    }

    /** A registry blob named by an included layer's location. */
    record BlobLocation(ImageRef repository, Digest digest) {

        String location() {
            return SCHEME + repository.registry() + "/v2/" + repository.repository() + "/blobs/" + digest;
        }

        /** Reads a location this class wrote; anything else is a 400. */
        static BlobLocation parse(String location) {
            String rest = location.substring(SCHEME.length());
            int v2 = rest.indexOf("/v2/");
            int blobs = rest.lastIndexOf("/blobs/");
            if (v2 <= 0 || blobs <= v2 + 4) {
                throw SwellException.badRequest("Invalid included layer location '" + location + "'");
            }
            ImageRef repository = ImageRef.parse(rest.substring(0, v2) + "/" + rest.substring(v2 + 4, blobs));
            return new BlobLocation(repository, Digest.parse(rest.substring(blobs + "/blobs/".length())));
        }
    }

    /**
     * The config with the layers of {@code includes} appended, each image resolved for {@code platform}.
     *
     * @throws SwellException 400 for more than ten images, an unknown image, no manifest for the platform, or
     *                        layers that are not gzip tar archives
     */
    public ContainerConfig withIncludes(ContainerConfig config, List<String> includes, Platform platform) {
        if (includes.size() > MAX_INCLUDES) {
            throw SwellException.badRequest("At most " + MAX_INCLUDES + " containerIncludes are allowed, got "
                    + includes.size());
        }
        List<ContainerLayer> layers = new ArrayList<>(config == null ? List.of() : config.layersOrEmpty());
        for (String include : includes) {
            if (include == null || include.isBlank()) {
                throw SwellException.badRequest("A containerIncludes entry is empty");
            }
            layers.addAll(layersOf(ImageRef.parse(include.trim()), platform));
        }
        return config == null ? new ContainerConfig(null, null, null, null, layers)
                : new ContainerConfig(config.entrypoint(), config.cmd(), config.env(), config.workingDir(), layers);
    }

    private List<ContainerLayer> layersOf(ImageRef image, Platform platform) {
        RawManifest manifest = manifest(image, image);
        if (manifest.isIndex()) {
            Descriptor entry = OciJson.index(manifest.bytes()).manifests().stream()
                    .filter(d -> platform.matches(d.platform())).findFirst()
                    .orElseThrow(() -> SwellException.badRequest("Included image '" + image + "' has no manifest"
                            + " for platform " + platform));
            manifest = manifest(image, image.withReference(entry.digest()));
        }
        if (MediaTypes.isSchema1(manifest.mediaType())) {
            throw SwellException.badRequest("Included image '" + image + "' has a Docker schema 1 manifest, which"
                    + " is not supported");
        }
        ImageManifest parsed = OciJson.manifest(manifest.bytes());
        ImageConfig config = OciJson.config(registry.getBlobBytes(image, Digest.parse(parsed.config().digest()),
                MAX_CONFIG_BYTES));
        if (config.architecture() != null && !platform.matches(new Descriptor.Platform(config.architecture(),
                config.os(), config.variant(), null, null, null))) {
            throw SwellException.badRequest("Included image '" + image + "' has no manifest for platform " + platform
                    + " (it is " + config.os() + "/" + config.architecture() + ")");
        }
        List<String> diffIds = config.rootfs() == null || config.rootfs().diffIds() == null ? List.of()
                : config.rootfs().diffIds();
        List<Descriptor> layers = parsed.layers() == null ? List.of() : parsed.layers();
        if (diffIds.size() != layers.size()) {
            throw SwellException.badRequest("Included image '" + image + "' has " + layers.size()
                    + " layers but " + diffIds.size() + " diff ids in its config");
        }
        List<ContainerLayer> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Descriptor layer = layers.get(i);
            if (!GZIP_LAYERS.contains(layer.mediaType())) {
                throw SwellException.badRequest("Included image '" + image + "' has a layer of type '"
                        + layer.mediaType() + "'; only gzip tar layers can be included");
            }
            String location = new BlobLocation(image, Digest.parse(layer.digest())).location();
            out.add(new ContainerLayer(location, layer.digest(), layer.size(), diffIds.get(i), null));
        }
        return out;
    }

    private RawManifest manifest(ImageRef image, ImageRef ref) {
        try {
            return registry.getManifest(ref);
        } catch (SwellException e) {
            throw SwellException.badRequest("Included image '" + image + "' does not exist or access is not"
                    + " authorized - " + e.getMessage());
        }
    }
}
