package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * broker-server/target/midge_VERSION_all.deb, the Debian package the build makes: its metadata
 * and files, and an installation with dpkg into a directory tree whose /usr/bin/midge then runs
 * the broker.
 */
class DebPackageTest {

    private static final String VERSION = System.getProperty("midge.version", "");
    /** jdeb's Debian version of a Maven version: -SNAPSHOT becomes ~snapshot, which sorts before the release. */
    private static final String DEB_VERSION = VERSION.replace("-SNAPSHOT", "~snapshot");
    private static final Path DEB = Command.REPO.resolve("broker-server/target/midge_" + DEB_VERSION + "_all.deb");

    @BeforeAll
    static void needsDpkgAndThePackage() {
        assumeFalse(BrokerProcess.isMosquitto(), "Midge's package");
        assumeTrue(Command.exists("dpkg-deb") && Command.exists("dpkg"), "needs dpkg");
        assertTrue(Files.isRegularFile(DEB), DEB + " is built by `mvn package`");
    }

    @Test
    void itIsPackageMidgeOfAValidVersionForAnyArchitectureNeedingJava17() {
        assertEquals(List.of("Package: midge", "Version: " + DEB_VERSION, "Architecture: all",
                        "Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless"),
                lines(dpkgDeb("--field", DEB.toString(), "Package", "Version", "Architecture", "Depends")));
        assertEquals(0, Command.run(List.of("dpkg", "--validate-version", DEB_VERSION)).code(), DEB_VERSION);
        if (VERSION.endsWith("-SNAPSHOT")) {
            String release = VERSION.replace("-SNAPSHOT", "");
            assertEquals(0, Command.run(List.of("dpkg", "--compare-versions", DEB_VERSION, "lt", release)).code(),
                    DEB_VERSION + " sorts before " + release);
        }
        assertEquals(List.of("/etc/midge/midge.conf", "/etc/default/midge"),
                lines(dpkgDeb("--info", DEB.toString(), "conffiles")));
    }

    @Test
    void itHoldsTheJarLauncherUnitConfigAndJvmOptions() {
        List<String> contents = lines(dpkgDeb("--contents", DEB.toString()));
        for (String[] modePath : new String[][] {
                {"-rw-r--r--", "./usr/share/midge/midge.jar"},
                {"-rw-r--r--", "./usr/share/midge/jvm.options"},
                {"-rwxr-xr-x", "./usr/share/midge/midge-archive"},
                {"-rwxr-xr-x", "./usr/bin/midge"},
                {"-rw-r--r--", "./lib/systemd/system/midge.service"},
                {"-rw-r--r--", "./etc/midge/midge.conf"},
                {"-rw-r--r--", "./etc/default/midge"},
                {"-rw-r--r--", "./usr/share/doc/midge/copyright"}}) {
            assertTrue(contents.stream().anyMatch(l -> l.startsWith(modePath[0] + " root/root ") && l.endsWith(" " + modePath[1])),
                    modePath[1] + " " + modePath[0] + " root/root in:\n" + String.join("\n", contents));
        }
    }

    @Test
    void dpkgInstallsItIntoATreeWhereItsLauncherServesAClientAndPurgeRemovesTheStore(@TempDir Path root) throws IOException {
        assumeTrue("0".equals(Command.run(List.of("id", "-u")).output().trim()), "useradd and chown need root");
        debianSkeleton(root);

        Command.Outcome install = dpkg(root, "--install", DEB.toString());

        assertEquals(0, install.code(), install.output());
        assertTrue(Command.run(List.of("dpkg", "--root=" + root, "--status", "midge")).output()
                .contains("Status: install ok installed"));
        String midge = Files.readAllLines(root.resolve("etc/passwd")).stream()
                .filter(l -> l.startsWith("midge:")).findFirst().orElseThrow(() -> new AssertionError("no user midge"));
        String[] fields = midge.split(":");
        assertEquals("/var/lib/midge", fields[5]);
        assertEquals("/usr/sbin/nologin", fields[6]);
        assertTrue(Files.readAllLines(root.resolve("etc/group")).stream().anyMatch(l -> l.startsWith("midge:" + "x:" + fields[3] + ":")),
                "group midge of gid " + fields[3]);
        for (String dir : List.of("var/lib/midge", "var/log/midge")) {
            Path d = root.resolve(dir);
            assertEquals(fields[2], Files.getAttribute(d, "unix:uid").toString(), dir + " owned by midge");
            assertEquals(fields[3], Files.getAttribute(d, "unix:gid").toString(), dir + " of group midge");
            assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)), dir);
        }
        for (String[] repoInstalled : new String[][] {
                {"conf/jvm.options", "usr/share/midge/jvm.options"},
                {"conf/midge.service", "lib/systemd/system/midge.service"},
                {"conf/midge.conf", "etc/midge/midge.conf"},
                {"packaging/midge", "usr/bin/midge"},
                {"packaging/midge-archive", "usr/share/midge/midge-archive"}}) {
            assertEquals(Files.readString(Command.REPO.resolve(repoInstalled[0])),
                    Files.readString(root.resolve(repoInstalled[1])), repoInstalled[1] + " is " + repoInstalled[0]);
        }

        assertTrue(Files.size(root.resolve("var/cache/midge/midge.jsa")) > 1_000_000, "class-data archive made by postinst");
        String archiveOptions = Command.run(List.of(root.resolve("usr/share/midge/midge-archive").toString(), "option",
                "java", root.resolve("usr/share/midge/midge.jar").toString(), root.resolve("var/cache/midge").toString()))
                .output();
        assertTrue(archiveOptions.contains("-XX:SharedArchiveFile=" + root.resolve("var/cache/midge/midge.jsa")), archiveOptions);

        servesAClient(root.resolve("usr/bin/midge"));

        Command.Outcome purge = dpkg(root, "--purge", "midge");
        assertEquals(0, purge.code(), purge.output());
        assertFalse(Files.exists(root.resolve("var/lib/midge")), "store directory purged");
        assertFalse(Files.exists(root.resolve("var/cache/midge")), "class-data archive purged");
        assertFalse(Files.exists(root.resolve("usr/share/midge/midge.jar")), "jar removed");
    }

    private static void servesAClient(Path launcher) throws IOException {
        int port = BrokerProcess.freePorts(1)[0];
        Path dir = BrokerProcess.runDir();
        Path conf = dir.resolve("midge.conf");
        Files.write(conf, List.of("listener " + port + " 127.0.0.1", "allow_anonymous true"));
        try (BrokerProcess broker = BrokerProcess.launch(List.of(launcher.toString(), "-c", conf.toString()), List.of(port), dir);
             RawClient subscriber = RawClient.connect(port, Ids.client("deb-sub"));
             RawClient publisher = RawClient.connect(port, Ids.client("deb-pub"))) {
            subscriber.subscribe("deb/test", 0);
            publisher.publish("deb/test", 0, false, "installed");
            assertEquals("installed", subscriber.expect(Mqtt.PUBLISH).payloadString());
            assertTrue(broker.isAlive());
        }
    }

    /** What dpkg needs of a root: its database and the user and group files the postinst adds to. */
    private static void debianSkeleton(Path root) throws IOException {
        Files.createDirectories(root.resolve("var/lib/dpkg/updates"));
        Files.createDirectories(root.resolve("var/lib/dpkg/info"));
        Files.createFile(root.resolve("var/lib/dpkg/status"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\n");
        Files.writeString(root.resolve("etc/shadow"), "root:*:19000:0:99999:7:::\n");
        Files.writeString(root.resolve("etc/gshadow"), "root:*::\n");
    }

    /**
     * dpkg on {@code root}, its maintainer scripts run outside it with DPKG_ROOT set (the root has
     * no shell to chroot into); no Java is installed there, so the dependency is not checked.
     */
    private static Command.Outcome dpkg(Path root, String... args) {
        List<String> cmd = new ArrayList<>(List.of("dpkg", "--root=" + root, "--log=/dev/null",
                "--force-not-root", "--force-script-chrootless", "--force-depends"));
        cmd.addAll(Arrays.asList(args));
        return Command.run(cmd, Map.of("DPKG_ROOT", root.toString()));
    }

    private static String dpkgDeb(String... args) {
        List<String> cmd = new ArrayList<>(List.of("dpkg-deb"));
        cmd.addAll(Arrays.asList(args));
        Command.Outcome out = Command.run(cmd);
        assertEquals(0, out.code(), out.output());
        return out.output();
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
