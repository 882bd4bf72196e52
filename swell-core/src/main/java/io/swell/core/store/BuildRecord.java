package io.swell.core.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;

/**
 * What Swell keeps for one build: identity, target, state and outcome. Logs are kept apart (they can be large).
 *
 * @param buildId       {@code bd-<containerId>_<n>}
 * @param containerId   the content hash of the build inputs
 * @param targetImage   where the image goes ({@code registry/repository:tag})
 * @param platform      the build platform ({@code linux/amd64}, {@code linux/arm64} or both, comma separated)
 * @param containerFile the (decoded) Containerfile that was built
 * @param state         where the build is
 * @param createdAt     when the build was submitted
 * @param finishedAt    when it ended, or {@code null}
 * @param exitCode      the builder's exit code once finished
 * @param reason        why it failed, one line, else {@code null}
 * @param digest        manifest digest of the pushed image
 * @param requestIp     who asked
 * @param sourceImage   for a mirror, the image copied; else {@code null}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildRecord(
        String buildId,
        String containerId,
        String targetImage,
        String platform,
        String containerFile,
        State state,
        Instant createdAt,
        Instant finishedAt,
        Integer exitCode,
        String reason,
        String digest,
        String requestIp,
        String sourceImage) {

    /** The life of a build: queued, running, then succeeded or failed. */
    public enum State {
        PENDING, RUNNING, SUCCEEDED, FAILED;

        public boolean isDone() {
            return this == SUCCEEDED || this == FAILED;
        }
    }

    public boolean isDone() {
        return state.isDone();
    }

    /** True for a mirror job ({@code mr-...}), false for a build. */
    public boolean isMirror() {
        return sourceImage != null;
    }

    /** Time from submission to the end (or to {@code now} while it runs). */
    public Duration duration(Instant now) {
        return Duration.between(createdAt, finishedAt != null ? finishedAt : now);
    }

    public BuildRecord withState(State newState) {
        return new BuildRecord(buildId, containerId, targetImage, platform, containerFile, newState, createdAt,
                finishedAt, exitCode, reason, digest, requestIp, sourceImage);
    }

    public BuildRecord finished(boolean succeeded, Instant at, int code, String why, String manifestDigest) {
        return new BuildRecord(buildId, containerId, targetImage, platform, containerFile,
                succeeded ? State.SUCCEEDED : State.FAILED, createdAt, at, code, why, manifestDigest, requestIp,
                sourceImage);
    }
}
