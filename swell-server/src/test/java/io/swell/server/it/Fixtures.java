package io.swell.server.it;

/** Small shared steps of the end-to-end tests' set-up and tear-down. */
final class Fixtures {
    private Fixtures() {}

    /** Closes every fixture in order, skipping nulls and carrying on past failures (the temp dirs go anyway). */
    static void closeAll(AutoCloseable... fixtures) {
        for (AutoCloseable c : fixtures) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("closing " + c + " failed: " + e);
            }
        }
    }
}
