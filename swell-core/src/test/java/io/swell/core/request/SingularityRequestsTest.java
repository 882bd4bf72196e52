package io.swell.core.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swell.api.ErrorCode;
import io.swell.api.SubmitContainerTokenRequest;
import io.swell.api.SwellException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class SingularityRequestsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    @Test
    void aPlainImageFreezeGetsWavesGeneratedHeader() {
        assertThat(SingularityRequests.freezeFile(request("{\"containerImage\":\"ubuntu:24.04\"}"), null))
                .isEqualTo("# wave generated container file\nBootStrap: docker\nFrom: docker.io/library/ubuntu:24.04\n");
    }

    @Test
    void theConfigBecomesEnvironmentAndRunscriptSections() {
        String file = SingularityRequests.freezeFile(request("""
                {"containerImage":"ubuntu:24.04","containerConfig":{"env":["A=1","B=it's $HOME"],
                 "entrypoint":["/bin/echo","x"],"cmd":["default"]}}"""), null);

        assertThat(file).isEqualTo("""
                # wave generated container file
                BootStrap: docker
                From: docker.io/library/ubuntu:24.04
                %environment
                    export A='1'
                    export B='it'\\''s $HOME'
                %runscript
                    if [ $# -gt 0 ]; then exec '/bin/echo' 'x' "$@"; fi
                    exec '/bin/echo' 'x' 'default'
                """);
    }

    @Test
    void theRunscriptBehavesLikeEntrypointAndCmd() throws Exception {
        String file = SingularityRequests.freezeFile(request("""
                {"containerImage":"x","containerConfig":{"entrypoint":["/bin/echo","it's"],"cmd":["$HOME"]}}"""),
                null);
        String body = file.substring(file.indexOf("%runscript\n") + "%runscript\n".length());
        Path script = Files.writeString(tmp.resolve("runscript"), body);

        assertThat(sh(script)).isEqualTo("it's $HOME\n");
        assertThat(sh(script, "a b", "c")).isEqualTo("it's a b c\n");
    }

    @Test
    void aGivenDefinitionGetsTheMarkerBeforeTheConfig() {
        String file = SingularityRequests.freezeFile(request("{\"containerConfig\":{\"cmd\":[\"/bin/date\"]}}"),
                "Bootstrap: docker\nFrom: alpine\n");

        assertThat(file).isEqualTo("Bootstrap: docker\nFrom: alpine\n\n# wave generated container file\n"
                + "%runscript\n    if [ $# -gt 0 ]; then exec \"$@\"; fi\n    exec '/bin/date'\n");
    }

    @Test
    void whatASingularityImageCannotHoldIsRefused() {
        assertBadRequest("{\"containerImage\":\"x\",\"containerConfig\":{\"workingDir\":\"/w\"}}", "workingDir");
        assertBadRequest("{\"containerImage\":\"x\",\"containerConfig\":{\"layers\":[{\"location\":\"data:,\"}]}}",
                "layers");
        assertBadRequest("{\"containerImage\":\"x\",\"containerConfig\":{\"env\":[\"A=1\\nB=2\"]}}", "line breaks");
        assertBadRequest("{\"containerImage\":\"x\",\"containerConfig\":{\"env\":[\"A-B=1\"]}}", "env name");
        assertBadRequest("{\"containerImage\":\"x\",\"containerConfig\":{\"cmd\":[\"a\\rb\"]}}", "line breaks");
    }

    @Test
    void twoPlatformsAreRefused() {
        assertThatThrownBy(() -> SingularityRequests.check(request(
                "{\"containerPlatform\":\"linux/amd64,linux/arm64\"}")))
                .isInstanceOfSatisfying(SwellException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
                .hasMessageContaining("Multi-platform");
    }

    private static void assertBadRequest(String json, String message) {
        assertThatThrownBy(() -> SingularityRequests.freezeFile(request(json), null))
                .isInstanceOfSatisfying(SwellException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
                .hasMessageContaining(message);
    }

    private static SubmitContainerTokenRequest request(String json) {
        return JSON.readValue(json, SubmitContainerTokenRequest.class);
    }

    private static String sh(Path script, String... args) throws Exception {
        var command = new java.util.ArrayList<>(java.util.List.of("/bin/sh", script.toString()));
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes());
    }
}
