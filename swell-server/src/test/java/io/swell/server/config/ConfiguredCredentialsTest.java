package io.swell.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfiguredCredentialsTest {
    @TempDir
    Path dir;

    @Test
    void readsDockerConfigAndLetsTheSwellConfigWin() throws Exception {
        Path docker = dir.resolve("config.json");
        Files.writeString(docker, """
                {"auths": {
                  "https://index.docker.io/v1/": {"auth": "aHViOmh1YnB3"},
                  "quay.io": {"username": "q", "password": "qpw"},
                  "ghcr.io": {"auth": "Z2g6Z2hwdw=="}
                }}""");
        Path yml = dir.resolve("swell.yml");
        Files.writeString(yml, "dockerConfig: " + docker + "\nregistries: {ghcr.io: {username: own, password: x}}\n");
        var creds = ConfiguredCredentials.from(ConfigLoader.load(yml, Map.of()));
        assertThat(creds.forRegistry("docker.io")).hasValueSatisfying(c -> {
            assertThat(c.username()).isEqualTo("hub");
            assertThat(c.password()).isEqualTo("hubpw");
        });
        assertThat(creds.forRegistry("quay.io").orElseThrow().password()).isEqualTo("qpw");
        assertThat(creds.forRegistry("ghcr.io").orElseThrow().username()).isEqualTo("own");
        assertThat(creds.forRegistry("other.io")).isEmpty();
    }
}
