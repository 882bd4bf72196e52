package io.swell.build.local;

import io.swell.core.build.BuildJob;
import io.swell.core.build.BuildLog;
import io.swell.core.build.BuildOutcome;
import io.swell.core.build.SquashfsImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a SIF image with a configured {@code singularity} or {@code apptainer} binary instead of buildah +
 * mksquashfs: {@code <binary> build --force image.sif <definition>} run in the build context (where relative
 * {@code %files} sources are found), with the definition's {@code {{wave_context_dir}}} pointing at it, as Wave
 * runs it. The SIF is then pushed by Swell like its own.
 */
final class SingularityBinaryBuild {

    private final BuildahSettings settings;
    private final BuildJob job;
    private final BuildLog log;

    SingularityBinaryBuild(BuildahSettings settings, BuildJob job, BuildLog log) {
        this.settings = settings;
        this.job = job;
        this.log = log;
    }

    BuildOutcome run(SquashfsImage image, BuildScratch scratch, Map<String, String> buildEnvironment,
            long deadline) throws InterruptedException {
        String hostPlatform = "linux/" + ("aarch64".equals(System.getProperty("os.arch")) ? "arm64" : "amd64");
        if (!job.platform().equals(hostPlatform)) {
            return BuildOutcome.failure(-1, "The configured singularity binary builds " + hostPlatform
                    + " images only; this build is for " + job.platform());
        }
        Path outDir = job.workDir().resolve("sif");
        Path definition = job.workDir().resolve("Singularity.def");
        Path sif = outDir.resolve("image.sif");
        try {
            Files.createDirectories(outDir);
            Files.writeString(definition, image.definition().replace("{{wave_context_dir}}",
                    job.context().toAbsolutePath().toString()), StandardCharsets.UTF_8);
            // singularity and apptainer read registry credentials from these files under HOME.
            for (String dir : List.of(".singularity", ".apptainer")) {
                Path config = Files.createDirectories(scratch.home().resolve(dir)).resolve("docker-config.json");
                Files.copy(scratch.authFile(), config, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            return BuildOutcome.failure(-1, "Cannot prepare the singularity build: " + e.getMessage());
        }
        List<String> command = new ArrayList<>(List.of(settings.singularityBinary(), "build", "--force"));
        if (settings.insecureRegistries().contains(ImageNames.registryOf(image.baseImage()))) {
            command.add("--nohttps");
        }
        command.addAll(List.of(sif.toString(), definition.toString()));
        Map<String, String> environment = new HashMap<>(buildEnvironment);
        environment.put("SINGULARITY_CACHEDIR", settings.runRoot().resolve("singularity-cache").toString());
        environment.put("APPTAINER_CACHEDIR", settings.runRoot().resolve("singularity-cache").toString());
        log.line("Building the SIF image with " + settings.singularityBinary());
        BuildahProcess.Result build = BuildahProcess.run(command, environment, job.context(), deadline, log);
        if (!build.succeeded()) {
            return BuildahBuildStrategy.failed(job, build, settings.singularityBinary() + " build", log);
        }
        if (!Files.isRegularFile(sif)) {
            return BuildOutcome.failure(-1, settings.singularityBinary() + " build wrote no SIF file");
        }
        return image.publishSif(sif, log);
    }
}
