package io.swell.registry;

import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import io.swell.oci.Digest;
import io.swell.oci.ImageRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.OutputStreamRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The push side of the blob API (https://github.com/opencontainers/distribution-spec/blob/main/spec.md, end-2
 * HEAD, end-4a POST, end-6 PUT, end-11 mount): existence checks, cross-repository mounts and monolithic uploads
 * streamed from an {@link InputStream} with their digest verified on the way. Every call authenticates for
 * {@code pull,push} on the target, so the existence check, the session and the upload share one token.
 */
final class BlobUploader {
    private static final int BUFFER_BYTES = 128 * 1024;
    private static final int MAX_ERROR_BYTES = 64 * 1024;
    private static final RegistryTransport.Access PUSH = RegistryTransport.Access.PUSH;

    private final RegistryTransport transport;

    BlobUploader(RegistryTransport transport) {
        this.transport = transport;
    }

    /** HEAD of the blob in {@code repo}: 200 (or a redirect to storage) means present, 404 absent. */
    boolean exists(ImageRef repo, Digest digest) {
        ContentResponse response = transport.send(new RegistryTransport.Call(repo, PUSH, HttpMethod.HEAD,
                transport.uri(repo, "/blobs/" + digest), null, null, MAX_ERROR_BYTES, false));
        int status = response.getStatus();
        boolean redirected = status >= 300 && status < 400 && response.getHeaders().get(HttpHeader.LOCATION) != null;
        if (status == 200 || redirected) {
            return true;
        }
        if (status == 404) {
            return false;
        }
        throw RegistryErrors.fromStatus(status, response.getContent(), describe(repo, digest), ErrorCode.BLOB_UNKNOWN);
    }

    /**
     * Asks the registry to link a blob of {@code fromRepository} (same registry) into {@code target} (end-11).
     * 201 means mounted. 202 means the registry opened an ordinary upload session instead (the blob is not in
     * the source, or the registry does not mount): the session is cancelled and false returned. A refusal of
     * the source scope (401/403) is also false: the caller then uploads, and that call reports a real lack of
     * push rights.
     */
    boolean mount(ImageRef target, Digest digest, String fromRepository) {
        URI uri = transport.uri(target, "/blobs/uploads/?mount=" + enc(digest.toString()) + "&from="
                + enc(fromRepository));
        // distribution checks pull on the source repository besides pull,push on the target (app.go authorized).
        var access = new RegistryTransport.Access(PUSH.actions(), "repository:" + fromRepository + ":pull");
        ContentResponse response;
        try {
            response = transport.send(new RegistryTransport.Call(target, access, HttpMethod.POST, uri, null,
                    emptyBody(), MAX_ERROR_BYTES, false));
        } catch (SwellException e) {
            if (e.code() == ErrorCode.UNAUTHORIZED || e.code() == ErrorCode.DENIED) {
                return false;
            }
            throw e;
        }
        int status = response.getStatus();
        if (status == 201) {
            return true;
        }
        if (status == 202) {
            String location = response.getHeaders().get(HttpHeader.LOCATION);
            if (location != null) {
                cancel(target, transport.resolve(target, location));
            }
            return false;
        }
        if (status == 401 || status == 403) {
            return false;
        }
        throw RegistryErrors.fromStatus(status, response.getContent(), "Mount of " + describe(target, digest)
                + " from '" + fromRepository + "'", ErrorCode.NAME_UNKNOWN);
    }

    /**
     * Uploads {@code size} bytes of {@code content} as blob {@code digest}: POST opens a session (end-4a), one PUT
     * with {@code ?digest=} and a {@code Content-Length} streams the bytes (end-4b monolithic). The bytes are
     * digested as they pass; a mismatch is found before the last chunk is sent, so the registry never receives
     * a complete body of the wrong content, and the session is cancelled.
     */
    void push(ImageRef target, Digest digest, long size, InputStream content) {
        String what = "Upload of " + describe(target, digest);
        ContentResponse opened = transport.send(new RegistryTransport.Call(target, PUSH, HttpMethod.POST,
                transport.uri(target, "/blobs/uploads/"), null, emptyBody(), MAX_ERROR_BYTES, false));
        String location = opened.getHeaders().get(HttpHeader.LOCATION);
        if (opened.getStatus() != 202 || location == null) {
            throw RegistryErrors.fromStatus(opened.getStatus(), opened.getContent(), what, ErrorCode.NAME_UNKNOWN);
        }
        URI session = transport.resolve(target, location);
        try {
            put(target, digest, size, content, session, what);
        } catch (RuntimeException e) {
            cancel(target, session);
            throw e;
        }
    }

    private void put(ImageRef target, Digest digest, long size, InputStream content, URI session, String what) {
        URI uri = URI.create(session + (session.getRawQuery() == null ? "?" : "&") + "digest="
                + enc(digest.toString()));
        String auth = transport.isRegistryHost(target, uri) ? transport.authorization(target, PUSH) : null;
        FixedLengthContent body = new FixedLengthContent(size);
        Request request = transport.http.newRequest(uri).method(HttpMethod.PUT).followRedirects(false)
                .idleTimeout(RegistryTransport.TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .headers(h -> {
                    if (auth != null) {
                        h.put(HttpHeader.AUTHORIZATION, auth);
                    }
                })
                .body(body);
        CompletableFuture<ContentResponse> answer = new CompletableResponseListener(request, MAX_ERROR_BYTES).send();
        try {
            OutputStream out = body.getOutputStream();
            stream(content, out, digest, size, what);
            // Closed only on success: closing after a failure would end the body early instead of aborting it.
            out.close();
        } catch (SwellException e) {
            request.abort(e);
            throw e;
        } catch (IOException sendFailed) {
            // The registry stopped reading: its answer, if it sent one, says why.
            ContentResponse early = await(answer, target, 10);
            if (early != null && early.getStatus() >= 400) {
                throw failure(target, early, what);
            }
            throw RegistryErrors.unreachable(target.registry(), sendFailed);
        }
        ContentResponse response = await(answer, target, 0);
        if (response == null) {
            throw RegistryErrors.unreachable(target.registry(), new TimeoutException("no answer to the upload"));
        }
        if (response.getStatus() != 201) {
            throw failure(target, response, what);
        }
    }

    /** Copies exactly {@code size} bytes, verifying their digest before the last chunk leaves. */
    private static void stream(InputStream content, OutputStream out, Digest digest, long size, String what)
            throws IOException {
        MessageDigest md = digest.newDigester();
        byte[] buffer = new byte[BUFFER_BYTES];
        long sent = 0;
        boolean verified = false;
        while (true) {
            int n;
            try {
                n = content.read(buffer);
            } catch (IOException e) {
                throw new SwellException(ErrorCode.UPSTREAM_UNAVAILABLE,
                        what + " failed: reading the content broke off after " + sent + " bytes: " + e.getMessage(),
                        e);
            }
            if (n < 0) {
                break;
            }
            if (sent + n > size) {
                throw new SwellException(ErrorCode.DIGEST_INVALID,
                        what + " failed: the content is longer than its declared size " + size);
            }
            md.update(buffer, 0, n);
            if (sent + n == size) {
                verify(md, digest, what);
                verified = true;
            }
            out.write(buffer, 0, n);
            sent += n;
        }
        if (sent != size) {
            throw new SwellException(ErrorCode.DIGEST_INVALID,
                    what + " failed: the content ended after " + sent + " of " + size + " bytes");
        }
        if (!verified) {
            verify(md, digest, what);
        }
    }

    private static void verify(MessageDigest md, Digest expected, String what) {
        Digest actual = Digest.of(md);
        if (!actual.equals(expected)) {
            throw new SwellException(ErrorCode.DIGEST_INVALID,
                    what + " failed: the content has digest " + actual + ", not " + expected);
        }
    }

    private SwellException failure(ImageRef target, ContentResponse response, String what) {
        if (response.getStatus() == 401) {
            transport.challenged(target, PUSH, response);
        }
        return RegistryErrors.fromStatus(response.getStatus(), response.getContent(), what, ErrorCode.NAME_UNKNOWN);
    }

    /** The answer, or {@code null} if none came in {@code seconds} (0: wait; the request's idle timeout bounds it). */
    private static ContentResponse await(CompletableFuture<ContentResponse> answer, ImageRef target, long seconds) {
        try {
            return seconds > 0 ? answer.get(seconds, TimeUnit.SECONDS) : answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryErrors.unreachable(target.registry(), e);
        } catch (ExecutionException e) {
            if (seconds > 0) {
                return null;
            }
            throw RegistryErrors.unreachable(target.registry(), e.getCause());
        } catch (TimeoutException e) {
            return null;
        }
    }

    /**
     * Cancels an upload session (end-13 DELETE) so the registry can free it at once; best effort and one attempt
     * only: distribution wants a {@code delete} scope for it, which a bearer token for {@code pull,push} lacks, and
     * asking for more rights than the copy needs would fail where they are not granted. A session left open is
     * removed by the registry's upload purging.
     */
    private void cancel(ImageRef target, URI session) {
        try {
            String auth = transport.isRegistryHost(target, session) ? transport.authorization(target, PUSH) : null;
            transport.http.newRequest(session).method(HttpMethod.DELETE).followRedirects(false)
                    .timeout(10, TimeUnit.SECONDS)
                    .headers(h -> {
                        if (auth != null) {
                            h.put(HttpHeader.AUTHORIZATION, auth);
                        }
                    })
                    .send();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // Nothing else to do: the session expires on the registry.
        }
    }

    /** An empty body that still sends {@code Content-Length: 0}, which some registries and proxies require. */
    private static Request.Content emptyBody() {
        return new BytesRequestContent(new byte[0]);
    }

    private static String describe(ImageRef repo, Digest digest) {
        return "blob '" + digest + "' of '" + repo.registry() + "/" + repo.repository() + "'";
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Streamed request content of a known length, so Jetty sends {@code Content-Length} instead of chunks. */
    private static final class FixedLengthContent extends OutputStreamRequestContent {
        private final long length;

        FixedLengthContent(long length) {
            super("application/octet-stream");
            this.length = length;
        }

        @Override
        public long getLength() {
            return length;
        }
    }
}
