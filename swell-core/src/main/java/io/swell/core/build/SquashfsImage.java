package io.swell.core.build;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An image that leaves the build as a squashfs of its root filesystem rather than as an OCI image: Singularity SIF
 * images. The build strategy builds the root filesystem, lets this object complete it, squashes it with
 * {@code mksquashfs} and hands the result back to be packaged and published. A strategy configured with a
 * {@code singularity} binary instead builds the whole SIF from {@link #definition()} and hands it to
 * {@link #publishSif}.
 */
public interface SquashfsImage {

    /**
     * Adds what the image needs besides the built files (for SIF: the {@code /.singularity.d} metadata). The root
     * filesystem is a writable throwaway copy; nothing written here reaches the build's OCI image.
     *
     * @param imageConfigJson the built image's OCI image config
     */
    void prepare(Path rootfs, String imageConfigJson) throws IOException;

    /**
     * Packages {@code squashfs} and pushes it to its destination. Never throws for a failed push: that is an
     * outcome (with the reason for users).
     *
     * @param workDir a private directory of this build for files such as the SIF, deleted after the build
     */
    BuildOutcome publish(Path squashfs, String imageConfigJson, String platform, Path workDir, BuildLog log)
            throws InterruptedException;

    /** The Singularity definition file the image is built from, as requested. */
    String definition();

    /** The image the definition starts from ({@code From:}), e.g. to know whether its registry needs http. */
    String baseImage();

    /** Pushes a SIF file a singularity binary made; never throws for a failed push (that is an outcome). */
    BuildOutcome publishSif(Path sif, BuildLog log) throws InterruptedException;
}
