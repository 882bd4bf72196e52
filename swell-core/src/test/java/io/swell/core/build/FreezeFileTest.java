package io.swell.core.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swell.api.ContainerConfig;
import io.swell.api.SwellException;
import io.swell.oci.ConfigChanges.AddedLayer;
import io.swell.oci.Digest;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreezeFileTest {
    private final AddedLayer layer = new AddedLayer(Digest.parse("sha256:" + "a".repeat(64)), 10,
            Digest.parse("sha256:" + "b".repeat(64)));

    @Test
    void bakesTheConfigIntoAContainerfile() {
        var config = new ContainerConfig(List.of("/bin/sh", "-c"), List.of("echo \"hi\" $HOME"),
                List.of("A=1", "B=x y"), "/work dir", null);
        assertThat(FreezeFile.fromImage("reg.io/lib/busybox:1", config, List.of(layer))).isEqualTo("""
                # wave generated container file
                FROM reg.io/lib/busybox:1
                ADD layer-%s.tar.gz /
                WORKDIR "/work dir"
                ENV A="1" B="x y"
                ENTRYPOINT ["/bin/sh","-c"]
                CMD ["echo \\"hi\\" \\$HOME"]
                """.formatted("a".repeat(64)));
    }

    @Test
    void appendsToAGivenFileOnlyWhenThereIsAConfig() {
        assertThat(FreezeFile.fromFile("FROM x\n", null, List.of())).isEqualTo("FROM x\n");
        assertThat(FreezeFile.fromFile("FROM x", new ContainerConfig(null, List.of("sh"), null, null, null),
                List.of())).isEqualTo("FROM x\n# wave generated container file\nCMD [\"sh\"]\n");
    }

    @Test
    void refusesValuesThatWouldAddInstructions() {
        for (ContainerConfig bad : List.of(
                new ContainerConfig(null, List.of("sh\nRUN rm -rf /"), null, null, null),
                new ContainerConfig(null, null, List.of("A=1\nRUN evil"), null, null),
                new ContainerConfig(null, null, List.of("A B=1"), null, null),
                new ContainerConfig(null, null, null, "/x\r\nRUN evil", null))) {
            assertThatThrownBy(() -> FreezeFile.fromImage("x", bad, List.of())).isInstanceOf(SwellException.class);
        }
        assertThatThrownBy(() -> FreezeFile.fromImage("x\nRUN evil", null, List.of()))
                .isInstanceOf(SwellException.class);
    }

    @Test
    void anEnvEntryWithoutAValueIsABadRequestNotACrash() {
        for (String entry : List.of("NOVALUE", "=1")) {
            assertThatThrownBy(() -> FreezeFile.fromImage("x",
                    new ContainerConfig(null, null, List.of(entry), null, null), List.of()))
                    .isInstanceOfSatisfying(SwellException.class,
                            e -> assertThat(e.code()).isEqualTo(io.swell.api.ErrorCode.BAD_REQUEST))
                    .hasMessageContaining("use NAME=VALUE");
        }
    }
}
