package io.swell.core.build.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CondaRecipeNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "some::conda-recipe", "- a\n- b\n", "dependencies: samtools\n", "channels: [x]\n",
        "dependencies:\n  - {conda: [x]}\n", "dependencies:\n  - 42\n", "a: [\n", "--- {a: 1}\n--- {b: 2}\n",
        "dependencies:\n  - https://x.org/a.zip\n", "name: ''\n"})
    void guessesNothing(String yaml) {
        assertThat(CondaRecipeNames.guess(yaml, false)).isEmpty();
        assertThat(CondaRecipeNames.guess(yaml, true)).isEmpty();
    }

    @Test
    void guessesNothingForNull() {
        assertThat(CondaRecipeNames.guess(null, true)).isEmpty();
    }

    @Test
    void neverInstantiatesClassesNamedInTheYaml() {
        String yaml = "dependencies: !!java.util.ArrayList [samtools]\n";
        assertThat(CondaRecipeNames.guess(yaml, false)).isEmpty();
    }

    @Test
    void ignoresFilesLargerThanTheCap() {
        String yaml = "dependencies:\n  - samtools\n" + "#".repeat(CondaRecipeNames.MAX_YAML_CHARS);
        assertThat(CondaRecipeNames.guess(yaml, false)).isEmpty();
    }

    @Test
    void keepsAPipChannelAndCutsChannelsAndBuildStrings() {
        String yaml = "dependencies:\n  - pip::foo=1\n  - conda-forge::bar=2=h123_0\n  - bar=3\n";
        CondaRecipeNames names = CondaRecipeNames.guess(yaml, true).orElseThrow();
        assertThat(names.names()).containsExactly("foo", "bar");
        // the version of a name seen twice is still collected
        assertThat(names.versions()).containsExactly("1", "2", "3");
        assertThat(CondaRecipeNames.guess(yaml, false).orElseThrow().names())
                .containsExactly("foo-1", "bar-2", "bar-3");
    }

    @Test
    void flattensNestedListsAndPipSections() {
        String yaml = "dependencies:\n  - [a, b=1]\n  - pip:\n    - c==2\n    - https://x.org/d.zip\n";
        CondaRecipeNames names = CondaRecipeNames.guess(yaml, true).orElseThrow();
        assertThat(names.names()).containsExactly("a", "b", "c");
        assertThat(names.versions()).isEqualTo(Arrays.asList(null, "1", "2"));
    }

    @Test
    void aNamedRecipeWinsAndHasNoVersion() {
        CondaRecipeNames names = CondaRecipeNames.guess("name: 7\ndependencies: [a]\n", true).orElseThrow();
        assertThat(names.names()).containsExactly("7");
        assertThat(names.versions()).isEqualTo(Arrays.asList((String) null));
    }

    @Test
    void prunesOnlyBeyondFiveNames() {
        assertThat(new CondaRecipeNames(List.of("a", "b", "c", "d", "e"), null).joined()).isEqualTo("a_b_c_d_e");
        assertThat(new CondaRecipeNames(List.of("a", "b", "c", "d", "e", "f"), null).joined())
                .isEqualTo("a_b_c_d_pruned");
    }
}
