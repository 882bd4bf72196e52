package io.swell.server.it;

import io.swell.testing.Skopeo;
import io.swell.testing.Umoci;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * An image a real client ({@code skopeo copy}) pulled into an OCI layout, with its manifest and config as
 * written there and a way to unpack its file system.
 *
 * @param layout the OCI layout directory
 */
record PulledImage(Path layout) {

    private static final String TAG = "x";

    /**
     * Pulls {@code dockerRef} (no TLS, no credentials) into a new OCI layout at {@code layout}; {@code extraArgs}
     * go before the references (e.g. {@code --override-arch arm64}).
     */
    static PulledImage pull(String dockerRef, Path layout, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--src-tls-verify=false", "--src-no-creds"));
        args.addAll(List.of(extraArgs));
        args.add("docker://" + dockerRef);
        args.add("oci:" + layout + ":" + TAG);
        Skopeo.copy(args, Duration.ofMinutes(3));
        return new PulledImage(layout);
    }

    /** The image manifest skopeo wrote for the tag. */
    JsonNode manifest() {
        JsonNode index = read(layout.resolve("index.json"));
        for (JsonNode entry : index.path("manifests")) {
            if (TAG.equals(entry.path("annotations").path("org.opencontainers.image.ref.name").asString())) {
                return blob(entry.path("digest").asString());
            }
        }
        throw new IllegalStateException("no manifest tagged " + TAG + " in " + index);
    }

    /** The image config the manifest points at. */
    JsonNode config() {
        return blob(manifest().path("config").path("digest").asString());
    }

    /** Unpacks the layers with umoci and returns the root file system. */
    Path unpack(Path bundle) {
        return Umoci.unpack(layout, TAG, bundle);
    }

    /** The bytes of a blob of the layout. */
    byte[] blobBytes(String digest) {
        try {
            return Files.readAllBytes(layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode blob(String digest) {
        return Http.JSON.readTree(blobBytes(digest));
    }

    private static JsonNode read(Path file) {
        return Http.JSON.readTree(file.toFile());
    }
}
