package io.swell.server.http;

/**
 * A single byte range of a {@code Range} header (RFC 9110 §14.1.2): {@code bytes=first-last}, {@code bytes=first-}
 * or {@code bytes=-suffix}.
 */
record Range(long first, long last, boolean satisfiable) {

    long length() {
        return last - first + 1;
    }

    /** The range asked for, or {@code null} when the header is absent, malformed or asks for several ranges. */
    static Range parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.contains(",")) {
            return null;
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || size == 0) {
                    return new Range(0, 0, false);
                }
                return new Range(Math.max(0, size - suffix), size - 1, true);
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (first >= size || last < first) {
                return new Range(0, 0, false);
            }
            return new Range(first, last, true);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
