package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swell.testing.BuiltImage;
import io.swell.testing.LocalRegistry;
import io.swell.testing.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The container request API: what a request is refused for (always a 4xx with a message, checked before any
 * token is issued), and the shapes of the describe, record and status answers clients parse.
 */
class ContainerApiIT {

    private static final String V2 = "/v1alpha2/container";
    private static final int MAX_LOCATION_CHARS = 100_000;

    @TempDir
    static Path tmp;

    private static LocalRegistry registry;
    private static SwellInstance swell;
    private static BuiltImage image;
    private static String source;
    private static LayerTarball hello;

    @BeforeAll
    static void start() {
        registry = LocalRegistry.open();
        image = TestImages.singleArchLayout(tmp.resolve("image"), "1", Map.of());
        source = registry.hostPort() + "/lib/busybox:1";
        TestImages.push(image, source, null);
        hello = LayerTarball.ofTextFiles(Map.of("/hello.txt", "hello\n"));
        // Layer URLs on private hosts are refused (the default); data: locations are limited to a test size.
        swell = SwellInstance.start(tmp.resolve("swell"), "layers: {maxLocationChars: %d}\n"
                .formatted(MAX_LOCATION_CHARS));
    }

    @AfterAll
    static void stop() {
        Fixtures.closeAll(swell, registry);
    }

    @Test
    void aWrongTarDigestIsRefused() {
        ObjectNode layer = hello.json();
        layer.put("tarDigest", LayerTarball.sha256("another tar".getBytes()));

        Http.Answer answer = post(withLayer(layer));

        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.message()).contains("tarDigest mismatch");
    }

    @Test
    void aWrongGzipDigestIsRefused() {
        ObjectNode layer = hello.json();
        layer.put("gzipDigest", LayerTarball.sha256("another gzip".getBytes()));

        Http.Answer answer = post(withLayer(layer));

        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.message()).contains("gzipDigest mismatch");
    }

    @Test
    void aWrongGzipSizeIsRefused() {
        LayerTarball neverSeen = LayerTarball.ofTextFiles(Map.of("/size.txt", "a layer Swell has not stored yet\n"));
        ObjectNode layer = neverSeen.json();
        layer.put("gzipSize", neverSeen.gzipSize() + 1);

        Http.Answer answer = post(withLayer(layer));

        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.message()).contains("gzipSize");
    }

    @Test
    void aWrongGzipSizeIsRefusedAlsoForALayerSeenBefore() {
        Http.submit(swell, withLayer(hello.json()));
        ObjectNode layer = hello.json();
        layer.put("gzipSize", hello.gzipSize() + 1);

        Http.Answer answer = post(withLayer(layer));

        if (answer.status() == 200) {
            // Show what a client would meet: the manifest claims a size the blob does not have.
            TargetImage target = new TargetImage(answer.json().path("targetImage").asString());
            JsonNode manifest = Http.get(swell.uri(target.manifestPath("1")), "Accept", Http.ACCEPT_MANIFESTS).json();
            JsonNode added = manifest.path("layers").get(manifest.path("layers").size() - 1);
            assertThat(added.path("size").asLong()).as("manifest layer size").isEqualTo(hello.gzipSize());
        }
        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.message()).contains("gzipSize");
    }

    @Test
    void aLayerUrlOnALoopbackHostIsRefusedByDefault() {
        Http.Answer answer = post(withLayer(hello.json("http://127.0.0.1:1/layer.tar.gz")));

        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.message()).contains("private address");
    }

    @Test
    void malformedJsonIsRefused() {
        Http.Answer answer = Http.postJson(swell.uri(V2), "{\"containerImage\": ");
        Http.Answer empty = Http.postJson(swell.uri(V2), "");

        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.message()).isNotBlank();
        assertThat(empty.status()).as("%s", empty).isEqualTo(400);
        assertThat(empty.message()).isNotBlank();
    }

    @Test
    void anImageNameWithUpperCaseIsRefused() {
        Http.Answer answer = post(Http.containerRequest(registry.hostPort() + "/Lib/BusyBox:1"));

        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.message()).contains("Invalid container image name");
    }

    @Test
    void anImageThatDoesNotExistIsRefused() {
        Http.Answer answer = post(Http.containerRequest(registry.hostPort() + "/lib/nothing-here:1"));

        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.message()).contains("does not exist or access is not authorized");
    }

    @Test
    void anImagePinnedByDigestCannotBeAugmented() {
        ObjectNode body = Http.containerRequest(registry.hostPort() + "/lib/busybox@" + image.manifestDigest());
        body.putObject("containerConfig").putArray("env").add("X=1");

        Http.Answer answer = post(body);

        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.message()).isNotBlank();
    }

    @Test
    void aDataLocationBeyondTheConfiguredLimitIsRefused() {
        byte[] noise = new byte[MAX_LOCATION_CHARS];
        new Random(42).nextBytes(noise);
        LayerTarball big = LayerTarball.of(Map.of("/noise.bin", noise));
        assertThat(big.dataLocation().length()).isGreaterThan(MAX_LOCATION_CHARS);

        Http.Answer answer = post(withLayer(big.json()));

        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.message()).contains("limit");
    }

    @Test
    void invalidFieldsAreRefusedWithAMessage() {
        ObjectNode badEnv = Http.containerRequest(source);
        badEnv.putObject("containerConfig").putArray("env").add("NO_EQUALS_SIGN");
        ObjectNode badPlatform = Http.containerRequest(source).put("containerPlatform", "linux/s390x");
        ObjectNode multiPlatform = Http.containerRequest(source).put("containerPlatform", "linux/amd64,linux/arm64");
        ObjectNode badScanMode = Http.containerRequest(source).put("scanMode", "sometimes");
        ObjectNode schemeInName = Http.containerRequest("https://" + source);
        ObjectNode noImage = JsonNodeFactory.instance.objectNode().put("freeze", false);

        for (ObjectNode body : new ObjectNode[] {badEnv, badPlatform, multiPlatform, badScanMode, schemeInName,
                noImage}) {
            Http.Answer answer = post(body);
            assertThat(answer.status()).as("%s -> %s", body, answer).isEqualTo(400);
            assertThat(answer.message()).as("%s", body).isNotBlank();
        }
    }

    @Test
    void unbuiltFeaturesAre501() {
        Http.Answer answer = post(Http.containerRequest(source).put("scanMode", "required"));

        assertThat(answer.status()).as("%s", answer).isEqualTo(501);
        assertThat(answer.message()).contains("scanning");
    }

    @Test
    void describeShowsTheRequestAndTheImages() {
        JsonNode submitted = Http.submit(swell, withLayer(hello.json()));
        String token = submitted.path("containerToken").asString();

        Http.Answer answer = Http.get(swell.uri("/container-token/" + token));

        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        JsonNode describe = answer.json();
        assertThat(describe.path("token").asString()).isEqualTo(token);
        assertThat(Instant.parse(describe.path("expiration").asString())).isAfter(Instant.now());
        assertThat(describe.path("request").path("containerImage").asString()).isEqualTo(source);
        assertThat(Http.strings(describe.path("request").path("containerConfig").path("env"))).containsExactly("A=1");
        assertThat(describe.path("source").path("image").asString()).isEqualTo(source);
        assertThat(describe.path("wave").path("image").asString())
                .isEqualTo(submitted.path("targetImage").asString());
    }

    @Test
    void theRecordKeepsDigestsNotLayerBytesAndLearnsTheImageDigestsOnPull() {
        JsonNode submitted = Http.submit(swell, withLayer(hello.json()));
        String token = submitted.path("containerToken").asString();
        TargetImage target = new TargetImage(submitted.path("targetImage").asString());

        JsonNode record = Http.get(swell.uri(V2 + "/" + token)).json();

        assertThat(record.path("id").asString()).isEqualTo(token);
        assertThat(record.path("containerImage").asString()).isEqualTo(source);
        JsonNode layer = record.path("containerConfig").path("layers").get(0);
        assertThat(layer.path("location").asString()).isEqualTo("data:DATA+OMITTED");
        assertThat(layer.path("gzipDigest").asString()).isEqualTo(hello.gzipDigest());
        assertThat(layer.path("tarDigest").asString()).isEqualTo(hello.tarDigest());
        assertThat(record.path("waveImage").asString()).isEqualTo(target.name());

        Http.Answer pull = Http.get(swell.uri(target.manifestPath("1")), "Accept", Http.ACCEPT_MANIFESTS);
        assertThat(pull.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode updated = Http.get(swell.uri(V2 + "/" + token)).json();
            assertThat(updated.path("sourceDigest").asString()).isEqualTo(image.manifestDigest());
            assertThat(updated.path("waveDigest").asString()).isEqualTo(pull.header("Docker-Content-Digest"));
        });
    }

    @Test
    void statusOfAnAugmentationIsDoneAndSucceeded() {
        String token = Http.submit(swell, withLayer(hello.json())).path("containerToken").asString();

        Http.Answer answer = Http.get(swell.uri(V2 + "/" + token + "/status"));

        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        JsonNode status = answer.json();
        assertThat(status.path("id").asString()).isEqualTo(token);
        assertThat(status.path("status").asString()).isEqualTo("DONE");
        assertThat(status.path("succeeded").isBoolean()).isTrue();
        assertThat(status.path("succeeded").asBoolean()).isTrue();
        assertThat(status.path("creationTime").isString()).isTrue();
        assertThat(Instant.parse(status.path("creationTime").asString()))
                .isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(status.path("duration").isNumber()).isTrue();
        // Decimal seconds, as Wave writes them: wave-cli reads an integer as nanoseconds.
        assertThat(answer.text()).containsPattern("\"duration\"\\s*:\\s*-?[0-9]+\\.[0-9]+");
    }

    @Test
    void unknownIdsAre404WithAMessage() {
        for (String path : new String[] {"/container-token/0123456789ab", V2 + "/0123456789ab",
                V2 + "/0123456789ab/status"}) {
            Http.Answer answer = Http.get(swell.uri(path));

            assertThat(answer.status()).as("%s: %s", path, answer).isEqualTo(404);
            assertThat(answer.message()).as(path).isNotBlank();
        }
    }

    @Test
    void serviceInfoAndHealth() {
        Http.Answer info = Http.get(swell.uri("/service-info"));
        Http.Answer health = Http.get(swell.uri("/health"));

        assertThat(info.status()).isEqualTo(200);
        assertThat(info.json().path("serviceInfo").path("version").asString()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(info.json().path("serviceInfo").path("commitId").asString()).isNotBlank();
        assertThat(health.status()).isEqualTo(200);
    }

    private static ObjectNode withLayer(ObjectNode layer) {
        ObjectNode body = Http.containerRequest(source);
        ObjectNode config = body.putObject("containerConfig");
        config.putArray("env").add("A=1");
        config.putArray("layers").add(layer);
        return body;
    }

    private static Http.Answer post(JsonNode body) {
        return Http.postJson(swell.uri(V2), body);
    }
}
