package io.swell.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Keeps build records. Deduplication hangs on {@link #claim}: one build per target image at a time, across
 * requests and replicas.
 */
public interface BuildStore {

    /**
     * Makes {@code candidate} (whose id ends in {@code _0}) the current build of its target image unless another
     * build already is one that is running, or succeeded, or failed after {@code failedBefore} (a recent failure
     * is answered as is, an older one is retried). A new build gets the next number of its container id
     * ({@code _1}, {@code _2}, ...). Atomic: of concurrent claims for one target, exactly one wins.
     *
     * @return the current build of the target and whether this call created it
     */
    Claim claim(BuildRecord candidate, Instant failedBefore);

    /** The result of {@link #claim}. */
    record Claim(BuildRecord record, boolean created) {}

    Optional<BuildRecord> find(String buildId);

    /** The build that currently owns {@code targetImage} (running, or finished within its retention), if any. */
    Optional<BuildRecord> current(String targetImage);

    /** Lets the next claim of this build's target start a new build at once. */
    void release(String buildId);

    void update(BuildRecord record);

    /** Builds not finished (to fail them after a restart). */
    List<BuildRecord> unfinished();
}
