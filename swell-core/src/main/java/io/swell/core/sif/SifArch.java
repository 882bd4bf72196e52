package io.swell.core.sif;

import java.nio.charset.StandardCharsets;

/** Architecture of a SIF primary system partition, with the two-digit code the format stores. */
public enum SifArch {
    AMD64("amd64", "02"),
    ARM64("arm64", "04");

    private final String goArch;
    private final String code;

    SifArch(String goArch, String code) {
        this.goArch = goArch;
        this.code = code;
    }

    /** The Go/OCI architecture name, e.g. {@code amd64}. */
    public String goArch() {
        return goArch;
    }

    /** The architecture of an OCI platform such as {@code linux/arm64} or a bare {@code arm64}. */
    public static SifArch fromPlatform(String platform) {
        String arch = platform.substring(platform.indexOf('/') + 1);
        // a variant (linux/arm64/v8) does not change the SIF code
        int slash = arch.indexOf('/');
        String name = slash < 0 ? arch : arch.substring(0, slash);
        for (SifArch value : values()) {
            if (value.goArch.equals(name)) {
                return value;
            }
        }
        throw new IllegalArgumentException("Unsupported SIF architecture: " + platform);
    }

    /** The NUL-terminated 3-byte code, e.g. {@code "02\0"}. */
    byte[] codeBytes() {
        return (code + "\0").getBytes(StandardCharsets.US_ASCII);
    }
}
