package io.swell.server;

import io.swell.api.SwellException;
import io.swell.oci.Digest;
import io.swell.server.config.ConfigLoader;
import io.swell.server.config.SwellConfig;
import java.io.Console;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Swell's command line: {@code serve} runs the service, {@code hash-password} makes an admin account entry. */
@Command(name = "swell", mixinStandardHelpOptions = true, subcommands = {Main.Serve.class, Main.HashPassword.class},
        description = "Container images on demand, speaking the Wave API.")
public final class Main {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    /** Runs the server until it is stopped. */
    @Command(name = "serve", description = "Run Swell (embedded defaults: port 9090, data in ./data).")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--config", description = "YAML configuration file (or SWELL_CONFIG).")
        Path config;

        @Option(names = "--port", description = "Port to listen on (or SWELL_PORT; default 9090).")
        Integer port;

        @Override
        public Integer call() throws Exception {
            Map<String, String> env = new HashMap<>(System.getenv());
            if (port != null) {
                env.put("SWELL_PORT", port.toString());
            }
            Path file = config != null ? config
                    : env.containsKey("SWELL_CONFIG") ? Path.of(env.get("SWELL_CONFIG")) : null;
            SwellConfig cfg;
            try {
                cfg = ConfigLoader.load(file, env);
            } catch (SwellException e) {
                System.err.println("swell: " + e.getMessage());
                return 2;
            }
            SwellServer server = SwellServer.start(cfg);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (Exception ignored) {
                    // Exiting anyway.
                }
            }));
            server.join();
            return 0;
        }
    }

    /** Prints the SHA-256 hex of a password for the {@code accounts} config. */
    @Command(name = "hash-password", description = "Print the SHA-256 hex of a password read from the terminal"
            + " or standard input, for the 'accounts' configuration.")
    static final class HashPassword implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            Console console = System.console();
            String password = console != null ? new String(console.readPassword("Password: "))
                    : new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
            System.out.println(Digest.sha256(password.getBytes(StandardCharsets.UTF_8)).hex());
            return 0;
        }
    }
}
