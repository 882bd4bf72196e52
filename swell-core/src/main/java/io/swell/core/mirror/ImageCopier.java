package io.swell.core.mirror;

import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import io.swell.oci.Descriptor;
import io.swell.oci.Digest;
import io.swell.oci.ImageRef;
import io.swell.oci.RawManifest;
import io.swell.registry.RegistryClient;
import io.swell.registry.UpstreamBlob;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Copies an image, every platform of an index included, from one registry to another over the registry API
 * (no skopeo). Blobs move in parallel on a bounded number of virtual threads: skipped when the target has them,
 * mounted when both repositories are on one registry (distribution spec end-11), otherwise streamed from the
 * source into the target with their digest verified on the way ({@link RegistryClient#pushBlob}). Then the
 * manifests are pushed byte for byte, children by digest before the index, so every digest is the source's.
 * Nothing is pushed as a manifest until every blob is in place, so a failed copy leaves no manifest behind.
 */
public final class ImageCopier {
    /** Blobs moved at once per copy; registries and their storage handle a few streams per client well. */
    public static final int DEFAULT_PARALLEL_BLOBS = 4;

    private final RegistryClient registry;
    private final int parallelBlobs;

    public ImageCopier(RegistryClient registry) {
        this(registry, DEFAULT_PARALLEL_BLOBS);
    }

    public ImageCopier(RegistryClient registry, int parallelBlobs) {
        if (parallelBlobs < 1) {
            throw new IllegalArgumentException("parallelBlobs must be at least 1");
        }
        this.registry = registry;
        this.parallelBlobs = parallelBlobs;
    }

    /**
     * Copies {@code source} (by tag or digest) to {@code target}; the top manifest goes under the target's tag (or
     * its digest when it names only a digest, which must then be the source's).
     */
    public CopyResult copy(ImageRef source, ImageRef target, CopyLog log) {
        CopyLog out = serialized(log);
        RawManifest top = registry.getManifest(source);
        String digest = top.digest().toString();
        if (target.digest() != null && !target.digest().equals(digest)) {
            throw new SwellException(ErrorCode.BAD_REQUEST, "Target '" + target + "' names digest " + target.digest()
                    + " but the source '" + source + "' has digest " + digest);
        }
        CopyPlan plan = CopyPlan.of(registry, source, top);
        Counters counters = new Counters();
        copyBlobs(plan.blobs(), source, target, out, counters);
        List<CopyPlan.PlannedManifest> manifests = plan.manifests();
        for (int i = 0; i < manifests.size(); i++) {
            RawManifest manifest = manifests.get(i).manifest();
            boolean isTop = i == manifests.size() - 1;
            ImageRef ref = isTop && target.tag() != null ? target.withReference(target.tag())
                    : target.withReference(manifest.digest().toString());
            registry.putManifest(ref, manifest);
            String label = manifests.get(i).label();
            out.line((manifest.isIndex() ? "index " : "manifest ") + manifest.digest() + " ("
                    + (label.isEmpty() ? "" : label + ", ") + size(manifest.bytes().length) + ") pushed"
                    + (isTop ? " as " + ref : ""));
        }
        CopyResult result = new CopyResult(digest, counters.copied.get(), counters.skipped.get(),
                counters.mounted.get(), counters.bytes.get());
        out.line("copied " + source + " to " + target + ": " + result.blobsCopied() + " blobs copied ("
                + size(result.bytesCopied()) + "), " + result.blobsMounted() + " mounted, " + result.blobsSkipped()
                + " already present; digest " + digest);
        return result;
    }

    private static final class Counters {
        final AtomicInteger copied = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final AtomicInteger mounted = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();
    }

    /** At most {@code parallelBlobs} virtual threads take blobs off one queue; the first failure stops them all. */
    private void copyBlobs(Collection<Descriptor> blobs, ImageRef source, ImageRef target, CopyLog log,
            Counters counters) {
        Queue<Descriptor> queue = new ConcurrentLinkedQueue<>(blobs);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < Math.min(parallelBlobs, blobs.size()); i++) {
            workers.add(Thread.ofVirtual().name("swell-mirror-blob-" + i).start(() -> {
                Descriptor blob;
                while (failure.get() == null && (blob = queue.poll()) != null) {
                    try {
                        copyBlob(blob, source, target, log, counters);
                    } catch (RuntimeException e) {
                        if (!failure.compareAndSet(null, e)) {
                            failure.get().addSuppressed(e);
                        }
                    }
                }
            }));
        }
        try {
            for (Thread worker : workers) {
                worker.join();
            }
        } catch (InterruptedException e) {
            workers.forEach(Thread::interrupt);
            Thread.currentThread().interrupt();
            throw new SwellException(ErrorCode.INTERNAL, "Copy of '" + source + "' was interrupted", e);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private void copyBlob(Descriptor blob, ImageRef source, ImageRef target, CopyLog log, Counters counters) {
        Digest digest = Digest.parse(blob.digest());
        String name = "blob " + digest + " (" + size(blob.size()) + ")";
        if (CopyPlan.isForeign(blob)) {
            log.line(name + " not copied: non-distributable layer served from its own URLs");
            return;
        }
        if (registry.blobExists(target, digest)) {
            counters.skipped.incrementAndGet();
            log.line(name + " skipped: already in " + target.repository());
            return;
        }
        boolean sameRegistry = source.registry().equals(target.registry())
                && !source.repository().equals(target.repository());
        if (sameRegistry && registry.mountBlob(target, digest, source.repository())) {
            counters.mounted.incrementAndGet();
            log.line(name + " mounted from " + source.repository());
            return;
        }
        long started = System.nanoTime();
        UpstreamBlob.Body body = registry.downloadBlob(source, digest);
        try (body) {
            if (body.contentLength() >= 0 && body.contentLength() != blob.size()) {
                throw new SwellException(ErrorCode.DIGEST_INVALID, "Blob " + digest + " of '" + source
                        + "' is " + body.contentLength() + " bytes upstream but its manifest says " + blob.size());
            }
            registry.pushBlob(target, digest, blob.size(), body.stream());
        }
        counters.copied.incrementAndGet();
        counters.bytes.addAndGet(blob.size());
        log.line(name + " copied in " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    /** Worker threads log concurrently; the caller's sink sees one line at a time. */
    private static CopyLog serialized(CopyLog log) {
        ReentrantLock lock = new ReentrantLock();
        return line -> {
            lock.lock();
            try {
                log.line(line);
            } finally {
                lock.unlock();
            }
        };
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 3.2 MiB}, ... */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
