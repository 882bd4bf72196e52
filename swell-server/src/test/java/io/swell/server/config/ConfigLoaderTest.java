package io.swell.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swell.api.SwellException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void defaultsNeedNoFile() {
        SwellConfig c = ConfigLoader.load(null, Map.of());
        assertThat(c.port()).isEqualTo(9090);
        assertThat(c.serverHost()).isEqualTo("localhost:9090");
        assertThat(c.tokenLifetime()).isEqualTo(Duration.ofHours(36));
        assertThat(c.dataDir()).isEqualTo(Path.of("data"));
        assertThat(c.proxy().blobCacheEnabled()).isTrue();
        assertThat(c.layers().allowPrivateHosts()).isFalse();
        assertThat(c.validateCreds().allowPrivateHosts()).isFalse();
    }

    @Test
    void readsTheFileAndLetsTheEnvironmentWin() throws Exception {
        Path file = dir.resolve("swell.yml");
        Files.writeString(file, """
                port: 8000
                serverUrl: https://swell.example.org/
                tokens: {lifetime: 2h}
                registries:
                  "quay.io": {username: bob, password: s3cret}
                insecureRegistries: [registry.lan:5000]
                accounts: {admin: %s}
                proxy: {tagCacheTtl: 5s, blobCache: {maxSize: 512MiB}}
                layers: {maxLayerSize: 10MB}
                validateCreds: {allowPrivateHosts: true}
                """.formatted("a".repeat(64)));
        SwellConfig c = ConfigLoader.load(file, Map.of("SWELL_PORT", "8100", "SWELL_DATA_DIR", "/srv/swell"));
        assertThat(c.port()).isEqualTo(8100);
        assertThat(c.serverHost()).isEqualTo("swell.example.org");
        assertThat(c.dataDir()).isEqualTo(Path.of("/srv/swell"));
        assertThat(c.tokenLifetime()).isEqualTo(Duration.ofHours(2));
        assertThat(c.registries().get("quay.io").username()).isEqualTo("bob");
        assertThat(c.insecureRegistries()).containsExactly("registry.lan:5000");
        assertThat(c.accounts()).containsKey("admin");
        assertThat(c.proxy().tagCacheTtl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.proxy().blobCacheMaxBytes()).isEqualTo(512L << 20);
        assertThat(c.layers().maxLayerBytes()).isEqualTo(10_000_000L);
        assertThat(c.validateCreds().allowPrivateHosts()).isTrue();
        assertThat(c.toString()).doesNotContain("s3cret");
        assertThat(c.registries().get("quay.io").toString()).doesNotContain("s3cret");
    }

    @Test
    void explainsMistakes() throws Exception {
        Path file = dir.resolve("bad.yml");
        Files.writeString(file, "prot: 1\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(SwellException.class).hasMessageContaining("unknown key 'prot'");
        Files.writeString(file, "accounts: {admin: secret}\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .hasMessageContaining("SHA-256 hex");
        Files.writeString(file, "tokens: {lifetime: forever}\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).hasMessageContaining("tokens.lifetime");
        Files.writeString(file, "registries: {\"quay.io\": {username: bob}}\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).hasMessageContaining("password is required");
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.yml"), Map.of()))
                .hasMessageContaining("does not exist");
    }

    @Test
    void aSingularityBinaryIsOptionalAndTheEnvironmentCanSetIt() throws Exception {
        assertThat(ConfigLoader.load(null, Map.of()).build().singularityBinary()).isNull();
        Path file = dir.resolve("sif.yml");
        Files.writeString(file, "build: {singularityBinary: /usr/bin/apptainer}\n");
        assertThat(ConfigLoader.load(file, Map.of()).build().singularityBinary()).isEqualTo("/usr/bin/apptainer");
        assertThat(ConfigLoader.load(file, Map.of("SWELL_BUILD_SINGULARITY_BINARY", "singularity")).build()
                .singularityBinary()).isEqualTo("singularity");
        assertThat(ConfigLoader.load(file, Map.of("SWELL_BUILD_SINGULARITY_BINARY", " ")).build()
                .singularityBinary()).isNull();
    }

    @Test
    void thePostgresStoreIsOptionalCheckedAndItsPasswordNeverPrinted() throws Exception {
        assertThat(ConfigLoader.load(null, Map.of()).store().url()).isNull();
        Path file = dir.resolve("store.yml");
        Files.writeString(file, "store: {url: \"jdbc:postgresql://db:5432/swell\", password: pg-secret}\n");
        SwellConfig c = ConfigLoader.load(file, Map.of("SWELL_STORE_USER", "svc"));
        assertThat(c.store().url()).isEqualTo("jdbc:postgresql://db:5432/swell");
        assertThat(c.store().user()).isEqualTo("svc");
        assertThat(c.store().password()).isEqualTo("pg-secret");
        assertThat(c.store().toString()).doesNotContain("pg-secret");
        Files.writeString(file, "store: {url: \"jdbc:h2:mem:x\"}\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).hasMessageContaining("jdbc:postgresql://");
    }

    @Test
    void rateLimitsAreOffUnlessGivenAsNPerDuration() throws Exception {
        assertThat(ConfigLoader.load(null, Map.of()).rateLimit().pull()).isNull();
        Path file = dir.resolve("limits.yml");
        Files.writeString(file, "rateLimit: {pull: 100/1h, build: 10/1m}\n");
        SwellConfig c = ConfigLoader.load(file, Map.of("SWELL_RATE_LIMIT_BUILD", "5/2h"));
        assertThat(c.rateLimit().pull().permits()).isEqualTo(100);
        assertThat(c.rateLimit().pull().period()).isEqualTo(Duration.ofHours(1));
        assertThat(c.rateLimit().build().permits()).isEqualTo(5);
        assertThat(c.rateLimit().build().period()).isEqualTo(Duration.ofHours(2));
        Files.writeString(file, "rateLimit: {pull: lots}\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).hasMessageContaining("rateLimit.pull");
    }

    @Test
    void parsesDurationsAndSizes() {
        assertThat(ConfigLoader.duration("90s", "k")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ConfigLoader.duration("PT36H", "k")).isEqualTo(Duration.ofHours(36));
        assertThat(ConfigLoader.duration("2d", "k")).isEqualTo(Duration.ofDays(2));
        assertThat(ConfigLoader.size("20GiB", "k")).isEqualTo(20L << 30);
        assertThat(ConfigLoader.size("1KB", "k")).isEqualTo(1000);
        assertThat(ConfigLoader.size("4096", "k")).isEqualTo(4096);
    }
}
