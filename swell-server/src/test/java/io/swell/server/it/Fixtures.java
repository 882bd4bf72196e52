package io.swell.server.it;

import io.swell.testing.LocalRegistry;
import io.swell.testing.TestImages;
import java.nio.file.Path;
import java.util.Map;

/** Small shared steps of the end-to-end tests' set-up and tear-down. */
final class Fixtures {
    private Fixtures() {}

    /** An open local registry holding the busybox test image as {@code lib/busybox:1} (layout made in {@code dir}). */
    static LocalRegistry registryWithBusybox(Path dir) {
        LocalRegistry registry = LocalRegistry.open();
        TestImages.push(TestImages.singleArchLayout(dir, "1", Map.of()), registry.hostPort() + "/lib/busybox:1", null);
        return registry;
    }

    /** Closes every fixture in order, skipping nulls and carrying on past failures (the temp dirs go anyway). */
    static void closeAll(AutoCloseable... fixtures) {
        for (AutoCloseable c : fixtures) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("closing " + c + " failed: " + e);
            }
        }
    }
}
