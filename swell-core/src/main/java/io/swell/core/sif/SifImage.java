package io.swell.core.sif;

import io.swell.api.SwellException;
import io.swell.core.build.BuildLog;
import io.swell.core.build.BuildOutcome;
import io.swell.core.build.SquashfsImage;
import io.swell.oci.Digest;
import io.swell.oci.ImageRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;

/**
 * The Singularity image of one build: completes the built root filesystem with the {@code /.singularity.d}
 * metadata, wraps the squashfs in a SIF file laid out as {@code singularity build} lays it out, and pushes it as an
 * ORAS artifact to {@code oras://<target>}.
 */
public final class SifImage implements SquashfsImage {

    private final SingularityDefinition definition;
    private final ImageRef target;
    private final OrasArtifact.Destination destination;
    private final Clock clock;
    /** Read from the completed root filesystem in {@link #prepare}, stored in the SIF by {@link #publish}. */
    private volatile String inspectMetadata;

    /** A SIF image built from {@code definition}, stored as {@code target} ({@code registry/repository:tag}). */
    public SifImage(SingularityDefinition definition, ImageRef target, OrasArtifact.Destination destination,
            Clock clock) {
        this.definition = definition;
        this.target = target;
        this.destination = destination;
        this.clock = clock;
    }

    @Override
    public void prepare(Path rootfs, String imageConfigJson) throws IOException {
        SingularityRootFs.complete(rootfs, definition, imageConfigJson, clock.instant());
        inspectMetadata = SingularityRootFs.inspectMetadata(definition, rootfs);
    }

    @Override
    public BuildOutcome publish(Path squashfs, String imageConfigJson, String platform, Path workDir, BuildLog log)
            throws InterruptedException {
        if (inspectMetadata == null) {
            throw new IllegalStateException("publish before prepare");
        }
        Path sif = workDir.resolve(OrasArtifact.TITLE);
        try {
            SifContent content = new SifContent(definition.text(), List.of(
                    new SifJson("inspect-metadata.json", inspectMetadata),
                    new SifJson("oci-config.json", SingularityRootFs.ociConfig(imageConfigJson))),
                    squashfs, SifArch.fromPlatform(platform));
            SifWriter.system().write(content, sif);
        } catch (IOException | IllegalArgumentException e) {
            String reason = "Cannot write the SIF image: " + e.getMessage();
            log.line("ERROR: " + reason);
            return BuildOutcome.failure(-1, reason);
        }
        return publishSif(sif, log);
    }

    @Override
    public String definition() {
        return definition.text();
    }

    @Override
    public String baseImage() {
        return definition.from();
    }

    @Override
    public BuildOutcome publishSif(Path sif, BuildLog log) {
        String where = "oras://" + target;
        try {
            Digest digest = sha256(sif);
            log.line("SIF image: " + Files.size(sif) + " bytes, " + digest);
            log.line("Pushing " + where);
            Digest manifest = destination.store(sif, digest);
            log.line("Pushed " + where + " (manifest " + manifest + ")");
            return BuildOutcome.success(manifest.toString());
        } catch (SwellException e) {
            String reason = "Cannot push the SIF image to " + where + ": " + e.getMessage();
            log.line("ERROR: " + reason);
            return BuildOutcome.failure(-1, reason);
        } catch (IOException e) {
            String reason = "Cannot read the SIF image: " + e.getMessage();
            log.line("ERROR: " + reason);
            return BuildOutcome.failure(-1, reason);
        }
    }

    private static Digest sha256(Path file) throws IOException {
        MessageDigest md = Digest.newSha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return Digest.of(md);
    }
}
