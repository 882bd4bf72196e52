package io.swell.server.http;

import io.swell.api.ErrorCode;
import io.swell.api.ErrorResponse;
import io.swell.api.RegistryErrorResponse;
import io.swell.api.SwellException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become answers: {@code {"message": ...}} for the API, the distribution error
 * body for {@code /v2}. Unexpected exceptions are logged with an error id and answered as a 500 that shows the id
 * but none of the exception's text (it may hold request data).
 */
public final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
    private final SecureRandom random = new SecureRandom();

    void handle(Exchange exchange, Throwable failure) {
        if (exchange.isCommitted()) {
            LOG.debug("Response to {} broke after it started: {}", exchange.method(), failure.toString());
            exchange.fail(failure);
            return;
        }
        ErrorCode code;
        String message;
        if (failure instanceof SwellException e) {
            code = e.code();
            message = e.getMessage();
            if (code == ErrorCode.INTERNAL || code == ErrorCode.UPSTREAM_UNAVAILABLE) {
                LOG.warn("{} {}: {}", exchange.method(), redact(exchange.path()), message);
            }
        } else {
            code = ErrorCode.INTERNAL;
            byte[] id = new byte[6];
            random.nextBytes(id);
            String errorId = HexFormat.of().formatHex(id);
            message = "Unexpected server error - Error ID: " + errorId;
            LOG.error("Unexpected error {} on {} {}", errorId, exchange.method(), redact(exchange.path()), failure);
        }
        if (exchange.hasUnreadBody()) {
            exchange.header("Connection", "close");
        }
        boolean head = exchange.method().equals("HEAD");
        if (exchange.path().startsWith("/v2")) {
            exchange.header("Docker-Distribution-API-Version", "registry/2.0");
            byte[] body = Json.MAPPER.writeValueAsBytes(RegistryErrorResponse.of(code.registryCode(), message));
            exchange.bytes(code.status(), "application/json", body, head);
        } else {
            exchange.bytes(code.status(), "application/json",
                    Json.MAPPER.writeValueAsBytes(new ErrorResponse(message)), head);
        }
    }

    /** A path with the token of {@code /v2/wt/<token>/} hidden: tokens are pull capabilities. */
    static String redact(String path) {
        return path.replaceFirst("^/v2/wt/[^/]+/", "/v2/wt/****/");
    }
}
