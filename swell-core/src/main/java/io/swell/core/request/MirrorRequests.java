package io.swell.core.request;

import io.swell.api.ContainerConfig;
import io.swell.api.ErrorCode;
import io.swell.api.SubmitContainerTokenRequest;
import io.swell.api.SwellException;
import io.swell.core.build.BuildOutcome;
import io.swell.core.build.BuildService;
import io.swell.core.build.id.SipHash24;
import io.swell.core.mirror.CopyResult;
import io.swell.core.mirror.ImageCopier;
import io.swell.core.store.BuildRecord;
import io.swell.oci.ImageRef;
import io.swell.oci.RawManifest;
import io.swell.registry.RegistryClient;

/**
 * Turns a {@code mirror: true} request into a copy job (wave-api.md §3.10): the image goes to
 * {@code <buildRepository>/<source repository>:<tag>} with its digest kept; an identical target already in place is
 * answered as cached, and identical concurrent requests share one copy.
 */
public final class MirrorRequests {
    private final BuildService jobs;
    private final ImageCopier copier;
    private final RegistryClient registry;

    /** What a mirror request resolved to. */
    public record Resolved(String targetImage, BuildRecord job, boolean cached, String knownId) {}

    public MirrorRequests(BuildService jobs, ImageCopier copier, RegistryClient registry) {
        this.jobs = jobs;
        this.copier = copier;
        this.registry = registry;
    }

    public Resolved submit(SubmitContainerTokenRequest req, String clientIp) {
        refuseConflicts(req);
        ImageRef source = ImageRef.parse(req.containerImage().trim());
        ImageRef target = targetOf(source, req.buildRepository().trim());
        if (target.toString().equals(source.toString())) {
            throw SwellException.badRequest("Mirror target '" + target + "' is the source image itself");
        }
        RawManifest sourceManifest;
        try {
            sourceManifest = registry.getManifest(source);
        } catch (SwellException e) {
            throw SwellException.badRequest("Container image '" + source + "' does not exist or access is not"
                    + " authorized - " + e.getMessage());
        }
        if (sameDigest(target, sourceManifest)) {
            return new Resolved(target.toString(), null, true, jobs.succeededBuildOf(target.toString()).orElse(null));
        }
        String jobId = SipHash24.hashArgs(source.toString(), target.toString(), sourceManifest.digest().toString());
        var claim = jobs.submitMirror(jobId, source.toString(), target.toString(), clientIp, log -> {
            // Copy exactly what was checked: the source pinned to the digest it had at request time.
            CopyResult result = copier.copy(source.withReference(sourceManifest.digest().toString()), target,
                    log::line);
            return BuildOutcome.success(result.digest());
        });
        return new Resolved(target.toString(), claim.record(), false, null);
    }

    /** {@code <repository>/<source path>:<tag>}, or {@code @digest} for a source given only by digest. */
    static ImageRef targetOf(ImageRef source, String buildRepository) {
        if (buildRepository.contains("://")) {
            throw SwellException.badRequest("Invalid build repository '" + buildRepository + "': no URL scheme");
        }
        ImageRef repo = ImageRef.parse(buildRepository);
        if (!buildRepository.equals(repo.registry() + "/" + repo.repository())
                && !buildRepository.equals(repo.registry())) {
            // A bare host is allowed too: the image keeps its whole path under it.
            if (!buildRepository.matches("[A-Za-z0-9.-]+(:[0-9]+)?")) {
                throw SwellException.badRequest("Invalid build repository '" + buildRepository + "': give"
                        + " registry[/repository], without a tag or digest");
            }
        }
        String base = buildRepository.replaceAll("/+$", "");
        String ref = source.tag() != null ? ":" + source.tag() : "@" + source.digest();
        return ImageRef.parse(base + "/" + source.repository() + ref);
    }

    private boolean sameDigest(ImageRef target, RawManifest source) {
        try {
            return registry.getManifest(target).digest().equals(source.digest());
        } catch (SwellException e) {
            if (e.code() == ErrorCode.MANIFEST_UNKNOWN || e.code() == ErrorCode.NAME_UNKNOWN) {
                return false;
            }
            throw SwellException.badRequest("Cannot check the mirror target '" + target + "': " + e.getMessage());
        }
    }

    private static void refuseConflicts(SubmitContainerTokenRequest req) {
        if (req.containerImage() == null || req.containerImage().isBlank()) {
            throw SwellException.badRequest("Missing container image to mirror");
        }
        if (req.buildRepository() == null || req.buildRepository().isBlank()) {
            throw SwellException.badRequest("Missing target build repository required by mirror mode");
        }
        ContainerConfig config = req.containerConfig();
        if (req.isFreeze() || req.containerFile() != null && !req.containerFile().isBlank()
                || req.containerIncludes() != null && !req.containerIncludes().isEmpty()
                || config != null && !config.isEmpty() || req.packages() != null) {
            throw SwellException.badRequest("Mirror mode cannot be combined with freeze, containerFile, packages,"
                    + " containerIncludes or containerConfig");
        }
    }
}
