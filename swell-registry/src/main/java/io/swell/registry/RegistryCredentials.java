package io.swell.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A username and password (or token) for one registry; {@link #toString()} never shows the secret. */
public record RegistryCredentials(String username, String password) {

    /** The value of an {@code Authorization: Basic} header. */
    public String basicHeader() {
        return "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A stable, secret-free key that tells these credentials apart in caches. */
    public String fingerprint() {
        return io.swell.oci.Digest.sha256((username + "\0" + password).getBytes(StandardCharsets.UTF_8))
                .hex().substring(0, 16);
    }

    @Override
    public String toString() {
        return "RegistryCredentials[username=" + username + ", password=****]";
    }
}
