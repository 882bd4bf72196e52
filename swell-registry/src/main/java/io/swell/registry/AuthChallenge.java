package io.swell.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed {@code WWW-Authenticate} header of a registry
 * (https://distribution.github.io/distribution/spec/auth/token/): {@code Bearer realm="...",service="..."} or
 * {@code Basic realm="..."}.
 */
public record AuthChallenge(String scheme, String realm, String service) {
    public static final AuthChallenge NONE = new AuthChallenge("none", null, null);

    public boolean isBearer() {
        return scheme.equals("bearer");
    }

    public boolean isBasic() {
        return scheme.equals("basic");
    }

    /** Parses a header value; an unknown or empty one yields {@link #NONE}. */
    public static AuthChallenge parse(String header) {
        if (header == null || header.isBlank()) {
            return NONE;
        }
        String trimmed = header.trim();
        int space = trimmed.indexOf(' ');
        String scheme = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
        Map<String, String> params = space < 0 ? Map.of() : params(trimmed.substring(space + 1));
        return switch (scheme) {
            case "bearer", "basic" -> new AuthChallenge(scheme, params.get("realm"), params.get("service"));
            default -> NONE;
        };
    }

    /** Parses {@code key="value",key2=value2} pairs, honouring quotes and backslash escapes. */
    static Map<String, String> params(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && (text.charAt(i) == ',' || text.charAt(i) == ' ')) {
                i++;
            }
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = text.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '"') {
                i++;
                while (i < n && text.charAt(i) != '"') {
                    if (text.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    value.append(text.charAt(i++));
                }
                i++;
            } else {
                while (i < n && text.charAt(i) != ',') {
                    value.append(text.charAt(i++));
                }
            }
            out.put(key, value.toString().trim());
        }
        return out;
    }
}
