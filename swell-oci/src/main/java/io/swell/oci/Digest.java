package io.swell.oci;

import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:<64 hex>}
 * (https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests).
 */
public record Digest(String algorithm, String hex) {
    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

    public Digest {
        boolean ok = switch (algorithm) {
            case "sha256" -> SHA256.matcher(hex).matches();
            case "sha512" -> SHA512.matcher(hex).matches();
            default -> false;
        };
        if (!ok) {
            throw new SwellException(ErrorCode.DIGEST_INVALID, "Invalid digest: " + algorithm + ":" + hex);
        }
    }

    /** Parses {@code algorithm:hex}; a malformed value is a {@link ErrorCode#DIGEST_INVALID} error. */
    public static Digest parse(String value) {
        int colon = value == null ? -1 : value.indexOf(':');
        if (colon <= 0) {
            throw new SwellException(ErrorCode.DIGEST_INVALID, "Invalid digest: " + value);
        }
        return new Digest(value.substring(0, colon), value.substring(colon + 1));
    }

    /** True when the text looks like a digest (used to tell digest references from tags). */
    public static boolean isDigest(String value) {
        return value != null && value.contains(":");
    }

    /** The sha256 digest of some bytes. */
    public static Digest sha256(byte[] bytes) {
        return new Digest("sha256", HexFormat.of().formatHex(newSha256().digest(bytes)));
    }

    /** A fresh sha256 {@link MessageDigest}, to digest content while it streams. */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the JDK", e);
        }
    }

    /** The digest a finished {@link MessageDigest} computed. */
    public static Digest of(MessageDigest md) {
        String name = md.getAlgorithm().equals("SHA-512") ? "sha512" : "sha256";
        return new Digest(name, HexFormat.of().formatHex(md.digest()));
    }

    /** A {@link MessageDigest} for this digest's algorithm. */
    public MessageDigest newDigester() {
        try {
            return MessageDigest.getInstance(algorithm.equals("sha512") ? "SHA-512" : "SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
