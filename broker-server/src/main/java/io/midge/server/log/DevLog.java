package io.midge.server.log;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.Socket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The local syslog socket, {@code /dev/log}, that syslog(3) writes to: a Unix datagram socket,
 * which the JDK cannot open, so Netty's native transport does. Messages are sent without
 * blocking; one that the syslog daemon has no room for is dropped rather than stalling the broker.
 */
final class DevLog {

    /** Another socket than /dev/log, for tests and for systems that put it elsewhere. */
    private static final String PATH = System.getProperty("midge.syslog.socket", "/dev/log");

    private final Socket socket;

    private DevLog(Socket socket) {
        this.socket = socket;
    }

    /** The socket, or empty when there is no syslog daemon to reach (or no native transport). */
    static Optional<DevLog> connect() {
        if (!Epoll.isAvailable()) {
            return Optional.empty();
        }
        Socket socket = Socket.newSocketDomainDgram();
        try {
            socket.connect(new DomainSocketAddress(PATH));
            return Optional.of(new DevLog(socket));
        } catch (IOException e) {
            closeQuietly(socket);
            return Optional.empty();
        }
    }

    synchronized void send(byte[] datagram) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(datagram.length).put(datagram).flip();
        try {
            socket.send(buffer, 0, datagram.length);
        } catch (IOException e) {
            // syslog restarted or went away: nothing to do but lose the line, as syslog(3) would
        }
    }

    void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
