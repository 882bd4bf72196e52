package io.swell.server.views;

import io.swell.api.ContainerConfig;
import io.swell.api.SwellException;
import io.swell.core.build.BuildService;
import io.swell.core.request.ContainerRequestService;
import io.swell.core.store.BuildRecord;
import io.swell.core.store.ContainerRequestRecord;
import io.swell.server.http.Exchange;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTML pages Wave links to (wave-api.md §1.12): a build ({@code /view/builds/{id}}), a container request
 * ({@code /view/containers/{token}}) and a mirror ({@code /view/mirrors/{id}}). Pages of running jobs reload
 * themselves; logs are shown up to their last {@value #LOG_CHARS} characters.
 */
public final class ViewHandler {
    static final int LOG_CHARS = 100_000;
    /** Wave's pages also accept {@code bd-<id>-<n>} and redirect it to {@code bd-<id>_<n>}. */
    private static final Pattern DASHED_ID = Pattern.compile("((?:bd|mr)-[0-9a-f]+)-(\\d+)");

    private final BuildService builds;
    private final ContainerRequestService requests;

    public ViewHandler(BuildService builds, ContainerRequestService requests) {
        this.builds = builds;
        this.requests = requests;
    }

    public void build(Exchange ex) {
        String id = ex.param(0);
        if (redirectedDashedId(ex, "/view/builds/", id)) {
            return;
        }
        BuildRecord b = find(id);
        HtmlPage page = new HtmlPage("Build " + id).refreshing(!b.isDone())
                .heading("Container build").table()
                .row("Build ID", b.buildId());
        status(page, b).row("Image", b.targetImage())
                .row("Format", b.targetImage().startsWith("oras://") ? "Singularity (SIF)" : "Docker (OCI)")
                .row("Platform", b.platform())
                .row("Started", b.createdAt())
                .row("Duration", b.isDone() ? b.duration(Instant.now()) : null)
                .row("Exit code", b.isDone() ? b.exitCode() : null)
                .row("Digest", b.digest())
                .row("Reason", b.reason())
                .linkRow("Log", "/v1alpha1/builds/" + b.buildId() + "/logs", "plain text")
                .endTable();
        if (b.containerFile() != null) {
            page.subheading("Container file").preformatted(b.containerFile());
        }
        builds.condaLock(b.buildId()).ifPresent(lock -> page.subheading("Conda lock").preformatted(lock));
        page.subheading("Build log").preformatted(builds.logTail(b.buildId(), LOG_CHARS));
        ex.html(200, page.render());
    }

    public void mirror(Exchange ex) {
        String id = ex.param(0);
        if (redirectedDashedId(ex, "/view/mirrors/", id)) {
            return;
        }
        BuildRecord m = find(id);
        if (m.sourceImage() == null) {
            throw SwellException.notFound("Unknown mirror '" + id + "'");
        }
        HtmlPage page = new HtmlPage("Mirror " + id).refreshing(!m.isDone())
                .heading("Container mirror").table()
                .row("Mirror ID", m.buildId());
        status(page, m).row("Source", m.sourceImage())
                .row("Target", m.targetImage())
                .row("Started", m.createdAt())
                .row("Duration", m.isDone() ? m.duration(Instant.now()) : null)
                .row("Digest", m.digest())
                .row("Reason", m.reason())
                .endTable()
                .subheading("Copy log").preformatted(builds.logTail(m.buildId(), LOG_CHARS));
        ex.html(200, page.render());
    }

    public void container(Exchange ex) {
        ContainerRequestRecord r = requests.find(ex.param(0));
        HtmlPage page = new HtmlPage("Container request").heading("Container request").table()
                .row("Request ID", r.token())
                .row("Source image", r.containerImage())
                .row("Platform", r.platform())
                .row("Image to pull", r.targetImage())
                .row("Created", r.createdAt())
                // a frozen or mirrored image is pulled by its own name: the token never opened pulls
                .row("Expires", r.freeze() || r.mirror() ? null : r.expiresAt())
                .row("Revoked", r.revoked() ? "yes" : null)
                .row("Source digest", r.sourceDigest())
                .row("Served digest", r.waveDigest());
        if (r.buildId() != null) {
            String kind = r.mirror() ? "mirrors" : "builds";
            page.linkRow(r.mirror() ? "Mirror" : "Build", "/view/" + kind + "/" + r.buildId(), r.buildId());
        }
        page.endTable();
        ContainerConfig config = r.containerConfig();
        if (config != null && !config.isEmpty()) {
            page.subheading("Changes").table()
                    .row("Entrypoint", config.entrypoint())
                    .row("Command", config.cmd())
                    .row("Environment", config.env())
                    .row("Working directory", config.workingDir())
                    .row("Extra layers", config.layersOrEmpty().isEmpty() ? null : config.layersOrEmpty().size())
                    .endTable();
        }
        ex.html(200, page.render());
    }

    private static HtmlPage status(HtmlPage page, BuildRecord b) {
        return switch (b.state()) {
            case PENDING -> page.statusRow("Status", "Queued", "running");
            case RUNNING -> page.statusRow("Status", "Running", "running");
            case SUCCEEDED -> page.statusRow("Status", "Succeeded", "ok");
            case FAILED -> page.statusRow("Status", "Failed", "failed");
        };
    }

    private BuildRecord find(String id) {
        return builds.find(id).orElseThrow(() -> SwellException.notFound("Unknown build '" + id + "'"));
    }

    private static boolean redirectedDashedId(Exchange ex, String prefix, String id) {
        Matcher m = DASHED_ID.matcher(id);
        if (!m.matches()) {
            return false;
        }
        ex.redirect(301, prefix + m.group(1) + "_" + m.group(2));
        return true;
    }
}
