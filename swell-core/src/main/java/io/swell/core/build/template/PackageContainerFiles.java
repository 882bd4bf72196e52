package io.swell.core.build.template;

import io.swell.api.PackagesSpec;
import io.swell.api.SwellException;
import io.swell.oci.ImageRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Turns a request's {@code packages} into a container file (Docker or Singularity) from Swell's templates. */
public final class PackageContainerFiles {

    public static final String MICROMAMBA_V1 = "conda/micromamba:v1";
    public static final String MICROMAMBA_V2 = "conda/micromamba:v2";
    public static final String PIXI_V1 = "conda/pixi:v1";
    public static final String INSTALLR_V1 = "cran/installr:v1";

    static final String MAMBA_V1_IMAGE = "mambaorg/micromamba:1.5.10-noble";
    static final String MAMBA_V2_IMAGE = "mambaorg/micromamba:2-amazon2023";
    static final String BASE_IMAGE = "ubuntu:24.04";
    static final String PIXI_IMAGE = "public.cr.seqera.io/wave/pixi:0.61.0-noble";
    static final String CONDA_BASE_PACKAGES = "conda-forge::procps-ng";
    static final String R_IMAGE = "rocker/r-ver:4.4.1";
    static final String R_BASE_PACKAGES = "littler r-cran-docopt";

    /** Every template resource, by build template: {@code <file stem>.Dockerfile} and {@code .singularity}. */
    static final Map<String, String> TEMPLATE_FILES = Map.of(
            MICROMAMBA_V1, "conda-micromamba-v1",
            MICROMAMBA_V2, "conda-micromamba-v2",
            PIXI_V1, "conda-pixi-v1",
            INSTALLR_V1, "cran-installr-v1");

    /** Where the micromamba templates copy {@code conda.yml}: Docker and Singularity. */
    private static final String DOCKER_CONDA_FILE = "/tmp/conda.yml";
    private static final String SINGULARITY_CONDA_FILE = "/scratch/conda.yml";

    /**
     * What a package build needs.
     *
     * @param template      the build template used
     * @param containerFile the Dockerfile or Singularity definition
     * @param condaFile     the {@code conda.yml} to put at the root of the build context, or null (lock URL, CRAN)
     * @param lockUrl       the remote lock file installed instead of a conda file, or null
     */
    public record Generated(String template, String containerFile, String condaFile, String lockUrl) {}

    private PackageContainerFiles() {}

    /**
     * Generates the container file for {@code packages}.
     *
     * @param buildTemplate one of the four templates, or null for the default of the package type (CONDA →
     *                      {@code conda/micromamba:v2}, CRAN → {@code cran/installr:v1})
     * @param singularity   whether to produce a Singularity definition instead of a Dockerfile
     * @throws SwellException 400 for a missing/unknown type or template, a bad combination, or any invalid value
     */
    public static Generated generate(PackagesSpec packages, String buildTemplate, boolean singularity) {
        if (packages == null || packages.type() == null) {
            throw SwellException.badRequest("Missing package type - expected CONDA or CRAN");
        }
        String template = resolveTemplate(packages.type(), buildTemplate);
        boolean hasEntries = packages.entries() != null && !packages.entries().isEmpty();
        boolean hasEnvironment = packages.environment() != null && !packages.environment().isBlank();
        if (hasEntries && hasEnvironment) {
            throw SwellException.badRequest("Specify either 'packages.entries' or 'packages.environment', not both");
        }
        if (!hasEntries && !hasEnvironment) {
            throw SwellException.badRequest("Missing 'packages.entries' or 'packages.environment'");
        }
        Map<String, String> values = new HashMap<>();
        Generated generated = template.equals(INSTALLR_V1)
                ? cran(packages, hasEnvironment, singularity, values)
                : conda(packages, template, hasEntries, singularity, values);
        String stem = TEMPLATE_FILES.get(template) + (singularity ? ".singularity" : ".Dockerfile");
        String file = TemplateRenderer.render(TemplateRenderer.load(stem), values);
        return new Generated(template, file, generated.condaFile(), generated.lockUrl());
    }

    private static String resolveTemplate(String type, String buildTemplate) {
        if (!type.equals("CONDA") && !type.equals("CRAN")) {
            throw SwellException.badRequest("Unsupported package type '" + type + "' - expected CONDA or CRAN");
        }
        if (buildTemplate == null || buildTemplate.isBlank()) {
            return type.equals("CONDA") ? MICROMAMBA_V2 : INSTALLR_V1;
        }
        if (!TEMPLATE_FILES.containsKey(buildTemplate)) {
            throw SwellException.badRequest("Unsupported build template '" + buildTemplate + "' - expected one of "
                    + String.join(", ", List.of(MICROMAMBA_V1, MICROMAMBA_V2, PIXI_V1, INSTALLR_V1)));
        }
        if (buildTemplate.startsWith("conda/") != type.equals("CONDA")) {
            throw SwellException.badRequest(
                    "Build template '" + buildTemplate + "' cannot be used with package type " + type);
        }
        return buildTemplate;
    }

    private static Generated conda(
            PackagesSpec packages, String template, boolean hasEntries, boolean singularity, Map<String, String> values) {
        List<String> channels = new ArrayList<>();
        for (String channel : orEmpty(packages.channels())) {
            channels.add(PackageValidation.condaChannel("packages.channels", channel));
        }
        String condaFile = null;
        String lockUrl = null;
        List<String> entries = orEmpty(packages.entries());
        if (hasEntries && entries.stream().anyMatch(PackageValidation::isUrl)) {
            if (entries.size() > 1) {
                throw SwellException.badRequest("A lock file URL in 'packages.entries' must be the only entry");
            }
            if (template.equals(PIXI_V1)) {
                throw SwellException.badRequest("Lock file URLs are not supported by build template " + PIXI_V1);
            }
            lockUrl = PackageValidation.url("packages.entries", entries.get(0));
        } else if (hasEntries) {
            List<String> specs = new ArrayList<>();
            for (String entry : entries) {
                specs.add(PackageValidation.condaSpec("packages.entries", entry));
            }
            condaFile = CondaEnvironmentFile.fromEntries(specs, channels);
        } else {
            condaFile = CondaEnvironmentFile.fromEnvironment(packages.environment(), channels);
        }
        values.put("env_file", condaFile != null ? "true" : "");
        String file = singularity ? SINGULARITY_CONDA_FILE : DOCKER_CONDA_FILE;
        values.put("target", "-f " + (lockUrl != null ? shellQuoted(lockUrl) : file));
        if (template.equals(PIXI_V1)) {
            PackagesSpec.PixiOpts opts = packages.pixiOpts() != null
                    ? packages.pixiOpts() : new PackagesSpec.PixiOpts(null, null, null, null);
            values.put("pixi_image", image("packages.pixiOpts.pixiImage", opts.pixiImage(), PIXI_IMAGE));
            values.put("base_image", image("packages.pixiOpts.baseImage", opts.baseImage(), BASE_IMAGE));
            values.put("base_packages", shellWords(PackageValidation.condaPackages("packages.pixiOpts.basePackages",
                    orDefault(opts.basePackages(), CONDA_BASE_PACKAGES))));
            values.put("commands", commands("packages.pixiOpts.commands", opts.commands(), singularity));
        } else {
            PackagesSpec.CondaOpts opts = packages.condaOpts() != null
                    ? packages.condaOpts() : new PackagesSpec.CondaOpts(null, null, null, null);
            boolean v2 = template.equals(MICROMAMBA_V2);
            String mamba = image("packages.condaOpts.mambaImage", opts.mambaImage(), v2 ? MAMBA_V2_IMAGE : MAMBA_V1_IMAGE);
            values.put("mamba_image", v2 && isMicromambaV1(mamba) ? MAMBA_V2_IMAGE : mamba);
            values.put("base_image", image("packages.condaOpts.baseImage", opts.baseImage(), BASE_IMAGE));
            values.put("base_packages", shellWords(PackageValidation.condaPackages("packages.condaOpts.basePackages",
                    orDefault(opts.basePackages(), CONDA_BASE_PACKAGES))));
            values.put("commands", commands("packages.condaOpts.commands", opts.commands(), singularity));
        }
        return new Generated(template, null, condaFile, lockUrl);
    }

    private static Generated cran(
            PackagesSpec packages, boolean hasEnvironment, boolean singularity, Map<String, String> values) {
        if (hasEnvironment) {
            throw SwellException.badRequest("'packages.environment' is not supported for CRAN packages - use 'entries'");
        }
        PackagesSpec.CranOpts opts = packages.cranOpts() != null
                ? packages.cranOpts() : new PackagesSpec.CranOpts(null, null, null);
        values.put("r_image", image("packages.cranOpts.rImage", opts.rImage(), R_IMAGE));
        values.put("base_packages", PackageValidation.aptPackages("packages.cranOpts.basePackages",
                orDefault(opts.basePackages(), R_BASE_PACKAGES)));
        values.put("commands", commands("packages.cranOpts.commands", opts.commands(), singularity));
        CranScript.fill(orEmpty(packages.entries()), orEmpty(packages.channels()), values);
        return new Generated(INSTALLR_V1, null, null, null);
    }

    /** Whether {@code image} is a micromamba 1.x image, which the v2 template replaces with its default. */
    static boolean isMicromambaV1(String image) {
        ImageRef ref = ImageRef.parse(image);
        return (ref.repository().equals("micromamba") || ref.repository().endsWith("/micromamba"))
                && ref.tag() != null && ref.tag().startsWith("1.");
    }

    private static String image(String field, String value, String fallback) {
        return PackageValidation.image(field, value == null || value.isBlank() ? fallback : value);
    }

    private static String commands(String field, List<String> commands, boolean singularity) {
        List<String> lines = PackageValidation.commands(field, commands, singularity);
        String indent = singularity ? "    " : "";
        return String.join("\n", lines.stream().map(line -> indent + line).toList());
    }

    /**
     * Single-quotes each space-separated word so version operators ({@code >}, {@code <}, {@code *}) are not
     * redirections or globs; the words are validated and contain no quote.
     */
    private static String shellWords(String words) {
        if (words.isEmpty()) {
            return "";
        }
        return String.join(" ", Stream.of(words.split(" ")).map(PackageContainerFiles::shellQuoted).toList());
    }

    private static String shellQuoted(String word) {
        return "'" + word + "'";
    }

    /** Null means "use the default"; an explicit blank means "none". */
    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }
}
