package io.swell.testing;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Passes bytes through while computing their SHA-256 and counting them. */
final class HashingOutputStream extends FilterOutputStream {

    private final MessageDigest sha256;
    private long count;

    HashingOutputStream(OutputStream out) {
        super(out);
        this.sha256 = newSha256();
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        sha256.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        // FilterOutputStream would write byte by byte; pass the whole slice on instead.
        out.write(bytes, offset, length);
        sha256.update(bytes, offset, length);
        count += length;
    }

    /** Returns "sha256:HEX" of everything written so far; call once, after the last write. */
    String digest() {
        return "sha256:" + HexFormat.of().formatHex(sha256.digest());
    }

    long count() {
        return count;
    }

    static String sha256(byte[] content) {
        return "sha256:" + HexFormat.of().formatHex(newSha256().digest(content));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
