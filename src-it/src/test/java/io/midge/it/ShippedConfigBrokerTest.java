package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker runs with {@code conf/midge.conf} (the Debian package's /etc/midge/midge.conf) as
 * shipped, with only its port and its persistence directory swapped for a free port and a
 * temporary directory: it starts without a warning, passes the README's quick start message, and
 * keeps a retained message across a restart. With {@code -Dit.broker=mosquitto} it checks that the
 * file also works for mosquitto 2.0, as its header says.
 */
class ShippedConfigBrokerTest {

    private static final Duration LIMIT = Duration.ofSeconds(15);
    private static final Path SHIPPED = Path.of(System.getProperty("user.dir")).resolve("../conf/midge.conf").normalize();

    @TempDir
    Path tmp;

    @Test
    void shippedConfigServesClientsAndKeepsRetainedMessagesAcrossARestart() throws IOException {
        Path store = Files.createDirectories(tmp.resolve("store"));
        // A broker started as root switches to its user (mosquitto's rule), which must write here.
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwxrwxrwx"));
        TestFiles.shareDir(tmp);
        int port = BrokerProcess.freePorts(1)[0];
        List<String> config = shippedWith(port, store);

        try (BrokerProcess broker = BrokerProcess.startConfig(config, port);
             Cli sub = Cli.start("mosquitto_sub", port, "-t", "test/#", "-v", "-d")) {
            assertFalse(broker.logText().contains("Warning:"), broker.logText());
            sub.awaitLine(l -> l.contains("received SUBACK"), LIMIT, "SUBACK");
            try (Cli pub = Cli.start("mosquitto_pub", port, "-t", "test/hello", "-m", "hi", "-r", "-q", "1")) {
                assertEquals(0, pub.awaitExit(LIMIT), "mosquitto_pub: " + pub.lines());
            }
            sub.awaitLine(l -> l.equals("test/hello hi"), LIMIT, "the quick start's message");
        }

        try (BrokerProcess again = BrokerProcess.startConfig(config, port);
             Cli late = Cli.start("mosquitto_sub", port, "-t", "test/#", "-v", "-C", "1")) {
            late.awaitLine(l -> l.equals("test/hello hi"), LIMIT, "the retained message after a restart");
            assertEquals(0, late.awaitExit(LIMIT), "mosquitto_sub: " + late.lines());
        }
    }

    private static List<String> shippedWith(int port, Path store) throws IOException {
        List<String> lines = new ArrayList<>();
        int swapped = 0;
        for (String line : Files.readAllLines(SHIPPED)) {
            if (line.equals("listener 1883 127.0.0.1")) {
                line = "listener " + port + " " + BrokerProcess.HOST;
                swapped++;
            } else if (line.equals("persistence_location /var/lib/midge/")) {
                line = "persistence_location " + store + "/";
                swapped++;
            }
            lines.add(line);
        }
        assertEquals(2, swapped, "conf/midge.conf has one listener 1883 127.0.0.1 and persistence_location /var/lib/midge/");
        return lines;
    }
}
