package io.swell.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swell.api.SwellException;
import io.swell.oci.Digest;
import io.swell.registry.UpstreamBlob;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobCacheTest {
    @TempDir
    Path dir;

    private final byte[] blob = randomBytes(3 * 1024 * 1024 + 17);
    private final Digest digest = Digest.sha256(blob);

    @Test
    void concurrentRequestsShareOneUpstreamFetchAndAllGetTheWholeBlob() throws Exception {
        BlobCache cache = new BlobCache(dir, 1L << 30);
        AtomicInteger fetches = new AtomicInteger();
        PipedOutputStream feed = new PipedOutputStream();
        PipedInputStream upstream = new PipedInputStream(feed, 64 * 1024);
        CountDownLatch started = new CountDownLatch(8);
        List<Future<Digest>> readers = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                readers.add(pool.submit(() -> {
                    started.countDown();
                    BlobAnswer answer = cache.get("reg/repo", digest, () -> {
                        fetches.incrementAndGet();
                        return new UpstreamBlob.Body(200, blob.length, null, upstream);
                    }, () -> { });
                    return digestOf(((BlobAnswer.Stream) answer).body());
                }));
            }
            started.await();
            Thread.sleep(100);
            // The upstream trickles in while the readers wait on the growing file.
            for (int off = 0; off < blob.length; off += 100_000) {
                feed.write(blob, off, Math.min(100_000, blob.length - off));
            }
            feed.close();
            for (Future<Digest> f : readers) {
                assertThat(f.get()).isEqualTo(digest);
            }
        }
        assertThat(fetches).hasValue(1);
        awaitCached(cache);
        BlobAnswer again = cache.get("reg/repo", digest, () -> {
            throw new AssertionError("must not fetch again");
        }, () -> { });
        assertThat(again).isInstanceOf(BlobAnswer.LocalFile.class);
        assertThat(Files.readAllBytes(((BlobAnswer.LocalFile) again).path())).isEqualTo(blob);
    }

    @Test
    void aBlobWithTheWrongDigestFailsItsReadersAndIsNotCached() throws Exception {
        BlobCache cache = new BlobCache(dir, 1L << 30);
        byte[] wrong = blob.clone();
        wrong[5] ^= 1;
        // The download may fail before or after this reader opens: either the answer or the read fails, and in
        // both cases no byte of the wrong blob is taken for the right one.
        assertThatThrownBy(() -> {
            BlobAnswer answer = cache.get("reg/repo", digest,
                    () -> new UpstreamBlob.Body(200, wrong.length, null, new java.io.ByteArrayInputStream(wrong)),
                    () -> { });
            digestOf(((BlobAnswer.Stream) answer).body());
        }).isInstanceOfAny(IOException.class, SwellException.class).hasMessageContaining("digest");
        assertThat(Files.exists(dir.resolve("sha256").resolve(digest.hex()))).isFalse();
    }

    @Test
    void redirectsArePassedOnAndNotCached() {
        BlobCache cache = new BlobCache(dir, 1L << 30);
        AtomicInteger fetches = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            BlobAnswer answer = cache.get("reg/repo", digest, () -> {
                fetches.incrementAndGet();
                return new UpstreamBlob.Redirect(307, "https://storage.example/blob");
            }, () -> { });
            assertThat(answer).isEqualTo(new BlobAnswer.Redirect(307, "https://storage.example/blob"));
        }
        assertThat(fetches).hasValue(2);
    }

    @Test
    void anotherRepositoryMustProveUpstreamAccessBeforeACacheHit() throws Exception {
        BlobCache cache = new BlobCache(dir, 1L << 30);
        var first = (BlobAnswer.Stream) cache.get("reg/a", digest,
                () -> new UpstreamBlob.Body(200, blob.length, null, new java.io.ByteArrayInputStream(blob)),
                () -> { });
        digestOf(first.body());
        awaitCached(cache);
        AtomicInteger checks = new AtomicInteger();
        assertThatThrownBy(() -> cache.get("reg/b", digest, () -> null, () -> {
            checks.incrementAndGet();
            throw new SwellException(io.swell.api.ErrorCode.BLOB_UNKNOWN, "not in reg/b");
        })).isInstanceOf(SwellException.class);
        assertThat(cache.get("reg/b", digest, () -> null, checks::incrementAndGet))
                .isInstanceOf(BlobAnswer.LocalFile.class);
        assertThat(cache.get("reg/b", digest, () -> null, checks::incrementAndGet))
                .isInstanceOf(BlobAnswer.LocalFile.class);
        assertThat(checks).hasValue(2);
    }

    @Test
    void evictsLeastRecentlyUsedBlobsBeyondTheLimit() throws Exception {
        BlobCache cache = new BlobCache(dir, blob.length + blob.length / 2);
        byte[] other = randomBytes(blob.length - 1);
        Digest otherDigest = Digest.sha256(other);
        digestOf(((BlobAnswer.Stream) cache.get("r/x", digest,
                () -> new UpstreamBlob.Body(200, blob.length, null, new java.io.ByteArrayInputStream(blob)),
                () -> { })).body());
        awaitCached(cache);
        Files.setLastModifiedTime(dir.resolve("sha256").resolve(digest.hex()),
                java.nio.file.attribute.FileTime.fromMillis(1000));
        digestOf(((BlobAnswer.Stream) cache.get("r/x", otherDigest,
                () -> new UpstreamBlob.Body(200, other.length, null, new java.io.ByteArrayInputStream(other)),
                () -> { })).body());
        org.awaitility.Awaitility.await().until(() -> !Files.exists(dir.resolve("sha256").resolve(digest.hex())));
        assertThat(dir.resolve("sha256").resolve(otherDigest.hex())).exists();
        assertThat(cache.usage()).isEqualTo(other.length);
    }

    private void awaitCached(BlobCache cache) {
        org.awaitility.Awaitility.await().until(() -> Files.exists(dir.resolve("sha256").resolve(digest.hex())));
    }

    private static Digest digestOf(InputStream in) throws IOException {
        var md = Digest.newSha256();
        try (in) {
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return Digest.of(md);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
