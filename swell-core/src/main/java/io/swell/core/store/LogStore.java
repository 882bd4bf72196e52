package io.swell.core.store;

import java.io.InputStream;
import java.util.Optional;

/** Build logs by build id: appended while the build runs, read while it runs and after. */
public interface LogStore {

    /** Appends one line to the log of a build. */
    void append(String buildId, String line);

    /** The log so far, or empty when there is none. */
    Optional<InputStream> open(String buildId);

    /** The last {@code maxChars} characters of the log (for error messages). */
    String tail(String buildId, int maxChars);
}
