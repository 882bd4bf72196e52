package io.swell.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import io.swell.oci.Digest;
import io.swell.oci.ImageRef;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scripted upstream answers that Debian's docker-registry cannot produce here (its filesystem driver never
 * redirects blobs to storage): a JDK HttpServer plays a registry whose blobs live behind redirects.
 */
class RegistryClientRedirectTest {
    private static final Digest BLOB = Digest.sha256("blob".getBytes(StandardCharsets.UTF_8));
    private final List<String> authHeaders = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private HttpClient http;
    private RegistryClient client;
    private ImageRef repo;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v2/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            authHeaders.add(exchange.getRequestURI().getPath() + " " + (auth == null ? "-" : auth));
            String path = exchange.getRequestURI().getPath();
            if (path.endsWith("/blobs/" + BLOB)) {
                exchange.getResponseHeaders().add("Location", "/storage/blob?sig=abc");
                exchange.sendResponseHeaders(307, -1);
            } else if (path.contains("/manifests/")) {
                byte[] body = "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(404, body.length);
                exchange.getResponseBody().write(body);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        });
        server.start();
        http = new HttpClient();
        http.start();
        String host = "127.0.0.1:" + server.getAddress().getPort();
        client = new RegistryClient(http, new RegistryEndpoints(Set.of()),
                h -> Optional.of(new RegistryCredentials("bob", "pw")));
        repo = ImageRef.parse(host + "/lib/img:1");
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
        server.stop(0);
    }

    @Test
    void blobRedirectsAreHandedOnAbsoluteAndNotFollowed() {
        UpstreamBlob answer = client.openBlob(repo, BLOB, null, false);
        assertThat(answer).isInstanceOfSatisfying(UpstreamBlob.Redirect.class, r -> {
            assertThat(r.status()).isEqualTo(307);
            assertThat(r.location()).isEqualTo("http://" + repo.registry() + "/storage/blob?sig=abc");
        });
        assertThat(authHeaders).noneMatch(h -> h.startsWith("/storage"));
    }

    @Test
    void upstreamNotFoundIsManifestUnknownWithTheUpstreamReason() {
        assertThatThrownBy(() -> client.getManifest(repo))
                .isInstanceOfSatisfying(SwellException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_UNKNOWN);
                    assertThat(e.getMessage()).contains("not found").contains("manifest unknown");
                });
    }

    @Test
    void unknownHostsAreUnavailable() {
        ImageRef nowhere = ImageRef.parse("no-such-host.invalid/lib/img:1");
        assertThatThrownBy(() -> client.getManifest(nowhere))
                .isInstanceOfSatisfying(SwellException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE));
    }
}
