package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.swell.testing.BuiltImage;
import io.swell.testing.FreePorts;
import io.swell.testing.LocalRegistry;
import io.swell.testing.Podman;
import io.swell.testing.Skopeo;
import io.swell.testing.TestImages;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A single-platform busybox image augmented through Swell and pulled by real clients (skopeo, umoci, podman):
 * the added layer's file is in the file system, the config carries the requested changes, digests are honest.
 */
class AugmentSingleArchIT {

    private static final String HELLO = "hello from swell\n";
    private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

    @TempDir
    static Path tmp;

    private static LocalRegistry registry;
    private static SwellInstance swell;
    private static HttpServer layerServer;
    private static final AtomicInteger LAYER_DOWNLOADS = new AtomicInteger();
    private static BuiltImage image;
    private static String source;
    private static LayerTarball hello;
    private static LayerTarball httpLayer;

    @BeforeAll
    static void start() throws IOException {
        registry = LocalRegistry.open();
        image = TestImages.singleArchLayout(tmp.resolve("image"), "1", Map.of());
        source = registry.hostPort() + "/lib/busybox:1";
        TestImages.push(image, source, null);
        hello = LayerTarball.ofTextFiles(Map.of("/hello.txt", HELLO));
        httpLayer = LayerTarball.ofTextFiles(Map.of("/from-http.txt", "fetched over http\n"));

        layerServer = HttpServer.create(new InetSocketAddress(FreePorts.loopback(), 0), 0);
        layerServer.createContext("/layers/extra.tar.gz", exchange -> {
            LAYER_DOWNLOADS.incrementAndGet();
            try (exchange; OutputStream out = exchange.getResponseBody()) {
                exchange.getResponseHeaders().set("Content-Type", "application/gzip");
                exchange.sendResponseHeaders(200, httpLayer.gzip().length);
                out.write(httpLayer.gzip());
            }
        });
        layerServer.start();

        // Loopback layer URLs are refused by default (SSRF guard); this test serves its layer from 127.0.0.1.
        swell = SwellInstance.start(tmp.resolve("swell"), """
                layers:
                  allowPrivateHosts: true
                """);
    }

    @AfterAll
    static void stop() {
        if (swell != null) {
            swell.close();
        }
        if (layerServer != null) {
            layerServer.stop(0);
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void skopeoPullsTheAddedFileAndTheChangedConfig() throws IOException {
        ObjectNode body = Http.containerRequest(source);
        ObjectNode config = body.putObject("containerConfig");
        // PATH exists in the image: replaced in place. FOO is new: appended.
        config.putArray("env").add("PATH=/opt/bin:/bin").add("FOO=bar");
        config.putArray("entrypoint").add("/bin/sh").add("-c");
        config.put("workingDir", "/work");
        config.putArray("layers").add(hello.json());

        JsonNode answer = Http.submit(swell, body);

        String token = answer.path("containerToken").asString();
        assertThat(token).isNotBlank();
        assertThat(answer.path("requestId").asString()).isEqualTo(token);
        assertThat(answer.path("targetImage").asString())
                .isEqualTo(swell.host() + "/wt/" + token + "/lib/busybox:1");
        assertThat(answer.path("containerImage").asString()).isEqualTo(source);
        assertThat(answer.path("succeeded").asBoolean()).isTrue();

        PulledImage pulled = PulledImage.pull(answer.path("targetImage").asString(), tmp.resolve("pulled"));
        Path rootfs = pulled.unpack(tmp.resolve("bundle"));

        assertThat(Files.readString(rootfs.resolve("hello.txt"))).isEqualTo(HELLO);
        assertThat(rootfs.resolve("bin/busybox")).isRegularFile();
        assertThat(Files.mismatch(rootfs.resolve("bin/busybox"), Path.of("/bin/busybox"))).isEqualTo(-1L);

        JsonNode pulledConfig = pulled.config();
        JsonNode run = pulledConfig.path("config");
        assertThat(Http.strings(run.path("Env"))).containsExactly("PATH=/opt/bin:/bin", "FOO=bar");
        assertThat(Http.strings(run.path("Entrypoint"))).containsExactly("/bin/sh", "-c");
        assertThat(Http.strings(run.path("Cmd"))).as("cmd not asked for: kept").containsExactly("/bin/sh");
        assertThat(run.path("WorkingDir").asString()).isEqualTo("/work");
        List<String> originalDiffIds = Http.strings(originalConfig().path("rootfs").path("diff_ids"));
        assertThat(Http.strings(pulledConfig.path("rootfs").path("diff_ids")))
                .hasSize(originalDiffIds.size() + 1)
                .startsWith(originalDiffIds.toArray(String[]::new))
                .endsWith(hello.tarDigest());
        JsonNode layers = pulled.manifest().path("layers");
        assertThat(layers).hasSize(2);
        assertThat(layers.get(1).path("digest").asString()).isEqualTo(hello.gzipDigest());
        assertThat(layers.get(1).path("size").asLong()).isEqualTo(hello.gzipSize());

        // skopeo inspect --config through Swell shows the same config skopeo copied.
        JsonNode inspected = Http.JSON.readTree(Skopeo.inspectConfig(answer.path("targetImage").asString(), false,
                null));
        assertThat(Http.strings(inspected.path("config").path("Env"))).containsExactly("PATH=/opt/bin:/bin", "FOO=bar");
        assertThat(Http.strings(inspected.path("rootfs").path("diff_ids"))).last().isEqualTo(hello.tarDigest());
    }

    @Test
    void servedManifestDigestIsTheSha256OfItsBytes() {
        TargetImage target = augmentedTarget("DIGEST=check");
        String path = target.manifestPath("1");

        Http.Answer byTag = Http.get(swell.uri(path), "Accept", Http.ACCEPT_MANIFESTS);

        assertThat(byTag.status()).as("%s", byTag).isEqualTo(200);
        assertThat(byTag.header("Content-Type")).isEqualTo(TestImages.OCI_MANIFEST);
        String digest = byTag.header("Docker-Content-Digest");
        assertThat(digest).isEqualTo(LayerTarball.sha256(byTag.body()));
        assertThat(digest).as("augmented, so not the upstream manifest").isNotEqualTo(image.manifestDigest());
        JsonNode manifest = byTag.json();
        assertThat(manifest.path("config").path("digest").asString()).isNotEqualTo(image.configDigest());

        Http.Answer byDigest = Http.get(swell.uri(target.manifestPath(digest)), "Accept", Http.ACCEPT_MANIFESTS);
        assertThat(byDigest.status()).isEqualTo(200);
        assertThat(byDigest.body()).isEqualTo(byTag.body());
        assertThat(byDigest.header("Docker-Content-Digest")).isEqualTo(digest);

        // The config blob it references is served and has the digest the manifest claims.
        String configDigest = manifest.path("config").path("digest").asString();
        Http.Answer config = Http.get(swell.uri(target.blobPath(configDigest)));
        assertThat(config.status()).isEqualTo(200);
        assertThat(LayerTarball.sha256(config.body())).isEqualTo(configDigest);
        assertThat(config.body()).hasSize(manifest.path("config").path("size").asInt());
    }

    @Test
    void podmanPullsTheAugmentedImage() {
        TargetImage target = augmentedTarget("PODMAN=yes");
        JsonNode manifest = Http.get(swell.uri(target.manifestPath("1")), "Accept", Http.ACCEPT_MANIFESTS).json();

        try (Podman podman = new Podman()) {
            String id = podman.pull(target.name());

            assertThat("sha256:" + id).isEqualTo(manifest.path("config").path("digest").asString());
            JsonNode inspected = Http.JSON.readTree(podman.inspect(id)).get(0);
            assertThat(Http.strings(inspected.path("Config").path("Env"))).contains("PODMAN=yes");
            assertThat(Http.strings(inspected.path("RootFS").path("Layers"))).last().isEqualTo(hello.tarDigest());
        }
    }

    @Test
    void theV1EndpointGivesAPullableImage() {
        ObjectNode body = Http.containerRequest(source);
        body.putObject("containerConfig").putArray("env").add("API=v1");

        JsonNode answer = Http.submit(swell, "/container-token", body);

        String token = answer.path("containerToken").asString();
        assertThat(token).isNotBlank();
        assertThat(answer.path("targetImage").asString()).isEqualTo(swell.host() + "/wt/" + token + "/lib/busybox:1");
        assertThat(answer.has("cached")).as("v2-only fields are not in v1 answers: %s", answer).isFalse();
        JsonNode config = Http.JSON.readTree(Skopeo.inspectConfig(answer.path("targetImage").asString(), false, null));
        assertThat(Http.strings(config.path("config").path("Env"))).contains("API=v1");
    }

    @Test
    void aLayerFromAnHttpLocationIsFetchedVerifiedAndServed() throws IOException {
        int downloadsBefore = LAYER_DOWNLOADS.get();
        String location = "http://127.0.0.1:" + layerServer.getAddress().getPort() + "/layers/extra.tar.gz";
        ObjectNode body = Http.containerRequest(source);
        body.putObject("containerConfig").putArray("layers").add(httpLayer.json(location));

        JsonNode answer = Http.submit(swell, body);

        assertThat(LAYER_DOWNLOADS.get()).as("fetched at request time").isGreaterThan(downloadsBefore);
        PulledImage pulled = PulledImage.pull(answer.path("targetImage").asString(), tmp.resolve("pulled-http"));
        Path rootfs = pulled.unpack(tmp.resolve("bundle-http"));
        assertThat(Files.readString(rootfs.resolve("from-http.txt"))).isEqualTo("fetched over http\n");
        assertThat(rootfs.resolve("bin/busybox")).isRegularFile();
        assertThat(Http.strings(pulled.config().path("rootfs").path("diff_ids"))).last()
                .isEqualTo(httpLayer.tarDigest());
    }

    @Test
    void augmentingAnImageWithAnEntrypointSetsWaveEntryChain() {
        // A Swell image with an entrypoint is itself a registry image: augment it once more through Swell.
        ObjectNode first = Http.containerRequest(source);
        first.putObject("containerConfig").putArray("entrypoint").add("/bin/echo").add("first");
        String firstTarget = Http.submit(swell, first).path("targetImage").asString();

        ObjectNode second = Http.containerRequest(firstTarget);
        second.putObject("containerConfig").putArray("entrypoint").add("/bin/sh");
        String secondTarget = Http.submit(swell, second).path("targetImage").asString();

        JsonNode config = Http.JSON.readTree(Skopeo.inspectConfig(secondTarget, false, null)).path("config");
        assertThat(Http.strings(config.path("Entrypoint"))).containsExactly("/bin/sh");
        assertThat(Http.strings(config.path("Env"))).endsWith("WAVE_ENTRY_CHAIN=/bin/echo first");
    }

    @Test
    void aDockerSchema2ImageStaysDockerSchema2() throws IOException {
        String dockerImage = registry.hostPort() + "/lib/docker-busybox:1";
        Skopeo.copy(List.of("--format", "v2s2", "--dest-tls-verify=false", "--dest-no-creds",
                image.ociReference(), "docker://" + dockerImage));
        ObjectNode body = Http.containerRequest(dockerImage);
        ObjectNode config = body.putObject("containerConfig");
        config.putArray("env").add("FORMAT=docker");
        config.putArray("layers").add(hello.json());
        TargetImage target = new TargetImage(Http.submit(swell, body).path("targetImage").asString());

        Http.Answer answer = Http.get(swell.uri(target.manifestPath("1")), "Accept", Http.ACCEPT_MANIFESTS);

        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        assertThat(answer.header("Content-Type")).isEqualTo(DOCKER_MANIFEST);
        JsonNode manifest = answer.json();
        assertThat(manifest.path("mediaType").asString()).isEqualTo(DOCKER_MANIFEST);
        assertThat(manifest.path("config").path("mediaType").asString())
                .isEqualTo("application/vnd.docker.container.image.v1+json");
        JsonNode added = manifest.path("layers").get(manifest.path("layers").size() - 1);
        assertThat(added.path("mediaType").asString()).isEqualTo("application/vnd.docker.image.rootfs.diff.tar.gzip");
        assertThat(added.path("digest").asString()).isEqualTo(hello.gzipDigest());

        PulledImage pulled = PulledImage.pull(target.name(), tmp.resolve("pulled-docker"));
        Path rootfs = pulled.unpack(tmp.resolve("bundle-docker"));
        assertThat(Files.readString(rootfs.resolve("hello.txt"))).isEqualTo(HELLO);
        assertThat(Http.strings(pulled.config().path("config").path("Env"))).contains("FORMAT=docker");
    }

    /** Requests {@link #source} with one env var and the hello layer; returns the target image. */
    private static TargetImage augmentedTarget(String env) {
        ObjectNode body = Http.containerRequest(source);
        ObjectNode config = body.putObject("containerConfig");
        config.putArray("env").add(env);
        config.putArray("layers").add(hello.json());
        return new TargetImage(Http.submit(swell, body).path("targetImage").asString());
    }

    private static JsonNode originalConfig() throws IOException {
        Path blob = image.layout().resolve("blobs/sha256").resolve(image.configDigest().substring(7));
        return Http.JSON.readTree(Files.readString(blob, StandardCharsets.UTF_8));
    }
}
