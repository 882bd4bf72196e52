package io.swell.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Collects files for one image layer and writes it as a reproducible gzip tar: entries sorted by
 * name, owned by root, with a fixed modification time, so equal inputs give equal digests.
 */
final class LayerBuilder {

    static final String LAYER_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
    /** Every entry's mtime, and the images' "created" time. */
    static final Instant EPOCH = Instant.parse("2020-01-01T00:00:00Z");

    /** Streams an entry's content; the content must be exactly the declared size. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private record Entry(String name, byte type, int mode, long size, String linkTarget, Content content) {
    }

    /** The written layer: its blob descriptor plus the uncompressed tar's digest (the diff_id). */
    record Layer(OciLayout.Descriptor blob, String diffId) {
    }

    private final Map<String, Entry> entries = new TreeMap<>();

    LayerBuilder file(String name, int mode, byte[] content) {
        return file(name, mode, content.length, out -> out.write(content));
    }

    LayerBuilder file(String name, int mode, Path source) {
        try {
            return file(name, mode, Files.size(source), out -> Files.copy(source, out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    LayerBuilder file(String name, int mode, long size, Content content) {
        addParents(name);
        entries.put(name, new Entry(name, TarConstants.LF_NORMAL, mode, size, null, content));
        return this;
    }

    LayerBuilder symlink(String name, String target) {
        addParents(name);
        entries.put(name, new Entry(name, TarConstants.LF_SYMLINK, 0777, 0, target, null));
        return this;
    }

    /** Tar readers create missing parents with arbitrary modes, so list each directory explicitly. */
    private void addParents(String name) {
        for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
            String dir = name.substring(0, slash + 1);
            entries.putIfAbsent(dir, new Entry(dir, TarConstants.LF_DIR, 0755, 0, null, null));
        }
    }

    /**
     * Writes the layer into {@code layout}'s blobs.
     *
     * @param compressionLevel a {@link java.util.zip.Deflater} level; 0 suits random bytes,
     *                         which do not compress and would only cost time
     */
    Layer writeTo(OciLayout layout, int compressionLevel) {
        Path temp = null;
        try {
            temp = Files.createTempFile(layout.blobsDir(), ".layer-", ".tmp");
            GzipParameters gzip = new GzipParameters();
            gzip.setCompressionLevel(compressionLevel);
            // A zero header mtime keeps the gzip bytes, and so the digest, reproducible.
            gzip.setModificationTime(0);
            HashingOutputStream compressed;
            HashingOutputStream uncompressed;
            try (OutputStream file = Files.newOutputStream(temp)) {
                compressed = new HashingOutputStream(file);
                GzipCompressorOutputStream gz = new GzipCompressorOutputStream(compressed, gzip);
                uncompressed = new HashingOutputStream(gz);
                try (TarArchiveOutputStream tar = new TarArchiveOutputStream(uncompressed)) {
                    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                    for (Entry entry : entries.values()) {
                        writeEntry(tar, entry);
                    }
                }
            }
            OciLayout.Descriptor blob =
                    layout.adoptBlob(temp, LAYER_MEDIA_TYPE, compressed.digest(), compressed.count());
            return new Layer(blob, uncompressed.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a layer into " + layout.dir(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // Only left when writing failed, and the failure is already being reported.
                }
            }
        }
    }

    private static void writeEntry(TarArchiveOutputStream tar, Entry entry) throws IOException {
        TarArchiveEntry tarEntry = new TarArchiveEntry(entry.name(), entry.type());
        tarEntry.setModTime(FileTime.from(EPOCH));
        tarEntry.setIds(0, 0);
        // Without explicit names commons-compress records the current user's name.
        tarEntry.setNames("root", "root");
        tarEntry.setMode(modeBits(entry.type()) | entry.mode());
        if (entry.type() == TarConstants.LF_SYMLINK) {
            tarEntry.setLinkName(entry.linkTarget());
        }
        tarEntry.setSize(entry.size());
        tar.putArchiveEntry(tarEntry);
        if (entry.content() != null) {
            entry.content().writeTo(tar);
        }
        tar.closeArchiveEntry();
    }

    private static int modeBits(byte type) {
        return switch (type) {
            case TarConstants.LF_DIR -> 0040000;
            case TarConstants.LF_SYMLINK -> 0120000;
            default -> 0100000;
        };
    }
}
