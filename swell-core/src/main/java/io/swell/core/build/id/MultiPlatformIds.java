package io.swell.core.build.id;

import io.swell.api.ContainerConfig;
import io.swell.api.ContainerLayer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The ids and image names of a multi-platform build's parent and per-platform children (Wave PR #985). */
public final class MultiPlatformIds {

    /** Fusion layers exist per architecture; a child keeps only the one for its own arch. */
    private static final Pattern FUSION_LAYER = Pattern.compile(".*/fusion-(\\w+)\\.tar\\.gz$");
    private static final String ORAS = TargetImageNamer.ORAS_PREFIX;

    /**
     * One build of the plan.
     *
     * @param platform    the platform hashed into its id
     * @param containerId its container id
     * @param targetImage the image it pushes
     */
    public record Build(HashedPlatform platform, String containerId, String targetImage) {}

    /**
     * The whole plan.
     *
     * @param repository    the normalised repository {@code registry/path} all builds hash and push to
     * @param parent        the parent (index) build
     * @param parentBuildId its fixed build id, {@code bd-<id>_0} (children get counted ids when stored)
     * @param children      the linux/amd64 and linux/arm64 builds, in that order
     */
    public record Plan(String repository, Build parent, String parentBuildId, List<Build> children) {
        public Plan {
            children = List.copyOf(children);
        }
    }

    private MultiPlatformIds() {}

    /**
     * Plans a multi-platform build from its single-request template.
     *
     * @param templateTarget the target image of the template request (hashed with the multi platform)
     * @param config         the config to hash: the request's for freeze requests, else null
     * @param nameStrategy   the request's own strategy, not the effective one: Wave names the parent with it
     */
    public static Plan plan(String containerFile, String condaFile, ContainerLayer buildContext,
            ContainerConfig config, TargetImageNamer.Format format, String nameStrategy, String templateTarget) {
        String repository = normaliseRepository(templateTarget);
        String parentId = ContainerIdCalculator.makeContainerId(containerFile, condaFile, HashedPlatform.MULTI,
                repository, buildContext, config);
        Build parent = new Build(HashedPlatform.MULTI, parentId,
                TargetImageNamer.makeTargetImage(format, repository, parentId, condaFile, nameStrategy));
        List<Build> children = new ArrayList<>();
        for (HashedPlatform platform : List.of(HashedPlatform.LINUX_AMD64, HashedPlatform.LINUX_ARM64)) {
            String arch = platform.value().substring(platform.value().indexOf('/') + 1);
            String id = ContainerIdCalculator.makeContainerId(containerFile, condaFile, platform, repository,
                    buildContext, forArch(config, arch));
            // children are always named tagPrefix style, whatever the request asked for
            children.add(new Build(platform, id, TargetImageNamer.makeTargetImage(format, repository, id,
                    condaFile, null)));
        }
        return new Plan(repository, parent, BuildIds.template(parentId), children);
    }

    /**
     * The repository of an image reference in {@code registry/path} form, as Wave's
     * {@code ContainerCoordinates.parse(image).repository}: {@code wave/build:x} becomes {@code docker.io/wave/build}.
     */
    public static String normaliseRepository(String image) {
        String ref = image.startsWith(ORAS) ? image.substring(ORAS.length()) : image;
        List<String> segments = new ArrayList<>(Arrays.asList(ref.split("/")));
        String last = segments.getLast();
        int cut = last.indexOf('@') >= 0 ? last.indexOf('@') : last.indexOf(':');
        if (cut >= 0) {
            segments.set(segments.size() - 1, last.substring(0, cut));
        }
        String first = segments.getFirst();
        String registry = "docker.io";
        if (segments.size() > 1 && (first.contains(".") || first.contains(":"))) {
            registry = segments.removeFirst();
        }
        if (registry.equals("docker.io") && segments.size() == 1) {
            segments.addFirst("library");
        }
        return registry + "/" + String.join("/", segments);
    }

    /** The config without the fusion layers of other architectures; null stays null. */
    public static ContainerConfig forArch(ContainerConfig config, String arch) {
        if (config == null || config.layers() == null) {
            return config;
        }
        List<ContainerLayer> kept = new ArrayList<>();
        for (ContainerLayer layer : config.layers()) {
            Matcher m = layer == null || layer.location() == null ? null : FUSION_LAYER.matcher(layer.location());
            if (m == null || !m.matches() || m.group(1).equals(arch)) {
                kept.add(layer);
            }
        }
        return new ContainerConfig(config.entrypoint(), config.cmd(), config.env(), config.workingDir(), kept);
    }
}
