package io.swell.server.config;

import io.swell.api.SwellException;
import io.swell.core.ratelimit.RateLimits;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads {@link SwellConfig} from a YAML file (optional) and {@code SWELL_*} environment variables, which win.
 * Unknown keys are an error, so a typo never passes silently.
 */
public final class ConfigLoader {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]i?B|B)?", Pattern.CASE_INSENSITIVE);
    private static final List<String> TOP_KEYS = List.of("port", "bindAddress", "serverUrl", "dataDir", "tokens",
            "registries", "dockerConfig", "insecureRegistries", "allowedRegistries", "accounts", "proxy", "layers", "build",
            "validateCreds", "store", "rateLimit", "metrics");

    private ConfigLoader() {}

    /** Loads the file (may be {@code null}) and applies the environment. */
    public static SwellConfig load(Path file, Map<String, String> env) {
        JsonNode root = file == null ? YAMLMapper.builder().build().createObjectNode() : read(file);
        for (String key : root.propertyNames()) {
            if (!TOP_KEYS.contains(key)) {
                throw invalid("unknown key '" + key + "' (known: " + TOP_KEYS + ")");
            }
        }
        int port = Integer.parseInt(env.getOrDefault("SWELL_PORT", root.path("port").asString("9090")));
        if (port < 0 || port > 65535) {
            throw invalid("port " + port + " is out of range");
        }
        String bind = env.getOrDefault("SWELL_BIND_ADDRESS", root.path("bindAddress").asString("0.0.0.0"));
        String url = env.getOrDefault("SWELL_SERVER_URL", root.path("serverUrl").asString(""));
        Path dataDir = Path.of(env.getOrDefault("SWELL_DATA_DIR", root.path("dataDir").asString("data")));
        Duration tokenLifetime = duration(env.getOrDefault("SWELL_TOKEN_LIFETIME",
                root.path("tokens").path("lifetime").asString("36h")), "tokens.lifetime");

        Map<String, SwellConfig.Credentials> registries = new LinkedHashMap<>();
        root.path("registries").properties().forEach(e -> registries.put(e.getKey(), new SwellConfig.Credentials(
                required(e.getValue(), "username", "registries." + e.getKey()),
                required(e.getValue(), "password", "registries." + e.getKey()))));
        String dockerConfig = env.getOrDefault("SWELL_DOCKER_CONFIG", root.path("dockerConfig").asString(null));
        List<String> insecure = hostList(root, env, "insecureRegistries", "SWELL_INSECURE_REGISTRIES");
        List<String> allowed = hostList(root, env, "allowedRegistries", "SWELL_ALLOWED_REGISTRIES");
        for (String host : allowed) {
            if (!host.matches("(\\*\\.)?[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
                throw invalid("allowedRegistries entry '" + host + "' is not host[:port] or *.domain");
            }
        }
        Map<String, String> accounts = new LinkedHashMap<>();
        root.path("accounts").properties().forEach(e -> {
            String hash = e.getValue().asString("").toLowerCase(Locale.ROOT);
            if (!hash.matches("[0-9a-f]{64}")) {
                throw invalid("accounts." + e.getKey() + " must be the SHA-256 hex of the password"
                        + " (make one with: ./swell hash-password)");
            }
            accounts.put(e.getKey(), hash);
        });
        JsonNode proxy = root.path("proxy");
        var proxyConfig = new SwellConfig.Proxy(
                duration(proxy.path("tagCacheTtl").asString("30s"), "proxy.tagCacheTtl"),
                proxy.path("blobCache").path("enabled").asBoolean(true),
                size(proxy.path("blobCache").path("maxSize").asString("20GiB"), "proxy.blobCache.maxSize"));
        JsonNode layers = root.path("layers");
        var layersConfig = new SwellConfig.Layers(
                layers.path("maxLocationChars").asLong(14_000_000),
                size(layers.path("maxLayerSize").asString("1GiB"), "layers.maxLayerSize"),
                Boolean.parseBoolean(env.getOrDefault("SWELL_LAYERS_ALLOW_PRIVATE_HOSTS",
                        layers.path("allowPrivateHosts").asString("false"))));
        JsonNode build = root.path("build");
        String buildRepo = env.getOrDefault("SWELL_BUILD_REPOSITORY", build.path("repository").asString(null));
        var buildConfig = new SwellConfig.Build(
                buildRepo == null || buildRepo.isBlank() ? null : buildRepo.trim(),
                Integer.parseInt(env.getOrDefault("SWELL_BUILD_MAX_CONCURRENT",
                        build.path("maxConcurrent").asString("2"))),
                duration(env.getOrDefault("SWELL_BUILD_TIMEOUT", build.path("timeout").asString("15m")),
                        "build.timeout"),
                duration(build.path("failureRetention").asString("1m"), "build.failureRetention"),
                build.path("maxContainerFileSize").asInt(10_000),
                build.path("storageDriver").asString("overlay"),
                blankToNull(env.getOrDefault("SWELL_BUILD_SINGULARITY_BINARY",
                        build.path("singularityBinary").asString(null))),
                size(env.getOrDefault("SWELL_BUILD_STORAGE_MAX_SIZE", build.path("storageMaxSize").asString("20GiB")),
                        "build.storageMaxSize"));
        if (buildConfig.maxConcurrent() < 1) {
            throw invalid("build.maxConcurrent must be at least 1");
        }
        if (!List.of("overlay", "vfs").contains(buildConfig.storageDriver())) {
            throw invalid("build.storageDriver must be overlay or vfs");
        }
        var validateCreds = new SwellConfig.ValidateCreds(Boolean.parseBoolean(env.getOrDefault(
                "SWELL_VALIDATE_CREDS_ALLOW_PRIVATE_HOSTS",
                root.path("validateCreds").path("allowPrivateHosts").asString("false"))));
        URI serverUrl = URI.create(url.isEmpty() ? "http://localhost:" + port : url.replaceAll("/+$", ""));
        if (serverUrl.getHost() == null) {
            throw invalid("serverUrl '" + url + "' has no host");
        }
        JsonNode store = root.path("store");
        var storeConfig = new SwellConfig.Store(
                blankToNull(env.getOrDefault("SWELL_STORE_URL", store.path("url").asString(null))),
                env.getOrDefault("SWELL_STORE_USER", store.path("user").asString("swell")),
                blankToNull(env.getOrDefault("SWELL_STORE_PASSWORD", store.path("password").asString(null))),
                store.path("maxConnections").asInt(16));
        if (storeConfig.url() != null && !storeConfig.url().startsWith("jdbc:postgresql://")) {
            throw invalid("store.url must be a jdbc:postgresql:// URL (leave it out for the embedded store)");
        }
        if (storeConfig.maxConnections() < 1) {
            throw invalid("store.maxConnections must be at least 1");
        }
        JsonNode rateLimit = root.path("rateLimit");
        var rateLimitConfig = new SwellConfig.RateLimit(
                rate(env.getOrDefault("SWELL_RATE_LIMIT_PULL", rateLimit.path("pull").asString(null)),
                        "rateLimit.pull"),
                rate(env.getOrDefault("SWELL_RATE_LIMIT_BUILD", rateLimit.path("build").asString(null)),
                        "rateLimit.build"));
        return new SwellConfig(port, bind, serverUrl, dataDir, tokenLifetime, Map.copyOf(registries),
                dockerConfig == null ? null : Path.of(dockerConfig), insecure, allowed, Map.copyOf(accounts), proxyConfig,
                layersConfig, buildConfig, validateCreds, storeConfig, rateLimitConfig,
                Boolean.parseBoolean(env.getOrDefault("SWELL_METRICS_ENABLED",
                        root.path("metrics").path("enabled").asString("false"))));
    }

    private static JsonNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw invalid("config file " + file + " does not exist");
        }
        try {
            JsonNode node = YAMLMapper.builder().build().readTree(file.toFile());
            return node == null || node.isMissingNode() || node.isNull()
                    ? YAMLMapper.builder().build().createObjectNode() : node;
        } catch (RuntimeException e) {
            throw invalid("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String required(JsonNode node, String field, String where) {
        String value = node.path(field).asString(null);
        if (value == null || value.isEmpty()) {
            throw invalid(where + "." + field + " is required");
        }
        return value;
    }

    /** Parses {@code 36h}, {@code 30m}, {@code 90s}, {@code 500ms}, {@code 2d} or ISO-8601 {@code PT36H}. */
    static Duration duration(String text, String key) {
        String t = text.trim();
        if (t.startsWith("P") || t.startsWith("p")) {
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        }
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
            throw invalid(key + " '" + text + "' is not a duration like 36h, 30m or 90s");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** Parses {@code 512MiB}, {@code 20GiB}, {@code 1000} (bytes). */
    static long size(String text, String key) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw invalid(key + " '" + text + "' is not a size like 512MiB or 20GiB");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        int shift = switch (unit.charAt(0)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> 0;
        };
        long base = unit.contains("I") || shift == 0 ? 1L << shift : (long) Math.pow(1000, shift / 10);
        return n * base;
    }

    private static SwellException invalid(String message) {
        return SwellException.badRequest("Invalid configuration: " + message);
    }

    /** A list of hosts: the environment variable (comma-separated) wins over the file's YAML list. */
    private static List<String> hostList(JsonNode root, Map<String, String> env, String key, String variable) {
        return env.containsKey(variable)
                ? Arrays.stream(env.get(variable).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()
                : root.path(key).valueStream().map(JsonNode::asString).toList();
    }

    private static RateLimits.Rate rate(String value, String key) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return RateLimits.Rate.parse(value, v -> duration(v, key));
        } catch (IllegalArgumentException e) {
            throw invalid(key + " must be N/duration, e.g. 100/1h: " + e.getMessage());
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
