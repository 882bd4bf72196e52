package io.swell.registry;

import io.swell.api.SwellException;
import io.swell.api.ValidateCredsRequest;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpResponseException;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a user name and password against a registry with the docker login flow
 * (https://distribution.github.io/distribution/spec/auth/token/): {@code GET /v2/}, then, on a bearer challenge,
 * {@code GET <realm>?service=<service>} with Basic credentials, or on a Basic challenge {@code GET /v2/} with them.
 * Hosts that resolve to private or local addresses are refused unless allowed (SSRF); the password is never logged.
 */
public final class CredentialsValidator {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialsValidator.class);
    private static final Pattern HOST_PORT = Pattern.compile(
            "(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\\[[0-9a-f:.]+\\])"
                    + "(?::([0-9]{1,5}))?");
    private static final long TIMEOUT_SECONDS = 30;
    private static final int MAX_BODY_BYTES = 1 << 20;

    /** Resolves a host name to its addresses (a seam for tests). */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final HttpClient http;
    private final RegistryEndpoints endpoints;
    private final boolean allowPrivateHosts;
    private final Resolver resolver;

    public CredentialsValidator(HttpClient http, RegistryEndpoints endpoints, boolean allowPrivateHosts) {
        this(http, endpoints, allowPrivateHosts, InetAddress::getAllByName);
    }

    CredentialsValidator(HttpClient http, RegistryEndpoints endpoints, boolean allowPrivateHosts, Resolver resolver) {
        this.http = http;
        this.endpoints = endpoints;
        this.allowPrivateHosts = allowPrivateHosts;
        this.resolver = resolver;
    }

    /**
     * True when the registry accepts the credentials; a registry that asks for no authentication accepts any
     * (as {@code docker login} does). Missing fields, a malformed registry and refused hosts are 400s.
     */
    public boolean validate(ValidateCredsRequest request) {
        if (request == null) {
            throw SwellException.badRequest("Missing request body");
        }
        String registry = registryHost(required(request.registry(), "registry"));
        var creds = new RegistryCredentials(required(request.userName(), "userName"),
                required(request.password(), "password"));
        URI base = endpoints.baseUri(registry);
        checkHost(base.getHost());
        LOG.debug("Validating credentials of user '{}' on registry {}", creds.username(), registry);
        Answer ping = get(registry, base.resolve("/v2/"), null);
        if (ping.status() == 200) {
            return true;
        }
        if (ping.status() != 401) {
            return false;
        }
        AuthChallenge challenge = AuthChallenge.parse(ping.wwwAuthenticate());
        if (challenge.isBasic()) {
            return get(registry, base.resolve("/v2/"), creds).status() == 200;
        }
        if (!challenge.isBearer() || challenge.realm() == null) {
            return false;
        }
        URI realm;
        try {
            realm = base.resolve(challenge.realm());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (realm.getHost() == null || !("http".equals(realm.getScheme()) || "https".equals(realm.getScheme()))) {
            return false;
        }
        checkHost(realm.getHost());
        String url = realm.toString();
        if (challenge.service() != null) {
            url += (url.contains("?") ? "&" : "?") + "service="
                    + URLEncoder.encode(challenge.service(), StandardCharsets.UTF_8);
        }
        return get(registry, URI.create(url), creds).status() == 200;
    }

    /** The registry as {@code host[:port]}, lower case, Docker Hub's aliases as {@code docker.io}; else 400. */
    static String registryHost(String value) {
        String host = value.trim().toLowerCase(Locale.ROOT);
        var m = HOST_PORT.matcher(host);
        if (!m.matches() || (m.group(1) != null && (Integer.parseInt(m.group(1)) == 0
                || Integer.parseInt(m.group(1)) > 65535))) {
            throw SwellException.badRequest("Invalid registry '" + value + "' - expected host[:port] such as"
                    + " docker.io or quay.io, without scheme or path");
        }
        return switch (host) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> "docker.io";
            default -> host;
        };
    }

    /**
     * Refuses a host with any private or local address, unless allowed; an unknown host is a 400 too. The JVM
     * caches lookups (30 s by default) and the HTTP client resolves through the same cache, so a name cannot
     * resolve to a public address here and to a private one when connecting a moment later.
     */
    void checkHost(String host) {
        if (allowPrivateHosts) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw SwellException.badRequest("Unknown registry host '" + host + "'");
        }
        for (InetAddress address : addresses) {
            if (PrivateAddresses.isPrivate(address)) {
                throw SwellException.badRequest("Registry host not allowed: '" + host
                        + "' resolves to a private or local address");
            }
        }
    }

    /** A status and the challenge that came with it. */
    private record Answer(int status, String wwwAuthenticate) {}

    private Answer get(String registry, URI uri, RegistryCredentials creds) {
        Request request = http.newRequest(uri).method(HttpMethod.GET).followRedirects(false)
                .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .headers(h -> {
                    if (creds != null) {
                        h.put(HttpHeader.AUTHORIZATION, creds.basicHeader());
                    }
                });
        try {
            ContentResponse response = new CompletableResponseListener(request, MAX_BODY_BYTES).send().get();
            return new Answer(response.getStatus(), response.getHeaders().get(HttpHeader.WWW_AUTHENTICATE));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryErrors.unreachable(registry, e);
        } catch (ExecutionException e) {
            // Jetty's client fails a 401 that has no WWW-Authenticate header; for a login that is just a 401.
            if (e.getCause() instanceof HttpResponseException rejected && rejected.getResponse() != null) {
                return new Answer(rejected.getResponse().getStatus(), null);
            }
            throw RegistryErrors.unreachable(registry, e.getCause());
        }
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw SwellException.badRequest("Missing required field '" + field + "'");
        }
        return value;
    }
}
