package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.testing.BuiltImage;
import io.swell.testing.LocalRegistry;
import io.swell.testing.Skopeo;
import io.swell.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A linux/amd64 + linux/arm64/v8 image index augmented through Swell: a request for one platform serves an index
 * of just that platform, a request without platform augments every platform, an absent platform is refused.
 */
class AugmentMultiArchIT {

    private static final String HELLO = "hello, every platform\n";
    private static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    @TempDir
    static Path tmp;

    private static LocalRegistry registry;
    private static SwellInstance swell;
    private static BuiltImage index;
    private static String source;
    private static LayerTarball hello;

    @BeforeAll
    static void start() {
        registry = LocalRegistry.open();
        index = TestImages.multiArchLayout(tmp.resolve("image"), "1");
        source = registry.hostPort() + "/lib/multi:1";
        TestImages.push(index, source, null);
        hello = LayerTarball.ofTextFiles(Map.of("/hello.txt", HELLO));
        swell = SwellInstance.start(tmp.resolve("swell"));
    }

    @AfterAll
    static void stop() {
        Fixtures.closeAll(swell, registry);
    }

    @Test
    void aRequestForArm64ServesAnIndexOfTheAugmentedArm64ImageOnly() throws IOException {
        TargetImage target = request("linux/arm64");

        Http.Answer answer = Http.get(swell.uri(target.manifestPath("1")), "Accept", Http.ACCEPT_MANIFESTS);

        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        assertThat(answer.header("Content-Type")).isEqualTo(TestImages.OCI_INDEX);
        assertThat(answer.header("Docker-Content-Digest")).isEqualTo(LayerTarball.sha256(answer.body()));
        JsonNode entries = answer.json().path("manifests");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).path("platform").path("architecture").asString()).isEqualTo("arm64");
        assertThat(entries.get(0).path("digest").asString())
                .isNotEqualTo(index.platforms().get("linux/arm64/v8").manifestDigest());

        PulledImage pulled = PulledImage.pull(target.name(), tmp.resolve("pulled-arm64"),
                "--override-arch", "arm64", "--override-os", "linux");
        assertThat(pulled.config().path("architecture").asString()).isEqualTo("arm64");
        assertThat(Http.strings(pulled.config().path("rootfs").path("diff_ids"))).hasSize(2).last()
                .isEqualTo(hello.tarDigest());
        Path rootfs = pulled.unpack(tmp.resolve("bundle-arm64"));
        assertThat(Files.readString(rootfs.resolve("hello.txt"))).isEqualTo(HELLO);
        assertThat(Files.mismatch(rootfs.resolve("bin/busybox"), TestImages.arm64Busybox()))
                .as("the arm64 busybox, not the amd64 one").isEqualTo(-1L);
    }

    @Test
    void aRequestWithoutPlatformAugmentsEveryPlatform() throws IOException {
        TargetImage target = request(null);

        Http.Answer answer = Http.get(swell.uri(target.manifestPath("1")), "Accept", Http.ACCEPT_MANIFESTS);

        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        JsonNode entries = answer.json().path("manifests");
        assertThat(entries).hasSize(2);
        Set<String> architectures = new HashSet<>();
        for (JsonNode entry : entries) {
            String architecture = entry.path("platform").path("architecture").asString();
            architectures.add(architecture);
            String digest = entry.path("digest").asString();
            assertThat(index.platforms().values()).noneMatch(p -> p.manifestDigest().equals(digest));

            Http.Answer manifest = Http.get(swell.uri(target.manifestPath(digest)), "Accept", Http.ACCEPT_MANIFESTS);
            assertThat(manifest.status()).as("%s", manifest).isEqualTo(200);
            assertThat(LayerTarball.sha256(manifest.body())).isEqualTo(digest);
            assertThat(manifest.body()).hasSize(entry.path("size").asInt());
            assertThat(manifest.json().path("layers")).hasSize(2);
            assertThat(manifest.json().path("layers").get(1).path("digest").asString()).isEqualTo(hello.gzipDigest());

            String configDigest = manifest.json().path("config").path("digest").asString();
            Http.Answer config = Http.get(swell.uri(target.blobPath(configDigest)));
            assertThat(config.status()).isEqualTo(200);
            assertThat(LayerTarball.sha256(config.body())).isEqualTo(configDigest);
            assertThat(config.json().path("architecture").asString()).isEqualTo(architecture);
            assertThat(Http.strings(config.json().path("rootfs").path("diff_ids"))).hasSize(2).last()
                    .isEqualTo(hello.tarDigest());
            assertThat(Http.strings(config.json().path("config").path("Env"))).contains("MULTI=1");
        }
        assertThat(architectures).containsExactlyInAnyOrder("amd64", "arm64");

        // And a real client picking amd64 out of it gets the added file on the amd64 busybox.
        PulledImage pulled = PulledImage.pull(target.name(), tmp.resolve("pulled-amd64"),
                "--override-arch", "amd64", "--override-os", "linux");
        Path rootfs = pulled.unpack(tmp.resolve("bundle-amd64"));
        assertThat(Files.readString(rootfs.resolve("hello.txt"))).isEqualTo(HELLO);
        assertThat(Files.mismatch(rootfs.resolve("bin/busybox"), Path.of("/bin/busybox"))).isEqualTo(-1L);
    }

    @Test
    void aPlatformTheIndexDoesNotHaveIsRefusedAtRequestTime() {
        Http.Answer answer = Http.postJson(swell.uri("/v1alpha2/container"), body("linux/arm/v7"));

        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.message()).contains("linux/arm/v7").containsIgnoringCase("platform");
    }

    @Test
    void aDockerManifestListIsAugmentedAsADockerManifestList() throws IOException {
        String dockerList = registry.hostPort() + "/lib/docker-multi:1";
        Skopeo.copy(List.of("--all", "--format", "v2s2", "--dest-tls-verify=false", "--dest-no-creds",
                index.ociReference(), "docker://" + dockerList));
        Http.Answer upstream = Http.get(swell.uri("/v2/" + registry.hostPort() + "/lib/docker-multi/manifests/1"),
                "Accept", Http.ACCEPT_MANIFESTS);
        assertThat(upstream.header("Content-Type")).as("skopeo pushed a Docker list").isEqualTo(DOCKER_LIST);
        ObjectNode body = Http.containerRequest(dockerList);
        body.put("containerPlatform", "arm64");
        body.putObject("containerConfig").putArray("layers").add(hello.json());
        TargetImage target = new TargetImage(Http.submit(swell, body).path("targetImage").asString());

        Http.Answer answer = Http.get(swell.uri(target.manifestPath("1")), "Accept", Http.ACCEPT_MANIFESTS);

        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        assertThat(answer.header("Content-Type")).isEqualTo(DOCKER_LIST);
        JsonNode entries = answer.json().path("manifests");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).path("mediaType").asString())
                .isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
        assertThat(entries.get(0).path("platform").path("architecture").asString()).isEqualTo("arm64");
        PulledImage pulled = PulledImage.pull(target.name(), tmp.resolve("pulled-docker-arm64"),
                "--override-arch", "arm64", "--override-os", "linux");
        assertThat(pulled.config().path("architecture").asString()).isEqualTo("arm64");
        Path rootfs = pulled.unpack(tmp.resolve("bundle-docker-arm64"));
        assertThat(Files.readString(rootfs.resolve("hello.txt"))).isEqualTo(HELLO);
    }

    private static TargetImage request(String platform) {
        return new TargetImage(Http.submit(swell, body(platform)).path("targetImage").asString());
    }

    private static ObjectNode body(String platform) {
        ObjectNode body = Http.containerRequest(source);
        if (platform != null) {
            body.put("containerPlatform", platform);
        }
        ObjectNode config = body.putObject("containerConfig");
        config.putArray("env").add("MULTI=1");
        config.putArray("layers").add(hello.json());
        return body;
    }
}
