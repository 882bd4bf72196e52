package io.swell.core.build;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How builds run.
 *
 * @param workRoot         where each build gets its work directory (deleted when the build ends)
 * @param maxConcurrent    builds running at once; more wait in a queue
 * @param timeout          longest a build may run (queueing not counted), Wave's default 15 minutes
 * @param failureRetention how long a failed build is answered as failed before an identical request retries it
 */
public record BuildSettings(Path workRoot, int maxConcurrent, Duration timeout, Duration failureRetention) {}
