package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The broker's own command line, as scripts see it: exit codes, what goes to stdout and to
 * stderr (the usage, or one line of error, and nothing else), and {@code -d}.
 */
class CommandLineTest {

    static final Duration LIMIT = Duration.ofSeconds(30);
    static final String TIMESTAMP = "\\d+: ";

    @Test
    void helpIsTheUsageOnStdoutAndExit3() {
        BrokerLaunch.Run run = BrokerLaunch.create().args("-h").run(LIMIT);

        assertEquals(3, run.code());
        assertEquals("", run.stderr());
        assertTrue(run.stdout().startsWith(Reference.expect("midge", "mosquitto") + " version "), run.stdout());
        assertTrue(run.stdout().contains("Usage: "), run.stdout());
    }

    @Test
    void anUnknownOptionIsOneLineOnStderrThenTheUsage() {
        BrokerLaunch.Run run = BrokerLaunch.create().args("--bogus").run(LIMIT);

        assertEquals(3, run.code());
        assertEquals(List.of("Error: Unknown option '--bogus'."), run.stderrLines());
        assertTrue(run.stdout().contains("Usage: "), run.stdout());
    }

    @ParameterizedTest
    @CsvSource({
        "-p, 'Error: -p argument given, but no port specified.'",
        "-c, 'Error: -c argument given, but no config file specified.'"})
    void aMissingValueIsOneLineOnStderr(String option, String error) {
        assertOneErrorLine(BrokerLaunch.create().args(option).run(LIMIT), error);
    }

    @ParameterizedTest
    @CsvSource({"99999, 99999", "0, 0", "abc, 0"})
    void anInvalidPortIsOneLineOnStderrNotAStackTrace(String port, String read) {
        assertOneErrorLine(BrokerLaunch.create().args("-p", port).run(LIMIT), "Error: Invalid port specified (" + read + ").");
    }

    @Test
    void anUnreadableConfigFileIsOneLineOnStderr() {
        BrokerLaunch.Run run = BrokerLaunch.create().args("-c", "/nonexistent/midge.conf").run(LIMIT);

        assertEquals(3, run.code());
        assertEquals("", run.stdout());
        assertEquals(1, run.stderrLines().size(), run.stderr());
        assertTrue(run.stderr().matches(TIMESTAMP + "Error: Unable to open config file /nonexistent/midge.conf[ .].*\n"),
                run.stderr());
    }

    @Test
    void aBadConfigLineNamesFileAndLineAndExits3() {
        BrokerLaunch launch = BrokerLaunch.create().config(List.of("allow_anonymous true", "bogus_option 1"));
        BrokerLaunch.Run run = launch.run(LIMIT);

        assertEquals(3, run.code());
        assertEquals("", run.stdout());
        assertTrue(run.stderr().contains("Unknown configuration variable \"bogus_option\"."), run.stderr());
        assertTrue(run.stderr().contains(launch.configFile() + ":2"), run.stderr());
        // mosquitto names the file and line on a second line, "Error found at FILE:LINE."
        assertEquals(Reference.expect(1, 2), run.stderrLines().size(), run.stderr());
    }

    @ParameterizedTest
    @CsvSource({"password_file /nonexistent/passwd, 13", "acl_file /nonexistent/acl, 13", "acl_file ACL, 3"})
    void securityFilesThatCannotBeUsedGiveMosquittosExitCode(String line, int code) throws IOException {
        int port = BrokerProcess.freePorts(1)[0];
        BrokerLaunch launch = BrokerLaunch.create();
        Path acl = TestFiles.write(launch.dir().resolve("acl"), "topic");
        BrokerLaunch.Run run = launch.config(List.of("listener " + port + " 127.0.0.1", line.replace("ACL", acl.toString())))
                .run(LIMIT);

        assertEquals(code, run.code(), run.stderr());
        assertTrue(run.stderr().contains(line.contains("ACL") ? acl.toString() : line.split(" ")[1]), run.stderr());
    }

    @Test
    void daemonRunsInTheBackgroundReturns0AndKeepsItsPidFile() throws Exception {
        int port = BrokerProcess.freePorts(1)[0];
        BrokerLaunch launch = BrokerLaunch.create();
        Path pidFile = launch.writableDir("run").resolve("broker.pid");
        BrokerLaunch.Run run = launch.args("-d").config(List.of(
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "pid_file " + pidFile)).run(LIMIT);
        Optional<ProcessHandle> daemon = Optional.empty();
        try {
            assertEquals(0, run.code(), run.stderr());
            // mosquitto's first process exits before its child has opened anything; Midge's once it listens.
            if (Reference.expect(true, false)) {
                assertTrue(Tcp.accepts(BrokerProcess.HOST, port), "listening when -d returns");
            }
            Await.until(LIMIT, () -> Tcp.accepts(BrokerProcess.HOST, port), "the daemon listens");
            daemon = daemonOf(launch);
            assertTrue(daemon.isPresent(), "a broker process with " + launch.configFile() + " runs on");
            assertEquals(Long.toString(daemon.get().pid()), Files.readString(pidFile));
            RawClient.connect(port, Ids.client("daemon")).close();
            daemon.get().destroy();
            daemon.get().onExit().get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            assertFalse(Files.exists(pidFile), "the pid file goes with the broker");
        } finally {
            daemon.filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void daemonThatCannotStartReportsItsErrorAndExitCode() throws IOException {
        int port = BrokerProcess.freePorts(1)[0];
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getByName(BrokerProcess.HOST))) {
            BrokerLaunch launch = BrokerLaunch.create().args("-d").config(List.of("listener " + port + " 127.0.0.1"));
            BrokerLaunch.Run run = launch.run(LIMIT);

            // mosquitto has already returned 0 when its child fails to listen, which it tells nobody.
            assertEquals(Reference.expect(1, 0), run.code(), run.stderr());
            assertEquals(Reference.expect(true, false), run.stderr().contains("Error: Address already in use"), run.stderr());
            Await.until(LIMIT, () -> daemonOf(launch).isEmpty(), "no broker is left running");
        }
    }

    private static void assertOneErrorLine(BrokerLaunch.Run run, String error) {
        assertEquals(3, run.code(), run.stderr());
        assertEquals("", run.stdout());
        assertEquals(1, run.stderrLines().size(), run.stderr());
        assertTrue(run.stderr().matches(TIMESTAMP + Pattern.quote(error) + "\n"), run.stderr());
    }

    /** The background broker of a -d run, found by its config file. */
    private static Optional<ProcessHandle> daemonOf(BrokerLaunch launch) {
        String conf = launch.configFile().toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(conf)).orElse(false))
                .findFirst();
    }
}
