package io.swell.core.sif;

import java.util.List;
import java.util.stream.Collectors;

/** Words for the sh scripts of Singularity images (runscripts, environment), single-quoted so nothing expands. */
public final class ShellWords {
    private ShellWords() {}

    /** One single-quoted sh word: {@code it's} becomes {@code 'it'\''s'}. */
    public static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** The words, each quoted, separated by spaces; empty for no words. */
    public static String join(List<String> words) {
        return words.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
    }
}
