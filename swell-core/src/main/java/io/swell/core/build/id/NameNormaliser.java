package io.swell.core.build.id;

import java.util.Locale;
import java.util.regex.Pattern;

/** Turns guessed package names into valid image tags and repository names, as Wave's {@code normalise0} does. */
public final class NameNormaliser {

    /** Wave's limit for a tag (the OCI limit is 128; Wave keeps room for {@code --<id>}). */
    public static final int TAG_MAX_LENGTH = 80;
    /** Wave's limit for a repository name. */
    public static final int NAME_MAX_LENGTH = 255;

    private static final Pattern TAG_DISALLOWED = Pattern.compile("[^A-Za-z0-9_.\\-]");
    private static final Pattern NAME_DISALLOWED = Pattern.compile("[^a-z0-9_./\\-]");
    private static final Pattern EDGE_NON_ALNUM = Pattern.compile("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$");

    private NameNormaliser() {}

    /** {@link #normaliseTag(String, int)} with Wave's limit of 80. */
    public static String normaliseTag(String value) {
        return normaliseTag(value, TAG_MAX_LENGTH);
    }

    /** A tag made of {@code [A-Za-z0-9_.-]}, at most {@code maxLength} long, or null if nothing is left. */
    public static String normaliseTag(String value, int maxLength) {
        return value == null ? null : normalise(TAG_DISALLOWED, value, maxLength);
    }

    /** {@link #normaliseName(String, int)} with Wave's limit of 255. */
    public static String normaliseName(String value) {
        return normaliseName(value, NAME_MAX_LENGTH);
    }

    /** A lower-case name made of {@code [a-z0-9_./-]}, at most {@code maxLength} long, or null if nothing is left. */
    public static String normaliseName(String value, int maxLength) {
        return value == null ? null : normalise(NAME_DISALLOWED, value.toLowerCase(Locale.ROOT), maxLength);
    }

    private static String normalise(Pattern disallowed, String value, int maxLength) {
        String result = disallowed.matcher(value).replaceAll("");
        if (result.length() > maxLength) {
            // prefer whole "_"-separated names: join them until the text first gets too long, then cut
            StringBuilder joined = new StringBuilder();
            for (String piece : result.split("_")) {
                if (piece.isEmpty()) {
                    continue;
                }
                if (!joined.isEmpty()) {
                    joined.append('_');
                }
                joined.append(piece);
                if (joined.length() > maxLength) {
                    break;
                }
            }
            result = joined.toString();
        }
        if (result.length() > maxLength) {
            result = result.substring(0, maxLength);
        }
        result = EDGE_NON_ALNUM.matcher(result).replaceAll("");
        return result.isEmpty() ? null : result;
    }
}
