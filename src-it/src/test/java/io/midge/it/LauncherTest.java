package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed launcher /usr/bin/midge, unpacked from the Debian package: its JVM options come
 * from jvm.options unless MIDGE_JAVA_OPTS replaces them, and the broker it starts prints nothing
 * but its log, on every Java runtime of this host (17 and 21+ where installed).
 */
class LauncherTest {

    private static final Duration START = Duration.ofSeconds(30);
    private static final String DEB_VERSION = System.getProperty("midge.version", "").replace("-SNAPSHOT", "~snapshot");
    private static final Path DEB = Command.REPO.resolve("broker-server/target/midge_" + DEB_VERSION + "_all.deb");

    @TempDir
    static Path unpacked;

    @BeforeAll
    static void unpackThePackage() {
        assumeFalse(BrokerProcess.isMosquitto(), "Midge's launcher");
        assumeTrue(Command.exists("dpkg-deb"), "needs dpkg-deb");
        Command.Outcome x = Command.run(List.of("dpkg-deb", "--extract", DEB.toString(), unpacked.toString()));
        assertEquals(0, x.code(), x.output());
    }

    private static String launcher() {
        return unpacked.resolve("usr/bin/midge").toString();
    }

    @Test
    void theJvmOptionsComeFromJvmOptions() {
        // JAVA_TOOL_OPTIONS adds to the launcher's options, so the JVM shows which it was given.
        Command.Outcome run = Command.run(List.of("env", "-u", "MIDGE_JAVA_OPTS", launcher(), "--version"),
                Map.of("JAVA_TOOL_OPTIONS", "-XX:+PrintFlagsFinal"));
        assertEquals(0, run.code(), run.output());
        assertEquals("true {command line}", flag(run.output(), "UseSerialGC"));
        assertEquals("5000 {command line}", flag(run.output(), "TrimNativeHeapInterval"));
        assertEquals("512 {command line}", flag(run.output(), "ThreadStackSize"));
    }

    @Test
    void midgeJavaOptsReplacesThem() {
        Command.Outcome run = Command.run(List.of(launcher(), "--version"),
                Map.of("MIDGE_JAVA_OPTS", "-XX:+UseParallelGC -XX:+PrintFlagsFinal"));
        assertEquals(0, run.code(), run.output());
        assertEquals("true {command line}", flag(run.output(), "UseParallelGC"));
        assertEquals("false {default}", flag(run.output(), "UseSerialGC"));
        assertEquals("0 {default}", flag(run.output(), "TrimNativeHeapInterval"));
    }

    @Test
    void theBrokerPrintsNothingButItsLogOnEveryJavaRuntime() throws IOException {
        for (Path javaHome : javaHomes()) {
            int port = BrokerProcess.freePorts(1)[0];
            BrokerLaunch run = BrokerLaunch.create();
            Path store = run.writableDir("store");
            Path conf = TestFiles.write(run.dir().resolve("midge.conf"), "listener " + port + " 127.0.0.1",
                    "allow_anonymous true", "persistence true", "persistence_location " + store + "/");
            List<String> cmd = List.of("env", "-u", "MIDGE_JAVA_OPTS", "JAVA_HOME=" + javaHome, launcher(), "-c", conf.toString());
            try (BrokerProcess b = BrokerProcess.launch(cmd, List.of(port), run.dir())) {
                b.awaitLog(" running", START);
                List<String> notLog = b.logText().lines().filter(l -> !l.matches("\\d+: .*")).toList();
                assertEquals(List.of(), notLog, javaHome + " printed more than the log:\n" + b.logText());
            }
        }
    }

    /** "VALUE {ORIGIN}" of a flag in -XX:+PrintFlagsFinal's table, e.g. "true {command line}". */
    private static String flag(String printFlagsFinal, String name) {
        for (String line : printFlagsFinal.lines().toList()) {
            String[] t = line.trim().split("\\s+");
            if (t.length >= 5 && t[1].equals(name) && t[2].equals("=")) {
                return t[3] + " " + line.substring(line.lastIndexOf('{'));
            }
        }
        throw new AssertionError("no flag " + name + " in:\n" + printFlagsFinal);
    }

    /** The test's own runtime and every other one in /usr/lib/jvm, each once. */
    private static Set<Path> javaHomes() throws IOException {
        Set<Path> homes = new LinkedHashSet<>();
        homes.add(Path.of(System.getProperty("java.home")).toRealPath());
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            List<Path> found = new ArrayList<>();
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(jvms)) {
                dirs.forEach(found::add);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            for (Path home : found) {
                if (Files.isExecutable(home.resolve("bin/java"))) {
                    homes.add(home.toRealPath());
                }
            }
        }
        return homes;
    }
}
