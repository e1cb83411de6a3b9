package io.midge.server.net;

import io.midge.server.config.ListenerConfig;
import io.midge.server.config.ListenerProtocol;
import io.midge.server.config.SocketDomain;

import io.midge.server.cli.ExitCodes;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The sockets of a listener, as mosquitto 2.0 opens them: for MQTT one per address that
 * getaddrinfo gives for the bind address (so 0.0.0.0 and :: without one), filtered by
 * socket_domain; for websockets a single socket, as libwebsockets opens; in local only mode
 * 127.0.0.1 and ::1.
 */
final class ListenSockets {

    private static final String IPV4_ANY = "0.0.0.0";
    private static final String IPV6_ANY = "::";

    private ListenSockets() {}

    /**
     * @param separateFamilies whether an IPv6 socket can be kept off IPv4 (IPV6_V6ONLY); without
     *     that, IPv4 and IPv6 share one dual-stack socket, since two wildcard sockets would collide
     * @throws StartupException the bind address does not resolve (to an address of socket_domain)
     */
    static List<ListenSocket> of(ListenerConfig listener, boolean separateFamilies) throws StartupException {
        boolean websockets = listener.protocol() == ListenerProtocol.WEBSOCKETS;
        List<InetAddress> addresses = addresses(listener, separateFamilies && !websockets);
        if (websockets) {
            addresses = addresses.subList(0, 1);
        }
        List<ListenSocket> sockets = new ArrayList<>();
        for (InetAddress address : addresses) {
            boolean ipv6 = address instanceof Inet6Address;
            boolean servesBothFamilies = address.isAnyLocalAddress() && addresses.size() == 1
                    && listener.socketDomain() == null;
            boolean ipv6Only = ipv6 && !servesBothFamilies;
            String kind = websockets ? "websockets" : ipv6 ? "ipv6" : "ipv4";
            sockets.add(new ListenSocket(new InetSocketAddress(address, listener.port()), ipv6Only, kind));
        }
        return sockets;
    }

    private static List<InetAddress> addresses(ListenerConfig listener, boolean separateFamilies) throws StartupException {
        if (listener.localOnly()) {
            return List.of(literal("127.0.0.1"), literal("::1"));
        }
        SocketDomain domain = listener.socketDomain();
        if (listener.bindAddress() == null) {
            if (domain == SocketDomain.IPV4) {
                return List.of(literal(IPV4_ANY));
            }
            if (domain == SocketDomain.IPV6 || !separateFamilies) {
                return List.of(literal(IPV6_ANY));
            }
            return List.of(literal(IPV4_ANY), literal(IPV6_ANY));
        }
        return resolve(listener, domain);
    }

    private static List<InetAddress> resolve(ListenerConfig listener, SocketDomain domain) throws StartupException {
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(listener.bindAddress());
        } catch (UnknownHostException e) {
            throw creationError("Name or service not known", listener);
        }
        Set<InetAddress> matching = new LinkedHashSet<>();
        for (InetAddress address : all) {
            if (domain == null || (domain == SocketDomain.IPV4) == (address instanceof Inet4Address)) {
                matching.add(address);
            }
        }
        if (matching.isEmpty()) {
            throw creationError("Address family for hostname not supported", listener);
        }
        return List.copyOf(matching);
    }

    /** mosquitto's "Error creating listener: <gai_strerror>.", and which listener it is. */
    private static StartupException creationError(String reason, ListenerConfig listener) {
        return new StartupException("Error creating listener: " + reason + " (port " + listener.port() + " on "
                + listener.bindAddress() + ").", ExitCodes.STARTUP_FAILED);
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("not an address literal: " + address, e);
        }
    }
}
