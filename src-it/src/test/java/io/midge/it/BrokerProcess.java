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
    private final List<String> command;
    private final List<Integer> ports;
    private Integer exitCode;

    private BrokerProcess(Process process, int port, Path dir, Path log, List<String> command, List<Integer> ports) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.log = log;
        this.command = command;
        this.ports = ports;
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
            return launch(isMosquitto(), List.of(port), dir, List.of("-c", confFile.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the broker under test with exactly {@code configLines} as its config file (no default
     * listener, no {@code allow_anonymous}) and waits until every port of {@code awaitPorts} accepts
     * TCP connections; {@link #port()} is the first of them. Get the ports from {@link #freePorts(int)}.
     */
    public static BrokerProcess startConfig(List<String> configLines, int... awaitPorts) {
        return startConfig(isMosquitto(), configLines, awaitPorts);
    }

    /** Like {@link #startConfig(List, int...)}, but always Debian's mosquitto, whatever {@code it.broker} says. */
    public static BrokerProcess startMosquittoConfig(List<String> configLines, int... awaitPorts) {
        return startConfig(true, configLines, awaitPorts);
    }

    private static BrokerProcess startConfig(boolean mosquitto, List<String> configLines, int... awaitPorts) {
        if (awaitPorts.length == 0) {
            throw new IllegalArgumentException("no port to wait for");
        }
        try {
            Path dir = runDir();
            Path confFile = dir.resolve(mosquitto ? "mosquitto.conf" : "midge.conf");
            Files.write(confFile, configLines, StandardCharsets.UTF_8);
            List<Integer> ports = new ArrayList<>();
            for (int p : awaitPorts) {
                ports.add(p);
            }
            return launch(mosquitto, ports, dir, List.of("-c", confFile.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How a broker run that was expected to stop by itself ended. */
    public record Exit(int code, String log, Path dir) {}

    /**
     * Runs the broker under test with {@code configLines} and waits (bounded) for it to exit by
     * itself, as it should on a fatal configuration error. Fails if it is still running after
     * {@code limit} (it is then killed).
     */
    public static Exit runUntilExit(List<String> configLines, Duration limit) {
        try {
            Path dir = runDir();
            Path confFile = dir.resolve(isMosquitto() ? "mosquitto.conf" : "midge.conf");
            Files.write(confFile, configLines, StandardCharsets.UTF_8);
            Path log = dir.resolve("broker.log");
            List<String> cmd = command(isMosquitto(), List.of("-c", confFile.toString()));
            Files.writeString(dir.resolve("command.txt"), String.join(" ", cmd) + "\n", StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            try {
                if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                    throw new AssertionError("broker still running after " + limit + "; log:\n"
                            + Files.readString(log, StandardCharsets.UTF_8));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new IllegalStateException(e);
            }
            return new Exit(p.exitValue(), new String(Files.readAllBytes(log), StandardCharsets.UTF_8), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code n} distinct free loopback ports (all held open at once while choosing). */
    public static int[] freePorts(int n) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                s.setReuseAddress(true);
                held.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    /** Starts a broker with no config file, only {@code -p PORT} on the command line (plus {@code extraArgs}). */
    public static BrokerProcess startWithPortOption(String... extraArgs) {
        try {
            int port = freePort();
            List<String> args = new ArrayList<>(List.of("-p", Integer.toString(port)));
            args.addAll(List.of(extraArgs));
            return launch(isMosquitto(), List.of(port), runDir(), args);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Set while a JUnit extension starts a broker for a test class the call stack does not show. */
    static final ThreadLocal<String> RUN_NAME = new ThreadLocal<>();

    /** A fresh directory for one broker run, named after the test class. */
    static Path runDir() throws IOException {
        String caller = RUN_NAME.get() != null ? RUN_NAME.get() : callerClassName();
        Path base = Paths.get(System.getProperty("it.workdir", "target/broker-runs")).toAbsolutePath();
        Path dir = base.resolve(caller + "-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet());
        Files.createDirectories(dir);
        return dir;
    }

    private static List<String> command(boolean mosquitto, List<String> args) {
        return command(mosquitto, List.of(), List.of(), args);
    }

    /** The command that starts the broker under test (Midge's jar or mosquitto) with {@code args}. */
    public static List<String> commandLine(List<String> args) {
        return command(isMosquitto(), List.of(), List.of(), args);
    }

    /**
     * The command line of a broker run: {@code wrapper} (such as {@code unshare -n}) first, then
     * the broker; {@code midgeJvmOptions} are added to Midge's JVM options (mosquitto has none).
     */
    static List<String> command(boolean mosquitto, List<String> wrapper, List<String> midgeJvmOptions, List<String> args) {
        List<String> cmd = new ArrayList<>(wrapper);
        if (mosquitto) {
            cmd.add("mosquitto");
        } else {
            String jar = System.getProperty("midge.jar");
            if (jar == null || !Files.isRegularFile(Paths.get(jar))) {
                throw new IllegalStateException("midge.jar not found at " + jar
                        + " (build broker-server first, or run with -Dit.broker=mosquitto)");
            }
            cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
            String jvmArgs = System.getProperty("midge.jvmArgs", LauncherOptions.DEFAULT)
                    + " " + LauncherOptions.archive(Paths.get(jar));
            for (String a : jvmArgs.trim().split("\\s+")) {
                if (!a.isEmpty()) {
                    cmd.add(a);
                }
            }
            cmd.addAll(midgeJvmOptions);
            cmd.add("-jar");
            cmd.add(jar);
        }
        cmd.addAll(args);
        return cmd;
    }

    private static BrokerProcess launch(boolean mosquitto, List<Integer> ports, Path dir, List<String> args)
            throws IOException {
        return launch(command(mosquitto, args), ports, dir);
    }

    /** Starts {@code cmd} in {@code dir}, its stdout and stderr in the run's log, and waits until every port of {@code ports} listens. */
    static BrokerProcess launch(List<String> cmd, List<Integer> ports, Path dir) throws IOException {
        return launch(cmd, java.util.Map.of(), ports, dir);
    }

    /** As {@link #launch(List, List, Path)}, with {@code env} added to the broker's environment. */
    static BrokerProcess launch(List<String> cmd, java.util.Map<String, String> env, List<Integer> ports, Path dir)
            throws IOException {
        Path log = dir.resolve("broker.log");
        Files.writeString(dir.resolve("command.txt"), String.join(" ", cmd) + "\n", StandardCharsets.UTF_8);
        BrokerUser.own(dir);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        // Appended, so that a restarted broker's log follows its predecessor's.
        ProcessBuilder appending = pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        BrokerProcess broker = new BrokerProcess(appending.start(), ports.isEmpty() ? 0 : ports.get(0), dir, log, cmd, ports);
        for (int port : ports) {
            broker.awaitListening(port);
        }
        return broker;
    }

    private static String callerClassName() {
        return StackWalker.getInstance().walk(frames -> frames
                .map(StackWalker.StackFrame::getClassName)
                .filter(n -> !n.startsWith(BrokerProcess.class.getName()) && !n.startsWith(SharedBroker.class.getName())
                        && !n.startsWith(BrokerLaunch.class.getName())
                        && !n.startsWith(BridgedPair.class.getName()))
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

    void awaitListening(int port) {
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

    /** The broker's process id. */
    public long pid() {
        return process.pid();
    }

    /**
     * Sends a signal with {@code kill -NAME PID}, e.g. {@code signal("HUP")} to make the broker
     * re-read its password and ACL files.
     */
    public void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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

    /**
     * Waits until the part of the broker log after the first {@code from} characters (e.g. the
     * log's length before a signal) has a line containing every one of {@code fragments}; returns
     * that line. Fails with the log tail otherwise.
     */
    public String awaitLogLineAfter(int from, Duration timeout, String... fragments) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String text = logText();
            String after = text.length() > from ? text.substring(from) : "";
            for (String line : after.split("\n")) {
                boolean all = true;
                for (String f : fragments) {
                    all &= line.contains(f);
                }
                if (all) {
                    return line;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("broker log has no new line with " + java.util.Arrays.toString(fragments)
                        + " after " + timeout + "; log tail:\n" + tail(40));
            }
            sleepQuietly(25);
        }
    }

    /** The length of the log so far: a mark for {@link #logLinesAfter(int)} and {@link #awaitLogLineAfter}. */
    public int logLength() {
        return logText().length();
    }

    /**
     * The log's whole lines after the first {@code from} characters, each without the
     * {@code "TIMESTAMP: "} prefix both brokers write by default, so they can be compared to
     * mosquitto's exact text. A last line still being written is left out.
     */
    public List<String> logLinesAfter(int from) {
        String text = logText();
        String after = text.length() > from ? text.substring(from) : "";
        int end = after.lastIndexOf('\n');
        List<String> lines = new ArrayList<>();
        if (end < 0) {
            return lines;
        }
        for (String line : after.substring(0, end).split("\n", -1)) {
            lines.add(line.replaceFirst("^\\d+: ", ""));
        }
        return lines;
    }

    /**
     * Waits until a log line after the first {@code from} characters is exactly {@code line}
     * (timestamp prefix removed); fails with the log tail otherwise.
     */
    public void awaitExactLogLine(int from, String line, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!logLinesAfter(from).contains(line)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("broker log has no line \"" + line + "\" after " + timeout
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

    /** Waits (bounded) for the broker to stop by itself and returns its exit code; fails if it does not. */
    public int awaitExit(Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("broker still running after " + limit + "; log tail:\n" + tail(40));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        exitCode = process.exitValue();
        return exitCode;
    }

    /** The exit code after {@link #close()}, or null if it had to be killed or has not stopped. */
    public Integer exitCode() {
        return exitCode;
    }

    /** SIGKILL, as a crash or power loss would stop it, and waits for the process to be gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("broker survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts the same broker again (same command, directory and ports) once this one has
     * stopped, and waits until it listens.
     */
    public BrokerProcess restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("stop or kill the broker before restarting it");
        }
        try {
            return launch(command, ports, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
