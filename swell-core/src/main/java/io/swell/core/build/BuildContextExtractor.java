package io.swell.core.build;

import io.swell.api.SwellException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts a build context tar.gz safely: every entry must land inside the target directory (no absolute paths,
 * no {@code ..}, no symbolic links pointing out, hard links only to files already extracted), device files and
 * FIFOs are refused, and the extracted size and entry count are bounded (a small gzip can hide a huge tar).
 * Any refusal is a 400 naming the entry.
 */
public final class BuildContextExtractor {
    static final long MAX_BYTES = 2L * 1024 * 1024 * 1024;
    static final int MAX_ENTRIES = 100_000;

    private BuildContextExtractor() {}

    public static void extract(Path tarGz, Path dest) throws IOException {
        Path root = dest.toAbsolutePath().normalize();
        long total = 0;
        int entries = 0;
        try (InputStream file = Files.newInputStream(tarGz);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(file, 65536))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (++entries > MAX_ENTRIES) {
                    throw refuse("it has more than " + MAX_ENTRIES + " entries");
                }
                if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                    throw refuse("entry '" + e.getName() + "' is a device file or FIFO");
                }
                Path target = inside(root, e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isSymbolicLink()) {
                    link(root, target, e);
                } else if (e.isLink()) {
                    Path source = inside(root, e.getLinkName());
                    if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                        throw refuse("hard link '" + e.getName() + "' points at no extracted file");
                    }
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } else if (e.isFile()) {
                    Files.createDirectories(target.getParent());
                    total = copy(tar, target, total);
                    Files.setPosixFilePermissions(target, permissions(e.getMode()));
                } else {
                    throw refuse("entry '" + e.getName() + "' has an unsupported type");
                }
            }
        } catch (java.util.zip.ZipException | IllegalArgumentException e) {
            throw refuse("it is not a valid tar.gz (" + e.getMessage() + ")");
        }
    }

    private static void link(Path root, Path target, TarArchiveEntry e) throws IOException {
        String linkName = e.getLinkName();
        if (linkName.startsWith("/")) {
            throw refuse("symbolic link '" + e.getName() + "' points at an absolute path");
        }
        Path resolved = target.getParent().resolve(linkName).normalize();
        if (!resolved.startsWith(root)) {
            throw refuse("symbolic link '" + e.getName() + "' points outside the context");
        }
        Files.createDirectories(target.getParent());
        Files.createSymbolicLink(target, Path.of(linkName));
    }

    private static long copy(InputStream in, Path target, long total) throws IOException {
        byte[] buffer = new byte[65536];
        try (OutputStream out = Files.newOutputStream(target)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > MAX_BYTES) {
                    throw refuse("it expands to more than " + (MAX_BYTES >> 20) + " MiB");
                }
                out.write(buffer, 0, n);
            }
        }
        return total;
    }

    /** The path an entry names, refused unless it stays inside {@code root}. */
    private static Path inside(Path root, String name) {
        if (name.startsWith("/") || name.contains("\0")) {
            throw refuse("entry '" + name + "' has an absolute or invalid path");
        }
        Path p = root.resolve(name).normalize();
        if (!p.startsWith(root)) {
            throw refuse("entry '" + name + "' points outside the context");
        }
        Path parent = p.getParent();
        // A directory in the way that is a link (planted by an earlier entry) must not redirect the write.
        for (Path q = parent; q != null && q.startsWith(root) && !q.equals(root); q = q.getParent()) {
            if (Files.isSymbolicLink(q)) {
                throw refuse("entry '" + name + "' is written through a symbolic link");
            }
        }
        return p;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values();
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                set.add(bits[i]);
            }
        }
        set.add(PosixFilePermission.OWNER_READ);
        return set;
    }

    private static SwellException refuse(String why) {
        return SwellException.badRequest("Invalid build context: " + why);
    }
}
