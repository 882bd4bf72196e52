package io.swell.core.build.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.swell.api.ContainerConfig;
import io.swell.api.ContainerLayer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks every golden vector of {@code build-id-vectors.jsonl} (from Wave's own test literals) against this
 * package. Every {@code expected} and {@code derived} value of every vector must be checked, so a new vector
 * kind or field fails the test instead of being skipped.
 */
class BuildIdVectorsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** How many vectors of each kind the reference has; a change to the file must be a deliberate one. */
    private static final Map<String, Integer> COUNTS = Map.of(
            "containerId", 7, "targetImage", 43, "condaNames", 6, "normaliseTag", 12, "normaliseName", 13,
            "platform", 18, "targetRepo", 14, "sipHashMap", 1, "sipHashArgs", 1, "scanId", 4);

    static List<JsonNode> vectors() throws IOException {
        List<JsonNode> vectors = new ArrayList<>();
        try (InputStream in = BuildIdVectorsTest.class.getResourceAsStream("/build-id-vectors.jsonl")) {
            assertThat(in).as("build-id-vectors.jsonl on the test classpath").isNotNull();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    vectors.add(JSON.readTree(line));
                }
            }
        }
        return vectors;
    }

    static Stream<Arguments> cases() throws IOException {
        return vectors().stream().map(v -> Arguments.of(v.get("id").stringValue(), v.get("kind").stringValue(), v));
    }

    @Test
    void theFileHoldsEveryKindInTheExpectedNumber() throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode v : vectors()) {
            counts.merge(v.get("kind").stringValue(), 1, Integer::sum);
            assertThat(ids.add(v.get("id").stringValue())).as("unique id %s", v.get("id")).isTrue();
        }
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(COUNTS);
        assertThat(ids).hasSize(119);
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("cases")
    void vector(String id, String kind, JsonNode vector) {
        Check check = new Check(vector);
        JsonNode in = vector.get("inputs");
        switch (kind) {
            case "containerId" -> containerId(in, check);
            case "targetImage" -> check.expect("targetImage", TargetImageNamer.makeTargetImage(
                    format(in), text(in, "repository"), text(in, "id"), text(in, "condaFile"),
                    text(in, "nameStrategy")));
            case "condaNames" -> condaNames(in, check);
            case "normaliseTag" -> check.expect("result",
                    NameNormaliser.normaliseTag(text(in, "value"), in.get("maxLength").asInt()));
            case "normaliseName" -> check.expect("result",
                    NameNormaliser.normaliseName(text(in, "value"), in.get("maxLength").asInt()));
            case "platform" -> check.expect("platformString", HashedPlatform.parse(text(in, "platform")).value());
            case "targetRepo" -> check.expect("repository", TargetRepository.targetRepo(text(in, "repository"),
                    text(in, "nameStrategy"), text(in, "publicRepo"), strings(in.get("reservedWords"))));
            case "sipHashMap" -> {
                SequencedMap<String, String> entries = new LinkedHashMap<>();
                for (JsonNode e : in.get("entries")) {
                    entries.put(e.get(0).stringValue(), e.get(1).isNull() ? null : e.get(1).stringValue());
                }
                check.expect("hash", SipHash24.hashMap(entries));
            }
            case "sipHashArgs" -> check.expect("hash", SipHash24.hashArgs(strings(in.get("args")).toArray()));
            case "scanId" -> {
                List<String> scanIds = new ArrayList<>();
                for (JsonNode count : in.get("counts")) {
                    scanIds.add(ScanIds.of(text(in, "image"), text(in, "digest"), count.asLong()));
                }
                check.expect("scanIds", scanIds);
            }
            default -> fail("vector %s has kind '%s', which this test does not handle", id, kind);
        }
        check.assertAllChecked();
    }

    private static void containerId(JsonNode in, Check check) {
        HashedPlatform platform = HashedPlatform.parse(text(in, "platform"));
        JsonNode context = in.get("buildContext");
        ContainerLayer buildContext = context.isNull()
                ? null : new ContainerLayer(null, null, null, text(context, "tarDigest"), null);
        ContainerConfig config = in.get("containerConfig").isNull()
                ? null : JSON.treeToValue(in.get("containerConfig"), ContainerConfig.class);
        String containerFile = text(in, "containerFile");
        String condaFile = text(in, "condaFile");
        String repository = text(in, "repository");

        String containerId = ContainerIdCalculator.makeContainerId(containerFile, condaFile, platform, repository,
                buildContext, config);
        check.expect("containerId", containerId);
        check.expect("platformString", platform.value());
        check.expect("hashInput", SipHash24.mapInput(ContainerIdCalculator.hashEntries(containerFile, condaFile,
                platform, repository, buildContext, config)));
        check.expect("targetImage", TargetImageNamer.makeTargetImage(format(in), repository, containerId,
                condaFile, text(in, "nameStrategy")));
        check.expect("buildIdTemplate", BuildIds.template(containerId));
        check.expect("dryRunBuildId", BuildIds.dryRun(containerId));
    }

    private static void condaNames(JsonNode in, Check check) {
        boolean split = in.get("split").asBoolean();
        CondaRecipeNames names = CondaRecipeNames.guess(text(in, "condaFile"), split).orElseThrow();
        check.expect("names", names.names());
        check.expect("versions", names.versions());
    }

    private static TargetImageNamer.Format format(JsonNode in) {
        return TargetImageNamer.Format.valueOf(text(in, "format"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        assertThat(value).as("input field '%s'", field).isNotNull();
        return value.isNull() ? null : value.stringValue();
    }

    /** A JSON array of strings (nulls kept), or null for JSON null. */
    private static List<String> strings(JsonNode array) {
        if (array.isNull()) {
            return null;
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : array) {
            values.add(item.isNull() ? null : item.stringValue());
        }
        return values;
    }

    /** Compares computed values with a vector's {@code expected}/{@code derived} ones and tracks what was compared. */
    private static final class Check {
        private final JsonNode expected;
        private final JsonNode derived;
        private final Set<String> checked = new HashSet<>();
        private final String id;

        Check(JsonNode vector) {
            this.id = vector.get("id").stringValue();
            this.expected = vector.get("expected");
            this.derived = vector.path("derived");
        }

        /** Asserts {@code actual} against the field, if the vector has it in expected or derived (or both). */
        void expect(String field, Object actual) {
            for (JsonNode source : List.of(expected, derived)) {
                JsonNode value = source.get(field);
                if (value != null) {
                    Object want = value.isArray() ? strings(value) : value.isNull() ? null : value.stringValue();
                    assertThat(actual).as("%s: %s", id, field).isEqualTo(want);
                    checked.add(field);
                }
            }
        }

        void assertAllChecked() {
            Set<String> fields = new HashSet<>(expected.propertyNames());
            if (!derived.isMissingNode()) {
                fields.addAll(derived.propertyNames());
            }
            assertThat(checked).as("%s: every expected and derived value is checked", id)
                    .containsExactlyInAnyOrderElementsOf(fields);
        }
    }
}
