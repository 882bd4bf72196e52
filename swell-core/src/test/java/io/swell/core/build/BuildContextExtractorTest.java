package io.swell.core.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swell.api.SwellException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildContextExtractorTest {
    @TempDir
    Path dir;

    private Path tarGz(Consumer<TarArchiveOutputStream> entries) throws IOException {
        Path file = dir.resolve("ctx-" + System.nanoTime() + ".tar.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file));
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            entries.accept(tar);
        }
        return file;
    }

    private static void file(TarArchiveOutputStream tar, String name, String content) {
        try {
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(bytes.length);
            e.setMode(0100755);
            tar.putArchiveEntry(e);
            tar.write(bytes);
            tar.closeArchiveEntry();
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void special(TarArchiveOutputStream tar, String name, byte type, String linkName) {
        try {
            TarArchiveEntry e = new TarArchiveEntry(name, type);
            if (linkName != null) {
                e.setLinkName(linkName);
            }
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Test
    void extractsFilesDirectoriesInTreeLinksAndModes() throws Exception {
        Path ctx = tarGz(t -> {
            file(t, "app/run.sh", "#!/bin/sh\necho hi\n");
            special(t, "app/link.sh", TarConstants.LF_SYMLINK, "run.sh");
            special(t, "copy.sh", TarConstants.LF_LINK, "app/run.sh");
        });
        Path out = Files.createDirectories(dir.resolve("out"));
        BuildContextExtractor.extract(ctx, out);
        assertThat(out.resolve("app/run.sh")).hasContent("#!/bin/sh\necho hi");
        assertThat(Files.isExecutable(out.resolve("app/run.sh"))).isTrue();
        assertThat(Files.readSymbolicLink(out.resolve("app/link.sh"))).isEqualTo(Path.of("run.sh"));
        assertThat(out.resolve("copy.sh")).hasContent("#!/bin/sh\necho hi");
    }

    @Test
    void refusesEscapesLinksOutAndDevices() throws Exception {
        assertRefused(tarGz(t -> file(t, "../evil", "x")), "outside the context");
        assertRefused(tarGz(t -> file(t, "a/../../evil", "x")), "outside the context");
        assertRefused(tarGz(t -> special(t, "l", TarConstants.LF_SYMLINK, "/etc/passwd")), "absolute path");
        assertRefused(tarGz(t -> special(t, "l", TarConstants.LF_SYMLINK, "../../etc")), "outside the context");
        assertRefused(tarGz(t -> special(t, "h", TarConstants.LF_LINK, "/etc/passwd")), "absolute");
        assertRefused(tarGz(t -> special(t, "dev", TarConstants.LF_CHR, null)), "device file");
        assertRefused(tarGz(t -> special(t, "fifo", TarConstants.LF_FIFO, null)), "device file");
        assertRefused(tarGz(t -> {
            special(t, "d", TarConstants.LF_SYMLINK, ".");
            file(t, "d/x", "through the link");
        }), "symbolic link");
        assertThat(dir.resolve("evil")).doesNotExist();
    }

    @Test
    void refusesWhatIsNotATarGz() throws Exception {
        Path junk = dir.resolve("junk.tar.gz");
        Files.writeString(junk, "not gzip");
        assertRefused(junk, "not a valid tar.gz");
    }

    private void assertRefused(Path ctx, String why) {
        Path out = dir.resolve("out-" + System.nanoTime());
        assertThatThrownBy(() -> {
            Files.createDirectories(out);
            BuildContextExtractor.extract(ctx, out);
        }).isInstanceOf(SwellException.class).hasMessageContaining("Invalid build context").hasMessageContaining(why);
    }
}
