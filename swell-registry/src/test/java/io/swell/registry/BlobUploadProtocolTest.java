package io.swell.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.swell.oci.Digest;
import io.swell.oci.ImageRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
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
 * Upload details Debian's docker-registry never exercises (it always answers an absolute Location on its own host):
 * a relative Location with a query, and a Location on another host, which must not see the registry's credentials.
 * JDK HttpServers play the registry (HTTP Basic) and that other host.
 */
class BlobUploadProtocolTest {
    private static final byte[] BLOB = "layer bytes".getBytes(StandardCharsets.UTF_8);
    private static final Digest DIGEST = Digest.sha256(BLOB);
    private static final String ENCODED = DIGEST.toString().replace(":", "%3A");
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private HttpServer registry;
    private HttpServer storage;
    private HttpClient http;
    private RegistryClient client;
    private ImageRef repo;
    private volatile String uploadLocation;

    @BeforeEach
    void start() throws Exception {
        storage = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        storage.createContext("/", exchange -> record("storage", exchange, 201));
        storage.start();
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/v2/", exchange -> {
            if (exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().add("Location", uploadLocation);
                record("registry", exchange, 202);
            } else {
                record("registry", exchange, 201);
            }
        });
        registry.start();
        http = new HttpClient();
        http.start();
        client = new RegistryClient(http, new RegistryEndpoints(Set.of()),
                h -> Optional.of(new RegistryCredentials("bob", "pw")));
        repo = ImageRef.parse("127.0.0.1:" + registry.getAddress().getPort() + "/lib/img:1");
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
        registry.stop(0);
        storage.stop(0);
    }

    @Test
    void relativeLocationWithQueryGetsTheDigestAppendedAndAFixedLengthBody() {
        uploadLocation = "/v2/lib/img/blobs/uploads/abc?_state=xyz";
        client.pushBlob(repo, DIGEST, BLOB.length, new ByteArrayInputStream(BLOB));

        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).startsWith("registry POST /v2/lib/img/blobs/uploads/ length=0");
        assertThat(seen.get(1)).isEqualTo("registry PUT /v2/lib/img/blobs/uploads/abc?_state=xyz&digest="
                + ENCODED + " length=" + BLOB.length + " chunked=false body=" + BLOB.length);
    }

    @Test
    void locationOnAnotherHostGetsNoCredentials() {
        uploadLocation = "http://localhost:" + storage.getAddress().getPort() + "/upload/abc";
        client.pushBlob(repo, DIGEST, BLOB.length, new ByteArrayInputStream(BLOB));

        assertThat(seen).hasSize(2);
        assertThat(seen.get(1)).startsWith("storage PUT /upload/abc?digest=" + ENCODED + " length=" + BLOB.length)
                .endsWith("auth=-");
    }

    private void record(String who, HttpExchange exchange, int status) throws IOException {
        try (exchange) {
            if (who.equals("registry") && exchange.getRequestHeaders().getFirst("Authorization") == null) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test\"");
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            int body = exchange.getRequestBody().readAllBytes().length;
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            seen.add(who + " " + exchange.getRequestMethod() + " " + exchange.getRequestURI()
                    + " length=" + exchange.getRequestHeaders().getFirst("Content-Length")
                    + " chunked=" + "chunked".equals(exchange.getRequestHeaders().getFirst("Transfer-Encoding"))
                    + " body=" + body + (who.equals("storage") ? " auth=" + (auth == null ? "-" : auth) : ""));
            exchange.sendResponseHeaders(status, -1);
        }
    }
}
