package io.swell.core.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import io.swell.oci.Digest;
import io.swell.oci.ImageRef;
import io.swell.oci.MediaTypes;
import io.swell.registry.RegistryClient;
import io.swell.registry.RegistryCredentials;
import io.swell.registry.RegistryEndpoints;
import io.swell.testing.LocalRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sources Debian's docker-registry cannot play here: one that redirects blobs to a storage host (as S3-backed
 * registries do), and one that serves a schema 1 manifest. JDK HttpServers script them; the target is real.
 */
class ImageCopierRedirectTest {
    private final Map<String, byte[]> blobs = new HashMap<>();
    private final List<String> storageAuth = new CopyOnWriteArrayList<>();
    private HttpServer upstream;
    private HttpServer storage;
    private LocalRegistry target;
    private HttpClient http;
    private ImageCopier copier;
    private String upstreamHost;
    private byte[] manifest;
    private String manifestType;

    @BeforeEach
    void start() throws Exception {
        storage = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        storage.createContext("/", exchange -> {
            storageAuth.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String digest = exchange.getRequestURI().getPath().substring("/bucket/".length());
            reply(exchange, 200, null, blobs.get(digest));
        });
        storage.start();
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/v2/", this::upstream);
        upstream.start();
        upstreamHost = "127.0.0.1:" + upstream.getAddress().getPort();
        target = LocalRegistry.open();
        http = new HttpClient();
        http.start();
        RegistryClient registry = new RegistryClient(http, new RegistryEndpoints(Set.of()),
                host -> host.equals(upstreamHost) ? Optional.of(new RegistryCredentials("bob", "pw"))
                        : Optional.empty());
        copier = new ImageCopier(registry, 2);
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
        target.close();
        upstream.stop(0);
        storage.stop(0);
    }

    @Test
    void blobsRedirectedToStorageAreFetchedThereWithoutCredentials() {
        byte[] config = """
                {"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"""
                .getBytes(StandardCharsets.UTF_8);
        byte[] layer = new byte[700_000];
        new Random().nextBytes(layer);
        manifestType = MediaTypes.OCI_MANIFEST;
        manifest = """
                {"schemaVersion":2,"mediaType":"%s","config":{"mediaType":"%s","digest":"%s","size":%d},
                 "layers":[{"mediaType":"%s","digest":"%s","size":%d}]}"""
                .formatted(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_CONFIG, put(config), config.length,
                        MediaTypes.OCI_LAYER_GZIP, put(layer), layer.length)
                .getBytes(StandardCharsets.UTF_8);

        CopyResult result = copier.copy(ImageRef.parse(upstreamHost + "/lib/app:1"),
                ImageRef.parse(target.hostPort() + "/mirror/app:1"), CopyLog.NONE);

        assertThat(result.digest()).isEqualTo(Digest.sha256(manifest).toString());
        assertThat(result.blobsCopied()).isEqualTo(2);
        assertThat(result.bytesCopied()).isEqualTo(config.length + layer.length);
        assertThat(storageAuth).hasSize(2).containsOnly("null");
    }

    @Test
    void schema1ManifestIsUnsupported() {
        manifestType = MediaTypes.DOCKER_SCHEMA1_SIGNED;
        manifest = """
                {"schemaVersion":1,"name":"lib/app","tag":"1","fsLayers":[],"history":[]}"""
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> copier.copy(ImageRef.parse(upstreamHost + "/lib/app:1"),
                ImageRef.parse(target.hostPort() + "/mirror/app:1"), CopyLog.NONE))
                .isInstanceOfSatisfying(SwellException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED))
                .hasMessageContaining("schema 1");
    }

    private String put(byte[] bytes) {
        String digest = Digest.sha256(bytes).toString();
        blobs.put(digest, bytes);
        return digest;
    }

    /** A registry that wants HTTP Basic, serves one manifest and redirects every blob to the storage host. */
    private void upstream(HttpExchange exchange) throws IOException {
        if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"upstream\"");
            reply(exchange, 401, null, new byte[0]);
            return;
        }
        String path = exchange.getRequestURI().getPath();
        if (path.contains("/manifests/")) {
            reply(exchange, 200, manifestType, manifest);
        } else if (path.contains("/blobs/")) {
            String digest = path.substring(path.lastIndexOf('/') + 1);
            exchange.getResponseHeaders().add("Location",
                    "http://localhost:" + storage.getAddress().getPort() + "/bucket/" + digest);
            reply(exchange, 307, null, new byte[0]);
        } else {
            reply(exchange, 404, null, new byte[0]);
        }
    }

    private static void reply(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        try (exchange) {
            if (type != null) {
                exchange.getResponseHeaders().add("Content-Type", type);
            }
            exchange.sendResponseHeaders(status, body == null || body.length == 0 ? -1 : body.length);
            if (body != null && body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }
}
