package io.swell.server.handlers;

import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import io.swell.oci.Digest;
import io.swell.server.http.Exchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;

/**
 * HTTP Basic authentication against the configured admin accounts (user name to SHA-256 hex of the password, as
 * Wave's {@code wave.accounts}). Compared in constant time; a failure is a 401 with a Basic challenge.
 */
public final class BasicAuth {
    private final Map<String, String> accounts;

    public BasicAuth(Map<String, String> accounts) {
        this.accounts = Map.copyOf(accounts);
    }

    /** Throws a 401 unless the request carries a valid admin account. */
    public void require(Exchange ex) {
        String header = ex.header(HttpHeader.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = "";
            }
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                String expected = accounts.get(decoded.substring(0, colon));
                String actual = Digest.sha256(decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8)).hex();
                if (expected != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                        actual.getBytes(StandardCharsets.US_ASCII))) {
                    return;
                }
            }
        }
        ex.header(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"Swell\"");
        throw new SwellException(ErrorCode.UNAUTHORIZED, accounts.isEmpty()
                ? "No admin accounts are configured on this server (see 'accounts' in the configuration)"
                : "Valid admin credentials are required");
    }
}
