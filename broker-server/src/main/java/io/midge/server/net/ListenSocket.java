package io.midge.server.net;

import io.netty.util.NetUtil;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * One socket a listener listens on; mosquitto opens one per address family of the listener.
 *
 * @param address where to bind
 * @param ipv6Only whether an IPv6 wildcard socket leaves IPv4 to a socket of its own
 * @param kind how mosquitto names the socket in "Opening ... listen socket": ipv4, ipv6 or websockets
 */
record ListenSocket(InetSocketAddress address, boolean ipv6Only, String kind) {

    boolean isIpv6() {
        return address.getAddress() instanceof Inet6Address;
    }

    /** {@code port 1883 on 0.0.0.0}, to say which socket an error is about. */
    String describe() {
        return "port " + address.getPort() + " on " + NetUtil.toAddressString(address.getAddress());
    }
}
