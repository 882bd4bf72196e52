package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swell.testing.BuiltImage;
import io.swell.testing.LocalRegistry;
import io.swell.testing.TestImages;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients pulling the same big upstream blob at once through Swell: every one gets the right bytes, and the
 * upstream registry is asked for the blob once (the others stream from Swell's growing cache file), then never
 * again.
 */
@Tag("slow")
class BlobCoalescingIT {

    private static final long LAYER_BYTES = 30L * 1024 * 1024;
    private static final int CLIENTS = 8;

    @TempDir
    static Path tmp;

    private static LocalRegistry registry;
    private static SwellInstance swell;
    private static BuiltImage image;

    @BeforeAll
    static void start() {
        registry = LocalRegistry.open();
        image = TestImages.randomBlobImageLayout(tmp.resolve("image"), "1", LAYER_BYTES);
        TestImages.push(image, registry.hostPort() + "/lib/big:1", null);
        swell = SwellInstance.start(tmp.resolve("swell"));
    }

    @AfterAll
    static void stop() {
        Fixtures.closeAll(swell, registry);
    }

    @Test
    void concurrentPullsOfOneBlobFetchItFromUpstreamOnce() throws Exception {
        String digest = image.layerDigests().get(0);
        long size = Files.size(image.layout().resolve("blobs/sha256").resolve(digest.substring(7)));
        assertThat(size).isGreaterThan(LAYER_BYTES);
        TargetImage target = new TargetImage(Http.submit(swell, Http.containerRequest(registry.hostPort()
                + "/lib/big:1")).path("targetImage").asString());
        URI blob = swell.uri(target.blobPath(digest));
        String upstreamGet = "\"GET /v2/lib/big/blobs/" + digest + " HTTP/1.1\"";
        assertThat(countInRegistryLog(upstreamGet)).as("nothing fetched the blob before").isZero();

        List<Fetched> first = fetchConcurrently(blob);

        assertThat(first).hasSize(CLIENTS).allSatisfy(f -> {
            assertThat(f.status()).isEqualTo(200);
            assertThat(f.bytes()).isEqualTo(size);
            assertThat(f.digest()).isEqualTo(digest);
        });
        // distribution writes its access log line after the response, so give it a moment to appear.
        await().atMost(Duration.ofSeconds(10)).until(() -> countInRegistryLog(upstreamGet) >= 1);
        assertThat(countInRegistryLog(upstreamGet)).as("upstream GETs of the blob; registry log ends with\n%s",
                registry.logTail(30)).isEqualTo(1);

        List<Fetched> second = fetchConcurrently(blob);

        assertThat(second).allSatisfy(f -> assertThat(f.digest()).isEqualTo(digest));
        assertThat(countInRegistryLog(upstreamGet)).as("served from the cache").isEqualTo(1);
    }

    /** What one client got. */
    record Fetched(int status, long bytes, String digest) {
    }

    /** Sends {@link #CLIENTS} GETs released at the same instant, each on its own virtual thread and connection. */
    private static List<Fetched> fetchConcurrently(URI blob) throws Exception {
        CyclicBarrier start = new CyclicBarrier(CLIENTS);
        List<Future<Fetched>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CLIENTS; i++) {
                futures.add(threads.submit(() -> {
                    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                        HttpRequest request = HttpRequest.newBuilder(blob).timeout(Duration.ofMinutes(2)).build();
                        start.await();
                        HttpResponse<InputStream> response = client.send(request,
                                HttpResponse.BodyHandlers.ofInputStream());
                        return hash(response);
                    }
                }));
            }
            List<Fetched> results = new ArrayList<>();
            for (Future<Fetched> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }

    private static Fetched hash(HttpResponse<InputStream> response) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        long total = 0;
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, n);
                total += n;
            }
        }
        return new Fetched(response.statusCode(), total, "sha256:" + HexFormat.of().formatHex(sha256.digest()));
    }

    /** How many access log lines of the registry are this request line. */
    private static int countInRegistryLog(String accessLogRequest) {
        Matcher m = Pattern.compile(Pattern.quote(accessLogRequest)).matcher(registry.logTail(1_000_000));
        int count = 0;
        while (m.find()) {
            count++;
        }
        return count;
    }
}
