package io.swell.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Swell's version and commit, filtered into {@code swell-build.properties} by Maven. */
final class BuildInfo {
    private static final Properties PROPS = load();

    private BuildInfo() {}

    static String version() {
        return PROPS.getProperty("version", "unknown");
    }

    static String commit() {
        String commit = System.getenv("SWELL_COMMIT");
        return commit != null ? commit : PROPS.getProperty("commit", "unknown");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/swell-build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // Version stays "unknown".
        }
        return p;
    }
}
