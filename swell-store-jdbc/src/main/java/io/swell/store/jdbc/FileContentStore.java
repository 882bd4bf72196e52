package io.swell.store.jdbc;

import io.swell.core.store.ContentStore;
import io.swell.core.store.StoredContent;
import io.swell.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * {@link ContentStore} on the local file system: {@code <dir>/sha256/<hex>} holds the bytes and
 * {@code <hex>.type} the media type. Files appear by atomic rename, so a reader never sees half a blob.
 */
public final class FileContentStore implements ContentStore {
    private final Path blobs;
    private final Path temp;

    public FileContentStore(Path dir) {
        this.blobs = dir.resolve("sha256");
        this.temp = dir.resolve("tmp");
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(temp);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the content store in " + dir, e);
        }
    }

    @Override
    public Optional<StoredContent> find(Digest digest) {
        if (!digest.algorithm().equals("sha256")) {
            return Optional.empty();
        }
        Path file = blobs.resolve(digest.hex());
        try {
            long size = Files.size(file);
            Path typeFile = blobs.resolve(digest.hex() + ".type");
            String type = Files.exists(typeFile) ? Files.readString(typeFile, StandardCharsets.UTF_8) : null;
            return Optional.of(new StoredContent(digest, file, size, type));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public StoredContent put(byte[] bytes, String mediaType) {
        Digest digest = Digest.sha256(bytes);
        Optional<StoredContent> existing = find(digest);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            Path t = Files.createTempFile(temp, digest.hex(), ".tmp");
            Files.write(t, bytes);
            return adopt(t, digest, mediaType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public StoredContent adopt(Path verifiedFile, Digest digest, String mediaType) {
        Path file = blobs.resolve(digest.hex());
        try {
            if (mediaType != null) {
                Path typeTemp = Files.createTempFile(temp, digest.hex(), ".type");
                Files.writeString(typeTemp, mediaType, StandardCharsets.UTF_8);
                Files.move(typeTemp, blobs.resolve(digest.hex() + ".type"), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                Files.move(verifiedFile, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException same) {
                Files.deleteIfExists(verifiedFile);
            }
            return new StoredContent(digest, file, Files.size(file), mediaType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Path tempDir() {
        return temp;
    }
}
