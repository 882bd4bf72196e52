package io.swell.oci;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Pure functions that apply {@link ConfigChanges} to an image: a new config, a manifest pointing at it with the
 * extra layers, and an index whose entries point at augmented manifests.
 */
public final class ImageAugmenter {
    /** Set, as Wave does, to the image's original entrypoint so a new entrypoint can chain to it. */
    public static final String ENTRY_CHAIN_VAR = "WAVE_ENTRY_CHAIN";
    private static final String HISTORY_CREATED_BY = "swell: containerConfig layer";

    private ImageAugmenter() {}

    /** An augmented image manifest and the config blob it references. */
    public record Augmented(RawManifest manifest, byte[] config, Digest configDigest) {}

    /**
     * Augments one image manifest.
     *
     * @param manifest    the upstream manifest (OCI or Docker schema 2)
     * @param configBytes the upstream config blob it references
     */
    public static Augmented augment(RawManifest manifest, byte[] configBytes, ConfigChanges changes) {
        ImageManifest m = OciJson.manifest(manifest.bytes());
        byte[] newConfig = OciJson.write(augmentConfig(OciJson.config(configBytes), changes));
        Digest configDigest = Digest.sha256(newConfig);
        Descriptor configDescriptor = m.config().withContent(m.config().mediaType(), configDigest, newConfig.length);
        String layerType = MediaTypes.gzipLayerFor(manifest.mediaType());
        List<Descriptor> extra = changes.layers().stream()
                .map(l -> Descriptor.of(layerType, l.gzipDigest(), l.gzipSize()))
                .toList();
        byte[] bytes = OciJson.write(m.withConfigAndExtraLayers(configDescriptor, extra));
        return new Augmented(RawManifest.of(bytes, manifest.mediaType()), newConfig, configDigest);
    }

    /** Applies the changes to a config: env merged, entrypoint/cmd/workdir replaced, diff ids and history added. */
    public static ImageConfig augmentConfig(ImageConfig config, ConfigChanges changes) {
        ImageConfig.RunConfig run = config.config() == null ? ImageConfig.RunConfig.EMPTY : config.config();
        List<String> env = mergeEnv(run.env(), changes.env());
        if (run.entrypoint() != null && !run.entrypoint().isEmpty()) {
            env = mergeEnv(env, List.of(ENTRY_CHAIN_VAR + "=" + String.join(" ", run.entrypoint())));
        }
        ImageConfig.RunConfig newRun = new ImageConfig.RunConfig(
                env.isEmpty() ? run.env() : env,
                changes.entrypoint().isEmpty() ? run.entrypoint() : changes.entrypoint(),
                changes.cmd().isEmpty() ? run.cmd() : changes.cmd(),
                changes.workingDir() == null ? run.workingDir() : changes.workingDir(),
                run.other());
        ImageConfig.RootFs rootfs = config.rootfs() == null
                ? new ImageConfig.RootFs("layers", List.of(), null) : config.rootfs();
        List<String> diffIds = new ArrayList<>(rootfs.diffIds() == null ? List.of() : rootfs.diffIds());
        changes.layers().forEach(l -> diffIds.add(l.tarDigest().toString()));
        List<ImageConfig.History> history = config.history();
        if (history != null && !changes.layers().isEmpty()) {
            history = new ArrayList<>(history);
            for (int i = 0; i < changes.layers().size(); i++) {
                history.add(new ImageConfig.History(null, HISTORY_CREATED_BY, null, null, null, null));
            }
        }
        return new ImageConfig(config.architecture(), config.os(), config.variant(), newRun,
                new ImageConfig.RootFs(rootfs.type() == null ? "layers" : rootfs.type(), diffIds, rootfs.other()),
                history, config.other());
    }

    /**
     * Rewrites an index: entries accepted by {@code keep} are replaced by their augmented manifest (looked up by
     * the entry's digest in {@code replacements}), all other entries are dropped.
     */
    public static RawManifest rewriteIndex(RawManifest index, Predicate<Descriptor> keep,
            Map<String, RawManifest> replacements) {
        ImageIndex idx = OciJson.index(index.bytes());
        List<Descriptor> entries = new ArrayList<>();
        for (Descriptor d : idx.manifests()) {
            if (!keep.test(d)) {
                continue;
            }
            RawManifest replacement = replacements.get(d.digest());
            entries.add(replacement == null ? d
                    : d.withContent(d.mediaType(), replacement.digest(), replacement.bytes().length));
        }
        return RawManifest.of(OciJson.write(idx.withManifests(entries)), index.mediaType());
    }

    private static List<String> mergeEnv(List<String> base, List<String> added) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (List<String> list : List.of(base == null ? List.<String>of() : base, added)) {
            for (String entry : list) {
                int eq = entry.indexOf('=');
                merged.put(eq < 0 ? entry : entry.substring(0, eq), entry);
            }
        }
        return List.copyOf(merged.values());
    }
}
