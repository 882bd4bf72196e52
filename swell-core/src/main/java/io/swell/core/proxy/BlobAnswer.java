package io.swell.core.proxy;

import java.io.InputStream;
import java.nio.file.Path;

/** How to answer a blob request. */
public sealed interface BlobAnswer {

    /** Serve a complete local file (supports ranges). */
    record LocalFile(Path path, long size) implements BlobAnswer {}

    /** Redirect the client (an upstream redirect passed on). */
    record Redirect(int status, String location) implements BlobAnswer {}

    /**
     * Stream a body that is still arriving; the caller must close it.
     *
     * @param status       200 or 206
     * @param length       body length, -1 when unknown
     * @param contentRange {@code Content-Range} of a 206 answer
     */
    record Stream(int status, long length, String contentRange, InputStream body) implements BlobAnswer {}
}
