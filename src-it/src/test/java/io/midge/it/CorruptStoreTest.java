package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A damaged store never lets the broker start with data silently missing: it stops with an
 * error naming the store and exit code 1, the damaged file as it was; {@code midge store
 * salvage} then recovers what still reads, and the broker starts on that.
 */
class CorruptStoreTest {

    private static final int RETAINED = 2000;
    @TempDir
    Path tmp;
    private Path location;
    private List<String> config;
    private int port;

    @BeforeEach
    void fill() {
        assumeFalse(BrokerProcess.isMosquitto(), "Midge's store");
        location = tmp.resolve("data");
        port = BrokerProcess.freePorts(1)[0];
        config = List.of("listener " + port + " " + BrokerProcess.HOST, "allow_anonymous true", "persistence true",
                "persistence_location " + location + "/", "sys_interval 0");
        // Started as root, the broker keeps its store as its user (see BrokerUser).
        BrokerUser.own(tmp);
        try (BrokerProcess broker = BrokerProcess.startConfig(config, port);
             RawClient publisher = RawClient.connect(port, Ids.client("fill"))) {
            for (int i = 0; i < RETAINED; i++) {
                publisher.publish("fill/" + i, 1, true, "value " + i + " ".repeat(200));
            }
        } // stopped cleanly: the store is in its table files
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"flipped bytes", "truncated"})
    void aDamagedTableFileStopsTheStartAndSalvageRecoversTheRest(String damage) throws Exception {
        Path table = largestTableFile(location.resolve("midge.db"));
        if (damage.equals("truncated")) {
            try (RandomAccessFile file = new RandomAccessFile(table.toFile(), "rw")) {
                file.setLength(file.length() / 2);
            }
        } else {
            try (RandomAccessFile file = new RandomAccessFile(table.toFile(), "rw")) {
                file.seek(file.length() / 3);
                file.write(new byte[64]);
            }
        }
        byte[] damaged = Files.readAllBytes(table);

        BrokerUser.own(tmp);
        BrokerProcess.Exit exit = BrokerProcess.runUntilExit(config, Duration.ofSeconds(30));
        assertEquals(1, exit.code(), exit.log());
        assertTrue(exit.log().contains("Error: ") && exit.log().contains(location.resolve("midge.db").toString()),
                "one error naming the store: " + exit.log());
        // The listener is bound before the store opens (as the user option needs) but never serves.
        assertTrue(!exit.log().contains(" running"), "the broker never runs: " + exit.log());
        assertArrayEquals(damaged, Files.readAllBytes(table), "the damaged file is left as it was");

        Path salvaged = tmp.resolve("salvaged");
        Path configFile = TestFiles.write(tmp.resolve("midge.conf"), config.toArray(String[]::new));
        String report = TestFiles.run(TestFiles.midgeCommand(
                List.of("store", "salvage", "-c", configFile.toString(), salvaged.toString())));
        assertTrue(report.contains("retained") && report.contains("lost"), "what was kept and what was lost: " + report);
        assertArrayEquals(damaged, Files.readAllBytes(table), "salvage only reads the store");

        Files.move(location.resolve("midge.db"), tmp.resolve("damaged.db"));
        Files.move(salvaged, location.resolve("midge.db"));
        BrokerUser.own(tmp);
        try (BrokerProcess broker = BrokerProcess.startConfig(config, port);
             RawClient subscriber = RawClient.connect(port, Ids.client("after"))) {
            subscriber.subscribe("fill/#", 0);
            int recovered = 0;
            for (Packet p = subscriber.poll(Duration.ofSeconds(2)); p != null && !p.isClosed();
                    p = subscriber.poll(Duration.ofSeconds(2))) {
                if (p.type() == Mqtt.PUBLISH) {
                    assertTrue(p.payloadString().startsWith("value "), "only what was stored: " + p);
                    recovered++;
                }
            }
            assertTrue(recovered <= RETAINED, "nothing made up: " + recovered);
            if (damage.equals("flipped bytes")) {
                // The table's other blocks still read; a table cut in half has lost its index with its end.
                assertTrue(recovered > 0, "salvage kept what still reads");
            }
        }
    }

    private static Path largestTableFile(Path store) throws IOException {
        try (Stream<Path> files = Files.list(store)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".sst"))
                    .max(Comparator.comparingLong(f -> f.toFile().length()))
                    .orElseThrow(() -> new AssertionError("no table file in " + store));
        }
    }
}
