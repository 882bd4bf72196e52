package io.swell.core.request;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.swell.api.ContainerLayer;
import io.swell.api.SwellException;
import io.swell.core.store.ContentStore;
import io.swell.oci.ConfigChanges.AddedLayer;
import io.swell.oci.Digest;
import io.swell.registry.RegistryClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;

/**
 * Fetches the layers of a request ({@code data:}, {@code gzip:} or http(s) locations, and the
 * {@code docker://<registry>/v2/<repository>/blobs/<digest>} locations {@link ContainerIncludes} makes), checks the
 * gzip digest, gzip size and tar digest, and keeps the blob in the content store. A mismatch is a 400 at request
 * time, so a pull never meets a bad layer.
 */
public final class LayerFetcher {
    private final ContentStore store;
    private final HttpClient http;
    private final RegistryClient registry;
    private final LayerLimits limits;
    private final Cache<String, Boolean> verifiedUrls = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofHours(1)).build();

    /**
     * @param maxLocationChars  longest accepted {@code data:}/{@code gzip:} location (Wave: 14,000,000)
     * @param maxLayerBytes     largest accepted layer blob fetched from a URL
     * @param allowPrivateHosts whether URLs may point at loopback or private addresses
     */
    public record LayerLimits(long maxLocationChars, long maxLayerBytes, boolean allowPrivateHosts) {}

    public LayerFetcher(ContentStore store, HttpClient http, RegistryClient registry, LayerLimits limits) {
        this.store = store;
        this.http = http;
        this.registry = registry;
        this.limits = limits;
    }

    /** Fetches, verifies and stores one layer; {@code name} identifies it in error messages. */
    public AddedLayer fetch(ContainerLayer layer, String name) {
        Digest gzipDigest = digest(layer.gzipDigest(), name + " gzipDigest");
        Digest tarDigest = digest(layer.tarDigest(), name + " tarDigest");
        if (layer.gzipSize() == null || layer.gzipSize() <= 0) {
            throw SwellException.badRequest("Missing or invalid " + name + " gzipSize");
        }
        String location = layer.location();
        if (location == null || location.isBlank()) {
            throw SwellException.badRequest("Missing " + name + " location");
        }
        String verifiedKey = location + "|" + gzipDigest + "|" + layer.gzipSize() + "|" + tarDigest;
        boolean isUrl = location.startsWith("http://") || location.startsWith("https://")
                || location.startsWith(ContainerIncludes.SCHEME);
        if (isUrl && verifiedUrls.getIfPresent(verifiedKey) != null && store.find(gzipDigest).isPresent()) {
            // This URL was seen to serve exactly these bytes; refetching it for every request (Nextflow sends the
            // same layer URL with each task) would only cost time. data: layers are always checked: their bytes
            // are in hand, and a digest alone must never attach a stored layer.
            return new AddedLayer(gzipDigest, layer.gzipSize(), tarDigest);
        }
        Path temp = null;
        try {
            temp = Files.createTempFile(store.tempDir(), "layer-", ".tmp");
            try (InputStream in = open(location, name); OutputStream out = Files.newOutputStream(temp)) {
                MessageDigest md = gzipDigest.newDigester();
                long size = copyLimited(new DigestInputStream(in, md), out, layer.gzipSize(), name);
                if (size != layer.gzipSize()) {
                    throw SwellException.badRequest(name + " gzipSize mismatch: declared " + layer.gzipSize()
                            + ", actual " + size);
                }
                Digest actual = Digest.of(md);
                if (!actual.equals(gzipDigest)) {
                    throw SwellException.badRequest(name + " gzipDigest mismatch: declared " + gzipDigest
                            + ", actual " + actual);
                }
            }
            verifyTarDigest(temp, tarDigest, name);
            store.adopt(temp, gzipDigest, "application/octet-stream");
            temp = null;
            if (isUrl) {
                verifiedUrls.put(verifiedKey, Boolean.TRUE);
            }
            return new AddedLayer(gzipDigest, layer.gzipSize(), tarDigest);
        } catch (IOException e) {
            throw SwellException.badRequest("Unable to read " + name + ": " + e.getMessage());
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // A stray temp file is removed with the temp dir.
                }
            }
        }
    }

    private InputStream open(String location, String name) throws IOException {
        if (location.startsWith("data:") || location.startsWith("gzip:")) {
            if (location.length() > limits.maxLocationChars()) {
                throw SwellException.badRequest(name + " location is longer than the limit of "
                        + limits.maxLocationChars() + " characters");
            }
            byte[] bytes;
            try {
                bytes = Base64.getMimeDecoder().decode(location.substring(5));
            } catch (IllegalArgumentException e) {
                throw SwellException.badRequest(name + " location is not valid base64");
            }
            InputStream in = new ByteArrayInputStream(bytes);
            return location.startsWith("gzip:") ? new GZIPInputStream(in) : in;
        }
        if (location.startsWith("http://") || location.startsWith("https://")) {
            return download(location, name);
        }
        if (location.startsWith(ContainerIncludes.SCHEME)) {
            ContainerIncludes.BlobLocation blob = ContainerIncludes.BlobLocation.parse(location);
            try {
                return registry.downloadBlob(blob.repository(), blob.digest()).stream();
            } catch (SwellException e) {
                throw SwellException.badRequest("Unable to fetch " + name + " from " + blob.repository() + ": "
                        + e.getMessage());
            }
        }
        throw SwellException.badRequest(name + " location must be a data:, gzip: or http(s) URL");
    }

    private InputStream download(String location, String name) throws IOException {
        URI uri;
        try {
            uri = URI.create(location);
        } catch (IllegalArgumentException e) {
            throw SwellException.badRequest(name + " location is not a valid URL");
        }
        checkHost(uri, name);
        var listener = new InputStreamResponseListener();
        http.newRequest(uri).followRedirects(true).send(listener);
        Response response;
        try {
            response = listener.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw SwellException.badRequest("Unable to fetch " + name + " from its location: "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        }
        if (response.getStatus() != 200) {
            listener.getInputStream().close();
            throw SwellException.badRequest("Unable to fetch " + name + ": its location answered HTTP "
                    + response.getStatus());
        }
        return listener.getInputStream();
    }

    private void checkHost(URI uri, String name) {
        if (uri.getHost() == null) {
            throw SwellException.badRequest(name + " location has no host");
        }
        if (limits.allowPrivateHosts()) {
            return;
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(uri.getHost())) {
                if (io.swell.registry.PrivateAddresses.isPrivate(a)) {
                    throw SwellException.badRequest(name + " location points at a private address, which this"
                            + " server does not fetch from (see layers.allowPrivateHosts)");
                }
            }
        } catch (UnknownHostException e) {
            throw SwellException.badRequest(name + " location host is unknown: " + uri.getHost());
        }
    }

    private long copyLimited(InputStream in, OutputStream out, long declared, String name) throws IOException {
        long max = Math.min(limits.maxLayerBytes(), declared);
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
            if (total > max) {
                throw SwellException.badRequest(name + " is larger than its declared gzipSize " + declared
                        + (declared > limits.maxLayerBytes() ? " or the limit " + limits.maxLayerBytes() : ""));
            }
            out.write(buffer, 0, n);
        }
        return total;
    }

    private static void verifyTarDigest(Path gzip, Digest expected, String name) {
        MessageDigest md = expected.newDigester();
        try (InputStream in = new DigestInputStream(new GZIPInputStream(Files.newInputStream(gzip), 65536), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw SwellException.badRequest(name + " is not a valid gzip stream: " + e.getMessage());
        }
        Digest actual = Digest.of(md);
        if (!actual.equals(expected)) {
            throw SwellException.badRequest(name + " tarDigest mismatch: declared " + expected + ", actual " + actual);
        }
    }

    private static Digest digest(String value, String what) {
        if (value == null || value.isBlank()) {
            throw SwellException.badRequest("Missing " + what);
        }
        try {
            return Digest.parse(value);
        } catch (SwellException e) {
            throw SwellException.badRequest("Invalid " + what + ": " + value);
        }
    }
}
