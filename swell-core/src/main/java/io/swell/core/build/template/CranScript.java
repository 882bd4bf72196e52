package io.swell.core.build.template;

import io.swell.api.SwellException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Computes the R expressions of the {@code cran/installr:v1} template from validated CRAN entries and repositories. */
final class CranScript {

    static final String CRAN_URL = "https://cloud.r-project.org";
    static final String BIOC_URL = "https://bioconductor.org";

    private CranScript() {}

    /**
     * Puts {@code cran_repos}, {@code bioc_mirror}, {@code cran_packages}, {@code pinned_packages},
     * {@code bioc_packages}, {@code url_packages} and {@code check_packages} into {@code values}.
     *
     * <p>Channels: {@code cran} is the CRAN cloud mirror, {@code bioconductor} sets the Bioconductor mirror, an
     * http(s) URL is a custom repository (the first one is named CRAN unless {@code cran} is listed); with no
     * repository at all, CRAN is the cloud mirror.
     */
    static void fill(List<String> entries, List<String> channels, Map<String, String> values) {
        List<String> repos = new ArrayList<>();
        List<String> custom = new ArrayList<>();
        boolean cran = false;
        boolean bioc = false;
        for (String channel : channels) {
            if ("cran".equals(channel)) {
                cran = true;
            } else if ("bioconductor".equals(channel)) {
                bioc = true;
            } else if (PackageValidation.isUrl(channel)) {
                custom.add(PackageValidation.url("packages.channels", channel));
            } else {
                throw PackageValidation.bad("packages.channels", String.valueOf(channel),
                        "expected 'cran', 'bioconductor' or an http(s) repository URL");
            }
        }
        if (cran || custom.isEmpty()) {
            repos.add("CRAN = " + quoted(CRAN_URL));
        }
        for (String url : custom) {
            repos.add((repos.isEmpty() ? "CRAN" : "REPO" + repos.size()) + " = " + quoted(url));
        }
        values.put("cran_repos", String.join(", ", repos));
        values.put("bioc_mirror", bioc ? BIOC_URL : "");

        List<String> plain = new ArrayList<>();
        List<String> pinned = new ArrayList<>();
        List<String> biocPackages = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String entry : entries) {
            PackageValidation.cranEntry("packages.entries", entry);
            if (PackageValidation.isUrl(entry)) {
                urls.add(entry);
            } else if (entry.startsWith("bioc::")) {
                biocPackages.add(entry.substring("bioc::".length()));
                names.add(entry.substring("bioc::".length()));
            } else if (entry.contains("=")) {
                String name = entry.substring(0, entry.indexOf('='));
                String version = entry.substring(entry.indexOf('=') + 1);
                pinned.add("remotes::install_version(" + quoted(name) + ", version = " + quoted(version) + ")");
                names.add(name);
            } else {
                plain.add(entry);
                names.add(entry);
            }
        }
        if (names.isEmpty() && urls.isEmpty()) {
            throw SwellException.badRequest("Missing R packages in 'packages.entries'");
        }
        values.put("cran_packages", list(plain));
        values.put("pinned_packages", String.join("; ", pinned));
        values.put("bioc_packages", list(biocPackages));
        values.put("url_packages", list(urls));
        values.put("check_packages", list(names));
    }

    private static String list(List<String> items) {
        return items.stream().map(CranScript::quoted).collect(Collectors.joining(", "));
    }

    /** An R single-quoted string; the values are validated to contain no quote, backslash or shell character. */
    private static String quoted(String value) {
        return "'" + value + "'";
    }
}
