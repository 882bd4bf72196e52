package io.swell.registry;

import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns an upstream registry's error answer into a {@link SwellException} with the right distribution code, so an
 * unknown digest upstream is a 404 here, never a 500.
 */
final class RegistryErrors {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RegistryErrors() {}

    static SwellException fromStatus(int status, byte[] body, String what, ErrorCode notFound) {
        String upstreamMessage = upstreamMessage(body);
        String suffix = upstreamMessage == null ? "" : " - upstream said: " + upstreamMessage;
        return switch (status) {
            case 400 -> new SwellException(ErrorCode.BAD_REQUEST, what + " bad request (400)" + suffix);
            case 401 -> new SwellException(ErrorCode.UNAUTHORIZED,
                    what + " requires authentication: access not authorized (401)" + suffix);
            case 403 -> new SwellException(ErrorCode.DENIED, what + " access denied (403)" + suffix);
            case 404 -> new SwellException(notFound, what + " not found" + suffix);
            case 416 -> new SwellException(ErrorCode.RANGE_NOT_SATISFIABLE, what + " range not satisfiable");
            case 429 -> new SwellException(ErrorCode.TOO_MANY_REQUESTS, what + " upstream rate limit (429)" + suffix);
            default -> new SwellException(ErrorCode.UPSTREAM_UNAVAILABLE,
                    what + " upstream registry answered " + status + suffix);
        };
    }

    static SwellException unreachable(String registry, Throwable cause) {
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new SwellException(ErrorCode.UPSTREAM_UNAVAILABLE,
                "Registry '" + registry + "' is unreachable: " + why, cause);
    }

    private static String upstreamMessage(byte[] body) {
        if (body == null || body.length == 0 || body.length > 16_384) {
            return null;
        }
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                JsonNode first = errors.get(0);
                return first.path("code").asString("") + " " + first.path("message").asString("");
            }
        } catch (RuntimeException notJson) {
            return new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
        }
        return null;
    }
}
