package io.swell.server.config;

import io.swell.core.ratelimit.RateLimits;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Swell's typed configuration (every key is documented in {@code docs/configuration.md}).
 *
 * @param port               HTTP port
 * @param bindAddress        address the server listens on
 * @param serverUrl          public URL of this server; its host[:port] names the images Swell hands out
 * @param dataDir            where the embedded store, content and blob cache live
 * @param tokenLifetime      how long a container token opens pulls
 * @param registries         credentials per registry host
 * @param dockerConfig       a docker {@code config.json} with more credentials, or {@code null}
 * @param insecureRegistries registry hosts reached over plain http (loopback always is)
 * @param allowedRegistries  the only registries Swell's own client may contact ({@code host[:port]} or
 *                           {@code *.domain}); empty allows all
 * @param accounts           admin accounts: user name to SHA-256 hex of the password
 * @param proxy              proxy caches
 * @param layers             limits of layers added by requests
 * @param build              how builds run
 * @param validateCreds      the credentials check endpoint
 * @param store              the SQL database of the records: embedded H2 (default) or PostgreSQL
 * @param rateLimit          pull and build limits per client IP, or none
 * @param metricsEnabled     whether usage is counted and served by the metrics API
 */
public record SwellConfig(
        int port,
        String bindAddress,
        URI serverUrl,
        Path dataDir,
        Duration tokenLifetime,
        Map<String, Credentials> registries,
        Path dockerConfig,
        List<String> insecureRegistries,
        List<String> allowedRegistries,
        Map<String, String> accounts,
        Proxy proxy,
        Layers layers,
        Build build,
        ValidateCreds validateCreds,
        Store store,
        RateLimit rateLimit,
        boolean metricsEnabled) {

    /**
     * Where the records (requests, builds, tags) live.
     *
     * @param url            {@code jdbc:postgresql://host:port/database} for a PostgreSQL server shared by
     *                       replicas; {@code null} for the embedded H2 file under the data dir
     * @param user           database user
     * @param password       database password, or {@code null}
     * @param maxConnections connections in the pool
     */
    public record Store(String url, String user, String password, int maxConnections) {
        @Override
        public String toString() {
            return "Store[url=" + url + ", user=" + user + ", password=****]";
        }
    }

    /**
     * Wave's rate limits, per client IP ({@code null} fields: not limited).
     *
     * @param pull  container requests and manifest GETs by digest
     * @param build new builds
     */
    public record RateLimit(RateLimits.Rate pull, RateLimits.Rate build) {}

    /** A registry user name and password. */
    public record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[username=" + username + ", password=****]";
        }
    }

    /**
     * Proxy settings.
     *
     * @param tagCacheTtl       how long an upstream tag's manifest is reused before asking upstream again
     * @param blobCacheEnabled  whether upstream blobs are cached on disk (and fetched once for all clients)
     * @param blobCacheMaxBytes size limit of the blob cache
     */
    public record Proxy(Duration tagCacheTtl, boolean blobCacheEnabled, long blobCacheMaxBytes) {}

    /**
     * Limits of the layers a request adds.
     *
     * @param maxLocationChars  longest {@code data:} location accepted (Wave: 14,000,000)
     * @param maxLayerBytes     largest layer fetched from an http(s) location
     * @param allowPrivateHosts whether http(s) layer locations may point at loopback or private addresses
     */
    public record Layers(long maxLocationChars, long maxLayerBytes, boolean allowPrivateHosts) {}

    /**
     * Build settings.
     *
     * @param repository        default build repository ({@code registry/repository}); {@code null} means the
     *                          built-in image store
     * @param maxConcurrent     builds running at once (the rest queue)
     * @param timeout           longest a build may run, queueing not counted
     * @param failureRetention  how long a failed build is answered as failed before a new request retries it
     * @param maxContainerFileChars longest base64 {@code containerFile} accepted
     * @param storageDriver     buildah storage driver ({@code overlay} or {@code vfs})
     * @param singularityBinary a {@code singularity} or {@code apptainer} executable that builds SIF images instead of
     *                          Swell's own pipeline, or {@code null}
     * @param storageMaxBytes   buildah storage budget: over it, cached base images are removed between builds
     *                          (0: never)
     */
    public record Build(String repository, int maxConcurrent, Duration timeout, Duration failureRetention,
            int maxContainerFileChars, String storageDriver, String singularityBinary, long storageMaxBytes) {}

    /**
     * Settings of {@code POST /v1alpha2/validate-creds}.
     *
     * @param allowPrivateHosts whether the registry (and its token endpoint) may be a loopback or private address
     */
    public record ValidateCreds(boolean allowPrivateHosts) {}

    /** {@code host[:port]} of the public URL: the registry part of every image name Swell hands out. */
    public String serverHost() {
        return serverUrl.getPort() < 0 ? serverUrl.getHost() : serverUrl.getHost() + ":" + serverUrl.getPort();
    }

    @Override
    public String toString() {
        return "SwellConfig[port=" + port + ", serverUrl=" + serverUrl + ", dataDir=" + dataDir + ", registries="
                + registries.keySet() + ", accounts=" + accounts.keySet() + "]";
    }
}
