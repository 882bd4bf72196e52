package io.swell.registry;

import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Maps a registry host to the base URI of its API: {@code docker.io} is Docker Hub's API host, loopback hosts and
 * configured insecure hosts use plain http, everything else https. Every registry request of Swell's client gets
 * its URI here, so this is also where a configured allow-list of registries is enforced.
 */
public final class RegistryEndpoints {
    private final Set<String> insecureHosts;
    private final List<String> allowedHosts;

    /** Endpoints for any registry. */
    public RegistryEndpoints(Set<String> insecureHosts) {
        this(insecureHosts, List.of());
    }

    /**
     * @param allowedHosts registries ({@code host[:port]}, or {@code *.domain} for its subdomains) Swell may
     *                     contact; empty allows every registry
     */
    public RegistryEndpoints(Set<String> insecureHosts, List<String> allowedHosts) {
        this.insecureHosts = Set.copyOf(insecureHosts);
        this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    /** Whether Swell may contact {@code registryHost}. */
    public boolean isAllowed(String registryHost) {
        if (allowedHosts.isEmpty()) {
            return true;
        }
        String hostPort = registryHost.toLowerCase(Locale.ROOT);
        // a wildcard names a domain's hosts on any port; an exact entry names one host[:port]
        int colon = hostPort.lastIndexOf(':');
        String host = colon > 0 && !hostPort.endsWith("]") ? hostPort.substring(0, colon) : hostPort;
        return allowedHosts.stream().anyMatch(allowed -> allowed.startsWith("*.")
                ? host.endsWith(allowed.substring(1))
                : allowed.equals(hostPort));
    }

    /**
     * The base URI, e.g. {@code https://registry-1.docker.io}, without a trailing slash.
     *
     * @throws SwellException {@code DENIED} when the registry is not in the allow-list
     */
    public URI baseUri(String registryHost) {
        if (!isAllowed(registryHost)) {
            throw new SwellException(ErrorCode.DENIED, "Registry '" + registryHost + "' is not allowed on this"
                    + " server (see allowedRegistries)");
        }
        if (registryHost.equals("docker.io")) {
            return URI.create("https://registry-1.docker.io");
        }
        return URI.create((isPlainHttp(registryHost) ? "http://" : "https://") + registryHost);
    }

    /** True when the host is reached over plain http. */
    public boolean isPlainHttp(String registryHost) {
        return insecureHosts.contains(registryHost) || isLoopback(registryHost);
    }

    static boolean isLoopback(String hostPort) {
        String host = hostPort.toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            return host.startsWith("[::1]");
        }
        int colon = host.indexOf(':');
        host = colon < 0 ? host : host.substring(0, colon);
        // Only IPv4 literals in 127/8: a name such as 127.example.com is not loopback.
        return host.equals("localhost") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}
