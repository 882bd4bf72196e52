package io.swell.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Error body of the {@code /v2} registry endpoint (distribution spec error format). */
public record RegistryErrorResponse(List<Error> errors) {

    /** One error. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Error(String code, String message, Object detail) {}

    public static RegistryErrorResponse of(String code, String message) {
        return new RegistryErrorResponse(List.of(new Error(code, message, null)));
    }
}
