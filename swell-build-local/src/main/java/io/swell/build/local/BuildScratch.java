package io.swell.build.local;

import io.swell.registry.RegistryCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A private directory (mode 700) inside the build's work dir holding what one buildah run needs besides the
 * Containerfile: its own HOME and TMPDIR, an auth file, a registries.conf and the digest file that push writes.
 * Deleted when the build ends, so credentials never outlive the build.
 */
final class BuildScratch {

    private final Path dir;

    private BuildScratch(Path dir) {
        this.dir = dir;
    }

    /**
     * Creates the directory and its files.
     *
     * @param credentials registry host to credentials, written to the auth file (mode 600); may be empty
     * @param insecure    registries buildah may reach over plain http
     */
    static BuildScratch create(Path workDir, Map<String, RegistryCredentials> credentials,
            Collection<String> insecure) throws IOException {
        Path dir = Files.createTempDirectory(workDir, ".buildah-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        BuildScratch scratch = new BuildScratch(dir);
        try {
            Files.createDirectory(scratch.home());
            Files.createDirectory(scratch.tmp());
            writePrivate(scratch.authFile(), authJson(credentials));
            Files.writeString(scratch.registriesConf(), registriesConf(insecure));
            return scratch;
        } catch (IOException | RuntimeException e) {
            scratch.delete();
            throw e;
        }
    }

    Path home() {
        return dir.resolve("home");
    }

    Path tmp() {
        return dir.resolve("tmp");
    }

    /** A docker config.json; always passed with {@code --authfile}, so host auth files are never read. */
    Path authFile() {
        return dir.resolve("auth.json");
    }

    /** Passed as {@code CONTAINERS_REGISTRIES_CONF}. */
    Path registriesConf() {
        return dir.resolve("registries.conf");
    }

    /** Where {@code buildah push --digestfile} writes the pushed manifest's digest. */
    Path digestFile() {
        return dir.resolve("digest");
    }

    /** Deletes the directory and everything in it (without following symlinks); quiet when it is gone already. */
    void delete() throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // The auth file first, so a failure further down never leaves the secret behind.
        Files.deleteIfExists(authFile());
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * The auth file in docker config.json form ({@code {"auths":{"host":{"auth":"base64(user:pass)"}}}}), which
     * buildah reads with {@code --authfile}; see containers-auth.json(5).
     */
    static String authJson(Map<String, RegistryCredentials> credentials) {
        StringBuilder json = new StringBuilder("{\"auths\":{");
        String separator = "";
        for (Map.Entry<String, RegistryCredentials> entry : new java.util.TreeMap<>(credentials).entrySet()) {
            if (!BuildahSettings.isRegistryHost(entry.getKey())) {
                throw new IllegalArgumentException("not a registry host[:port]: " + entry.getKey());
            }
            RegistryCredentials c = entry.getValue();
            String auth = Base64.getEncoder().encodeToString(
                    (c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
            // The host is checked above and base64 needs no escaping, so plain concatenation is valid JSON.
            json.append(separator).append('"').append(entry.getKey()).append("\":{\"auth\":\"").append(auth)
                    .append("\"}");
            separator = ",";
        }
        return json.append("}}\n").toString();
    }

    /**
     * A registries.conf (containers-registries.conf(5), v2 format). Short names resolve to Docker Hub as in Docker
     * and Wave; Debian's own file defines no search registry, so {@code FROM ubuntu} would otherwise fail.
     */
    static String registriesConf(Collection<String> insecure) {
        StringBuilder conf = new StringBuilder("""
                # Written by Swell for one build.
                unqualified-search-registries = ["docker.io"]
                """);
        for (String registry : insecure) {
            if (!BuildahSettings.isRegistryHost(registry)) {
                throw new IllegalArgumentException("not a registry host[:port]: " + registry);
            }
            conf.append("\n[[registry]]\nlocation = \"").append(registry).append("\"\ninsecure = true\n");
        }
        return conf.toString();
    }

    private static void writePrivate(Path file, String text) throws IOException {
        // Created with mode 600 from the start: there is never a moment when others could read it.
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text);
    }
}
