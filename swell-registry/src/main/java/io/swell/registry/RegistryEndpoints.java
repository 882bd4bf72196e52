package io.swell.registry;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Maps a registry host to the base URI of its API: {@code docker.io} is Docker Hub's API host, loopback hosts and
 * configured insecure hosts use plain http, everything else https.
 */
public final class RegistryEndpoints {
    private final Set<String> insecureHosts;

    public RegistryEndpoints(Set<String> insecureHosts) {
        this.insecureHosts = Set.copyOf(insecureHosts);
    }

    /** The base URI, e.g. {@code https://registry-1.docker.io}, without a trailing slash. */
    public URI baseUri(String registryHost) {
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
