package io.swell.core.build;

/**
 * How a build ended.
 *
 * @param succeeded      true when the image was built and pushed
 * @param exitCode       the builder's exit code; -1 when it was stopped (timeout) or could not start
 * @param manifestDigest digest of the pushed manifest when known, else {@code null}
 * @param reason         one line for users when it failed ("Build timed out after 15m", "RUN step failed"), else
 *                       {@code null}
 */
public record BuildOutcome(boolean succeeded, int exitCode, String manifestDigest, String reason) {

    public static BuildOutcome success(String manifestDigest) {
        return new BuildOutcome(true, 0, manifestDigest, null);
    }

    public static BuildOutcome failure(int exitCode, String reason) {
        return new BuildOutcome(false, exitCode, null, reason);
    }
}
