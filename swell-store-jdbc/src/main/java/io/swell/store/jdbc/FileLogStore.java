package io.swell.store.jdbc;

import io.swell.core.store.LogStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@link LogStore} as one text file per build under a directory. */
public final class FileLogStore implements LogStore {
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,120}");
    private final Path dir;

    public FileLogStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the log directory " + dir, e);
        }
    }

    @Override
    public void append(String buildId, String line) {
        try {
            Files.writeString(file(buildId), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<InputStream> open(String buildId) {
        if (!SAFE_ID.matcher(buildId).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.newInputStream(file(buildId)));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String tail(String buildId, int maxChars) {
        if (!SAFE_ID.matcher(buildId).matches() || !Files.exists(file(buildId))) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(file(buildId).toFile(), "r")) {
            long start = Math.max(0, f.length() - maxChars);
            byte[] bytes = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path file(String buildId) {
        if (!SAFE_ID.matcher(buildId).matches()) {
            throw new IllegalArgumentException("Invalid build id");
        }
        return dir.resolve(buildId + ".log");
    }
}
