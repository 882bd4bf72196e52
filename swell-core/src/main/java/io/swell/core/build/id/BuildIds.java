package io.swell.core.build.id;

import io.swell.api.SwellException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Formats and parses Wave build ids: {@code bd-<containerId>_<n>}, and {@code <containerId>_0} for a dry run. */
public final class BuildIds {

    public static final String PREFIX = "bd-";

    /** The container id (hex in practice; Wave's store tests use plain digits) and an optional count. */
    private static final Pattern BUILD_ID = Pattern.compile("(?:bd-)?([A-Za-z0-9]+)(?:_([0-9]{1,18}))?");

    /**
     * A parsed build id.
     *
     * @param containerId the container id
     * @param count       the {@code _N} suffix, or null when the text had none
     */
    public record Parts(String containerId, Long count) {}

    private BuildIds() {}

    /** {@code bd-<containerId>_<count>}: count 1 is the first build of an id, 2 a rebuild after expiry, and so on. */
    public static String of(String containerId, long count) {
        return PREFIX + containerId + "_" + count;
    }

    /**
     * {@code bd-<containerId>_0}: the id a build request starts with before the store counts it, and the fixed id
     * of a multi-platform parent build.
     */
    public static String template(String containerId) {
        return of(containerId, 0);
    }

    /** {@code <containerId>_0}: what Wave answers for a dry run (deliberately without the {@code bd-} prefix). */
    public static String dryRun(String containerId) {
        return containerId + "_0";
    }

    /**
     * Splits a build id given with or without {@code bd-} and with or without {@code _N}.
     *
     * @throws SwellException (bad request) when the text is not a build id
     */
    public static Parts parse(String buildId) {
        Matcher m = buildId == null ? null : BUILD_ID.matcher(buildId);
        if (m == null || !m.matches()) {
            throw SwellException.badRequest("Invalid build id '" + buildId + "' - expected bd-<id>_<n>");
        }
        return new Parts(m.group(1), m.group(2) == null ? null : Long.parseLong(m.group(2)));
    }
}
