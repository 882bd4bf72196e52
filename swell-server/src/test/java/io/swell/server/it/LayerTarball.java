package io.swell.server.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A layer as a Wave client sends it: a gzip tar plus the digests the request must declare.
 *
 * @param gzip      the compressed blob
 * @param tarDigest sha256 of the uncompressed tar (the image config's diff_id)
 */
record LayerTarball(byte[] gzip, String tarDigest) {

    private static final Instant MTIME = Instant.parse("2021-01-01T00:00:00Z");

    /** Packs text files ({@code "/hello.txt" -> "hi"}) into a layer. */
    static LayerTarball ofTextFiles(Map<String, String> files) {
        Map<String, byte[]> bytes = new TreeMap<>();
        files.forEach((name, text) -> bytes.put(name, text.getBytes(StandardCharsets.UTF_8)));
        return of(bytes);
    }

    /** Packs files into a layer; entries are sorted and timestamps fixed so equal input gives equal digests. */
    static LayerTarball of(Map<String, byte[]> files) {
        try {
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
                out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
                    String name = file.getKey().startsWith("/") ? file.getKey().substring(1) : file.getKey();
                    TarArchiveEntry entry = new TarArchiveEntry(name);
                    entry.setSize(file.getValue().length);
                    entry.setMode(0100644);
                    entry.setModTime(MTIME.toEpochMilli());
                    entry.setUserId(0);
                    entry.setGroupId(0);
                    out.putArchiveEntry(entry);
                    out.write(file.getValue());
                    out.closeArchiveEntry();
                }
            }
            byte[] tarBytes = tar.toByteArray();
            ByteArrayOutputStream gzip = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
                out.write(tarBytes);
            }
            return new LayerTarball(gzip.toByteArray(), sha256(tarBytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String gzipDigest() {
        return sha256(gzip);
    }

    long gzipSize() {
        return gzip.length;
    }

    /** {@code data:<base64 of the gzip blob>}, the inline location Wave clients use. */
    String dataLocation() {
        return "data:" + Base64.getEncoder().encodeToString(gzip);
    }

    /** The request's layer object with this layer's digests and the given location. */
    ObjectNode json(String location) {
        ObjectNode layer = JsonNodeFactory.instance.objectNode();
        layer.put("location", location);
        layer.put("gzipDigest", gzipDigest());
        layer.put("gzipSize", gzipSize());
        layer.put("tarDigest", tarDigest);
        return layer;
    }

    /** The request's layer object with an inline {@code data:} location. */
    ObjectNode json() {
        return json(dataLocation());
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
