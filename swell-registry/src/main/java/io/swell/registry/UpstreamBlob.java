package io.swell.registry;

import java.io.InputStream;

/** What an upstream registry answered for a blob: a redirect to pass on, or a body to stream. */
public sealed interface UpstreamBlob {

    /** The registry redirects to storage: hand the (absolute) location to the client. */
    record Redirect(int status, String location) implements UpstreamBlob {}

    /**
     * A body to stream; the caller must close it.
     *
     * @param contentLength length of this body, -1 when unknown
     * @param contentRange  the {@code Content-Range} header of a 206 answer, else {@code null}
     */
    record Body(int status, long contentLength, String contentRange, InputStream stream)
            implements UpstreamBlob, AutoCloseable {
        @Override
        public void close() {
            try {
                stream.close();
            } catch (java.io.IOException ignored) {
                // The body is abandoned; nothing more to release.
            }
        }
    }
}
