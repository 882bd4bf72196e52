package io.swell.core.mirror;

/** Where a copy reports its progress, one human-readable line per blob or manifest. */
@FunctionalInterface
public interface CopyLog {
    /** Drops every line. */
    CopyLog NONE = line -> { };

    /** Takes one line; {@link ImageCopier} calls it from one thread at a time. */
    void line(String text);
}
