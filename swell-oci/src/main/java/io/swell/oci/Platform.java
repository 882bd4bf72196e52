package io.swell.oci;

import io.swell.api.SwellException;
import java.util.Locale;

/**
 * An os/architecture/variant triple, parsed with Wave's aliases ({@code x86_64}, {@code aarch64}, {@code arm64/v8},
 * bare {@code arm} meaning {@code arm/v7}).
 */
public record Platform(String os, String architecture, String variant) {
    public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", null);
    public static final Platform LINUX_ARM64 = new Platform("linux", "arm64", null);

    /** Parses one platform such as {@code linux/amd64}, {@code arm64} or {@code linux/arm/v7}; 400 if unknown. */
    public static Platform parse(String value) {
        if (value == null || value.isBlank()) {
            throw SwellException.badRequest("Missing container platform");
        }
        String[] parts = value.trim().toLowerCase(Locale.ROOT).split("/");
        if (parts.length > 3) {
            throw unsupported(value);
        }
        boolean hasOs = parts[0].equals("linux");
        if (!hasOs && parts.length == 3) {
            throw unsupported(value);
        }
        String arch = hasOs ? (parts.length > 1 ? parts[1] : "amd64") : parts[0];
        String variant = hasOs ? (parts.length > 2 ? parts[2] : null) : (parts.length > 1 ? parts[1] : null);
        return switch (arch) {
            case "amd64", "x86_64", "x86-64" -> {
                if (variant != null) {
                    throw unsupported(value);
                }
                yield LINUX_AMD64;
            }
            case "arm64", "aarch64" -> {
                if (variant != null && !variant.equals("v8")) {
                    throw unsupported(value);
                }
                yield LINUX_ARM64;
            }
            case "arm" -> {
                String v = variant == null ? "v7" : variant;
                if (!v.matches("v[5-8]")) {
                    throw unsupported(value);
                }
                yield new Platform("linux", "arm", v);
            }
            default -> throw unsupported(value);
        };
    }

    private static SwellException unsupported(String value) {
        return SwellException.badRequest("Unsupported container platform '" + value + "'");
    }

    /** True when an index entry's platform is this one, under the same aliases as {@link #parse}. */
    public boolean matches(Descriptor.Platform p) {
        if (p == null || p.architecture() == null) {
            return false;
        }
        Platform other;
        try {
            other = parse((p.os() == null ? "linux" : p.os()) + "/" + p.architecture()
                    + (p.variant() == null || p.variant().isEmpty() ? "" : "/" + p.variant()));
        } catch (SwellException unknown) {
            return false;
        }
        return equals(other);
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
