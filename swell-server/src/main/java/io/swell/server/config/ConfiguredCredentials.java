package io.swell.server.config;

import io.swell.api.SwellException;
import io.swell.registry.CredentialsProvider;
import io.swell.registry.RegistryCredentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registry credentials from the config's {@code registries} map and, below it, a docker {@code config.json}
 * ({@code auths.<host>.auth} or {@code username}/{@code password}; Docker Hub's {@code https://index.docker.io/v1/}
 * key counts for {@code docker.io}).
 */
public final class ConfiguredCredentials implements CredentialsProvider {
    private final Map<String, RegistryCredentials> byHost;

    private ConfiguredCredentials(Map<String, RegistryCredentials> byHost) {
        this.byHost = Map.copyOf(byHost);
    }

    public static ConfiguredCredentials from(SwellConfig config) {
        Map<String, RegistryCredentials> map = new HashMap<>();
        if (config.dockerConfig() != null) {
            map.putAll(readDockerConfig(config.dockerConfig()));
        }
        config.registries().forEach((host, c) -> map.put(normalise(host), new RegistryCredentials(c.username(),
                c.password())));
        return new ConfiguredCredentials(map);
    }

    /** Every configured registry host with its credentials (normalised hosts, Docker Hub as {@code docker.io}). */
    public Map<String, RegistryCredentials> all() {
        return byHost;
    }

    @Override
    public Optional<RegistryCredentials> forRegistry(String registryHost) {
        return Optional.ofNullable(byHost.get(registryHost));
    }

    static Map<String, RegistryCredentials> readDockerConfig(Path file) {
        Map<String, RegistryCredentials> out = new HashMap<>();
        JsonNode auths;
        try {
            auths = JsonMapper.builder().build().readTree(Files.readAllBytes(file)).path("auths");
        } catch (Exception e) {
            throw SwellException.badRequest("Invalid configuration: cannot read docker config " + file + ": "
                    + e.getClass().getSimpleName());
        }
        auths.properties().forEach(e -> {
            JsonNode entry = e.getValue();
            String user = entry.path("username").asString(null);
            String pass = entry.path("password").asString(null);
            String auth = entry.path("auth").asString(null);
            if ((user == null || pass == null) && auth != null) {
                String decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    user = decoded.substring(0, colon);
                    pass = decoded.substring(colon + 1);
                }
            }
            if (user != null && pass != null) {
                out.put(normalise(e.getKey()), new RegistryCredentials(user, pass));
            }
        });
        return out;
    }

    /** {@code https://index.docker.io/v1/} → {@code docker.io}; {@code https://host/} → {@code host}. */
    static String normalise(String key) {
        String host = key.replaceFirst("^https?://", "");
        int slash = host.indexOf('/');
        host = slash < 0 ? host : host.substring(0, slash);
        return switch (host) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> "docker.io";
            default -> host;
        };
    }
}
