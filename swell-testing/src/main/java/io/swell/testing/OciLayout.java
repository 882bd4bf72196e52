package io.swell.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Writes blobs and tags into an OCI image layout directory (oci-layout, index.json, blobs/sha256). */
final class OciLayout {

    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path dir;

    /** A content descriptor: what the layout's manifests and index point at. */
    record Descriptor(String mediaType, String digest, long size) {

        ObjectNode toJson() {
            return JSON.createObjectNode().put("mediaType", mediaType).put("digest", digest).put("size", size);
        }
    }

    OciLayout(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(blobsDir());
            Path marker = dir.resolve("oci-layout");
            if (!Files.exists(marker)) {
                Files.writeString(marker, "{\"imageLayoutVersion\":\"1.0.0\"}");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create an OCI layout in " + dir, e);
        }
    }

    Path dir() {
        return dir;
    }

    Path blobsDir() {
        return dir.resolve("blobs").resolve("sha256");
    }

    Descriptor writeJson(String mediaType, ObjectNode document) {
        return writeBlob(mediaType, JSON.writeValueAsBytes(document));
    }

    Descriptor writeBlob(String mediaType, byte[] content) {
        String digest = HashingOutputStream.sha256(content);
        try {
            Files.write(blobPath(digest), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Descriptor(mediaType, digest, content.length);
    }

    /** Moves a finished temp file in as the blob with {@code digest}. */
    Descriptor adoptBlob(Path tempFile, String mediaType, String digest, long size) {
        try {
            Files.move(tempFile, blobPath(digest), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Descriptor(mediaType, digest, size);
    }

    Path blobPath(String digest) {
        return blobsDir().resolve(digest.substring("sha256:".length()));
    }

    /** Points {@code tag} at {@code target} in index.json, replacing any earlier entry with that tag. */
    void tag(String tag, Descriptor target) {
        Path indexFile = dir.resolve("index.json");
        ObjectNode index = Files.exists(indexFile)
                ? (ObjectNode) JSON.readTree(indexFile.toFile())
                : JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", INDEX_MEDIA_TYPE);
        ArrayNode kept = JSON.createArrayNode();
        JsonNode existing = index.path("manifests");
        for (JsonNode entry : existing) {
            if (!tag.equals(entry.path("annotations").path(REF_NAME).asString(""))) {
                kept.add(entry);
            }
        }
        ObjectNode entry = target.toJson();
        entry.putObject("annotations").put(REF_NAME, tag);
        kept.add(entry);
        index.set("manifests", kept);
        try {
            Files.write(indexFile, JSON.writeValueAsBytes(index));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
