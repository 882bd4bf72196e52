package io.swell.core.build.id;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.api.ContainerConfig;
import io.swell.api.ContainerLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class ContainerIdCalculatorTest {

    private static final HashedPlatform AMD64 = HashedPlatform.LINUX_AMD64;

    @Test
    void aNegativeConfigHashIsWrittenAsASignedDecimal() {
        ContainerConfig config = new ContainerConfig(null, List.of("echo", "hello"), null, null, null);
        // Objects.hash(entrypoint, cmd, env, workingDir, layers) over plain Java lists
        assertThat(ContainerIdCalculator.containerConfigHash(config)).isEqualTo(-56828207);
        assertThat(SipHash24.mapInput(ContainerIdCalculator.hashEntries("FROM x", null, AMD64, "r", null, config)))
                .endsWith("containerConfig\u001c-56828207\u001e");
    }

    @Test
    void layersHashLikeWaveLayersWithTheSizeAsAnIntAndWithoutSkipHashing() {
        ContainerLayer layer = new ContainerLayer("data:abc", "sha256:aa", 123L, "sha256:bb", true);
        ContainerConfig config = new ContainerConfig(null, null, null, null, List.of(layer));
        int layers = 31 + Objects.hash("data:abc", "sha256:aa", 123, "sha256:bb");
        assertThat(ContainerIdCalculator.containerConfigHash(config))
                .isEqualTo(Objects.hash(null, null, null, null, layers))
                .isEqualTo(183994712);
        ContainerLayer noSkip = new ContainerLayer("data:abc", "sha256:aa", 123L, "sha256:bb", null);
        assertThat(ContainerIdCalculator.containerConfigHash(
                new ContainerConfig(null, null, null, null, List.of(noSkip)))).isEqualTo(183994712);
    }

    @Test
    void theListImplementationDoesNotMatter() {
        List<String> env = new ArrayList<>(List.of("A=1"));
        assertThat(ContainerIdCalculator.containerConfigHash(new ContainerConfig(null, null, env, "/w", null)))
                .isEqualTo(ContainerIdCalculator.containerConfigHash(
                        new ContainerConfig(null, null, List.of("A=1"), "/w", null)));
    }

    @Test
    void anEmptyConfigIsNotHashedLikeNoConfig() {
        ContainerConfig empty = new ContainerConfig(null, List.of(), null, "", List.of());
        assertThat(ContainerIdCalculator.isNonEmpty(empty)).isFalse();
        assertThat(ContainerIdCalculator.makeContainerId("FROM x", null, AMD64, "r", null, empty))
                .isEqualTo(ContainerIdCalculator.makeContainerId("FROM x", null, AMD64, "r", null, null));
        ContainerConfig workdirOnly = new ContainerConfig(null, null, null, "/w", null);
        assertThat(ContainerIdCalculator.hashEntries("FROM x", null, AMD64, "r", null, workdirOnly))
                .containsKey("containerConfig");
    }

    @Test
    void aBuildContextWithoutDigestStillAddsItsKey() {
        ContainerLayer context = new ContainerLayer(null, null, null, null, null);
        assertThat(SipHash24.mapInput(ContainerIdCalculator.hashEntries("FROM foo", null, AMD64, "docker.io/wave",
                context, null))).endsWith("buildContext\u001c\u001e");
        assertThat(ContainerIdCalculator.makeContainerId("FROM foo", null, HashedPlatform.parse("amd64"),
                "docker.io/wave", null, null)).isEqualTo("e9b228297bb8324e");
    }

    @Test
    void trailingNewlinesOfTheContainerFileCount() {
        assertThat(ContainerIdCalculator.makeContainerId("FROM foo\n", null, AMD64, "r", null, null))
                .isNotEqualTo(ContainerIdCalculator.makeContainerId("FROM foo", null, AMD64, "r", null, null));
    }
}
