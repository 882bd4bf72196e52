package io.swell.server.http;

import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import tools.jackson.core.JacksonException;

/**
 * One request and its response, with the few ways Swell answers: JSON, bytes, a file (range-capable), a stream,
 * a redirect. Each answer completes the exchange; a handler answers exactly once.
 */
public final class Exchange {
    private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
    private static final int STREAM_CHUNK = 256 * 1024;
    private static final long MAPPED_SLICE = 16L * 1024 * 1024;

    /** Whether a handler consumed the request body (see {@link #hasUnreadBody()}). */
    private boolean bodyRead;
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final List<String> params;

    Exchange(Request request, Response response, Callback callback, List<String> params) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.params = params;
    }

    /** The n-th captured path segment of the route (0-based). */
    public String param(int n) {
        return params.get(n);
    }

    public String method() {
        return request.getMethod();
    }

    public String path() {
        return Request.getPathInContext(request);
    }

    public String query() {
        return request.getHttpURI().getQuery();
    }

    /** The first value of {@code name} in a raw query string, decoded, or {@code null}. */
    public String queryParam(String name) {
        String query = query();
        if (query == null || query.isEmpty()) {
            return null;
        }
        try {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                if (key.equals(name)) {
                    return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
            return null;
        } catch (IllegalArgumentException e) {
            throw SwellException.badRequest("Malformed query string: " + e.getMessage());
        }
    }

    public String header(HttpHeader name) {
        return request.getHeaders().get(name);
    }

    public String clientIp() {
        return Request.getRemoteAddr(request);
    }

    /** Reads the JSON body as {@code type}; malformed JSON is a 400 that says where. */
    public <T> T readJson(Class<T> type) {
        bodyRead = true;
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw SwellException.badRequest("Cannot read the request body: " + e.getMessage());
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new SwellException(ErrorCode.PAYLOAD_TOO_LARGE, "Request body is larger than 32 MiB");
        }
        if (body.length == 0) {
            throw SwellException.badRequest("Missing request body");
        }
        try {
            T value = Json.MAPPER.readValue(body, type);
            if (value == null) {
                throw SwellException.badRequest("Missing request body");
            }
            return value;
        } catch (JacksonException e) {
            throw SwellException.badRequest("Invalid request body: " + e.getOriginalMessage().split("\n")[0]);
        }
    }

    public void header(HttpHeader name, String value) {
        response.getHeaders().put(name, value);
    }

    /**
     * Whether the request came with a body nobody read. Answering it (an early error) and keeping the connection
     * would let a client reuse a connection whose unread bytes the server then discards by closing it: the
     * client's next request on it fails. Such answers say {@code Connection: close}.
     */
    boolean hasUnreadBody() {
        return !bodyRead && (request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
    }

    public void header(String name, String value) {
        response.getHeaders().put(name, value);
    }

    public void json(int status, Object body) {
        bytes(status, "application/json", Json.MAPPER.writeValueAsBytes(body), false);
    }

    /**
     * Answers an HTML page. The page may run no script and load nothing from elsewhere (Content-Security-Policy),
     * so even a value that escaped {@code HtmlPage}'s escaping could not act.
     */
    public void html(int status, String body) {
        response.getHeaders().put("Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'");
        bytes(status, "text/html; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), false);
    }

    public void text(int status, String body) {
        bytes(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), false);
    }

    /** Answers bytes; with {@code headOnly} the headers say the length but no body is sent. */
    public void bytes(int status, String contentType, byte[] body, boolean headOnly) {
        response.setStatus(status);
        if (contentType != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, headOnly ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
    }

    /** Answers with no body. */
    public void empty(int status) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
        response.write(true, ByteBuffer.allocate(0), callback);
    }

    /** Answers a redirect with an empty body. */
    public void redirect(int status, String location) {
        response.getHeaders().put(HttpHeader.LOCATION, location);
        empty(status);
    }

    /**
     * Answers a file or the single range of it the client asked for (RFC 9110 §14); several ranges are served
     * whole, an unsatisfiable range is a 416.
     */
    public void file(Path path, long size, String contentType, boolean headOnly) {
        Range range = Range.parse(request.getHeaders().get(HttpHeader.RANGE), size);
        response.getHeaders().put(HttpHeader.ACCEPT_RANGES, "bytes");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        long offset = 0;
        long length = size;
        if (range != null) {
            if (!range.satisfiable()) {
                response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes */" + size);
                throw new SwellException(ErrorCode.RANGE_NOT_SATISFIABLE, "Range not satisfiable");
            }
            offset = range.first();
            length = range.length();
            response.setStatus(206);
            response.getHeaders().put(HttpHeader.CONTENT_RANGE,
                    "bytes " + range.first() + "-" + range.last() + "/" + size);
        } else {
            response.setStatus(200);
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        if (headOnly || length == 0) {
            response.write(true, ByteBuffer.allocate(0), callback);
            return;
        }
        writeMapped(path, offset, length);
    }

    /**
     * Writes a file region from memory-mapped slices: the socket write reads the page cache directly, which
     * saves the copy into a user-space buffer that a read-then-write loop makes (nginx uses sendfile for the
     * same reason). Blocking writes are fine here: handlers run on virtual threads.
     */
    private void writeMapped(Path path, long offset, long length) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long position = offset;
            long end = offset + length;
            while (position < end) {
                long n = Math.min(MAPPED_SLICE, end - position);
                ByteBuffer slice = channel.map(FileChannel.MapMode.READ_ONLY, position, n);
                position += n;
                Content.Sink.write(response, position >= end, slice);
            }
            callback.succeeded();
        } catch (IOException e) {
            callback.failed(e);
        }
    }

    /** Streams a body (blocking, on this virtual thread); a broken source aborts the response. */
    public void stream(int status, String contentType, long length, InputStream body, boolean headOnly) {
        try (body) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            if (length >= 0) {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
            }
            if (headOnly) {
                response.write(true, ByteBuffer.allocate(0), callback);
                return;
            }
            byte[] buffer = new byte[STREAM_CHUNK];
            for (int n; (n = body.read(buffer)) > 0; ) {
                Content.Sink.write(response, false, ByteBuffer.wrap(buffer, 0, n));
            }
            Content.Sink.write(response, true, ByteBuffer.allocate(0));
            callback.succeeded();
        } catch (IOException e) {
            callback.failed(e);
        }
    }

    boolean isCommitted() {
        return response.isCommitted();
    }

    void fail(Throwable t) {
        callback.failed(t);
    }

    Response response() {
        return response;
    }

    Callback callback() {
        return callback;
    }
}
