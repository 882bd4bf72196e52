package io.swell.core.build;

/** Receives a build's output, line by line, as it happens (so logs can be followed while the build runs). */
@FunctionalInterface
public interface BuildLog {

    void line(String text);
}
