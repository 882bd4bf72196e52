package io.swell.server.handlers;

import io.swell.api.BuildRecordResponse;
import io.swell.api.BuildStatusResponse;
import io.swell.api.SwellException;
import io.swell.core.build.BuildService;
import io.swell.core.store.BuildRecord;
import io.swell.server.http.Exchange;
import java.time.Instant;

/** The build API: record, status and log of a build ({@code ../shared/reference/wave-api.md} §1.7). */
public final class BuildHandler {
    private final BuildService builds;

    public BuildHandler(BuildService builds) {
        this.builds = builds;
    }

    public void record(Exchange ex) {
        BuildRecord b = find(ex.param(0));
        ex.json(200, new BuildRecordResponse(b.buildId(), b.containerFile(), b.targetImage(), b.createdAt(),
                b.isDone() ? seconds(b) : null, b.exitCode(), b.platform(),
                b.targetImage().startsWith("oras://") ? "SINGULARITY" : "DOCKER", b.digest(), b.state().name(),
                b.reason()));
    }

    public void status(Exchange ex) {
        BuildRecord b = find(ex.param(0));
        ex.json(200, new BuildStatusResponse(b.buildId(),
                b.isDone() ? BuildStatusResponse.Status.COMPLETED : BuildStatusResponse.Status.PENDING,
                b.createdAt(), seconds(b), b.isDone() ? b.state() == BuildRecord.State.SUCCEEDED : null));
    }

    /** The log as plain text; while the build runs, what it has written so far. */
    public void logs(Exchange ex) {
        String id = ex.param(0);
        find(id);
        var log = builds.log(id).orElseThrow(() -> SwellException.notFound("No log for build '" + id + "'"));
        ex.stream(200, "text/plain; charset=utf-8", -1, log, false);
    }

    /** {@code /condalock}: the lock file a package build printed, as plain text. */
    public void condaLock(Exchange ex) {
        String id = ex.param(0);
        find(id);
        String lock = builds.condaLock(id).orElseThrow(() ->
                SwellException.notFound("No conda lock file for build '" + id + "'"));
        ex.bytes(200, "text/plain; charset=utf-8", lock.getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
    }

    private BuildRecord find(String id) {
        return builds.find(id).orElseThrow(() -> SwellException.notFound("Unknown build '" + id + "'"));
    }

    private static double seconds(BuildRecord b) {
        return b.duration(Instant.now()).toNanos() / 1e9;
    }
}
