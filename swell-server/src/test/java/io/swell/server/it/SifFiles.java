package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.testing.ToolCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Pulls SIF images the way {@code singularity pull oras://…} does, and reads them with siftool and unsquashfs. */
final class SifFiles {
    private SifFiles() {}

    /**
     * Fetches the ORAS manifest of {@code orasImage} from the registry at {@code registry} (its base URI), checks it has the shape Singularity and
     * Apptainer require (one SIF layer, the sylabs config), downloads the SIF and checks its digest.
     *
     * @param credentials {@code user:password} for basic auth, or {@code null}
     */
    static Path pull(java.net.URI registry, String orasImage, Path file, String credentials) {
        String ref = orasImage.substring("oras://".length());
        String repository = ref.substring(ref.indexOf('/') + 1, ref.lastIndexOf(':'));
        String tag = ref.substring(ref.lastIndexOf(':') + 1);
        List<String> auth = credentials == null ? List.of() : List.of("Authorization", "Basic "
                + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        List<String> headers = new ArrayList<>(List.of("Accept", "application/vnd.oci.image.manifest.v1+json"));
        headers.addAll(auth);
        Http.Answer manifest = Http.get(registry.resolve("/v2/" + repository + "/manifests/" + tag),
                headers.toArray(String[]::new));
        assertThat(manifest.status()).as("%s", manifest).isEqualTo(200);
        JsonNode json = manifest.json();
        assertThat(json.path("mediaType").asString()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(json.path("config").path("mediaType").asString())
                .isEqualTo("application/vnd.sylabs.sif.config.v1+json");
        assertThat(json.path("config").path("digest").asString())
                .isEqualTo("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
        assertThat(json.path("layers").size()).isEqualTo(1);
        JsonNode layer = json.path("layers").get(0);
        assertThat(layer.path("mediaType").asString()).isEqualTo("application/vnd.sylabs.sif.layer.v1.sif");
        assertThat(layer.path("annotations").path("org.opencontainers.image.title").asString())
                .isEqualTo("image.sif");
        Http.Answer blob = Http.get(registry.resolve("/v2/" + repository + "/blobs/"
                + layer.path("digest").asString()), auth.toArray(String[]::new));
        assertThat(blob.status()).isEqualTo(200);
        assertThat(sha256(blob.body())).isEqualTo(layer.path("digest").asString());
        assertThat((long) blob.body().length).isEqualTo(layer.path("size").asLong());
        try {
            return Files.write(file, blob.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs Debian's siftool and returns its output. */
    static String siftool(String... args) {
        List<String> command = new ArrayList<>(List.of("siftool"));
        command.addAll(List.of(args));
        return ToolCommand.run(Duration.ofSeconds(30), command);
    }

    /** Extracts the SIF's primary partition and unpacks it with unsquashfs into {@code dir}. */
    static Path unsquash(Path sif, Path dir) {
        // "siftool list" rows: ID |GROUP |LINK |SIF POSITION (start-end) |TYPE
        String id = siftool("list", sif.toString()).lines().filter(line -> line.contains("FS (Squashfs/*System/"))
                .map(line -> line.substring(0, line.indexOf('|')).strip()).findFirst()
                .orElseThrow(() -> new AssertionError("no primary system partition in " + sif));
        Path squashfs = sif.resolveSibling(sif.getFileName() + ".squashfs");
        ToolCommand.run(Duration.ofSeconds(60), List.of("sh", "-c",
                "siftool dump \"$1\" \"$2\" > \"$3\"", "sh", id, sif.toString(), squashfs.toString()));
        ToolCommand.run(Duration.ofSeconds(60), List.of("unsquashfs", "-no-progress", "-d", dir.toString(),
                squashfs.toString()));
        return dir;
    }

    private static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
