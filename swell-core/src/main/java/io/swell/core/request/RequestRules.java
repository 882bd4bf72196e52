package io.swell.core.request;

import io.swell.api.SubmitContainerTokenRequest;
import io.swell.api.SwellException;
import java.util.Set;

/**
 * The checks of a container request that need nothing but the request (wave-api.md §1.3 "Processing order &
 * validation"): allowed values, combinations each API version refuses, and features not built yet.
 */
final class RequestRules {
    private static final Set<String> NAME_STRATEGIES = Set.of("none", "tagPrefix", "imageSuffix");
    private static final Set<String> SCAN_MODES = Set.of("none", "async", "required");
    private static final Set<String> SCAN_LEVELS = Set.of("LOW", "MEDIUM", "HIGH", "CRITICAL");

    private RequestRules() {}

    /** Refuses option values and combinations Wave refuses (400), and features Swell does not have yet (501). */
    static void check(SubmitContainerTokenRequest req, ContainerRequestService.ApiVersion version) {
        if (version == ContainerRequestService.ApiVersion.V1 && req.packages() != null) {
            throw SwellException.badRequest("Attribute 'packages' is not allowed by the v1 API - use"
                    + " /v1alpha2/container");
        }
        if (version == ContainerRequestService.ApiVersion.V1 && req.nameStrategy() != null) {
            throw SwellException.badRequest("Attribute 'nameStrategy' is not allowed by the v1 API");
        }
        if (version == ContainerRequestService.ApiVersion.V2 && req.condaFile() != null) {
            throw SwellException.badRequest("Attribute 'condaFile' is not allowed by the v2 API - use 'packages'");
        }
        if (req.nameStrategy() != null && !NAME_STRATEGIES.contains(req.nameStrategy())) {
            throw SwellException.badRequest("Invalid 'nameStrategy' value '" + req.nameStrategy()
                    + "' - use one of " + NAME_STRATEGIES);
        }
        if (req.scanMode() != null && !SCAN_MODES.contains(req.scanMode())) {
            throw SwellException.badRequest("Invalid 'scanMode' value '" + req.scanMode() + "' - use one of "
                    + SCAN_MODES);
        }
        if (req.scanLevels() != null) {
            for (String level : req.scanLevels()) {
                if (!SCAN_LEVELS.contains(level)) {
                    throw SwellException.badRequest("Invalid 'scanLevels' value '" + level + "' - use " + SCAN_LEVELS);
                }
            }
        }
        if (req.format() != null && !req.format().equals("sif") && !req.format().equals("docker")) {
            throw SwellException.badRequest("Invalid 'format' value '" + req.format() + "' - use 'sif' or 'docker'");
        }
        if (!blank(req.condaFile()) && blank(req.containerFile())) {
            throw SwellException.badRequest("Attribute 'condaFile' needs a 'containerFile' that installs it (the"
                    + " file is added to the build context as conda.yml)");
        }
        if ("sif".equals(req.format()) && !req.isFreeze()) {
            throw SwellException.badRequest("Singularity build is only allowed enabling freeze mode");
        }
        if (req.isMirror() && req.isFreeze()) {
            throw SwellException.badRequest("Freeze and mirror cannot be requested together");
        }
        if ("required".equals(req.scanMode())) {
            throw SwellException.notImplemented("Security scanning is not enabled on this server");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
