package io.swell.server.http;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Response;

/** The security headers Wave adds to every response, pre-encoded once because they are on every hot path. */
final class SecurityHeaders {
    private static final HttpField[] FIELDS = {
        new PreEncodedHttpField("X-Content-Type-Options", "nosniff"),
        new PreEncodedHttpField("X-Frame-Options", "DENY"),
        new PreEncodedHttpField("Referrer-Policy", "strict-origin-when-cross-origin"),
    };

    private SecurityHeaders() {}

    static void apply(Response response) {
        var headers = response.getHeaders();
        for (HttpField f : FIELDS) {
            headers.add(f);
        }
    }
}
