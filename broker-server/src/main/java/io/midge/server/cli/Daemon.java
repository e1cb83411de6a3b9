package io.midge.server.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code -d}: mosquitto forks and its child carries on in the background. A JVM cannot fork, so
 * the broker starts a copy of itself (same java, same JVM options, same class path) in a new
 * session ({@code setsid}, so the terminal's Ctrl-C and hang-up do not reach it) and relays that
 * copy's output until it is listening. The copy then writes a NUL byte on stdout and stderr and
 * stops writing to them; the first process exits 0 on seeing both NULs, or with the copy's exit
 * code and messages if it fails to start. mosquitto exits 0 before it has even read its listeners,
 * so a script that starts Midge with -d knows more: when it returns 0, every port is open.
 */
final class Daemon {

    /** Set on the background copy's command line; not meant to be given by hand. */
    private static final String CHILD_PROPERTY = "midge.daemon.child";
    private static final int READY = 0;
    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

    private Daemon() {}

    /** Whether this process is the background copy that -d started. */
    static boolean isChild() {
        return Boolean.getBoolean(CHILD_PROPERTY);
    }

    /**
     * Starts the background copy with {@code args} (the command line without -d) and waits until it
     * is listening or has failed.
     *
     * @return the exit code for this process
     */
    static int startInBackground(List<String> args) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(command(args))
                .redirectInput(new File("/dev/null"))
                .start();
        AtomicBoolean outReady = new AtomicBoolean();
        AtomicBoolean errReady = new AtomicBoolean();
        Thread out = relay(child.getInputStream(), System.out, outReady);
        Thread err = relay(child.getErrorStream(), System.err, errReady);
        out.join();
        err.join();
        if (outReady.get() && errReady.get()) {
            return ExitCodes.OK;
        }
        return child.waitFor();
    }

    /** Called by the background copy once every listener is open: let the first process go. */
    static void detachIfChild() {
        if (!isChild()) {
            return;
        }
        System.out.write(READY);
        System.out.flush();
        System.err.write(READY);
        System.err.flush();
        // mosquitto points stdout and stderr at /dev/null here; a JVM cannot reopen its own fds,
        // so only Java's streams (and with them the console log destinations) are redirected.
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(nowhere);
        System.setErr(nowhere);
    }

    private static List<String> command(List<String> args) {
        List<String> command = new ArrayList<>();
        SETSID.stream().filter(Files::isExecutable).findFirst().ifPresent(setsid -> command.add(setsid.toString()));
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-D" + CHILD_PROPERTY + "=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MidgeCommand.class.getName());
        command.addAll(args);
        return command;
    }

    /** Copies {@code from} to {@code to} until the READY byte (noting it) or the end of the stream. */
    private static Thread relay(InputStream from, PrintStream to, AtomicBoolean ready) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[4096];
            try {
                int n;
                while ((n = from.read(buffer)) > 0) {
                    int end = indexOf(buffer, n, (byte) READY);
                    to.write(buffer, 0, end < 0 ? n : end);
                    to.flush();
                    if (end >= 0) {
                        ready.set(true);
                        return;
                    }
                }
            } catch (IOException e) {
                // the copy went away; its exit code tells the rest
            }
        }, "daemon-relay");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static int indexOf(byte[] bytes, int length, byte wanted) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
