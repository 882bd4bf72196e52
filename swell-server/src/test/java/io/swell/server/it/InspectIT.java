package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.testing.BuiltImage;
import io.swell.testing.LocalRegistry;
import io.swell.testing.Skopeo;
import io.swell.testing.TestImages;
import io.swell.testing.ToolCommand;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1alpha1/inspect} against real registries, every field compared with what skopeo reads from the
 * same registry: a single image (OCI with a rich config, and Docker schema 2), an amd64+arm64 index with and
 * without a platform, an image behind Basic auth with and without configured credentials, and the 4xx answers.
 */
class InspectIT {

    private static final String USER = "operator";
    private static final String PASSWORD = "s3cret-Pw";
    private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

    @TempDir
    static Path tmp;

    private static LocalRegistry registry;
    private static LocalRegistry basicRegistry;
    private static SwellInstance swell;
    private static SwellInstance withoutCredentials;
    private static BuiltImage single;
    private static BuiltImage index;

    @BeforeAll
    static void start() {
        registry = LocalRegistry.open();
        basicRegistry = LocalRegistry.withBasicAuth(USER, PASSWORD);
        single = TestImages.singleArchLayout(tmp.resolve("single"), "1",
                Map.of("/etc/motd", "hi\n".getBytes(StandardCharsets.UTF_8)));
        // umoci writes the config keys a busybox image lacks, so that every mapped field has a value to compare.
        ToolCommand.run(Duration.ofMinutes(1), List.of("umoci", "config", "--image", single.layout() + ":1",
                "--tag", "rich", "--config.user", "1000:100", "--config.workingdir", "/work",
                "--config.entrypoint", "/bin/sh", "--config.cmd", "-c", "--config.cmd", "echo hi",
                "--config.env", "MODE=inspect", "--config.label", "org.example.title=inspected",
                "--created", "2024-05-06T07:08:09.123456789Z"));
        TestImages.push(single.layout(), "rich", registry.hostPort() + "/lib/single:rich", null);
        TestImages.push(single, registry.hostPort() + "/lib/single:1", null);
        Skopeo.copy(List.of("--format", "v2s2", "--dest-tls-verify=false", "--dest-no-creds",
                single.ociReference(), "docker://" + registry.hostPort() + "/lib/docker:1"));
        index = TestImages.multiArchLayout(tmp.resolve("multi"), "1");
        TestImages.push(index, registry.hostPort() + "/lib/multi:1", null);
        TestImages.push(single, basicRegistry.hostPort() + "/lib/private:1", USER + ":" + PASSWORD);

        swell = SwellInstance.start(tmp.resolve("swell"), """
                registries:
                  "%s": {username: %s, password: %s}
                """.formatted(basicRegistry.hostPort(), USER, PASSWORD));
        withoutCredentials = SwellInstance.start(tmp.resolve("swell-anon"));
    }

    @AfterAll
    static void stop() {
        Fixtures.closeAll(swell, withoutCredentials, basicRegistry, registry);
    }

    @Test
    void aSingleImageIsDescribedAsSkopeoSeesIt() {
        String image = registry.hostPort() + "/lib/single:rich";

        JsonNode answer = inspectOk(swell, image, null);

        assertThat(answer.has("index")).isFalse();
        JsonNode container = answer.path("container");
        assertThat(container.path("registry").asString()).isEqualTo(registry.hostPort());
        assertThat(container.path("hostName").asString()).isEqualTo("http://" + registry.hostPort());
        assertThat(container.path("imageName").asString()).isEqualTo("lib/single");
        assertThat(container.path("reference").asString()).isEqualTo("rich");
        String raw = Skopeo.inspectRaw(image, false);
        assertThat(container.path("digest").asString()).isEqualTo(digestOf(raw));
        assertThat(container.path("oci").asBoolean()).isTrue();
        assertThat(container.path("v2").asBoolean()).isTrue();
        assertThat(container.path("v1").asBoolean()).isFalse();
        InspectAssertions.assertSameManifest(container.path("manifest"), Http.JSON.readTree(raw));
        InspectAssertions.assertSameConfig(container.path("config"), Http.JSON.readTree(Skopeo.inspectConfig(image, false, null)));
        JsonNode run = container.path("config").path("config");
        assertThat(run.path("user").asString()).isEqualTo("1000:100");
        assertThat(run.path("workingDir").asString()).isEqualTo("/work");
        assertThat(Http.strings(run.path("entrypoint"))).containsExactly("/bin/sh");
        assertThat(Http.strings(run.path("cmd"))).containsExactly("-c", "echo hi");
        assertThat(Http.strings(run.path("env"))).contains("MODE=inspect");
        assertThat(run.path("labels").path("org.example.title").asString()).isEqualTo("inspected");
        assertThat(container.path("config").path("created").asString()).isEqualTo("2024-05-06T07:08:09.123456789Z");

        // wave-cli prints hostName + "/v2/" + imageName + "/blobs/" + digest as each layer's download URL.
        for (JsonNode layer : container.path("manifest").path("layers")) {
            String digest = layer.path("digest").asString();
            URI uri = URI.create(container.path("hostName").asString() + "/v2/"
                    + container.path("imageName").asString() + "/blobs/" + digest);
            Http.Answer blob = Http.get(uri);
            assertThat(blob.status()).as("%s", uri).isEqualTo(200);
            assertThat(LayerTarball.sha256(blob.body())).isEqualTo(digest);
        }
    }

    @Test
    void aDockerSchema2ImageKeepsItsMediaTypes() {
        String image = registry.hostPort() + "/lib/docker:1";

        JsonNode container = inspectOk(swell, image, null).path("container");

        JsonNode raw = Http.JSON.readTree(Skopeo.inspectRaw(image, false));
        assertThat(container.path("manifest").path("mediaType").asString()).isEqualTo(DOCKER_MANIFEST);
        assertThat(container.path("oci").asBoolean()).isFalse();
        InspectAssertions.assertSameManifest(container.path("manifest"), raw);
        InspectAssertions.assertSameConfig(container.path("config"), Http.JSON.readTree(Skopeo.inspectConfig(image, false, null)));
    }

    @Test
    void anImageByDigestKeepsTheDigestAsItsReference() {
        String image = registry.hostPort() + "/lib/single@" + single.manifestDigest();

        JsonNode container = inspectOk(swell, image, null).path("container");

        assertThat(container.path("reference").asString()).isEqualTo(single.manifestDigest());
        assertThat(container.path("digest").asString()).isEqualTo(single.manifestDigest());
    }

    @Test
    void anIndexWithoutPlatformIsDescribedAsAnIndex() {
        String image = registry.hostPort() + "/lib/multi:1";

        JsonNode answer = inspectOk(swell, image, null);

        assertThat(answer.has("container")).isFalse();
        JsonNode spec = answer.path("index");
        String raw = Skopeo.inspectRaw(image, false);
        JsonNode upstream = Http.JSON.readTree(raw);
        assertThat(spec.path("digest").asString()).isEqualTo(digestOf(raw))
                .isEqualTo(index.manifestDigest());
        assertThat(spec.path("schemaVersion").asInt()).isEqualTo(upstream.path("schemaVersion").asInt());
        assertThat(spec.path("mediaType").asString()).isEqualTo(upstream.path("mediaType").asString());
        assertThat(spec.path("manifests")).hasSize(upstream.path("manifests").size()).hasSize(2);
        for (int i = 0; i < upstream.path("manifests").size(); i++) {
            JsonNode ours = spec.path("manifests").get(i);
            JsonNode theirs = upstream.path("manifests").get(i);
            assertThat(ours.path("mediaType").asString()).isEqualTo(theirs.path("mediaType").asString());
            assertThat(ours.path("digest").asString()).isEqualTo(theirs.path("digest").asString());
            assertThat(ours.path("size").asLong()).isEqualTo(theirs.path("size").asLong());
            for (String field : List.of("architecture", "os", "variant")) {
                assertThat(ours.path("platform").path(field).asString(null))
                        .as(field).isEqualTo(theirs.path("platform").path(field).asString(null));
            }
        }
        assertThat(spec.path("manifests").get(1).path("platform").path("variant").asString()).isEqualTo("v8");
    }

    @Test
    void anIndexWithAPlatformIsDescribedAsThatPlatformsImage() {
        String image = registry.hostPort() + "/lib/multi:1";
        BuiltImage arm64 = index.platforms().get("linux/arm64/v8");

        JsonNode container = inspectOk(swell, image, "linux/arm64").path("container");

        assertThat(container.path("reference").asString()).isEqualTo("1");
        assertThat(container.path("digest").asString()).isEqualTo(arm64.manifestDigest());
        assertThat(container.path("config").path("architecture").asString()).isEqualTo("arm64");
        String byDigest = registry.hostPort() + "/lib/multi@" + arm64.manifestDigest();
        InspectAssertions.assertSameManifest(container.path("manifest"), Http.JSON.readTree(Skopeo.inspectRaw(byDigest, false)));
        InspectAssertions.assertSameConfig(container.path("config"),
                Http.JSON.readTree(Skopeo.inspectConfig(byDigest, false, null)));

        JsonNode amd64 = inspectOk(swell, image, "x86_64").path("container");
        assertThat(amd64.path("digest").asString()).isEqualTo(index.platforms().get("linux/amd64").manifestDigest());
        assertThat(amd64.path("config").path("architecture").asString()).isEqualTo("amd64");
    }

    @Test
    void aPlatformTheIndexLacksIsNotFound() {
        Http.Answer answer = inspect(swell, registry.hostPort() + "/lib/multi:1", "linux/arm/v7");

        assertThat(answer.status()).as("%s", answer).isEqualTo(404);
        assertThat(answer.message()).contains("linux/arm/v7").contains("linux/amd64").contains("linux/arm64/v8");
    }

    @Test
    void anImageBehindBasicAuthIsReadWithTheConfiguredCredentials() {
        String image = basicRegistry.hostPort() + "/lib/private:1";

        JsonNode container = inspectOk(swell, image, null).path("container");

        String credentials = USER + ":" + PASSWORD;
        String raw = Skopeo.inspectRaw(image, false, credentials);
        assertThat(container.path("digest").asString()).isEqualTo(digestOf(raw));
        InspectAssertions.assertSameManifest(container.path("manifest"), Http.JSON.readTree(raw));
        InspectAssertions.assertSameConfig(container.path("config"),
                Http.JSON.readTree(Skopeo.inspectConfig(image, false, credentials)));
    }

    @Test
    void anImageBehindBasicAuthIsRefusedWithTheUpstreamReasonWithoutCredentials() {
        Http.Answer answer = inspect(withoutCredentials, basicRegistry.hostPort() + "/lib/private:1", null);

        assertThat(answer.status()).as("%s", answer).isEqualTo(401);
        assertThat(answer.message()).contains("does not exist or access is not authorized").contains("401");
    }

    @Test
    void unknownTagsAndRepositoriesAreNotFound() {
        for (String image : List.of(registry.hostPort() + "/lib/single:nope", registry.hostPort() + "/lib/nope:1")) {
            Http.Answer answer = inspect(swell, image, null);
            assertThat(answer.status()).as("%s", answer).isEqualTo(404);
            assertThat(answer.message()).contains(image).contains("does not exist");
        }
    }

    @Test
    void badInputIsA400() {
        String image = registry.hostPort() + "/lib/multi:1";
        Http.Answer comma = inspect(swell, image, "linux/amd64,linux/arm64");
        assertThat(comma.status()).isEqualTo(400);
        assertThat(comma.message()).isEqualTo("Container multi-platform architecture not allowed");

        Http.Answer badPlatform = inspect(swell, image, "windows/amd64");
        assertThat(badPlatform.status()).isEqualTo(400);
        assertThat(badPlatform.message()).contains("windows/amd64");

        Http.Answer badName = inspect(swell, "Not A/Valid::Name", null);
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.message()).contains("Invalid container image name");

        for (String body : List.of("{}", "{\"containerImage\":\"  \"}", "{\"towerEndpoint\":\"https://x\"}")) {
            Http.Answer missing = Http.postJson(swell.uri("/v1alpha1/inspect"), body);
            assertThat(missing.status()).as(body).isEqualTo(400);
            assertThat(missing.message()).contains("containerImage");
        }
    }

    @Test
    void theBodyWaveCliSendsIsAcceptedAndUnknownFieldsIgnored() {
        String body = """
                {"containerImage":"%s/lib/single:1","towerAccessToken":"t0k3n",
                 "towerEndpoint":"https://api.cloud.seqera.io","towerWorkspaceId":42,"somethingNew":{"a":1}}"""
                .formatted(registry.hostPort());

        Http.Answer answer = Http.postJson(swell.uri("/v1alpha1/inspect"), body);

        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        assertThat(answer.json().path("container").path("digest").asString()).isEqualTo(single.manifestDigest());
    }

    private static Http.Answer inspect(SwellInstance on, String image, String platform) {
        ObjectNode body = Http.JSON.createObjectNode().put("containerImage", image);
        String query = platform == null ? "" : "?platform=" + URLEncoder.encode(platform, StandardCharsets.UTF_8);
        return Http.postJson(on.uri("/v1alpha1/inspect" + query), body);
    }

    private static String digestOf(String raw) {
        return LayerTarball.sha256(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode inspectOk(SwellInstance on, String image, String platform) {
        Http.Answer answer = inspect(on, image, platform);
        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        return answer.json();
    }
}
