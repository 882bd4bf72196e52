package io.swell.registry;

import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import io.swell.oci.Digest;
import io.swell.oci.ImageRef;
import io.swell.oci.MediaTypes;
import io.swell.oci.OciJson;
import io.swell.oci.RawManifest;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Reads manifests, blobs and tags from registries (distribution spec "pull" endpoints) and pushes blobs and
 * manifests to them (the "push" endpoints, for mirroring), authenticating with the configured credentials.
 * Credentials are only ever sent to the registry's own host: redirects are either handed to the client or followed
 * without them, and an upload session on another host gets none.
 */
public final class RegistryClient {
    /** distribution refuses manifests over 4 MiB; we allow the same. */
    public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    private static final int MAX_ATTEMPTS = RegistryTransport.MAX_ATTEMPTS;
    private static final long TIMEOUT_SECONDS = RegistryTransport.TIMEOUT_SECONDS;

    private final HttpClient http;
    private final RegistryTransport transport;
    private final BlobUploader uploader;

    public RegistryClient(HttpClient http, RegistryEndpoints endpoints, CredentialsProvider credentials) {
        this.http = http;
        this.transport = new RegistryTransport(http, endpoints, credentials);
        this.uploader = new BlobUploader(transport);
    }

    /** GETs a manifest or index by tag or digest; a digest reference is verified against the bytes. */
    public RawManifest getManifest(ImageRef ref) {
        URI uri = uri(ref, "/manifests/" + ref.reference());
        String what = "Manifest '" + ref + "'";
        ContentResponse response = sendBuffered(ref, uri, HttpMethod.GET, MediaTypes.ACCEPT_MANIFESTS, null,
                MAX_MANIFEST_BYTES);
        if (response.getStatus() != 200) {
            throw RegistryErrors.fromStatus(response.getStatus(), response.getContent(), what,
                    ErrorCode.MANIFEST_UNKNOWN);
        }
        byte[] bytes = response.getContent();
        String mediaType = mediaType(response.getMediaType(), bytes);
        RawManifest manifest = RawManifest.of(bytes, mediaType);
        if (ref.digest() != null && !manifest.digest().equals(Digest.parse(ref.digest()))) {
            throw new SwellException(ErrorCode.UPSTREAM_UNAVAILABLE,
                    what + " answered content with digest " + manifest.digest());
        }
        return manifest;
    }

    /** GETs a small blob (a config) into memory, verifying its digest. */
    public byte[] getBlobBytes(ImageRef repo, Digest digest, int maxBytes) {
        String what = "Blob '" + digest + "' of '" + repo.registry() + "/" + repo.repository() + "'";
        ContentResponse response = sendBuffered(repo, uri(repo, "/blobs/" + digest), HttpMethod.GET, null, null,
                maxBytes);
        if (response.getStatus() != 200) {
            throw RegistryErrors.fromStatus(response.getStatus(), response.getContent(), what, ErrorCode.BLOB_UNKNOWN);
        }
        byte[] bytes = response.getContent();
        MessageDigest md = digest.newDigester();
        md.update(bytes);
        if (!Digest.of(md).equals(digest)) {
            throw new SwellException(ErrorCode.UPSTREAM_UNAVAILABLE, what + " answered content of another digest");
        }
        return bytes;
    }

    /**
     * Opens a blob: a redirect is returned as is (its location made absolute), a body is returned for streaming.
     *
     * @param range a client {@code Range} header to forward, or {@code null}
     * @param head  send a HEAD instead of a GET (the body is then empty)
     */
    public UpstreamBlob openBlob(ImageRef repo, Digest digest, String range, boolean head) {
        URI uri = uri(repo, "/blobs/" + digest);
        String what = "Blob '" + digest + "' of '" + repo.registry() + "/" + repo.repository() + "'";
        for (int attempt = 1; ; attempt++) {
            Request request = http.newRequest(uri).method(head ? HttpMethod.HEAD : HttpMethod.GET)
                    .followRedirects(false);
            String auth = transport.authorization(repo, RegistryTransport.Access.PULL);
            request.headers(h -> {
                if (auth != null) {
                    h.put(HttpHeader.AUTHORIZATION, auth);
                }
                if (range != null) {
                    h.put(HttpHeader.RANGE, range);
                }
            });
            InputStreamResponseListener listener = new InputStreamResponseListener();
            request.send(listener);
            Response response;
            try {
                response = listener.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException | TimeoutException | ExecutionException e) {
                request.abort(e);
                if (attempt < MAX_ATTEMPTS && !(e instanceof InterruptedException)
                        && RegistryTransport.isTransient(e.getCause())) {
                    continue;
                }
                throw RegistryErrors.unreachable(repo.registry(), e);
            }
            int status = response.getStatus();
            if (status == 401 && attempt < MAX_ATTEMPTS) {
                drain(listener);
                transport.challenged(repo, RegistryTransport.Access.PULL, response);
                continue;
            }
            if (status >= 300 && status < 400 && response.getHeaders().get(HttpHeader.LOCATION) != null) {
                drain(listener);
                String location = uri.resolve(response.getHeaders().get(HttpHeader.LOCATION)).toString();
                return new UpstreamBlob.Redirect(status, location);
            }
            if (status == 200 || status == 206) {
                return new UpstreamBlob.Body(status, response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH),
                        response.getHeaders().get(HttpHeader.CONTENT_RANGE), listener.getInputStream());
            }
            byte[] body = readSmall(listener);
            throw RegistryErrors.fromStatus(status, body, what, ErrorCode.BLOB_UNKNOWN);
        }
    }

    /**
     * PUTs a manifest or index under {@code ref}'s tag (distribution spec end-7), authenticating for
     * {@code pull,push}; its blobs and child manifests must already be in the repository.
     */
    public void putManifest(ImageRef ref, RawManifest manifest) {
        URI uri = uri(ref, "/manifests/" + ref.reference());
        ContentResponse response = sendBuffered(ref, uri, HttpMethod.PUT, null, "pull,push", MAX_MANIFEST_BYTES,
                manifest);
        if (response.getStatus() != 201 && response.getStatus() != 200) {
            throw RegistryErrors.fromStatus(response.getStatus(), response.getContent(),
                    "Push of manifest '" + ref + "'", ErrorCode.NAME_UNKNOWN);
        }
    }

    /** True when {@code repo} holds the blob (HEAD, end-2), authenticating for {@code pull,push}. */
    public boolean blobExists(ImageRef repo, Digest digest) {
        return uploader.exists(repo, digest);
    }

    /**
     * Links a blob of another repository of the same registry into {@code target} without copying it (end-11);
     * false when the registry did not mount it (then upload it with {@link #pushBlob}).
     */
    public boolean mountBlob(ImageRef target, Digest digest, String fromRepository) {
        return uploader.mount(target, digest, fromRepository);
    }

    /**
     * Uploads a blob in one streamed PUT (end-4a, end-4b), verifying {@code digest} and {@code size} while the bytes
     * pass; the caller closes {@code content}. A mismatch is a {@link ErrorCode#DIGEST_INVALID} error and the
     * registry never stores the wrong bytes.
     */
    public void pushBlob(ImageRef target, Digest digest, long size, InputStream content) {
        uploader.push(target, digest, size, content);
    }

    /**
     * GETs a blob's bytes, following a redirect to storage (fetched without the registry's credentials). The
     * caller closes the body and verifies the digest.
     */
    public UpstreamBlob.Body downloadBlob(ImageRef repo, Digest digest) {
        return switch (openBlob(repo, digest, null, false)) {
            case UpstreamBlob.Redirect redirect -> openUrl(redirect.location());
            case UpstreamBlob.Body body -> body;
        };
    }

    /**
     * GETs a storage URL a registry redirected a blob to, without credentials (they belong to the registry alone),
     * following further redirects. The caller closes the body and verifies the digest.
     */
    public UpstreamBlob.Body openUrl(String url) {
        URI uri = URI.create(url);
        String what = "Blob at '" + uri.getScheme() + "://" + uri.getAuthority() + "'";
        Request request = http.newRequest(uri).method(HttpMethod.GET).followRedirects(true);
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        Response response;
        try {
            response = listener.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException | TimeoutException | ExecutionException e) {
            request.abort(e);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw RegistryErrors.unreachable(uri.getAuthority(), e);
        }
        if (response.getStatus() == 200) {
            return new UpstreamBlob.Body(200, response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH), null,
                    listener.getInputStream());
        }
        throw RegistryErrors.fromStatus(response.getStatus(), readSmall(listener), what, ErrorCode.BLOB_UNKNOWN);
    }

    /** GETs {@code tags/list}, passing query parameters such as {@code n} and {@code last} through. */
    public ContentResponse tagsList(ImageRef repo, String query) {
        URI uri = uri(repo, "/tags/list" + (query == null || query.isEmpty() ? "" : "?" + query));
        return sendBuffered(repo, uri, HttpMethod.GET, "application/json", null, MAX_MANIFEST_BYTES);
    }

    private ContentResponse sendBuffered(ImageRef repo, URI uri, HttpMethod method, String accept,
            String actionsOrNull, int maxBytes) {
        return sendBuffered(repo, uri, method, accept, actionsOrNull, maxBytes, null);
    }

    private ContentResponse sendBuffered(ImageRef repo, URI uri, HttpMethod method, String accept,
            String actionsOrNull, int maxBytes, RawManifest body) {
        var access = actionsOrNull == null ? RegistryTransport.Access.PULL
                : new RegistryTransport.Access(actionsOrNull, null);
        var content = body == null ? null : new BytesRequestContent(body.mediaType(), body.bytes());
        return transport.send(new RegistryTransport.Call(repo, access, method, uri, accept, content, maxBytes, true));
    }

    private URI uri(ImageRef repo, String suffix) {
        return transport.uri(repo, suffix);
    }

    /** The manifest's type: a known Content-Type, else the body's own {@code mediaType}, else guessed by shape. */
    static String mediaType(String contentType, byte[] body) {
        if (contentType != null && (MediaTypes.isIndex(contentType) || MediaTypes.isImageManifest(contentType)
                || MediaTypes.isSchema1(contentType))) {
            return contentType;
        }
        String fromBody = OciJson.mediaTypeOf(body);
        if (fromBody != null) {
            return fromBody;
        }
        return OciJson.hasField(body, "manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    }

    private static void drain(InputStreamResponseListener listener) {
        try (var in = listener.getInputStream()) {
            in.skip(64 * 1024);
        } catch (java.io.IOException ignored) {
            // The connection is dropped instead of reused; nothing else to do.
        }
    }

    private static byte[] readSmall(InputStreamResponseListener listener) {
        try (var in = listener.getInputStream()) {
            return in.readNBytes(16_384);
        } catch (java.io.IOException e) {
            return new byte[0];
        }
    }
}
