package io.midge.server.cli;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few C library calls the JDK does not offer: switching user (the {@code user} option) and
 * sending a datagram to a unix socket ({@code sd_notify}). Loaded on first use, so a broker that
 * needs neither never loads native code for them.
 */
interface Libc extends Library {

    int AF_UNIX = 1;
    int SOCK_DGRAM = 2;
    int SOCK_CLOEXEC = 0x80000;

    int geteuid();

    int getegid();

    /** A {@code struct passwd *}, or null when there is no such user. */
    Pointer getpwnam(String name);

    int initgroups(String user, int gid);

    int chown(String path, int uid, int gid);

    int setgid(int gid);

    int setuid(int uid);

    int socket(int domain, int type, int protocol);

    NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int addressLength);

    int close(int fd);

    String strerror(int errno);

    static Libc load() {
        return Holder.LIBC;
    }

    /** The text of the errno the last call on this thread left. */
    static String lastError() {
        return load().strerror(Native.getLastError());
    }

    /**
     * Lazily loaded: the class initialises on the first {@link #load()}. By its file name
     * (libc.so.6 on Linux): JNA finds "c" only by running {@code ldconfig -p}, a process spawned
     * during every start as root.
     */
    final class Holder {
        private static final Libc LIBC = Native.load(Platform.C_LIBRARY_NAME, Libc.class);

        private Holder() {}
    }
}
