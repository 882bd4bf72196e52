package io.swell.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A throw-away PostgreSQL server from Debian's {@code postgresql} package: a fresh cluster in a temp dir, run as the
 * {@code postgres} user (PostgreSQL refuses root) on 127.0.0.1 and a free port, trusting local connections, stopped
 * by its PID. {@link #newDatabase()} gives each test its own empty database.
 */
public final class LocalPostgres implements AutoCloseable {
    /** The superuser the cluster is created with. */
    public static final String USER = "swell";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final int BIND_ATTEMPTS = 3;

    private final Path workDir;
    private final ManagedProcess process;
    private final int port;

    private LocalPostgres(Path workDir, ManagedProcess process, int port) {
        this.workDir = workDir;
        this.process = process;
        this.port = port;
    }

    /** Creates a cluster and starts the server; fails with the server's log when it does not come up. */
    public static LocalPostgres start() {
        Path bin = binDir();
        Path workDir = TempDirs.create("swell-postgres-");
        try {
            Path data = workDir.resolve("data");
            Files.createDirectories(data);
            ToolCommand.run(Duration.ofSeconds(30), List.of("chown", "-R", "postgres:postgres", workDir.toString()));
            ToolCommand.run(Duration.ofMinutes(1), asPostgres(bin.resolve("initdb"), "-D", data.toString(), "-U",
                    USER, "-A", "trust", "--no-sync", "-E", "UTF8", "--locale", "C"));
            IllegalStateException last = null;
            for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
                int port = FreePorts.pick();
                Path log = workDir.resolve("postgres-" + attempt + ".log");
                ManagedProcess process = ManagedProcess.start(asPostgres(bin.resolve("postgres"), "-D",
                        data.toString(), "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1",
                        "-c", "unix_socket_directories=" + workDir, "-c", "fsync=off", "-c",
                        "synchronous_commit=off", "-c", "full_page_writes=off"), log);
                LocalPostgres server = new LocalPostgres(workDir, process, port);
                try {
                    server.awaitReady(bin);
                    return server;
                } catch (IllegalStateException e) {
                    process.close();
                    last = e;
                    if (!process.logTail(50).contains("could not bind")) {
                        break;
                    }
                }
            }
            throw last;
        } catch (IOException e) {
            TempDirs.deleteRecursively(workDir);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            TempDirs.deleteRecursively(workDir);
            throw e;
        }
    }

    /** Creates an empty database and returns its JDBC URL. */
    public String newDatabase() {
        String name = "swell_" + UUID.randomUUID().toString().replace("-", "");
        ToolCommand.run(Duration.ofSeconds(30), List.of(binDir().resolve("createdb").toString(), "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-U", USER, name));
        return jdbcUrl(name);
    }

    /** The JDBC URL of {@code database} on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        try {
            // SIGTERM is PostgreSQL's "smart" shutdown; the grace period lets it finish.
            process.stop(Duration.ofSeconds(20));
        } finally {
            TempDirs.deleteRecursively(workDir);
        }
    }

    @Override
    public String toString() {
        return "postgres on 127.0.0.1:" + port + " (pid " + process.pid() + ")";
    }

    private void awaitReady(Path bin) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw notReady("exited during start-up");
            }
            try {
                ToolCommand.run(Duration.ofSeconds(5), List.of(bin.resolve("pg_isready").toString(), "-h",
                        "127.0.0.1", "-p", Integer.toString(port), "-U", USER, "-d", "postgres"));
                // pg_isready proves a server answers on the port; the log proves it is ours.
                if (process.logTail(100).contains("database system is ready to accept connections")) {
                    return;
                }
            } catch (ToolFailedException notYet) {
                // not accepting connections yet
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for postgres", e);
            }
        }
        throw notReady("did not accept connections within " + READY_TIMEOUT);
    }

    private IllegalStateException notReady(String why) {
        return new IllegalStateException("postgres on port " + port + " " + why + "; log " + process.logFile()
                + " ends with:\n" + process.logTail(40));
    }

    /** Runs a program as the postgres user without a wrapper process, so the PID we hold is the server's. */
    private static List<String> asPostgres(Path program, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("setpriv", "--reuid=postgres", "--regid=postgres",
                "--init-groups", "--reset-env", program.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** The newest installed PostgreSQL's programs, e.g. {@code /usr/lib/postgresql/15/bin}. */
    private static Path binDir() {
        try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.filter(v -> Files.isExecutable(v.resolve("bin/postgres")))
                    .max(java.util.Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL under /usr/lib/postgresql;"
                            + " install Debian's postgresql package"));
        } catch (IOException e) {
            throw new IllegalStateException("no PostgreSQL under /usr/lib/postgresql; install Debian's postgresql"
                    + " package", e);
        }
    }
}
