package io.swell.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** A real Docker distribution registry ({@code docker-registry serve}) on a free 127.0.0.1 port. */
public final class LocalRegistry implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);
    private static final int BIND_ATTEMPTS = 3;
    private static final String BINARY = "docker-registry";

    private final Path workDir;
    private final ManagedProcess process;
    private final int port;

    private LocalRegistry(Path workDir, ManagedProcess process, int port) {
        this.workDir = workDir;
        this.process = process;
        this.port = port;
    }

    /** Starts a registry that anyone may pull from and push to. */
    public static LocalRegistry open() {
        return start("open", workDir -> "");
    }

    /** Starts a registry that requires HTTP Basic credentials (bcrypt htpasswd file). */
    public static LocalRegistry withBasicAuth(String user, String password) {
        return start("basic", workDir -> {
            String line = ToolCommand.run(Duration.ofSeconds(30), List.of("htpasswd", "-Bbn", user, password));
            Path htpasswd = workDir.resolve("htpasswd");
            write(htpasswd, line.strip() + "\n");
            return """
                    auth:
                      htpasswd:
                        realm: swell-test
                        path: %s
                    """.formatted(yamlString(htpasswd.toString()));
        });
    }

    /** Starts a registry that accepts only bearer tokens signed by {@code issuer}. */
    public static LocalRegistry withTokenAuth(TokenIssuer issuer) {
        return start("token", workDir -> """
                auth:
                  token:
                    realm: %s
                    service: %s
                    issuer: %s
                    rootcertbundle: %s
                """.formatted(yamlString(issuer.realm().toString()), yamlString(issuer.service()),
                yamlString(issuer.issuer()), yamlString(issuer.certBundle().toString())));
    }

    /** Creates the work dir, lets {@code auth} put its files there and return its YAML, then starts. */
    private static LocalRegistry start(String label, Function<Path, String> auth) {
        Path workDir = TempDirs.create("swell-registry-" + label + "-");
        try {
            return start(workDir, auth.apply(workDir));
        } catch (RuntimeException e) {
            TempDirs.deleteRecursively(workDir);
            throw e;
        }
    }

    private static LocalRegistry start(Path workDir, String authYaml) {
        IllegalStateException last = null;
        // A port picked as free may be taken before the registry binds it; retry with another.
        for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
            int port = FreePorts.pick();
            Path config = workDir.resolve("config.yml");
            write(config, configYaml(workDir.resolve("storage"), port, authYaml));
            Path log = workDir.resolve("registry-" + attempt + ".log");
            ManagedProcess process = ManagedProcess.start(List.of(BINARY, "serve", config.toString()), log);
            LocalRegistry registry = new LocalRegistry(workDir, process, port);
            try {
                registry.awaitReady();
                return registry;
            } catch (IllegalStateException e) {
                process.close();
                last = e;
                if (!process.logTail(50).contains("address already in use")) {
                    break;
                }
            }
        }
        throw last;
    }

    private static String configYaml(Path storage, int port, String authYaml) {
        return """
                version: 0.1
                log:
                  level: info
                  formatter: text
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                  maintenance:
                    uploadpurging:
                      enabled: false
                http:
                  addr: 127.0.0.1:%d
                  secret: %s
                health:
                  storagedriver:
                    enabled: false
                %s""".formatted(yamlString(storage.toString()), port, UUID.randomUUID(), authYaml);
    }

    private void awaitReady() {
        HttpRequest ping = HttpRequest.newBuilder(baseUri().resolve("/v2/"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw notReady("exited before answering");
                }
                // The log line proves our process holds the port; the answer proves it is serving.
                if (process.logTail(200).contains("listening on " + hostPort()) && answersAsRegistry(client, ping)) {
                    return;
                }
                sleep(Duration.ofMillis(50));
            }
        }
        throw notReady("did not answer GET /v2/ within " + READY_TIMEOUT);
    }

    /** Any answer counts (200 open, 401 with auth) as long as it comes from a distribution server. */
    private static boolean answersAsRegistry(HttpClient client, HttpRequest ping) {
        try {
            HttpResponse<Void> response = client.send(ping, HttpResponse.BodyHandlers.discarding());
            Optional<String> api = response.headers().firstValue("Docker-Distribution-Api-Version");
            return api.filter(v -> v.startsWith("registry/2")).isPresent();
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the registry", e);
        }
    }

    private IllegalStateException notReady(String why) {
        return new IllegalStateException("docker-registry on " + hostPort() + " " + why
                + "; log " + process.logFile() + " ends with:\n" + process.logTail(40));
    }

    /** Returns "127.0.0.1:PORT", the form used in image references. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** Returns the port the registry listens on. */
    public int port() {
        return port;
    }

    /** Returns {@code http://127.0.0.1:PORT}. */
    public URI baseUri() {
        return URI.create("http://" + hostPort());
    }

    /** Returns the directory the registry stores blobs and manifests in. */
    public Path storageDir() {
        return workDir.resolve("storage");
    }

    /** Returns the registry's process id. */
    public long pid() {
        return process.pid();
    }

    /** Returns the last lines of the registry's log, handy when a test fails. */
    public String logTail(int lines) {
        return process.logTail(lines);
    }

    /** Stops the registry by PID and deletes its storage, config and log. */
    @Override
    public void close() {
        process.close();
        TempDirs.deleteRecursively(workDir);
    }

    @Override
    public String toString() {
        return "LocalRegistry[" + hostPort() + ", pid=" + pid() + "]";
    }

    /** Double-quoted YAML scalar, so temp paths and URLs never need thought about special characters. */
    private static String yamlString(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the registry", e);
        }
    }
}
