package io.swell.server.handlers;

import io.swell.api.InspectRequest;
import io.swell.api.SwellException;
import io.swell.core.inspect.InspectService;
import io.swell.server.http.Exchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** {@code POST /v1alpha1/inspect[?platform=]}: describes an image ({@code ../shared/reference/wave-api.md} §1.10). */
public final class InspectHandler {
    private final InspectService inspector;

    public InspectHandler(InspectService inspector) {
        this.inspector = inspector;
    }

    public void inspect(Exchange ex) {
        ex.json(200, inspector.inspect(ex.readJson(InspectRequest.class), queryParam(ex.query(), "platform")));
    }

    /** The first value of {@code name} in a raw query string, decoded, or {@code null}. */
    static String queryParam(String query, String name) {
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
}
