package io.midge.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Linux /proc: a process's resident memory, threads, open files and CPU time, and which process listens on a TCP port. */
public final class ProcFs {

    private ProcFs() {}

    /** VmRSS of {@code pid} in KiB, or -1 when it cannot be read. */
    public static long vmRssKiB(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /** The threads of {@code pid}, or -1 when it cannot be read. */
    public static long threads(long pid) {
        return statusField(pid, "Threads:");
    }

    /** The file descriptors {@code pid} has open, or -1 when they cannot be listed. */
    public static long openFiles(long pid) {
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The number that starts a /proc/PID/status field, or -1 when it cannot be read. */
    private static long statusField(long pid, String field) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, no such process, or not ours to read
        }
        return -1;
    }

    /** User + system CPU time of {@code pid} in clock ticks (/proc/PID/stat), or -1 when it cannot be read. */
    static long cpuTicks(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may hold spaces; the fields after it are plain
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime: fields 14 and 15
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The process holding a listening TCP socket on {@code port} (IPv4 or IPv6), found through
     * the socket's inode in /proc/net/tcp* and /proc/PID/fd; -1 when none can be seen.
     */
    static long listeningPid(int port) {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                List<String> lines = Files.readAllLines(Path.of(table));
                for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                    if (f.length > 9 && "0A".equals(f[3])
                            && Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16) == port) {
                        inodes.add("socket:[" + f[9] + "]");
                    }
                }
            } catch (IOException | RuntimeException e) {
                // table missing (no IPv6) or unreadable
            }
        }
        if (inodes.isEmpty()) {
            return -1;
        }
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                long pid = Long.parseLong(proc.getFileName().toString());
                if (pid == self) {
                    continue;
                }
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        try {
                            if (inodes.contains(Files.readSymbolicLink(fd).toString())) {
                                return pid;
                            }
                        } catch (IOException e) {
                            // closed meanwhile
                        }
                    }
                } catch (IOException | SecurityException e) {
                    // exited, or another user's
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
