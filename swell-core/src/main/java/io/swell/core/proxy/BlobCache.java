package io.swell.core.proxy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import io.swell.oci.Digest;
import io.swell.registry.UpstreamBlob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A disk cache of upstream blobs that fetches each blob from upstream once, however many clients ask for it at
 * the same time: the first request starts the download, and every request streams from the growing file. A blob
 * is only served from the cache to a repository that was seen to hold it upstream, so a digest learnt elsewhere
 * does not open someone else's layer. Least recently used files are evicted beyond the size limit.
 */
public final class BlobCache {
    private static final Logger LOG = LoggerFactory.getLogger(BlobCache.class);

    private final Path blobs;
    private final Path temp;
    private final long maxBytes;
    private final AtomicLong usage = new AtomicLong();
    private final ConcurrentHashMap<Digest, CompletableFuture<Started>> inflight = new ConcurrentHashMap<>();
    private final Cache<String, Boolean> grants = Caffeine.newBuilder().maximumSize(200_000).build();

    private sealed interface Started {}

    private record Downloading(BlobDownload download) implements Started {}

    private record Redirected(UpstreamBlob.Redirect redirect) implements Started {}

    public BlobCache(Path dir, long maxBytes) {
        this.blobs = dir.resolve("sha256");
        this.temp = dir.resolve("tmp");
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(temp);
            try (Stream<Path> stale = Files.list(temp)) {
                for (Path p : stale.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            try (Stream<Path> files = Files.list(blobs)) {
                usage.set(files.mapToLong(BlobCache::sizeOf).sum());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the blob cache in " + dir, e);
        }
    }

    /**
     * Answers a full-blob GET.
     *
     * @param repoKey      {@code registry/repository} the client may read
     * @param fetch        opens the blob upstream (a GET)
     * @param verifyAccess checks upstream that {@code repoKey} holds the blob (a HEAD); throws if not
     */
    public BlobAnswer get(String repoKey, Digest digest, Supplier<UpstreamBlob> fetch, Runnable verifyAccess) {
        Path file = blobs.resolve(digest.hex());
        String grant = repoKey + "@" + digest;
        if (digest.algorithm().equals("sha256") && Files.exists(file)) {
            if (grants.getIfPresent(grant) == null) {
                verifyAccess.run();
                grants.put(grant, Boolean.TRUE);
            }
            touch(file);
            return new BlobAnswer.LocalFile(file, sizeOf(file));
        }
        if (!digest.algorithm().equals("sha256")) {
            return passThrough(fetch.get());
        }
        CompletableFuture<Started> mine = new CompletableFuture<>();
        CompletableFuture<Started> existing = inflight.putIfAbsent(digest, mine);
        if (existing == null) {
            start(digest, file, fetch, mine);
        }
        Started started = (existing == null ? mine : existing).join();
        return switch (started) {
            case Redirected r -> new BlobAnswer.Redirect(r.redirect().status(), r.redirect().location());
            case Downloading d -> {
                if (existing != null && grants.getIfPresent(grant) == null) {
                    verifyAccess.run();
                }
                grants.put(grant, Boolean.TRUE);
                try {
                    yield new BlobAnswer.Stream(200, d.download().expectedLength(), null, d.download().newReader());
                } catch (IOException e) {
                    throw new SwellException(ErrorCode.UPSTREAM_UNAVAILABLE, "Blob " + digest + ": " + e.getMessage());
                }
            }
        };
    }

    private void start(Digest digest, Path file, Supplier<UpstreamBlob> fetch, CompletableFuture<Started> mine) {
        UpstreamBlob upstream;
        try {
            upstream = fetch.get();
        } catch (RuntimeException e) {
            inflight.remove(digest, mine);
            mine.completeExceptionally(e);
            throw e;
        }
        switch (upstream) {
            case UpstreamBlob.Redirect r -> {
                inflight.remove(digest, mine);
                mine.complete(new Redirected(r));
            }
            case UpstreamBlob.Body body -> {
                if (body.status() != 200) {
                    body.close();
                    inflight.remove(digest, mine);
                    var e = new SwellException(ErrorCode.UPSTREAM_UNAVAILABLE, "Unexpected upstream status "
                            + body.status() + " for blob " + digest);
                    mine.completeExceptionally(e);
                    throw e;
                }
                BlobDownload download;
                try {
                    download = new BlobDownload(digest, temp.resolve(digest.hex() + "." + System.nanoTime()), file,
                            body.contentLength());
                } catch (IOException e) {
                    body.close();
                    inflight.remove(digest, mine);
                    var error = new SwellException(ErrorCode.INTERNAL, "Cannot cache blob " + digest);
                    mine.completeExceptionally(error);
                    throw error;
                }
                mine.complete(new Downloading(download));
                Thread.ofVirtual().name("blob-" + digest.hex().substring(0, 12)).start(() -> {
                    long size = download.run(body.stream());
                    inflight.remove(digest, mine);
                    if (size >= 0) {
                        evictBeyondLimit(usage.addAndGet(size));
                    } else {
                        LOG.warn("Download of blob {} failed; clients reading it were cut off", digest);
                    }
                });
            }
        }
    }

    private static BlobAnswer passThrough(UpstreamBlob upstream) {
        return switch (upstream) {
            case UpstreamBlob.Redirect r -> new BlobAnswer.Redirect(r.status(), r.location());
            case UpstreamBlob.Body b -> new BlobAnswer.Stream(b.status(), b.contentLength(), b.contentRange(),
                    b.stream());
        };
    }

    private void evictBeyondLimit(long current) {
        if (current <= maxBytes) {
            return;
        }
        try (Stream<Path> files = Files.list(blobs)) {
            List<Path> oldestFirst = files
                    .sorted(Comparator.comparing(BlobCache::lastModified))
                    .toList();
            long target = (long) (maxBytes * 0.9);
            for (Path p : oldestFirst) {
                if (usage.get() <= target) {
                    break;
                }
                long size = sizeOf(p);
                if (Files.deleteIfExists(p)) {
                    usage.addAndGet(-size);
                }
            }
        } catch (IOException e) {
            LOG.warn("Blob cache eviction failed: {}", e.toString());
        }
    }

    /** Bytes currently held. */
    public long usage() {
        return usage.get();
    }

    private static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException ignored) {
            // Only affects eviction order.
        }
    }

    private static FileTime lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
