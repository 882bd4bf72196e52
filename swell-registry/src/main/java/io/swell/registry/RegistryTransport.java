package io.swell.registry;

import io.swell.oci.ImageRef;
import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Sends requests to one registry's API with authentication (a 401 teaches the challenge and the call is retried),
 * retries of transient failures and redirects. Credentials go only to the registry's own host
 * ({@code host:port} of its base URI), never to a storage host it redirects to.
 */
final class RegistryTransport {
    static final int MAX_ATTEMPTS = 3;
    static final long TIMEOUT_SECONDS = 60;
    private static final int MAX_REDIRECTS = 5;

    /**
     * What a call needs a token for.
     *
     * @param actions    actions on the call's repository, e.g. {@code pull} or {@code pull,push}
     * @param extraScope one more token scope (e.g. {@code repository:src:pull} for a mount), or {@code null}
     */
    record Access(String actions, String extraScope) {
        static final Access PULL = new Access("pull", null);
        static final Access PUSH = new Access("pull,push", null);
    }

    /** A buffered call; {@code body} must be re-sendable (bytes), since a 401 or a transient failure resends it. */
    record Call(ImageRef repo, Access access, HttpMethod method, URI uri, String accept, Request.Content body,
            int maxBytes, boolean followRedirects) {}

    final HttpClient http;
    private final RegistryEndpoints endpoints;
    private final CredentialsProvider credentials;
    private final RegistryAuthenticator authenticator;

    RegistryTransport(HttpClient http, RegistryEndpoints endpoints, CredentialsProvider credentials) {
        this.http = http;
        this.endpoints = endpoints;
        this.credentials = credentials;
        this.authenticator = new RegistryAuthenticator(http);
    }

    /** {@code <base>/v2/<repository><suffix>}. */
    URI uri(ImageRef repo, String suffix) {
        return URI.create(endpoints.baseUri(repo.registry()) + "/v2/" + repo.repository() + suffix);
    }

    /** Resolves a {@code Location} (absolute or relative) against the registry's base URI. */
    URI resolve(ImageRef repo, String location) {
        return endpoints.baseUri(repo.registry()).resolve(location);
    }

    /** True when {@code uri} is on the registry's own host, the only one that may see its credentials. */
    boolean isRegistryHost(ImageRef repo, URI uri) {
        URI base = endpoints.baseUri(repo.registry());
        return base.getScheme().equalsIgnoreCase(uri.getScheme()) && base.getAuthority().equals(uri.getAuthority());
    }

    RegistryCredentials credentials(ImageRef repo) {
        return credentials.forRegistry(repo.registry()).orElse(null);
    }

    /** The {@code Authorization} value for a call to the registry host, or {@code null} if none is needed yet. */
    String authorization(ImageRef repo, Access access) {
        return authenticator.authorization(repo.registry(), repo.repository(), access.actions(), access.extraScope(),
                credentials(repo));
    }

    /** Learns the challenge of a 401 answer so the next {@link #authorization} authenticates afresh. */
    void challenged(ImageRef repo, Access access, Response response) {
        authenticator.challenged(repo.registry(), repo.repository(), access.actions(), access.extraScope(),
                credentials(repo), response.getHeaders().get(HttpHeader.WWW_AUTHENTICATE));
    }

    /** Sends a call and buffers the answer (at most {@code maxBytes}); the caller judges the status. */
    ContentResponse send(Call call) {
        ImageRef repo = call.repo();
        URI target = call.uri();
        int redirects = 0;
        for (int attempt = 1; ; attempt++) {
            boolean registryHost = isRegistryHost(repo, target);
            String auth = registryHost ? authorization(repo, call.access()) : null;
            Request request = http.newRequest(target).method(call.method()).followRedirects(false)
                    .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .headers(h -> {
                        if (call.accept() != null) {
                            h.put(HttpHeader.ACCEPT, call.accept());
                        }
                        if (auth != null) {
                            h.put(HttpHeader.AUTHORIZATION, auth);
                        }
                    });
            if (call.body() != null) {
                request.body(call.body());
            }
            ContentResponse response;
            try {
                response = new CompletableResponseListener(request, call.maxBytes()).send().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw RegistryErrors.unreachable(repo.registry(), e);
            } catch (ExecutionException e) {
                if (attempt < MAX_ATTEMPTS && isTransient(e.getCause())) {
                    pause(attempt);
                    continue;
                }
                throw RegistryErrors.unreachable(repo.registry(), e.getCause());
            }
            int status = response.getStatus();
            if (status == 401 && registryHost && attempt < MAX_ATTEMPTS) {
                challenged(repo, call.access(), response);
                continue;
            }
            if (call.followRedirects() && status >= 300 && status < 400
                    && response.getHeaders().get(HttpHeader.LOCATION) != null && redirects++ < MAX_REDIRECTS) {
                target = target.resolve(response.getHeaders().get(HttpHeader.LOCATION));
                continue;
            }
            if ((status == 502 || status == 503 || status == 504) && attempt < MAX_ATTEMPTS) {
                pause(attempt);
                continue;
            }
            return response;
        }
    }

    /** A failure worth one more try: not a bad URL and not a name that does not resolve. */
    static boolean isTransient(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof java.net.UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException
                    || t instanceof IllegalArgumentException) {
                return false;
            }
        }
        return true;
    }

    static void pause(int attempt) {
        try {
            Thread.sleep(200L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
