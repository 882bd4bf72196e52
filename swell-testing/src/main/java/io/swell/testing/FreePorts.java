package io.swell.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks TCP ports on 127.0.0.1 that are free at the moment of asking. */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * Returns a port that nothing listened on a moment ago.
     *
     * <p>Another process may still take it before the caller binds, so callers that start a
     * server on it should check the listener is theirs and retry on "address already in use".
     */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, loopback())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }

    /** Returns 127.0.0.1 itself rather than whatever "localhost" resolves to (maybe ::1). */
    public static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
