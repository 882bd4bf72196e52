package io.swell.registry;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Tells addresses a public service must not be made to call (SSRF): loopback, private (site-local), link-local,
 * any-local, multicast, IPv6 unique-local ({@code fc00::/7}), {@code 0.0.0.0/8} (Linux connects it to the local
 * host) and carrier-grade NAT ({@code 100.64.0.0/10}).
 */
public final class PrivateAddresses {

    private PrivateAddresses() {}

    /** True when {@code address} is not a public unicast address. */
    public static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128);
        }
        return address instanceof Inet6Address && (b[0] & 0xfe) == 0xfc;
    }
}
