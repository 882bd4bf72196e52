package io.swell.core.build.id;

import io.swell.api.SwellException;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's platform in the normalised form Wave hashes into the container id, e.g. {@code linux/arm/v7}.
 * Instances only come from {@link #parse}, so holding one means the text is already normalised.
 */
public final class HashedPlatform {

    public static final HashedPlatform LINUX_AMD64 = new HashedPlatform("linux/amd64");
    public static final HashedPlatform LINUX_ARM64 = new HashedPlatform("linux/arm64");
    /** The only multi-platform value Wave accepts, in this order. */
    public static final HashedPlatform MULTI = new HashedPlatform("linux/amd64,linux/arm64");

    private final String value;

    private HashedPlatform(String value) {
        this.value = value;
    }

    /**
     * Normalises a request's {@code containerPlatform} as Wave's {@code ContainerPlatform.parseOrDefault} does:
     * null or empty means {@code linux/amd64}; arch aliases and arm variants are canonicalised; matching is
     * case-sensitive and the os is not checked.
     *
     * @throws SwellException (bad request) for an unsupported arch, a malformed value or another multi-platform list
     */
    public static HashedPlatform parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return LINUX_AMD64;
        }
        List<String> parts = new ArrayList<>();
        // limit -1 keeps empty items, so "linux/amd64," is rejected rather than silently read as one platform
        for (String item : raw.split(",", -1)) {
            parts.add(single(item.trim(), raw));
        }
        String joined = String.join(",", parts);
        if (parts.size() > 1 && !joined.equals(MULTI.value)) {
            throw SwellException.badRequest("Unsupported multi-platform value '" + raw + "' - only '"
                    + MULTI.value + "' is accepted");
        }
        return new HashedPlatform(joined);
    }

    /** The normalised text: one {@code os/arch[/variant]}, or exactly {@code linux/amd64,linux/arm64}. */
    public String value() {
        return value;
    }

    /** Whether this is the multi-platform value. */
    public boolean isMulti() {
        return value.indexOf(',') >= 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HashedPlatform p && p.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }

    private static String single(String item, String raw) {
        List<String> segments = new ArrayList<>();
        for (String s : item.split("/")) {
            if (!s.isEmpty()) {
                segments.add(s);
            }
        }
        if (segments.size() == 1) {
            segments.add(0, "linux");
        }
        if (segments.size() < 2 || segments.size() > 3) {
            throw SwellException.badRequest("Invalid container platform '" + raw + "' - use os/arch[/variant],"
                    + " e.g. linux/amd64");
        }
        String os = segments.get(0);
        String arch = canonicalArch(segments.get(1), raw);
        String variant = segments.size() == 3 ? segments.get(2) : null;
        variant = switch (arch) {
            case "arm64" -> "8".equals(variant) || "v8".equals(variant) ? null : variant;
            case "arm" -> variant == null || "7".equals(variant) ? "v7"
                    : "5".equals(variant) || "6".equals(variant) || "8".equals(variant) ? "v" + variant
                    : variant;
            default -> variant;
        };
        return os + "/" + arch + (variant == null ? "" : "/" + variant);
    }

    private static String canonicalArch(String arch, String raw) {
        return switch (arch) {
            case "amd64", "x86_64", "x86-64" -> "amd64";
            case "arm64", "aarch64" -> "arm64";
            case "arm" -> "arm";
            default -> throw SwellException.badRequest("Unsupported container platform '" + raw
                    + "' - the architecture must be amd64 (x86_64), arm64 (aarch64) or arm");
        };
    }
}
