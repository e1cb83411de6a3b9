package io.midge.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A mosquitto command line client (mosquitto_pub / mosquitto_sub) run as a process, its output captured by line. */
public final class Cli implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final String command;
    private final Thread reader;

    private Cli(Process process, String command) {
        this.process = process;
        this.command = command;
        reader = new Thread(this::readLoop, "cli-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a mosquitto client tool against the broker on 127.0.0.1:port, forcing MQTT 3.1.1. The tool
     * runs under {@code stdbuf -oL} so its output (a pipe here) is line buffered and can be awaited.
     */
    public static Cli start(String tool, int port, String... args) {
        return launch("mqttv311", tool, port, args);
    }

    /** As {@link #start(String, int, String...)}, but speaking MQTT 5 ({@code -V 5}). */
    public static Cli startV5(String tool, int port, String... args) {
        return launch("5", tool, port, args);
    }

    private static Cli launch(String protocolVersion, String tool, int port, String... args) {
        List<String> cmd = new ArrayList<>(List.of("stdbuf", "-oL", tool, "-h", BrokerProcess.HOST, "-p", Integer.toString(port),
                "-V", protocolVersion));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            return new Cli(p, String.join(" ", cmd));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + tool + " (apt-get install mosquitto-clients)", e);
        }
    }

    private void readLoop() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // process gone
        }
    }

    public List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    /** Waits for an output line matching {@code match}; fails with the output so far otherwise. */
    public String awaitLine(Predicate<String> match, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int seen = 0;
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (match.test(lines.get(seen))) {
                        return lines.get(seen);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("no " + what + " from `" + command + "` within " + timeout + "; output: " + lines);
                }
                try {
                    lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** Waits (bounded) for the process to end and returns its exit code; fails if it does not end. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("`" + command + "` still running after " + timeout + "; output: " + lines());
            }
            reader.join(2000); // the rest of the output
            return process.exitValue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: the client gets no chance to send DISCONNECT. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String command() {
        return command;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
