package io.swell.testing;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's headless Chromium as a test client for HTML pages: loads a page the way a browser does (parsing, CSS,
 * any script the page would run) and returns the resulting DOM.
 */
public final class Chromium {
    private Chromium() {}

    /** The DOM of {@code page} after it loaded, serialised by the browser. */
    public static String dumpDom(URI page) {
        Path profile = TempDirs.create("swell-chromium-");
        try {
            return ToolCommand.run(Duration.ofMinutes(1), List.of("chromium", "--headless", "--no-sandbox",
                    "--disable-gpu", "--no-first-run", "--disable-extensions", "--user-data-dir=" + profile,
                    "--virtual-time-budget=2000", "--dump-dom", page.toString()));
        } finally {
            TempDirs.deleteRecursively(profile);
        }
    }
}
