package io.swell.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Produces {@code Authorization} headers for registry calls. It learns each registry's challenge from its first
 * 401 and then, for bearer registries, fetches and caches a token per repository, actions and credentials
 * (https://distribution.github.io/distribution/spec/auth/token/).
 */
public final class RegistryAuthenticator {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);

    private final HttpClient http;
    private final Cache<String, AuthChallenge> challenges =
            Caffeine.newBuilder().expireAfterWrite(1, TimeUnit.HOURS).maximumSize(10_000).build();
    private final Cache<String, Token> tokens = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfter(Expiry.creating((String key, Token t) -> t.lifetime()))
            .build();

    public RegistryAuthenticator(HttpClient http) {
        this.http = http;
    }

    private record Token(String value, Duration lifetime) {}

    /** The header to send, or {@code null} when the registry is not known to need one. */
    public String authorization(String registry, String repository, String actions, RegistryCredentials creds) {
        return authorization(registry, repository, actions, null, creds);
    }

    /**
     * The header to send for {@code actions} on {@code repository} plus, for a bearer registry, one more scope
     * such as {@code repository:other:pull} (a cross-repository mount needs pull on its source); distribution's
     * token endpoint grants several {@code scope} parameters in one token.
     */
    public String authorization(String registry, String repository, String actions, String extraScope,
            RegistryCredentials creds) {
        AuthChallenge challenge = challenges.getIfPresent(registry);
        if (challenge == null || challenge == AuthChallenge.NONE) {
            return null;
        }
        if (challenge.isBasic()) {
            return creds == null ? null : creds.basicHeader();
        }
        Token token = tokens.get(key(registry, repository, actions, extraScope, creds),
                k -> fetchToken(registry, challenge, repository, actions, extraScope, creds));
        return "Bearer " + token.value();
    }

    /** Records the challenge of a 401 answer and forgets any cached token, so the next attempt authenticates. */
    public void challenged(String registry, String repository, String actions, RegistryCredentials creds,
            String wwwAuthenticate) {
        challenged(registry, repository, actions, null, creds, wwwAuthenticate);
    }

    /** As {@link #challenged(String, String, String, RegistryCredentials, String)} for a token with an extra scope. */
    public void challenged(String registry, String repository, String actions, String extraScope,
            RegistryCredentials creds, String wwwAuthenticate) {
        challenges.put(registry, AuthChallenge.parse(wwwAuthenticate));
        tokens.invalidate(key(registry, repository, actions, extraScope, creds));
    }

    private static String key(String registry, String repository, String actions, String extraScope,
            RegistryCredentials creds) {
        return registry + "|" + repository + "|" + actions + "|" + (extraScope == null ? "" : extraScope) + "|"
                + (creds == null ? "-" : creds.fingerprint());
    }

    private Token fetchToken(String registry, AuthChallenge challenge, String repository, String actions,
            String extraScope, RegistryCredentials creds) {
        if (challenge.realm() == null) {
            throw new SwellException(ErrorCode.UNAUTHORIZED,
                    "Registry '" + registry + "' sent a bearer challenge without a realm");
        }
        StringBuilder url = new StringBuilder(challenge.realm());
        url.append(challenge.realm().contains("?") ? '&' : '?');
        url.append("scope=").append(enc("repository:" + repository + ":" + actions));
        if (extraScope != null) {
            url.append("&scope=").append(enc(extraScope));
        }
        if (challenge.service() != null) {
            url.append("&service=").append(enc(challenge.service()));
        }
        ContentResponse response;
        try {
            var request = http.newRequest(url.toString()).timeout(30, TimeUnit.SECONDS);
            if (creds != null) {
                request.headers(h -> h.put(HttpHeader.AUTHORIZATION, creds.basicHeader()));
            }
            response = request.send();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw RegistryErrors.unreachable(registry, e);
        }
        if (response.getStatus() != 200) {
            ErrorCode code = response.getStatus() == 401 || response.getStatus() == 403
                    ? ErrorCode.UNAUTHORIZED : ErrorCode.UPSTREAM_UNAVAILABLE;
            throw new SwellException(code, "Unable to authenticate with registry '" + registry + "' for repository '"
                    + repository + "': token endpoint answered " + response.getStatus()
                    + (creds == null ? " (no credentials configured for this registry)" : ""));
        }
        JsonNode body = JSON.readTree(response.getContent());
        String token = body.path("token").asString(null);
        if (token == null || token.isEmpty()) {
            token = body.path("access_token").asString(null);
        }
        if (token == null || token.isEmpty()) {
            throw new SwellException(ErrorCode.UPSTREAM_UNAVAILABLE,
                    "Token endpoint of registry '" + registry + "' answered no token");
        }
        long expiresIn = body.path("expires_in").asLong(DEFAULT_TOKEN_LIFETIME.toSeconds());
        // Renew a little early so a token never expires between our check and the registry's.
        Duration lifetime = Duration.ofSeconds(Math.max(10, expiresIn - Math.min(30, expiresIn / 4)));
        return new Token(token, lifetime);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
