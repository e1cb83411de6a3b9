package io.midge.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

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
}
