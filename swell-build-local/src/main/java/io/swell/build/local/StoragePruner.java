package io.swell.build.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps buildah's storage within {@link BuildahSettings#storageMaxBytes()}: base images pulled by builds stay as a
 * cache, and when the storage has grown past the budget, every image is removed ({@code buildah rmi --all}) at a
 * moment when no build runs. Builds hold {@link #buildLock()} while they run; pruning only tries the exclusive
 * side, so it never delays a build by more than one {@code rmi}, and it never pulls an image from under one.
 */
final class StoragePruner {
    private static final Logger LOG = LoggerFactory.getLogger(StoragePruner.class);
    private static final Duration PRUNE_TIMEOUT = Duration.ofMinutes(2);

    private final BuildahSettings settings;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    StoragePruner(BuildahSettings settings) {
        this.settings = settings;
    }

    /** Held (shared) by every build while it runs. */
    Lock buildLock() {
        return lock.readLock();
    }

    /** Removes every image when the storage is over budget and no build runs; otherwise does nothing. */
    void pruneIfOverBudget(Map<String, String> environment) {
        if (settings.storageMaxBytes() <= 0 || !lock.writeLock().tryLock()) {
            return;
        }
        try {
            long before = size(settings.storageRoot());
            if (before <= settings.storageMaxBytes()) {
                return;
            }
            BuildahProcess.Result rmi = BuildahProcess.run(settings.command("rmi", "--all"), environment,
                    settings.runRoot(), System.nanoTime() + PRUNE_TIMEOUT.toNanos(), line -> LOG.debug("prune: {}",
                            line));
            LOG.info("buildah storage was {} MiB, over its budget of {} MiB: removed its images ({}), now {} MiB",
                    before >> 20, settings.storageMaxBytes() >> 20, rmi.succeeded() ? "ok" : rmi.reason(),
                    size(settings.storageRoot()) >> 20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("Cannot prune buildah's storage: {}", e.toString());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Bytes of the regular files under {@code dir}, links not followed. */
    static long size(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // removed while walking
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("cannot measure {}: {}", dir, e.toString());
            return 0;
        }
    }
}
