package io.swell.core.build;

/**
 * Runs one single-platform image build to completion and pushes the result. Implementations: a local buildah
 * process (default), Kubernetes Jobs (at scale). The lifecycle around it (ids, dedup, queue, records, held
 * pulls) is the same for every implementation.
 */
public interface BuildStrategy {

    /**
     * Builds {@code job.workDir()/Containerfile} with {@code job.workDir()/context} as context for
     * {@code job.platform()}, and pushes the image to {@code job.target()}. Blocks until the build ends, fails or
     * exceeds {@code job.timeout()} (then the build is stopped and the outcome says so). Every line of build
     * output goes to {@code log}. Never throws for a failed build: that is an outcome.
     *
     * @throws InterruptedException when the calling thread is interrupted; the build process is stopped first
     */
    BuildOutcome run(BuildJob job, BuildLog log) throws InterruptedException;

    /** A short name for logs and docs, e.g. {@code buildah}. */
    String name();

    /** Releases what the strategy holds once no build runs any more (called when Swell stops). */
    default void close() {
    }
}
