package io.swell.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A bearer-token server for distribution's {@code auth.token} mode: credentialed users get every
 * action they ask for, anonymous users may only pull repositories under {@code public/}.
 */
public final class TokenIssuer implements AutoCloseable {

    /** The {@code service} value both the issuer and registries configured with it use. */
    public static final String SERVICE = "swell-test-registry";
    /** The {@code iss} claim of every token and the registry's expected issuer. */
    public static final String ISSUER = "swell-test-token-issuer";
    /** The prefix of repository names that anonymous users may pull. */
    public static final String PUBLIC_PREFIX = "public/";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int TOKEN_SECONDS = 300;

    private final String username;
    private final String password;
    private final Path workDir;
    private final TokenSigner signer;
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicInteger requests = new AtomicInteger();

    /** Generates a signing key and starts serving tokens on a free 127.0.0.1 port. */
    public TokenIssuer(String username, String password) {
        this.username = username;
        this.password = password;
        this.workDir = TempDirs.create("swell-token-issuer-");
        try {
            SigningKey key = SigningKey.generate(workDir, ISSUER);
            key.writeCertificatePem(certBundle());
            this.signer = new TokenSigner(key, ISSUER);
            this.executor = Executors.newVirtualThreadPerTaskExecutor();
            // Port 0 lets the kernel choose, so there is no window for another process to take it.
            this.server = HttpServer.create(new InetSocketAddress(FreePorts.loopback(), 0), 0);
            server.setExecutor(executor);
            server.createContext("/token", this::handle);
            server.start();
        } catch (IOException e) {
            TempDirs.deleteRecursively(workDir);
            throw new UncheckedIOException("cannot start the token issuer", e);
        } catch (RuntimeException e) {
            TempDirs.deleteRecursively(workDir);
            throw e;
        }
    }

    /** Returns the token endpoint, e.g. {@code http://127.0.0.1:PORT/token}. */
    public URI realm() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    /** Returns the service name tokens are issued for (their {@code aud}). */
    public String service() {
        return SERVICE;
    }

    /** Returns the issuer name (the tokens' {@code iss}). */
    public String issuer() {
        return ISSUER;
    }

    /** Returns the PEM file holding the signing certificate, for the registry's rootcertbundle. */
    public Path certBundle() {
        return workDir.resolve("token-cert.pem");
    }

    /** Returns how many requests reached the token endpoint, whatever their outcome. */
    public int requests() {
        return requests.get();
    }

    /** Stops the server and deletes the key material. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        TempDirs.deleteRecursively(workDir);
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                reply(exchange, 405, errors("UNSUPPORTED", "only GET is supported"));
                return;
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String subject;
            if (authorization == null) {
                subject = "";
            } else if (credentialsMatch(authorization)) {
                subject = username;
            } else {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"swell-test\"");
                reply(exchange, 401, errors("UNAUTHORIZED", "wrong username or password"));
                return;
            }
            List<String> scopes = queryValues(exchange.getRequestURI(), "scope");
            String audience = queryValues(exchange.getRequestURI(), "service").stream().findFirst().orElse(SERVICE);
            List<TokenSigner.Access> granted = new ArrayList<>();
            for (String scope : scopes) {
                TokenSigner.Access requested = TokenSigner.Access.parse(scope);
                if (requested != null) {
                    TokenSigner.Access allowed = subject.isEmpty() ? anonymousShare(requested) : requested;
                    if (allowed != null) {
                        granted.add(allowed);
                    }
                }
            }
            String token = signer.sign(subject, audience, granted, TOKEN_SECONDS);
            ObjectNode body = JSON.createObjectNode()
                    .put("token", token)
                    .put("access_token", token)
                    .put("expires_in", TOKEN_SECONDS)
                    .put("issued_at", Instant.now().toString());
            reply(exchange, 200, body);
        }
    }

    /** Anonymous users get "pull" on public repositories and nothing anywhere else. */
    private static TokenSigner.Access anonymousShare(TokenSigner.Access requested) {
        boolean publicRepo = requested.type().equals("repository") && requested.name().startsWith(PUBLIC_PREFIX);
        if (!publicRepo || !requested.actions().contains("pull")) {
            return null;
        }
        return new TokenSigner.Access(requested.type(), requested.name(), List.of("pull"));
    }

    private boolean credentialsMatch(String authorization) {
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(authorization.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] expected = (username + ":" + password).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected);
    }

    private static List<String> queryValues(URI uri, String name) {
        List<String> values = new ArrayList<>();
        String query = uri.getRawQuery();
        if (query == null) {
            return values;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name) && eq >= 0) {
                values.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static ObjectNode errors(String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("errors").addObject().put("code", code).put("message", message);
        return body;
    }

    private static void reply(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
