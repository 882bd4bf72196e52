package io.swell.core.request;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Makes container tokens: 128 random bits from {@link SecureRandom} as 32 lower-case hex characters (Wave uses
 * 48 bits; a token is a bearer capability for pulls, so it must not be guessable).
 */
public final class TokenGenerator {
    private static final int BYTES = 16;
    private final SecureRandom random = new SecureRandom();

    public String next() {
        byte[] bytes = new byte[BYTES];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
