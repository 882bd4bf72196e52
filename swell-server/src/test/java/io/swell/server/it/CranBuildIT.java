package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.swell.testing.LocalRegistry;
import io.swell.testing.TestImages;
import io.swell.testing.ToolCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A CRAN package build through the whole pipeline, offline: the R base image is a Debian bookworm minbase root
 * file system with Debian's {@code r-base-core}, made by {@code scripts/test-prereqs-r.sh} (cached as one tarball),
 * and the CRAN repository is a tiny package built with {@code R CMD build} on the host and served over http on
 * loopback (buildah's RUN steps share the host network).
 */
@Tag("slow")
class CranBuildIT {

    private static final String PACKAGE = "swellhello";
    private static final String VERSION = "0.1.2";

    @TempDir
    static Path tmp;

    private static LocalRegistry registry;
    private static SwellInstance swell;
    private static HttpServer repo;
    private static String rImage;

    @BeforeAll
    static void start() throws Exception {
        Path rootfsTar = cache().resolve("r-base/rootfs.tar");
        if (!Files.isRegularFile(rootfsTar)) {
            throw new IllegalStateException("no R base root file system at " + rootfsTar
                    + "; run scripts/test-prereqs-r.sh (as root) once to make it with debootstrap");
        }
        registry = LocalRegistry.open();
        rImage = registry.hostPort() + "/lib/r-base:1";
        TestImages.push(oneLayerLayout(rootfsTar, tmp.resolve("r-base")), "1", rImage, null);
        repo = serve(cranRepository(tmp.resolve("cran")));
        swell = SwellInstance.start(tmp.resolve("swell"), Builds.config("", registry.hostPort()));
    }

    @AfterAll
    static void stop() {
        if (repo != null) {
            repo.stop(0);
        }
        Fixtures.closeAll(swell, registry);
    }

    @Test
    void aCranPackageBuildsEndToEndOfflineFromALocalRepositoryOnALocallyMadeDebianRBaseImage() throws Exception {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        ObjectNode packages = request.putObject("packages").put("type", "CRAN");
        packages.putArray("entries").add(PACKAGE);
        packages.putArray("channels").add("http://127.0.0.1:" + repo.getAddress().getPort() + "/");
        packages.putObject("cranOpts").put("rImage", rImage).put("basePackages", "");

        JsonNode answer = Http.submit(swell, request);
        PulledImage image;
        try {
            image = PulledImage.pull(answer.path("targetImage").asString(), tmp.resolve("pulled"));
        } catch (RuntimeException e) {
            throw new AssertionError("pull failed; build logs:\n"
                    + Builds.logs(swell, answer.path("buildId").asString()), e);
        }
        Path rootfs = image.unpack(tmp.resolve("bundle"));

        Path description;
        try (Stream<Path> files = Files.walk(rootfs)) {
            Optional<Path> found = files.filter(p -> p.endsWith(PACKAGE + "/DESCRIPTION")).findFirst();
            assertThat(found).as("%s/DESCRIPTION anywhere in the image", PACKAGE).isPresent();
            description = found.get();
        }
        // Debian's R installs as root into the first library path, the one the template names in R_LIBS_USER.
        assertThat(rootfs.relativize(description).toString())
                .isEqualTo("usr/local/lib/R/site-library/" + PACKAGE + "/DESCRIPTION");
        String text = Files.readString(description, StandardCharsets.UTF_8);
        assertThat(text).contains("Package: " + PACKAGE).contains("Version: " + VERSION).contains("Built: R ");
        assertThat(image.config().path("config").path("Env").toString())
                .contains("R_LIBS_USER=/usr/local/lib/R/site-library");
    }

    private static Path cache() {
        String cache = System.getenv("SWELL_TEST_CACHE");
        return cache != null && !cache.isBlank()
                ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "swell-test");
    }

    /** Writes an OCI layout tagged "1" whose only layer is {@code tar} (uncompressed), with a Debian-like PATH. */
    private static Path oneLayerLayout(Path tar, Path layout) throws IOException {
        Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
        String layerDigest = sha256(tar);
        Path layerBlob = blobs.resolve(layerDigest.substring("sha256:".length()));
        try {
            Files.createLink(layerBlob, tar);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(tar, layerBlob);
        }
        ObjectNode config = JsonNodeFactory.instance.objectNode().put("architecture", "amd64").put("os", "linux");
        ObjectNode runConfig = config.putObject("config");
        runConfig.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                .add("LANG=C.UTF-8");
        runConfig.putArray("Cmd").add("bash");
        config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(layerDigest);
        ObjectNode configDescriptor = writeJson(blobs, TestImages.OCI_CONFIG, config);

        ObjectNode manifest = JsonNodeFactory.instance.objectNode().put("schemaVersion", 2)
                .put("mediaType", TestImages.OCI_MANIFEST);
        manifest.set("config", configDescriptor);
        manifest.putArray("layers").addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar")
                .put("digest", layerDigest).put("size", Files.size(tar));
        ObjectNode manifestDescriptor = writeJson(blobs, TestImages.OCI_MANIFEST, manifest);
        manifestDescriptor.putObject("annotations").put("org.opencontainers.image.ref.name", "1");

        ObjectNode index = JsonNodeFactory.instance.objectNode().put("schemaVersion", 2);
        index.putArray("manifests").add(manifestDescriptor);
        Files.writeString(layout.resolve("index.json"), index.toString());
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return layout;
    }

    private static ObjectNode writeJson(Path blobs, String mediaType, ObjectNode json) throws IOException {
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        String digest = "sha256:" + HexFormat.of().formatHex(digest().digest(bytes));
        Files.write(blobs.resolve(digest.substring("sha256:".length())), bytes);
        return JsonNodeFactory.instance.objectNode().put("mediaType", mediaType).put("digest", digest)
                .put("size", bytes.length);
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest sha = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builds the tiny package with {@code R CMD build} and indexes it as a CRAN-like repository under {@code dir}. */
    private static Path cranRepository(Path dir) throws IOException {
        Path source = Files.createDirectories(dir.resolve("src/" + PACKAGE + "/R"));
        Files.writeString(source.getParent().resolve("DESCRIPTION"), """
                Package: %s
                Type: Package
                Title: Says Hello for Swell's Tests
                Version: %s
                Authors@R: person("Swell", "Tests", email = "tests@swell.invalid", role = c("aut", "cre"))
                Description: A tiny package to show an offline CRAN build.
                License: MIT
                Encoding: UTF-8
                """.formatted(PACKAGE, VERSION));
        Files.writeString(source.getParent().resolve("NAMESPACE"), "export(hello)\n");
        Files.writeString(source.resolve("hello.R"), "hello <- function(name = \"Swell\") paste0(\"Hello, \", name)\n");
        Path contrib = Files.createDirectories(dir.resolve("repo/src/contrib"));
        ToolCommand.run(Duration.ofMinutes(2), List.of("sh", "-c",
                "cd \"$1\" && R CMD build --no-manual --no-build-vignettes \"$2\"", "sh",
                contrib.toString(), source.getParent().toString()));
        ToolCommand.run(Duration.ofMinutes(1), List.of("Rscript", "-e",
                "tools::write_PACKAGES(commandArgs(TRUE)[1], type = 'source')", contrib.toString()));
        assertThat(contrib.resolve(PACKAGE + "_" + VERSION + ".tar.gz")).isRegularFile();
        assertThat(contrib.resolve("PACKAGES")).isRegularFile();
        return dir.resolve("repo");
    }

    /** Serves the files under {@code root} over http on 127.0.0.1 (a free port). */
    private static HttpServer serve(Path root) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> respond(exchange, root));
        server.start();
        return server;
    }

    private static void respond(HttpExchange exchange, Path root) throws IOException {
        try (exchange) {
            Path file = root.resolve(exchange.getRequestURI().getPath().replaceFirst("^/+", "")).normalize();
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.sendResponseHeaders(200, head ? -1 : Files.size(file));
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    Files.copy(file, out);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
