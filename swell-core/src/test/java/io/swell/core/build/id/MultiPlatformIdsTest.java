package io.swell.core.build.id;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.api.ContainerConfig;
import io.swell.api.ContainerLayer;
import io.swell.core.build.id.TargetImageNamer.Format;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MultiPlatformIdsTest {

    @ParameterizedTest
    @CsvSource({
        "wave/build:abc, docker.io/wave/build",
        "ubuntu, docker.io/library/ubuntu",
        "docker.io/ubuntu:22.04, docker.io/library/ubuntu",
        "oras://foo.com/build:abc, foo.com/build",
        "localhost:5000/x/y@sha256:0123, localhost:5000/x/y",
        "foo.com/build/samtools:1.0--abc, foo.com/build/samtools",
    })
    void normalisesTheTemplateTargetToRegistryAndPath(String image, String repository) {
        assertThat(MultiPlatformIds.normaliseRepository(image)).isEqualTo(repository);
    }

    @Test
    void plansAParentWithTheMultiPlatformAndTagPrefixChildren() {
        String conda = "dependencies:\n- samtools=1.0\n";
        MultiPlatformIds.Plan plan = MultiPlatformIds.plan("FROM x", conda, null, null, Format.DOCKER,
                "imageSuffix", "foo.com/build/samtools:1.0--0123456789abcdef");
        String repo = "foo.com/build/samtools";
        assertThat(plan.repository()).isEqualTo(repo);
        String parentId = ContainerIdCalculator.makeContainerId("FROM x", conda, HashedPlatform.MULTI, repo, null,
                null);
        // the request's explicit imageSuffix is applied again to the already suffixed repository
        assertThat(plan.parent()).isEqualTo(new MultiPlatformIds.Build(HashedPlatform.MULTI, parentId,
                repo + "/samtools:1.0--" + parentId));
        assertThat(plan.parentBuildId()).isEqualTo("bd-" + parentId + "_0");
        assertThat(plan.children()).extracting(MultiPlatformIds.Build::platform)
                .containsExactly(HashedPlatform.LINUX_AMD64, HashedPlatform.LINUX_ARM64);
        for (MultiPlatformIds.Build child : plan.children()) {
            assertThat(child.containerId()).isEqualTo(ContainerIdCalculator.makeContainerId("FROM x", conda,
                    child.platform(), repo, null, null));
            assertThat(child.targetImage()).isEqualTo(repo + ":samtools-1.0--" + child.containerId());
        }
    }

    @Test
    void eachChildKeepsOnlyItsOwnFusionLayer() {
        ContainerLayer amd = layer("https://fusionfs.seqera.io/releases/pkg/2/fusion-amd64.tar.gz");
        ContainerLayer arm = layer("https://fusionfs.seqera.io/releases/pkg/2/fusion-arm64.tar.gz");
        ContainerLayer other = layer("data:H4sI");
        ContainerConfig config = new ContainerConfig(List.of("sh"), null, null, null, List.of(amd, arm, other));
        assertThat(MultiPlatformIds.forArch(config, "amd64").layers()).containsExactly(amd, other);
        assertThat(MultiPlatformIds.forArch(config, "arm64").layers()).containsExactly(arm, other);
        assertThat(MultiPlatformIds.forArch(null, "arm64")).isNull();

        MultiPlatformIds.Plan plan = MultiPlatformIds.plan("FROM x", null, null, config, Format.SINGULARITY, null,
                "oras://r.io/b:abc");
        assertThat(plan.children().get(1).containerId()).isEqualTo(ContainerIdCalculator.makeContainerId("FROM x",
                null, HashedPlatform.LINUX_ARM64, "r.io/b", null, MultiPlatformIds.forArch(config, "arm64")));
        assertThat(plan.parent().targetImage()).startsWith("oras://r.io/b:");
    }

    private static ContainerLayer layer(String location) {
        return new ContainerLayer(location, "sha256:a", 1L, "sha256:b", null);
    }
}
