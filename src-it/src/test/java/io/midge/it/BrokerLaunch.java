package io.midge.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A broker run put together step by step, for tests of start-up and of the command line: any
 * arguments, a config file, a wrapper command, JVM options for Midge; started without waiting
 * for a port, or run to its end with stdout and stderr kept apart. Like {@link BrokerProcess},
 * it runs Midge or, with {@code -Dit.broker=mosquitto}, mosquitto.
 */
final class BrokerLaunch {

    /** How a run that ended by itself went. */
    record Run(int code, String stdout, String stderr) {

        List<String> stderrLines() {
            return stderr.isEmpty() ? List.of() : List.of(stderr.split("\n"));
        }
    }

    private final Path dir;
    private final List<String> args = new ArrayList<>();
    private final List<String> wrapper = new ArrayList<>();
    private final List<String> midgeJvmOptions = new ArrayList<>();
    private final java.util.Map<String, String> env = new java.util.HashMap<>();
    private Path configFile;

    private BrokerLaunch(Path dir) {
        this.dir = dir;
    }

    static BrokerLaunch create() {
        try {
            return new BrokerLaunch(BrokerProcess.runDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the config file into the run's directory and passes it with {@code -c}. */
    BrokerLaunch config(List<String> lines) {
        configFile = dir.resolve(BrokerProcess.isMosquitto() ? "mosquitto.conf" : "midge.conf");
        try {
            Files.write(configFile, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return args("-c", configFile.toString());
    }

    BrokerLaunch args(String... more) {
        args.addAll(Arrays.asList(more));
        return this;
    }

    /** Runs the broker inside {@code command}, e.g. {@code unshare -n}. */
    BrokerLaunch wrappedIn(String... command) {
        wrapper.addAll(Arrays.asList(command));
        return this;
    }

    /** A JVM option for Midge, such as a system property; a mosquitto run ignores it. */
    BrokerLaunch midgeJvmOption(String option) {
        midgeJvmOptions.add(option);
        return this;
    }

    /** An environment variable for the broker, such as {@code NOTIFY_SOCKET}. */
    BrokerLaunch env(String name, String value) {
        env.put(name, value);
        return this;
    }

    Path dir() {
        return dir;
    }

    Path configFile() {
        return configFile;
    }

    /**
     * A directory of the run that anyone may write to, for log and pid files: mosquitto writes
     * them as user mosquitto, after dropping root's privileges.
     */
    Path writableDir(String name) {
        try {
            Path writable = Files.createDirectories(dir.resolve(name));
            Files.setPosixFilePermissions(writable, PosixFilePermissions.fromString("rwxrwxrwx"));
            return writable;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the broker and returns at once; its stdout and stderr go to the run's log. */
    BrokerProcess start() {
        return startAndAwait();
    }

    /** Starts the broker and waits until every port of {@code ports} accepts TCP connections. */
    BrokerProcess startAndAwait(int... ports) {
        try {
            return BrokerProcess.launch(command(), env, Arrays.stream(ports).boxed().toList(), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the broker until it exits by itself; fails if it is still running after {@code limit} (it is then killed). */
    Run run(Duration limit) {
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        try {
            List<String> cmd = command();
            Files.writeString(dir.resolve("command.txt"), String.join(" ", cmd) + "\n", StandardCharsets.UTF_8);
            BrokerUser.own(dir);
            ProcessBuilder builder = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            builder.environment().putAll(env);
            Process p = builder.start();
            p.getOutputStream().close();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("broker still running after " + limit + "; stderr:\n" + Files.readString(stderr));
            }
            return new Run(p.exitValue(), Files.readString(stdout), Files.readString(stderr));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<String> command() {
        return BrokerProcess.command(BrokerProcess.isMosquitto(), wrapper, midgeJvmOptions, args);
    }
}
