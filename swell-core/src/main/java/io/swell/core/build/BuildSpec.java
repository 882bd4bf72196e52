package io.swell.core.build;

import java.nio.file.Path;

/**
 * Everything one build needs, after the request was validated and named.
 *
 * @param containerId   content hash of the inputs (names the build: {@code bd-<containerId>_<n>})
 * @param targetImage   where the image goes, {@code registry/repository:tag}
 * @param platform      {@code linux/amd64} or {@code linux/arm64}
 * @param containerFile the container file of the request (Dockerfile or Singularity definition), as recorded
 * @param buildFile     the Containerfile the strategy builds: {@code containerFile} itself, or its translation when
 *                      that is a Singularity definition
 * @param context       a directory holding the verified, extracted build context to copy, or {@code null}
 * @param contextFiles  more files to put in the context (name → file), e.g. the layers of a freeze
 * @param target        how the strategy pushes the image
 * @param requestIp     who asked
 */
public record BuildSpec(String containerId, String targetImage, String platform, String containerFile, String buildFile, Path context,
        java.util.Map<String, Path> contextFiles, PushTarget target, String requestIp) {}
