package io.swell.server.handlers;

import io.swell.api.ValidateCredsRequest;
import io.swell.registry.CredentialsValidator;
import io.swell.server.http.Exchange;

/**
 * {@code POST /v1alpha2/validate-creds} and the deprecated {@code POST /validate-creds}: JSON {@code true} or
 * {@code false} ({@code ../shared/reference/wave-api.md} §1.11).
 */
public final class ValidateCredsHandler {
    private final CredentialsValidator validator;

    public ValidateCredsHandler(CredentialsValidator validator) {
        this.validator = validator;
    }

    public void validate(Exchange ex) {
        ex.json(200, validator.validate(ex.readJson(ValidateCredsRequest.class)));
    }
}
