package io.midge.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Plain TCP probes, for which addresses and ports a broker listens on. */
final class Tcp {

    private Tcp() {}

    /** Whether a TCP connection to {@code host:port} is accepted within a second. */
    static boolean accepts(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(host), port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** Whether this host can listen on {@code address} at all (::1 is missing where IPv6 is off). */
    static boolean canListenOn(String address) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The addresses of this host's interfaces that are up, other than loopback and link-local ones. */
    static List<InetAddress> nonLoopbackAddresses() {
        List<InetAddress> addresses = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && !nic.isLoopback()) {
                    for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                        if (!address.isLinkLocalAddress()) {
                            addresses.add(address);
                        }
                    }
                }
            }
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        return addresses;
    }
}
