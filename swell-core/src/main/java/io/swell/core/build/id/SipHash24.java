package io.swell.core.build.id;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SequencedMap;

/** SipHash-2-4 as Wave uses it for ids: Guava's default key, UTF-16LE input and Guava's hex rendering. */
public final class SipHash24 {

    /** Guava's {@code Hashing.sipHash24()} key: the bytes 00..0f read as two little-endian longs. */
    public static final long DEFAULT_K0 = 0x0706050403020100L;
    public static final long DEFAULT_K1 = 0x0f0e0d0c0b0a0908L;

    /** Separates a key from its value, and each argument from the next (ASCII file separator). */
    static final char FIELD_SEPARATOR = '\u001c';
    /** Ends a map entry, and the argument list (ASCII record separator). */
    static final char RECORD_SEPARATOR = '\u001e';

    private SipHash24() {}

    /** SipHash-2-4 of {@code data} with the given key, as the raw 64-bit value. */
    public static long hash(long k0, long k1, byte[] data) {
        long[] v = {0x736f6d6570736575L ^ k0, 0x646f72616e646f6dL ^ k1, 0x6c7967656e657261L ^ k0,
                0x7465646279746573L ^ k1};
        int end = data.length - (data.length % 8);
        for (int i = 0; i < end; i += 8) {
            compress(v, littleEndianLong(data, i, 8));
        }
        // the last block carries the remaining bytes and, in its top byte, the total length mod 256
        compress(v, littleEndianLong(data, end, data.length - end) | ((long) (data.length & 0xff) << 56));
        v[2] ^= 0xff;
        for (int r = 0; r < 4; r++) {
            sipRound(v);
        }
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    /** Renders a hash as Guava's {@code HashCode.toString()} does: its 8 bytes in little-endian order, lower hex. */
    public static String toHex(long hash) {
        return String.format("%016x", Long.reverseBytes(hash));
    }

    /** The hex hash of a string fed as UTF-16LE code units (Guava's {@code putUnencodedChars}). */
    public static String hashChars(String text) {
        return toHex(hash(DEFAULT_K0, DEFAULT_K1, text.getBytes(StandardCharsets.UTF_16LE)));
    }

    /** The hex hash of an ordered map, Wave's {@code RegHelper.sipHash(LinkedHashMap)}. */
    public static String hashMap(SequencedMap<String, String> entries) {
        return hashChars(mapInput(entries));
    }

    /** The hex hash of arguments, Wave's {@code RegHelper.sipHash(Object...)}. */
    public static String hashArgs(Object... args) {
        return hashChars(argsInput(args));
    }

    /** The exact text {@link #hashMap} hashes: per entry key, FS, value (nothing if null), RS. */
    public static String mapInput(SequencedMap<String, String> entries) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> e : entries.entrySet()) {
            text.append(e.getKey()).append(FIELD_SEPARATOR);
            if (e.getValue() != null) {
                text.append(e.getValue());
            }
            text.append(RECORD_SEPARATOR);
        }
        return text.toString();
    }

    /** The exact text {@link #hashArgs} hashes: per argument its text (nothing if null) and FS, then one RS. */
    public static String argsInput(Object... args) {
        StringBuilder text = new StringBuilder();
        for (Object arg : args) {
            if (arg != null) {
                text.append(arg);
            }
            text.append(FIELD_SEPARATOR);
        }
        return text.append(RECORD_SEPARATOR).toString();
    }

    /** Mixes one 8-byte block in with two rounds (the "2" of SipHash-2-4). */
    private static void compress(long[] v, long m) {
        v[3] ^= m;
        sipRound(v);
        sipRound(v);
        v[0] ^= m;
    }

    private static void sipRound(long[] v) {
        v[0] += v[1]; v[1] = Long.rotateLeft(v[1], 13); v[1] ^= v[0]; v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3]; v[3] = Long.rotateLeft(v[3], 16); v[3] ^= v[2];
        v[0] += v[3]; v[3] = Long.rotateLeft(v[3], 21); v[3] ^= v[0];
        v[2] += v[1]; v[1] = Long.rotateLeft(v[1], 17); v[1] ^= v[2]; v[2] = Long.rotateLeft(v[2], 32);
    }

    private static long littleEndianLong(byte[] data, int offset, int count) {
        long value = 0;
        for (int i = 0; i < count; i++) {
            value |= (data[offset + i] & 0xffL) << (8 * i);
        }
        return value;
    }
}
