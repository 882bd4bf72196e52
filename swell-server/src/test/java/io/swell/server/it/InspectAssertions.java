package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Field-by-field comparisons of an inspect answer with the manifest and config skopeo read upstream. */
final class InspectAssertions {

    private InspectAssertions() {
    }

    /** Our manifest spec against the manifest skopeo read, descriptor by descriptor. */
    static void assertSameManifest(JsonNode ours, JsonNode raw) {
        assertThat(ours.path("schemaVersion").asInt()).isEqualTo(raw.path("schemaVersion").asInt());
        assertThat(ours.path("mediaType").asString()).isEqualTo(raw.path("mediaType").asString());
        assertSameDescriptor(ours.path("config"), raw.path("config"));
        assertThat(ours.path("layers")).hasSize(raw.path("layers").size());
        for (int i = 0; i < raw.path("layers").size(); i++) {
            assertSameDescriptor(ours.path("layers").get(i), raw.path("layers").get(i));
        }
    }

    private static void assertSameDescriptor(JsonNode ours, JsonNode raw) {
        assertThat(ours.path("mediaType").asString()).isEqualTo(raw.path("mediaType").asString());
        assertThat(ours.path("digest").asString()).isEqualTo(raw.path("digest").asString());
        assertThat(ours.path("size").asLong()).isEqualTo(raw.path("size").asLong());
        assertThat(ours.path("annotations")).isEqualTo(raw.path("annotations"));
    }

    /** Our config spec against the image config skopeo read, OCI's capitalised keys to Wave's field names. */
    static void assertSameConfig(JsonNode ours, JsonNode raw) {
        assertThat(ours.path("architecture").asString()).isEqualTo(raw.path("architecture").asString());
        assertThat(Instant.parse(ours.path("created").asString()))
                .isEqualTo(Instant.parse(raw.path("created").asString()));
        JsonNode run = ours.path("config");
        JsonNode theirs = raw.path("config");
        Map<String, String> fields = Map.of("user", "User", "workingDir", "WorkingDir", "hostName", "Hostname",
                "domainName", "Domainname", "image", "Image");
        fields.forEach((field, key) -> assertThat(run.path(field).asString(null))
                .as(field).isEqualTo(theirs.path(key).asString(null)));
        assertThat(run.path("env")).isEqualTo(theirs.path("Env"));
        assertThat(run.path("cmd")).isEqualTo(theirs.path("Cmd"));
        assertThat(run.path("entrypoint")).isEqualTo(theirs.path("Entrypoint"));
        assertThat(run.path("labels")).isEqualTo(theirs.path("Labels"));
        assertThat(ours.path("rootfs").path("type").asString()).isEqualTo(raw.path("rootfs").path("type").asString());
        assertThat(ours.path("rootfs").path("diff_ids")).isEqualTo(raw.path("rootfs").path("diff_ids"));
        assertThat(Http.strings(ours.path("rootfs").path("diff_ids"))).isNotEmpty();
    }
}
