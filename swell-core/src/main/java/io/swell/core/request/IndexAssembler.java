package io.swell.core.request;

import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import io.swell.core.build.BuildLog;
import io.swell.core.build.BuildOutcome;
import io.swell.core.build.BuildService;
import io.swell.core.images.BuiltinImageStore;
import io.swell.core.store.BuildRecord;
import io.swell.core.store.ContentStore;
import io.swell.core.store.ImageTagStore;
import io.swell.oci.Descriptor;
import io.swell.oci.ImageIndex;
import io.swell.oci.ImageRef;
import io.swell.oci.MediaTypes;
import io.swell.oci.OciJson;
import io.swell.oci.RawManifest;
import io.swell.registry.RegistryClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Finishes a multi-platform build: waits for every platform build, then writes an OCI image index pointing at
 * their manifests under the parent name (a manifest PUT to the registry, or the built-in store).
 */
final class IndexAssembler {
    private final BuildService builds;
    private final BuiltinImageStore builtin;
    private final RegistryClient registry;
    private final ContentStore content;

    IndexAssembler(BuildService builds, BuiltinImageStore builtin, RegistryClient registry, ContentStore content) {
        this.builds = builds;
        this.builtin = builtin;
        this.registry = registry;
        this.content = content;
    }

    BuildOutcome assemble(ImageRef parent, List<PlatformPart> parts, BuildLog log) throws InterruptedException {
        List<Descriptor> entries = new ArrayList<>();
        for (PlatformPart part : parts) {
            if (part.build() != null) {
                log.line("Waiting for " + part.platform() + " build " + part.build().buildId());
                BuildRecord done = builds.await(part.build().buildId(), builds.maxWait());
                if (done.state() != BuildRecord.State.SUCCEEDED) {
                    return BuildOutcome.failure(-1, "The " + part.platform() + " build " + done.buildId()
                            + " failed" + (done.reason() == null ? "" : ": " + done.reason()));
                }
            }
            RawManifest manifest = manifestOf(part.image());
            String[] osArch = part.platform().split("/");
            entries.add(new Descriptor(manifest.mediaType(), manifest.digest().toString(), manifest.bytes().length,
                    null, null, new Descriptor.Platform(osArch[1], osArch[0], null, null, null, null), null, null));
            log.line(part.platform() + ": " + part.image() + " " + manifest.digest());
        }
        ImageIndex index = new ImageIndex(2, MediaTypes.OCI_INDEX, null, entries, null, null, null);
        RawManifest bytes = RawManifest.of(OciJson.write(index), MediaTypes.OCI_INDEX);
        if (builtin.holds(parent)) {
            content.put(bytes.bytes(), bytes.mediaType());
            builtin.tag(parent.repository(), parent.tag(),
                    new ImageTagStore.TaggedManifest(bytes.digest().toString(), bytes.mediaType()));
        } else {
            registry.putManifest(parent, bytes);
        }
        log.line("Wrote index " + parent + " " + bytes.digest());
        return BuildOutcome.success(bytes.digest().toString());
    }

    private RawManifest manifestOf(ImageRef image) {
        if (builtin.holds(image)) {
            return builtin.manifest(image.repository(), image.tag()).orElseThrow(() ->
                    new SwellException(ErrorCode.MANIFEST_UNKNOWN, "Built image " + image + " is missing"));
        }
        return registry.getManifest(image);
    }
}
