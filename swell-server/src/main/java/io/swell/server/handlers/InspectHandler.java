package io.swell.server.handlers;

import io.swell.api.InspectRequest;
import io.swell.core.inspect.InspectService;
import io.swell.server.http.Exchange;

/** {@code POST /v1alpha1/inspect[?platform=]}: describes an image ({@code ../shared/reference/wave-api.md} §1.10). */
public final class InspectHandler {
    private final InspectService inspector;

    public InspectHandler(InspectService inspector) {
        this.inspector = inspector;
    }

    public void inspect(Exchange ex) {
        ex.json(200, inspector.inspect(ex.readJson(InspectRequest.class), ex.queryParam("platform")));
    }
}
