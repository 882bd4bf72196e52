package io.swell.api;

/**
 * The single exception type that crosses module boundaries: a message safe to show the client and an
 * {@link ErrorCode} that decides the HTTP status. Anything else reaching the HTTP layer is a bug (500).
 */
public final class SwellException extends RuntimeException {
    private final ErrorCode code;

    public SwellException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public SwellException(ErrorCode code, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static SwellException badRequest(String message) {
        return new SwellException(ErrorCode.BAD_REQUEST, message);
    }

    public static SwellException notFound(String message) {
        return new SwellException(ErrorCode.NOT_FOUND, message);
    }

    public static SwellException notImplemented(String message) {
        return new SwellException(ErrorCode.NOT_IMPLEMENTED, message);
    }
}
