package io.midge.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The broker under test, started as a separate process on a free loopback port.
 *
 * <p>By default it runs Midge's shaded jar (system property {@code midge.jar}); with
 * {@code -Dit.broker=mosquitto} it runs the system's {@code mosquitto} instead, so the suite can be
 * checked against the reference broker. Each run gets its own directory (under system property
 * {@code it.workdir}, default {@code target/broker-runs}) holding the config file and the broker's
 * combined stdout/stderr log, which is kept after the test for diagnosis.
 */
public final class BrokerProcess implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(10);

    private final Process process;
    private final int port;
    private final Path dir;
    private final Path log;
    private Integer exitCode;

    private BrokerProcess(Process process, int port, Path dir, Path log) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.log = log;
    }

    /** True when the suite runs against Debian's mosquitto rather than Midge. */
    public static boolean isMosquitto() {
        return "mosquitto".equalsIgnoreCase(System.getProperty("it.broker", "midge").trim());
    }

    /** Starts a broker with {@code listener PORT 127.0.0.1}, {@code allow_anonymous true} and the given extra config lines. */
    public static BrokerProcess start(String... extraConfigLines) {
        try {
            int port = freePort();
            Path dir = runDir();
            List<String> conf = new ArrayList<>();
            conf.add("listener " + port + " " + HOST);
            conf.add("allow_anonymous true");
            conf.addAll(List.of(extraConfigLines));
            Path confFile = dir.resolve(isMosquitto() ? "mosquitto.conf" : "midge.conf");
            Files.write(confFile, conf, StandardCharsets.UTF_8);
            return launch(port, dir, List.of("-c", confFile.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a broker with no config file, only {@code -p PORT} on the command line (plus {@code extraArgs}). */
    public static BrokerProcess startWithPortOption(String... extraArgs) {
        try {
            int port = freePort();
            List<String> args = new ArrayList<>(List.of("-p", Integer.toString(port)));
            args.addAll(List.of(extraArgs));
            return launch(port, runDir(), args);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path runDir() throws IOException {
        String caller = callerClassName();
        Path base = Paths.get(System.getProperty("it.workdir", "target/broker-runs")).toAbsolutePath();
        Path dir = base.resolve(caller + "-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet());
        Files.createDirectories(dir);
        return dir;
    }

    private static BrokerProcess launch(int port, Path dir, List<String> args) throws IOException {
        Path log = dir.resolve("broker.log");
        List<String> cmd = new ArrayList<>();
        if (isMosquitto()) {
            cmd.add("mosquitto");
        } else {
            String jar = System.getProperty("midge.jar");
            if (jar == null || !Files.isRegularFile(Paths.get(jar))) {
                throw new IllegalStateException("midge.jar not found at " + jar
                        + " (build broker-server first, or run with -Dit.broker=mosquitto)");
            }
            cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
            // the JVM options the ./midge launcher uses, unless -Dmidge.jvmArgs says otherwise
            String jvmArgs = System.getProperty("midge.jvmArgs", "-XX:+UseSerialGC -Xss512k -XX:+ExitOnOutOfMemoryError");
            for (String a : jvmArgs.trim().split("\\s+")) {
                if (!a.isEmpty()) {
                    cmd.add(a);
                }
            }
            cmd.add("-jar");
            cmd.add(jar);
        }
        cmd.addAll(args);
        Files.writeString(dir.resolve("command.txt"), String.join(" ", cmd) + "\n", StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        BrokerProcess broker = new BrokerProcess(pb.start(), port, dir, log);
        broker.awaitListening();
        return broker;
    }

    private static String callerClassName() {
        return StackWalker.getInstance().walk(frames -> frames
                .map(StackWalker.StackFrame::getClassName)
                .filter(n -> !n.startsWith(BrokerProcess.class.getName()))
                .findFirst()
                .map(n -> n.substring(n.lastIndexOf('.') + 1))
                .orElse("broker"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("broker exited with " + process.exitValue()
                        + " before listening on " + port + "; log " + log + ":\n" + logText());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 200);
                return;
            } catch (IOException notYet) {
                sleepQuietly(50);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("broker did not listen on " + port + " within " + STARTUP_LIMIT
                + "; log " + log + ":\n" + logText());
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    public Path logFile() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the broker wrote to stdout/stderr so far. */
    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            // A partially written multi-byte sequence: fall back to a lenient decode.
            try {
                return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            } catch (IOException e2) {
                throw new UncheckedIOException(e2);
            }
        }
    }

    /** Waits until the broker log contains {@code fragment}; fails with the log tail otherwise. */
    public void awaitLog(String fragment, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (logText().contains(fragment)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("broker log has no \"" + fragment + "\" after " + timeout
                        + "; log tail:\n" + tail(40));
            }
            sleepQuietly(25);
        }
    }

    /** The last {@code lines} lines of the log, for failure messages. */
    public String tail(int lines) {
        String[] all = logText().split("\n");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", java.util.Arrays.asList(all).subList(from, all.length));
    }

    /** The exit code after {@link #close()}, or null if it had to be killed or has not stopped. */
    public Integer exitCode() {
        return exitCode;
    }

    /** SIGTERM, then waits (bounded) for the process to exit; kills it if it does not. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            exitCode = process.exitValue();
            return;
        }
        process.destroy();
        try {
            if (process.waitFor(10, TimeUnit.SECONDS)) {
                exitCode = process.exitValue();
            } else {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
