package io.swell.testing;

import java.util.List;

/** Thrown when a command-line tool exits non-zero or times out; carries the tool's stderr. */
public final class ToolFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final String stderr;

    /** Creates the exception for {@code command}; an {@code exitCode} of -1 means it timed out. */
    public ToolFailedException(List<String> command, int exitCode, String stderr) {
        super(String.join(" ", command) + " failed (exit " + exitCode + "):\n" + stderr.strip());
        this.exitCode = exitCode;
        this.stderr = stderr;
    }

    /** Returns the tool's exit code, or -1 when it was killed after its timeout. */
    public int exitCode() {
        return exitCode;
    }

    /** Returns everything the tool wrote to stderr. */
    public String stderr() {
        return stderr;
    }
}
