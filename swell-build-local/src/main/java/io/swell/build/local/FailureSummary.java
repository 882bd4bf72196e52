package io.swell.build.local;

import java.util.Locale;

/** Watches a command's output and picks the one line that best says why it failed, for {@code BuildOutcome.reason}. */
final class FailureSummary {

    static final int MAX_LENGTH = 300;
    static final String EXEC_FORMAT_HINT = " (exec format error: this host cannot run binaries of the target platform;"
            + " register qemu-user-static with binfmt_misc)";

    private volatile String lastError;
    private volatile String lastMention;
    private volatile boolean execFormatError;
    /** Lines still to append to {@link #lastError}: buildah prints the registry's errors after "errors:". */
    private volatile int continuation;

    /** Looks at one line of output. */
    void offer(String line) {
        String text = line.strip();
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("exec format error")) {
            // An image of a foreign platform without an emulator; buildah's final line only says "exit status 1".
            execFormatError = true;
        }
        if (continuation > 0 && !text.isEmpty()) {
            lastError = lastError + " " + text;
            continuation--;
            return;
        }
        if (text.startsWith("Error:")) {
            // buildah's own verdict, e.g. Error: building at STEP "RUN exit 3": exit status 3
            lastError = text;
            continuation = text.endsWith("errors:") ? 2 : 0;
        } else if (lower.contains("error") || lower.contains("exit status")) {
            lastMention = text;
        }
    }

    /** Returns the summary line, or {@code null} when no line looked like an error. */
    String summary() {
        String line = lastError != null ? lastError : lastMention;
        if (line == null) {
            return null;
        }
        if (execFormatError) {
            line += EXEC_FORMAT_HINT;
        }
        return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH - 3) + "...";
    }
}
