package io.swell.server.it;

import io.swell.server.SwellServer;
import io.swell.server.config.ConfigLoader;
import io.swell.server.config.SwellConfig;
import io.swell.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A Swell server running in the test JVM on a free 127.0.0.1 port, configured from a YAML text and
 * {@code SWELL_*} variables exactly as {@code swell serve} would be.
 */
final class SwellInstance implements AutoCloseable {

    private static final int BIND_ATTEMPTS = 3;

    private final SwellServer server;
    private final Path dataDir;

    private SwellInstance(SwellServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    /** Starts Swell with no configuration file. */
    static SwellInstance start(Path workDir) {
        return start(workDir, null, Map.of());
    }

    /** Starts Swell with {@code yaml} (may be {@code null}) as its configuration file. */
    static SwellInstance start(Path workDir, String yaml) {
        return start(workDir, yaml, Map.of());
    }

    /**
     * Starts Swell on a free port; another attempt (with a fresh data dir, since a failed start may leave the
     * first one's database open) is made when the port was taken between picking and binding.
     */
    static SwellInstance start(Path workDir, String yaml, Map<String, String> extraEnv) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
            Path dataDir = workDir.resolve(attempt == 1 ? "data" : "data-" + attempt);
            try {
                return startOn(FreePorts.pick(), dataDir, workDir, yaml, extraEnv);
            } catch (RuntimeException e) {
                last = e;
                if (!String.valueOf(rootCause(e).getMessage()).contains("bind")) {
                    throw e;
                }
            }
        }
        throw last;
    }

    /** Starts Swell on a given port and data dir (used to restart a server where the last one was). */
    static SwellInstance startOn(int port, Path dataDir, Path workDir, String yaml, Map<String, String> extraEnv) {
        try {
            Files.createDirectories(workDir);
            Path configFile = null;
            if (yaml != null) {
                configFile = workDir.resolve("swell.yml");
                Files.writeString(configFile, yaml);
            }
            Map<String, String> env = new HashMap<>(extraEnv);
            env.put("SWELL_PORT", Integer.toString(port));
            env.put("SWELL_BIND_ADDRESS", "127.0.0.1");
            env.put("SWELL_SERVER_URL", "http://127.0.0.1:" + port);
            env.put("SWELL_DATA_DIR", dataDir.toString());
            SwellConfig config = ConfigLoader.load(configFile, env);
            return new SwellInstance(SwellServer.start(config), dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Swell did not start on port " + port, e);
        }
    }

    int port() {
        return server.port();
    }

    /** {@code 127.0.0.1:PORT}, the registry part of the image names this server hands out. */
    String host() {
        return "127.0.0.1:" + port();
    }

    URI uri(String path) {
        return URI.create("http://" + host() + path);
    }

    Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (Exception e) {
            throw new IllegalStateException("Swell did not stop cleanly", e);
        }
    }

    private static Throwable rootCause(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
