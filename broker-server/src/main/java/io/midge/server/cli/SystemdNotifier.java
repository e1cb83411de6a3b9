package io.midge.server.cli;

import com.sun.jna.NativeLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * systemd's {@code Type=notify} protocol ({@code sd_notify}): one datagram per state change to the
 * unix socket named by {@code $NOTIFY_SOCKET}, a path or, when it starts with {@code @}, an
 * abstract name. Without the variable it does nothing. Failing to notify never stops the broker:
 * it is logged once, as a warning.
 */
final class SystemdNotifier {

    private static final Logger log = LoggerFactory.getLogger("midge");
    /** sizeof(sockaddr_un.sun_path) on Linux. */
    private static final int MAX_PATH = 108;

    private final String socket;
    private boolean warned;

    private SystemdNotifier(String socket) {
        this.socket = socket;
    }

    static SystemdNotifier fromEnvironment() {
        String socket = System.getenv("NOTIFY_SOCKET");
        return new SystemdNotifier(socket == null || socket.isEmpty() ? null : socket);
    }

    /** Every listener accepts connections (also after a reload). */
    void ready() {
        send("READY=1");
    }

    /** A SIGHUP reload begins; systemd wants the CLOCK_MONOTONIC time with it, which System.nanoTime is on Linux. */
    void reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=" + TimeUnit.NANOSECONDS.toMicros(System.nanoTime()));
    }

    /** Shutdown begins. */
    void stopping() {
        send("STOPPING=1");
    }

    private void send(String state) {
        if (socket == null) {
            return;
        }
        try {
            String failure = sendDatagram(state.getBytes(StandardCharsets.UTF_8));
            if (failure != null) {
                warnOnce(failure);
            }
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            warnOnce(e.getMessage());
        }
    }

    /** @return null when sent, else why not */
    private String sendDatagram(byte[] message) {
        byte[] address = address();
        if (address == null) {
            return "the socket name is too long";
        }
        Libc libc = Libc.load();
        int fd = libc.socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return Libc.lastError();
        }
        try {
            long sent = libc.sendto(fd, message, new NativeLong(message.length), 0, address, address.length).longValue();
            return sent == message.length ? null : Libc.lastError();
        } finally {
            libc.close(fd);
        }
    }

    /**
     * A {@code struct sockaddr_un} of exactly the length the kernel should read: the family, then
     * the path with its terminating NUL, or, for an abstract name, a NUL and the name without one.
     */
    private byte[] address() {
        boolean isAbstract = socket.startsWith("@");
        byte[] name = (isAbstract ? socket.substring(1) : socket).getBytes(StandardCharsets.UTF_8);
        int pathLength = name.length + 1;
        if (pathLength > MAX_PATH) {
            return null;
        }
        ByteBuffer address = ByteBuffer.allocate(2 + pathLength).order(ByteOrder.nativeOrder());
        address.putShort((short) Libc.AF_UNIX);
        if (isAbstract) {
            address.put((byte) 0).put(name);
        } else {
            address.put(name).put((byte) 0);
        }
        return address.array();
    }

    private void warnOnce(String failure) {
        if (!warned) {
            warned = true;
            log.warn("Warning: Unable to notify systemd through NOTIFY_SOCKET {}: {}.", socket, failure);
        }
    }
}
