package io.swell.api;

/**
 * Every error Swell answers, with its HTTP status and its Docker distribution error code.
 *
 * <p>The registry codes come from the distribution spec's error code table
 * (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes).
 */
public enum ErrorCode {
    BAD_REQUEST(400, "BAD_REQUEST"),
    UNSUPPORTED(400, "UNSUPPORTED"),
    BUILD_FAILED(400, "UNKNOWN"),
    NAME_INVALID(400, "NAME_INVALID"),
    DIGEST_INVALID(400, "DIGEST_INVALID"),
    UNAUTHORIZED(401, "UNAUTHORIZED"),
    DENIED(403, "DENIED"),
    NOT_FOUND(404, "NOT_FOUND"),
    NAME_UNKNOWN(404, "NAME_UNKNOWN"),
    MANIFEST_UNKNOWN(404, "MANIFEST_UNKNOWN"),
    BLOB_UNKNOWN(404, "BLOB_UNKNOWN"),
    METHOD_NOT_ALLOWED(405, "UNSUPPORTED"),
    TIMEOUT(408, "TIMEOUT"),
    PAYLOAD_TOO_LARGE(413, "SIZE_INVALID"),
    RANGE_NOT_SATISFIABLE(416, "BLOB_UNKNOWN"),
    TOO_MANY_REQUESTS(429, "TOOMANYREQUESTS"),
    NOT_IMPLEMENTED(501, "UNSUPPORTED"),
    UPSTREAM_UNAVAILABLE(502, "UNAVAILABLE"),
    INTERNAL(500, "UNKNOWN");

    private final int status;
    private final String registryCode;

    ErrorCode(int status, String registryCode) {
        this.status = status;
        this.registryCode = registryCode;
    }

    /** HTTP status answered for this error. */
    public int status() {
        return status;
    }

    /** The {@code code} of a {@code /v2} error body. */
    public String registryCode() {
        return registryCode;
    }
}
