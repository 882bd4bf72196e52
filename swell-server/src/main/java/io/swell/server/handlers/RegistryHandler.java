package io.swell.server.handlers;

import io.swell.core.proxy.BlobAnswer;
import io.swell.core.proxy.ProxyService;
import io.swell.core.proxy.RegistryPath;
import io.swell.oci.Digest;
import io.swell.oci.RawManifest;
import io.swell.server.http.Exchange;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The read side of the Docker Registry v2 API under {@code /v2} (distribution spec: end-1, end-2, end-3, end-8a):
 * manifests and blobs by GET and HEAD, tag lists. Swell serves pulls only.
 */
public final class RegistryHandler {
    private static final String API_VERSION = "Docker-Distribution-API-Version";
    private static final String OCTET_STREAM = "application/octet-stream";
    private final ProxyService proxy;

    public RegistryHandler(ProxyService proxy) {
        this.proxy = proxy;
    }

    /** {@code GET /v2/}: the API version check; no authentication is asked (a token path is the capability). */
    public void base(Exchange ex) {
        ex.header(API_VERSION, "registry/2.0");
        ex.bytes(200, "application/json", "{}".getBytes(), ex.method().equals("HEAD"));
    }

    /** Everything under {@code /v2/}. */
    public void handle(Exchange ex) throws Exception {
        ex.header(API_VERSION, "registry/2.0");
        RegistryPath path = RegistryPath.parse(ex.param(0));
        ProxyService.Target target = proxy.resolve(path);
        boolean head = ex.method().equals("HEAD");
        switch (path.kind()) {
            case MANIFESTS -> manifest(ex, target, path.reference(), head);
            case BLOBS -> blob(ex, target, Digest.parse(path.reference()), head);
            case TAGS -> tags(ex, target, head);
        }
    }

    private void manifest(Exchange ex, ProxyService.Target target, String reference, boolean head) {
        RawManifest m = proxy.manifest(target, reference, ex.clientIp(), head);
        String digest = m.digest().toString();
        ex.header("Docker-Content-Digest", digest);
        ex.header(HttpHeader.ETAG, "\"" + digest + "\"");
        ex.bytes(200, m.mediaType(), m.bytes(), head);
    }

    private void blob(Exchange ex, ProxyService.Target target, Digest digest, boolean head) {
        BlobAnswer answer = proxy.blob(target, digest, ex.header(HttpHeader.RANGE), head);
        ex.header("Docker-Content-Digest", digest.toString());
        switch (answer) {
            case BlobAnswer.LocalFile f -> ex.file(f.path(), f.size(), OCTET_STREAM, head);
            case BlobAnswer.Redirect r -> ex.redirect(r.status(), r.location());
            case BlobAnswer.Stream s -> {
                if (s.contentRange() != null) {
                    ex.header(HttpHeader.CONTENT_RANGE, s.contentRange());
                }
                ex.stream(s.status(), OCTET_STREAM, s.length(), s.body(), head);
            }
        }
    }

    private void tags(Exchange ex, ProxyService.Target target, boolean head) {
        ProxyService.Tags tags = proxy.tags(target, ex.query());
        ex.bytes(tags.status(), "application/json", tags.body(), head);
    }
}
