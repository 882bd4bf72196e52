package io.swell.core.request;

import io.swell.api.ContainerLayer;
import io.swell.api.ErrorCode;
import io.swell.api.SubmitContainerTokenRequest;
import io.swell.api.SwellException;
import io.swell.core.build.BuildContextExtractor;
import io.swell.core.build.BuildService;
import io.swell.core.build.BuildSpec;
import io.swell.core.build.PushTarget;
import io.swell.core.build.id.ContainerIdCalculator;
import io.swell.core.build.id.BuildIds;
import io.swell.core.build.id.HashedPlatform;
import io.swell.core.build.id.MultiPlatformIds;
import io.swell.core.build.id.TargetImageNamer;
import io.swell.core.build.template.PackageContainerFiles;
import io.swell.core.images.BuiltinImageStore;
import io.swell.core.sif.OrasArtifact;
import io.swell.core.sif.SifImage;
import io.swell.core.sif.SingularityDefinition;
import io.swell.core.store.BuildRecord;
import io.swell.core.store.BuildStore;
import io.swell.core.store.ContentStore;
import io.swell.oci.ConfigChanges.AddedLayer;
import io.swell.oci.ImageRef;
import io.swell.registry.CredentialsProvider;
import io.swell.registry.RegistryClient;
import io.swell.registry.RegistryEndpoints;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;

/**
 * Turns a request with a {@code containerFile} into a build: decodes and checks the file, fetches the context,
 * names the image exactly as Wave does ({@code ../shared/reference/build-ids.md}), answers {@code cached} when the
 * image already exists, and otherwise claims (or joins) the one build of that image.
 */
public final class BuildRequests {
    private final BuildService builds;
    private final BuiltinImageStore builtin;
    private final RegistryClient registry;
    private final LayerFetcher layers;
    private final ContentStore content;
    private final CredentialsProvider credentials;
    private final RegistryEndpoints endpoints;
    private final Limits limits;
    private final IndexAssembler indexes;
    /** Wave's limit for the v1 {@code condaFile} ({@code wave.build.max-conda-file-size}). */
    static final int MAX_CONDA_FILE_CHARS = 50_000;

    /**
     * @param defaultRepository build repository when the request names none; {@code null} means the built-in store
     * @param maxContainerFileChars longest accepted base64 {@code containerFile} (Wave: 10,000)
     * @param layoutRoot        where builds for the built-in store write their OCI layout
     * @param contextRoot       where verified build contexts are extracted, one directory per digest
     */
    public record Limits(String defaultRepository, int maxContainerFileChars, Path layoutRoot, Path contextRoot) {}

    /**
     * What a build request resolved to.
     *
     * @param build       the build (new or joined), {@code null} when the image existed or for a dry run
     * @param knownId     the id to answer when there is no build to wait for: Wave's {@code <containerId>_0} for a
     *                    dry run, the last successful build for a cache hit, else {@code null}
     */
    public record Resolved(String targetImage, BuildRecord build, boolean cached, String knownId) {
        Resolved(String targetImage, BuildRecord build, boolean cached) {
            this(targetImage, build, cached, null);
        }
    }

    public BuildRequests(BuildService builds, BuiltinImageStore builtin, RegistryClient registry,
            LayerFetcher layers, ContentStore content, CredentialsProvider credentials, RegistryEndpoints endpoints,
            Limits limits) {
        this.builds = builds;
        this.builtin = builtin;
        this.registry = registry;
        this.layers = layers;
        this.content = content;
        this.credentials = credentials;
        this.endpoints = endpoints;
        this.limits = limits;
        this.indexes = new IndexAssembler(builds, builtin, registry, content);
    }

    /** Resolves and, unless the image exists, submits the build. */
    public Resolved submit(SubmitContainerTokenRequest req, String clientIp) {
        boolean sif = TargetImageNamer.Format.ofRequest(req.format()) == TargetImageNamer.Format.SINGULARITY;
        if (sif) {
            SingularityRequests.check(req);
        }
        if (req.isFreeze() && (req.buildRepository() == null || req.buildRepository().isBlank())) {
            throw SwellException.badRequest("Build repository must be specified when using freeze mode");
        }
        java.util.Map<String, Path> contextFiles = new java.util.LinkedHashMap<>();
        String condaFile = null;
        String baseFile = null;
        if (req.packages() != null) {
            // The Containerfile comes from Swell's templates; its conda.yml goes into the build context.
            var generated = PackageContainerFiles.generate(req.packages(), req.buildTemplate(), sif);
            baseFile = generated.containerFile();
            condaFile = generated.condaFile();
            if (condaFile != null) {
                contextFiles.put("conda.yml",
                        content.put(condaFile.getBytes(java.nio.charset.StandardCharsets.UTF_8), null).path());
            }
        } else if (req.containerFile() != null && !req.containerFile().isBlank()) {
            baseFile = decode(req.containerFile(), "containerFile", limits.maxContainerFileChars());
            if (req.condaFile() != null && !req.condaFile().isBlank()) {
                // The v1 API: the client's Containerfile installs the environment from conda.yml in the context.
                condaFile = decode(req.condaFile(), "condaFile", MAX_CONDA_FILE_CHARS);
                contextFiles.put("conda.yml", content.put(condaFile.getBytes(StandardCharsets.UTF_8), null).path());
            }
        }
        String containerFile = !req.isFreeze() ? baseFile
                : sif ? SingularityRequests.freezeFile(req, baseFile)
                : freezeFile(req, contextFiles, baseFile);
        // A Singularity definition is checked now (a bad one is a 400) and built through its Containerfile form.
        SingularityDefinition definition = sif ? SingularityDefinition.parse(containerFile) : null;
        String buildFile = sif ? definition.containerfile() : containerFile;
        if (sif) {
            definition.contextFiles().forEach((name, text) ->
                    contextFiles.put(name, content.put(text.getBytes(StandardCharsets.UTF_8), null).path()));
        }
        TargetImageNamer.Format format = sif ? TargetImageNamer.Format.SINGULARITY : TargetImageNamer.Format.DOCKER;
        HashedPlatform platform = HashedPlatform.parse(req.containerPlatform());
        String repository = repository(req.buildRepository());
        // The id hashes the context's declared tar digest, so a cache hit is answered before fetching it.
        ContainerLayer contextForId = req.buildContext();
        String containerId = ContainerIdCalculator.makeContainerId(containerFile, condaFile, platform, repository,
                contextForId, req.isFreeze() ? req.containerConfig() : null);
        String targetImage = TargetImageNamer.makeTargetImage(format, repository,
                containerId, condaFile, req.nameStrategy());
        if (req.isDryRun()) {
            // Names and ids only: nothing is built or pushed (Wave answers the id as <containerId>_0).
            String name = targetImage;
            String id = containerId;
            if (platform.isMulti()) {
                var plan = MultiPlatformIds.plan(containerFile, condaFile, contextForId,
                        req.isFreeze() ? req.containerConfig() : null, TargetImageNamer.Format.DOCKER,
                        req.nameStrategy(), targetImage);
                name = plan.parent().targetImage();
                id = plan.parent().containerId();
            }
            return new Resolved(name, null, exists(imageOf(name)), BuildIds.dryRun(id));
        }
        if (platform.isMulti()) {
            var plan = MultiPlatformIds.plan(containerFile, condaFile, contextForId,
                    req.isFreeze() ? req.containerConfig() : null, TargetImageNamer.Format.DOCKER,
                    req.nameStrategy(), targetImage);
            return multiPlatform(plan, containerFile, contextForId, contextFiles, clientIp);
        }
        ImageRef target = imageOf(targetImage);
        if (exists(target)) {
            return cacheHit(targetImage);
        }
        PushTarget push = sif
                ? new PushTarget.Squashfs(new SifImage(definition, target, builtin.holds(target)
                        ? OrasArtifact.builtin(builtin, target) : OrasArtifact.registry(registry, target),
                        Clock.systemUTC()), targetImage)
                : pushTarget(containerId, target);
        BuildStore.Claim claim = builds.submit(new BuildSpec(containerId, targetImage, platform.value(),
                containerFile, buildFile, fetchContext(contextForId), contextFiles, push, clientIp));
        return new Resolved(targetImage, claim.record(), false);
    }

    /** An image that exists already: answered as cached, with the id of the build that made it when known. */
    private Resolved cacheHit(String targetImage) {
        return new Resolved(targetImage, null, true,
                builds.succeededBuildOf(targetImage).orElse(null));
    }

    /**
     * Fetches and verifies the build context and extracts it, safely, once per digest into a directory that
     * builds copy from: a hostile archive is a 400 now, not a failed build later. {@code null} when there is none.
     */
    private Path fetchContext(ContainerLayer buildContext) {
        if (buildContext == null) {
            return null;
        }
        AddedLayer layer = layers.fetch(buildContext, "buildContext");
        Path dir = limits.contextRoot().resolve(layer.gzipDigest().hex());
        if (java.nio.file.Files.isDirectory(dir)) {
            return dir;
        }
        Path temp = null;
        try {
            java.nio.file.Files.createDirectories(limits.contextRoot());
            temp = java.nio.file.Files.createTempDirectory(limits.contextRoot(), ".extract-");
            BuildContextExtractor.extract(content.find(layer.gzipDigest()).orElseThrow().path(), temp);
            java.nio.file.Files.move(temp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            temp = null;
        } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
            // Another request extracted the same context first; theirs is identical.
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot extract the build context", e);
        } finally {
            if (temp != null) {
                BuildService.deleteTree(temp);
            }
        }
        return dir;
    }

    private PushTarget pushTarget(String containerId, ImageRef target) {
        return builtin.holds(target)
                ? new PushTarget.Layout(limits.layoutRoot().resolve(containerId), target.tag())
                : new PushTarget.Registry(target.toString(), credentials.forRegistry(target.registry()).orElse(null),
                        endpoints.isPlainHttp(target.registry()));
    }

    /**
     * A two-platform image: one build per platform (each deduplicated and cached on its own, named as Wave names
     * them) and an assembly that, when both succeed, writes the OCI index under the parent name.
     */
    private Resolved multiPlatform(MultiPlatformIds.Plan plan, String containerFile, ContainerLayer buildContext,
            java.util.Map<String, Path> contextFiles, String clientIp) {
        ImageRef parent = ImageRef.parse(plan.parent().targetImage());
        if (exists(parent)) {
            return cacheHit(parent.toString());
        }
        Path context = fetchContext(buildContext);
        java.util.List<PlatformPart> parts = new java.util.ArrayList<>();
        for (MultiPlatformIds.Build child : plan.children()) {
            ImageRef target = ImageRef.parse(child.targetImage());
            BuildRecord record = exists(target) ? null : builds.submit(new BuildSpec(child.containerId(),
                    child.targetImage(), child.platform().value(), containerFile, containerFile, context, contextFiles,
                    pushTarget(child.containerId(), target), clientIp)).record();
            parts.add(new PlatformPart(child.platform().value(), target, record));
        }
        BuildStore.Claim claim = builds.submitAssembly(plan.parent().containerId(), parent.toString(),
                HashedPlatform.MULTI.value(), containerFile, clientIp,
                log -> indexes.assemble(parent, parts, log));
        return new Resolved(parent.toString(), claim.record(), false);
    }

    /**
     * The Containerfile of a freeze: the given file or {@code FROM containerImage}, with the config baked in; the
     * extra layers are fetched, verified and added to the context.
     */
    private String freezeFile(SubmitContainerTokenRequest req, java.util.Map<String, Path> contextFiles,
            String baseFile) {
        var config = req.containerConfig();
        java.util.List<AddedLayer> added = new java.util.ArrayList<>();
        if (config != null) {
            var given = config.layersOrEmpty();
            for (int i = 0; i < given.size(); i++) {
                AddedLayer layer = layers.fetch(given.get(i), "containerConfig layer " + (i + 1));
                added.add(layer);
                contextFiles.put(io.swell.core.build.FreezeFile.layerFileName(layer),
                        content.find(layer.gzipDigest()).orElseThrow().path());
            }
        }
        if (baseFile != null) {
            return io.swell.core.build.FreezeFile.fromFile(baseFile, config, added);
        }
        ImageRef image = ImageRef.parse(req.containerImage().trim());
        return io.swell.core.build.FreezeFile.fromImage(image.toString(), config, added);
    }

    /** The registry image of a target name: a SIF image's {@code oras://} is how clients pull it, not part of it. */
    private static ImageRef imageOf(String targetImage) {
        return ImageRef.parse(targetImage.startsWith(TargetImageNamer.ORAS_PREFIX)
                ? targetImage.substring(TargetImageNamer.ORAS_PREFIX.length()) : targetImage);
    }

    private boolean exists(ImageRef target) {
        if (builtin.holds(target)) {
            return builtin.exists(target.repository(), target.tag());
        }
        try {
            registry.getManifest(target);
            return true;
        } catch (SwellException e) {
            if (e.code() == ErrorCode.MANIFEST_UNKNOWN || e.code() == ErrorCode.NAME_UNKNOWN) {
                return false;
            }
            throw SwellException.badRequest("Cannot check the build repository for '" + target + "': "
                    + e.getMessage());
        }
    }

    private String repository(String requested) {
        String repo = requested == null || requested.isBlank()
                ? (limits.defaultRepository() != null ? limits.defaultRepository()
                        : builtin.host() + "/" + BuiltinImageStore.DEFAULT_REPOSITORY)
                : requested.trim();
        if (repo.contains("://")) {
            throw SwellException.badRequest("Invalid build repository '" + repo + "': no URL scheme allowed");
        }
        ImageRef ref = ImageRef.parse(repo);
        if (ref.registry().equals(builtin.host()) && !builtin.holds(ref)) {
            throw SwellException.badRequest("Invalid build repository '" + repo + "': this server only stores"
                    + " built images under '" + builtin.host() + "/" + BuiltinImageStore.DEFAULT_REPOSITORY + "'");
        }
        if (!repo.equals(ref.registry() + "/" + ref.repository())) {
            throw SwellException.badRequest("Invalid build repository '" + repo + "': give registry/repository,"
                    + " without a tag or digest");
        }
        return repo;
    }

    /** Strict base64 (re-encoding must give the input back), as Wave checks it. */
    private static String decode(String base64, String field, int maxChars) {
        if (base64.length() > maxChars) {
            throw SwellException.badRequest("Attribute '" + field + "' is longer than the limit of " + maxChars
                    + " base64 characters");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            bytes = null;
        }
        if (bytes == null || !Base64.getEncoder().encodeToString(bytes).equals(base64)) {
            throw SwellException.badRequest("Invalid '" + field + "' attribute - make sure it encoded as a base64"
                    + " string");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (field.equals("containerFile") && (text.contains("/.docker/config.json") || text.contains("/kaniko"))) {
            throw SwellException.badRequest("Provided container file is not allowed (error code: 100)");
        }
        return text;
    }
}
