package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moving from mosquitto: Debian's mosquitto 2.0 saves retained messages and an offline
 * persistent session with queued messages to mosquitto.db, {@code midge store import-mosquitto}
 * imports that file into Midge's store beside it, and {@code midge store check} reads it back.
 *
 * <pre>
 * persistence true
 * persistence_location DIR/
 * </pre>
 */
class MosquittoImportTest {

    static final Duration LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    @Test
    void storeOfMosquitto20IsImportedAndChecked() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mosquitto")), "Debian's mosquitto is not installed");
        Path dir = Files.createDirectories(tmp.resolve("persist"));
        // mosquitto started as root saves its file as the mosquitto user
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        TestFiles.shareDir(tmp);
        List<String> persistence = persistence(dir);
        Path file = saveWithMosquitto(dir);
        assertTrue(Files.isRegularFile(file), "mosquitto saved " + file);
        byte[] saved = Files.readAllBytes(file);
        Path config = TestFiles.write(tmp.resolve("midge.conf"), persistence.toArray(String[]::new));
        String counts = "1 retained messages, 1 sessions, 1 subscriptions, 2 queued messages (0 in flight), "
                + "0 received QoS 2 messages awaiting PUBREL.";

        String imported = TestFiles.run(TestFiles.midgeCommand(
                List.of("store", "import-mosquitto", file.toString(), "-c", config.toString())));
        assertEquals("Imported " + file + " (mosquitto format version 6) into " + dir.resolve("midge.db") + ":\n"
                + "  " + counts + "\n", imported);
        assertTrue(java.util.Arrays.equals(saved, Files.readAllBytes(file)), "the mosquitto file is only read");

        String checked = TestFiles.run(TestFiles.midgeCommand(List.of("store", "check", "-c", config.toString())));
        assertEquals("Persistence store " + dir.resolve("midge.db") + ": " + counts + "\nNo damage found.\n", checked);
    }

    /**
     * Switching means changing the binary: Midge started on mosquitto's config finds no store of
     * its own, imports mosquitto.db and serves its retained messages and the offline session's queue.
     */
    @Test
    void midgeOnMosquittosPersistenceLocationCarriesOnWhereMosquittoStopped() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mosquitto")), "Debian's mosquitto is not installed");
        assumeTrue(!BrokerProcess.isMosquitto(), "the broker under test must be Midge");
        Path dir = Files.createDirectories(tmp.resolve("persist"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        TestFiles.shareDir(tmp);
        Path file = saveWithMosquitto(dir);
        byte[] saved = Files.readAllBytes(file);
        int port = BrokerProcess.freePorts(1)[0];

        try (BrokerProcess midge = BrokerProcess.startConfig(concat(persistence(dir),
                "listener " + port + " " + BrokerProcess.HOST, "allow_anonymous true"), port)) {
            try (RawClient fresh = RawClient.connect(port, Ids.client("late"))) {
                fresh.subscribe("it/retained", 1);
                assertEquals("kept", fresh.nextPublish().payloadString());
            }
            try (RawClient offline = RawClient.open(port).autoAck(true)) {
                Packet connack = offline.sendConnect(Mqtt.connect("it-offline").cleanSession(false));
                assertEquals(1, connack.body()[0] & 1, "session present");
                assertEquals("one", offline.nextPublish().payloadString());
                assertEquals("two", offline.nextPublish().payloadString());
            }
        }
        assertTrue(java.util.Arrays.equals(saved, Files.readAllBytes(file)), "the mosquitto file is only read");
    }

    private static List<String> persistence(Path dir) {
        return List.of("persistence true", "persistence_location " + dir + "/");
    }

    /** Retained and queued messages in mosquitto.db, as Debian's mosquitto 2.0 saves them when it stops. */
    private static Path saveWithMosquitto(Path dir) {
        int port = BrokerProcess.freePorts(1)[0];
        try (BrokerProcess mosquitto = BrokerProcess.startMosquittoConfig(concat(persistence(dir),
                "listener " + port + " " + BrokerProcess.HOST, "allow_anonymous true"), port)) {
            tool("mosquitto_pub", port, "-r", "-q", "1", "-t", "it/retained", "-m", "kept");
            tool("mosquitto_sub", port, "-c", "-i", "it-offline", "-q", "2", "-t", "it/queue/#", "-E");
            tool("mosquitto_pub", port, "-q", "1", "-t", "it/queue/1", "-m", "one");
            tool("mosquitto_pub", port, "-q", "2", "-t", "it/queue/2", "-m", "two");
        } // SIGTERM: mosquitto saves mosquitto.db as it stops
        Path file = dir.resolve("mosquitto.db");
        assertTrue(Files.isRegularFile(file), "mosquitto saved " + file);
        return file;
    }

    private static void tool(String tool, int port, String... args) {
        try (Cli cli = Cli.start(tool, port, args)) {
            assertEquals(0, cli.awaitExit(LIMIT), cli.command() + ": " + cli.lines());
        }
    }

    private static List<String> concat(List<String> lines, String... more) {
        List<String> all = new java.util.ArrayList<>(lines);
        all.addAll(List.of(more));
        return all;
    }
}
