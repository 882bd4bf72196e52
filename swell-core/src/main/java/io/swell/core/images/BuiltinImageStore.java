package io.swell.core.images;

import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import io.swell.core.store.ContentStore;
import io.swell.core.store.ImageTagStore;
import io.swell.core.store.StoredContent;
import io.swell.oci.Descriptor;
import io.swell.oci.Digest;
import io.swell.oci.ImageIndex;
import io.swell.oci.MediaTypes;
import io.swell.oci.OciJson;
import io.swell.oci.RawManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Swell's own small registry for built images, so {@code swell serve} builds with no registry configured. Images
 * live under {@code <server host>/<repository>}; their blobs and manifests are in the content store and their
 * tags in an {@link ImageTagStore}. Filled by importing the OCI image layout a build wrote.
 */
public final class BuiltinImageStore {
    /** The repository built images get when no build repository is configured. */
    public static final String DEFAULT_REPOSITORY = "swell/build";

    private final String host;
    private final ContentStore content;
    private final ImageTagStore tags;

    /** @param host {@code host[:port]} of this server: images named with it are served from here */
    public BuiltinImageStore(String host, ContentStore content, ImageTagStore tags) {
        this.host = host;
        this.content = content;
        this.tags = tags;
    }

    public String host() {
        return host;
    }

    /**
     * True when {@code image} lives here: this server's host and a repository under {@link #DEFAULT_REPOSITORY}.
     * Other repositories on this host (e.g. {@code wt/<token>/...} used as a source image) are not built images.
     */
    public boolean holds(io.swell.oci.ImageRef image) {
        String repo = image.repository();
        return host.equals(image.registry())
                && (repo.equals(DEFAULT_REPOSITORY) || repo.startsWith(DEFAULT_REPOSITORY + "/"));
    }

    /**
     * Imports the image tagged {@code tag} from an OCI image layout: verifies and moves its blobs into the content
     * store, then tags its manifest as {@code repository:tag}.
     *
     * @return the manifest digest
     */
    public Digest importLayout(Path layout, String tag, String repository) {
        try {
            ImageIndex index = OciJson.index(Files.readAllBytes(layout.resolve("index.json")));
            Descriptor entry = index.manifests().stream()
                    .filter(d -> d.annotations() != null
                            && tag.equals(d.annotations().get("org.opencontainers.image.ref.name")))
                    .findFirst()
                    .orElseThrow(() -> new SwellException(ErrorCode.INTERNAL, "The build wrote no image tagged '"
                            + tag + "'"));
            try (var blobs = Files.list(layout.resolve("blobs").resolve("sha256"))) {
                for (Path blob : blobs.toList()) {
                    adoptVerified(blob, new Digest("sha256", blob.getFileName().toString()));
                }
            }
            Digest digest = Digest.parse(entry.digest());
            String mediaType = entry.mediaType() == null ? MediaTypes.OCI_MANIFEST : entry.mediaType();
            StoredContent manifest = content.find(digest).orElseThrow();
            content.adopt(copyOf(manifest.path()), digest, mediaType);
            tags.put(repository, tag, new ImageTagStore.TaggedManifest(digest.toString(), mediaType));
            return digest;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot import the built image from " + layout, e);
        }
    }

    /**
     * Stores an artifact made by Swell itself (a SIF file and its ORAS manifest): moves the already verified
     * {@code blobs} into the content store, adds {@code config}, then stores the manifest and tags it.
     *
     * @param blobs digest to a file of exactly those bytes, moved (not copied) into the store
     * @return the manifest digest
     */
    public Digest putArtifact(String repository, String tag, RawManifest manifest, byte[] config,
            java.util.Map<Digest, Path> blobs) {
        content.put(config, null);
        blobs.forEach((digest, file) -> {
            if (content.find(digest).isEmpty()) {
                content.adopt(file, digest, null);
            }
        });
        content.put(manifest.bytes(), manifest.mediaType());
        tags.put(repository, tag, new ImageTagStore.TaggedManifest(manifest.digest().toString(),
                manifest.mediaType()));
        return manifest.digest();
    }

    /** Tags a manifest that is already in the content store. */
    public void tag(String repository, String tag, ImageTagStore.TaggedManifest manifest) {
        tags.put(repository, tag, manifest);
    }

    /** The manifest {@code repository} has under a tag or digest, if any. */
    public Optional<RawManifest> manifest(String repository, String reference) {
        if (Digest.isDigest(reference)) {
            return read(Digest.parse(reference), null);
        }
        return tags.find(repository, reference)
                .flatMap(t -> read(Digest.parse(t.digest()), t.mediaType()));
    }

    /** True when {@code repository:tag} exists here. */
    public boolean exists(String repository, String tag) {
        return tags.find(repository, tag).isPresent();
    }

    private Optional<RawManifest> read(Digest digest, String knownType) {
        Optional<StoredContent> stored = content.find(digest);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        String type = knownType != null ? knownType : stored.get().mediaType();
        if (type == null || !(MediaTypes.isImageManifest(type) || MediaTypes.isIndex(type))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RawManifest(Files.readAllBytes(stored.get().path()), type, digest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void adoptVerified(Path blob, Digest expected) throws IOException {
        if (content.find(expected).isPresent()) {
            return;
        }
        MessageDigest md = expected.newDigester();
        try (InputStream in = new DigestInputStream(Files.newInputStream(blob), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        if (!Digest.of(md).equals(expected)) {
            throw new SwellException(ErrorCode.INTERNAL, "Built blob " + expected + " does not match its digest");
        }
        content.adopt(copyOf(blob), expected, null);
    }

    private Path copyOf(Path file) throws IOException {
        Path temp = Files.createTempFile(content.tempDir(), "import-", ".tmp");
        Files.copy(file, temp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return temp;
    }
}
