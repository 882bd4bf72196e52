package io.swell.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class PrivateAddressesTest {

    @Test
    void localAndPrivateRangesArePrivate() throws UnknownHostException {
        for (String ip : new String[] {"127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.5.4", "192.168.1.1",
                "169.254.169.254", "0.0.0.0", "0.1.2.3", "100.64.0.1", "100.127.255.254", "224.0.0.1", "::1", "::",
                "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1"}) {
            assertThat(PrivateAddresses.isPrivate(InetAddress.getByName(ip))).as(ip).isTrue();
        }
    }

    @Test
    void publicAddressesAreNot() throws UnknownHostException {
        for (String ip : new String[] {"8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.32.0.1",
                "2001:4860:4860::8888", "2a00:1450::1"}) {
            assertThat(PrivateAddresses.isPrivate(InetAddress.getByName(ip))).as(ip).isFalse();
        }
    }
}
