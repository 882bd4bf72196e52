package io.swell.server.handlers;

import io.swell.api.MirrorResponse;
import io.swell.api.SwellException;
import io.swell.core.build.BuildService;
import io.swell.core.store.BuildRecord;
import io.swell.server.http.Exchange;
import java.time.Instant;

/** The mirror API: record and log of a mirror job ({@code ../shared/reference/wave-api.md} §1.9). */
public final class MirrorHandler {
    private final BuildService jobs;

    public MirrorHandler(BuildService jobs) {
        this.jobs = jobs;
    }

    public void record(Exchange ex) {
        BuildRecord m = find(ex.param(0));
        ex.json(200, new MirrorResponse(m.buildId(), m.digest(), m.sourceImage(), m.targetImage(), m.createdAt(),
                m.isDone() ? MirrorResponse.Status.COMPLETED : MirrorResponse.Status.PENDING,
                m.duration(Instant.now()).toNanos() / 1e9, m.exitCode(),
                m.isDone() ? m.state() == BuildRecord.State.SUCCEEDED : null, m.reason()));
    }

    /** The copy log as plain text (an unknown id is a 404, where Wave answers 500). */
    public void logs(Exchange ex) {
        String id = ex.param(0);
        find(id);
        var log = jobs.log(id).orElseThrow(() -> SwellException.notFound("No log for mirror '" + id + "'"));
        ex.stream(200, "text/plain; charset=utf-8", -1, log, false);
    }

    private BuildRecord find(String id) {
        return jobs.find(id).filter(BuildRecord::isMirror)
                .orElseThrow(() -> SwellException.notFound("Unknown mirror '" + id + "'"));
    }
}
