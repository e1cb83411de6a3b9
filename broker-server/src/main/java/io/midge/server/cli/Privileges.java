package io.midge.server.cli;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.midge.server.net.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code user} option, with mosquitto 2.0's rules and words (its {@code drop_privileges}):
 * only a broker running as root switches; {@code user root} stays root; the default account
 * {@code mosquitto}, when missing, falls back to {@code nobody}; any other missing account stops
 * the start. Groups, then group, then user, so that each step still has the right to make the next;
 * glibc applies setgid and setuid to every thread of the process.
 */
final class Privileges {

    private static final Logger log = LoggerFactory.getLogger("midge");
    private static final String DEFAULT_USER = "mosquitto";
    private static final String FALLBACK_USER = "nobody";

    private Privileges() {}

    /**
     * @param opened files the broker opened as root and reopens later (the log file on SIGHUP, the
     *               pid file it removes): they are given to {@code user} first, which mosquitto,
     *               switching before it opens anything, never needs
     * @throws StartupException (already logged as mosquitto does) when the switch cannot be made
     */
    static void dropTo(String user, List<Path> opened) throws StartupException {
        if (!runningAsRoot()) {
            return;
        }
        Libc libc = Libc.load();
        if (!user.equals("root")) {
            Account account = account(user);
            for (Path file : opened) {
                if (libc.chown(file.toString(), account.uid(), account.gid()) == -1) {
                    log.warn("Warning: Unable to give {} to user '{}': {}.", file, account.name(), Libc.lastError());
                }
            }
            if (libc.initgroups(account.name(), account.gid()) == -1) {
                throw failed("Error setting groups whilst dropping privileges: " + Libc.lastError() + ".");
            }
            if (libc.setgid(account.gid()) == -1) {
                throw failed("Error setting gid whilst dropping privileges: " + Libc.lastError() + ".");
            }
            if (libc.setuid(account.uid()) == -1) {
                throw failed("Error setting uid whilst dropping privileges: " + Libc.lastError() + ".");
            }
        }
        if (libc.geteuid() == 0 || libc.getegid() == 0) {
            log.warn("Warning: Midge should not be run as root/administrator.");
        }
    }

    /** Whether the process runs with root's rights; false where there is no such notion or no C library. */
    static boolean runningAsRoot() {
        // /proc first: loading JNA and libc through it costs tens of milliseconds of every start,
        // and only a broker that is root needs them.
        Integer euid = effectiveUidFromProc();
        if (euid != null) {
            return euid == 0;
        }
        try {
            return Libc.load().geteuid() == 0;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return false;
        }
    }

    /** The effective uid from /proc/self/status ("Uid: real effective saved fs"), or null without /proc. */
    private static Integer effectiveUidFromProc() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc not mounted
        }
        return null;
    }

    /** The account switched to: {@code user}, or {@code nobody} in its place. */
    private record Account(String name, int uid, int gid) {}

    private static Account account(String user) throws StartupException {
        Pointer passwd = Libc.load().getpwnam(user);
        String name = user;
        if (passwd == null) {
            if (!user.equals(DEFAULT_USER)) {
                throw failed("Error: Unable to drop privileges to '" + user + "' because this user does not exist.");
            }
            // mosquitto logs this at error level although it goes on.
            log.error("Warning: Unable to drop privileges to '{}' because this user does not exist. Trying '{}' instead.",
                    user, FALLBACK_USER);
            name = FALLBACK_USER;
            passwd = Libc.load().getpwnam(FALLBACK_USER);
            if (passwd == null) {
                throw failed("Error: Unable to drop privileges to '" + FALLBACK_USER + "'.");
            }
        }
        // struct passwd { char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid; ... }
        long uidOffset = 2L * Native.POINTER_SIZE;
        return new Account(name, passwd.getInt(uidOffset), passwd.getInt(uidOffset + 4));
    }

    private static StartupException failed(String message) {
        return new StartupException(message, ExitCodes.STARTUP_FAILED);
    }
}
