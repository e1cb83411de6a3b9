package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** mosquitto-compatible log lines, command line and process lifecycle. */
class LoggingTest {

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();
    static final Duration LOG_WAIT = Duration.ofSeconds(5);

    private static Optional<String> logLine(String... fragments) {
        return Arrays.stream(broker.logText().split("\n"))
                .filter(l -> Arrays.stream(fragments).allMatch(l::contains))
                .findFirst();
    }

    private static String awaitLogLine(String... fragments) {
        Await.until(LOG_WAIT, () -> logLine(fragments).isPresent(),
                () -> "log line with " + Arrays.toString(fragments) + "; log tail:\n" + broker.tail(30));
        return logLine(fragments).orElseThrow();
    }

    @Test
    void connectLogsNewClientLineWithAddressAndId() {
        String id = Ids.client("logcon");
        try (RawClient c = RawClient.connect(broker.port(), id)) {
            String line = awaitLogLine("New client connected from 127.0.0.1", "as " + id);
            assertTrue(line.contains("New client connected from 127.0.0.1:" + c.localPort() + " as " + id),
                    "address, port and id: " + line);
            c.disconnect();
        }
    }

    @Test
    void newClientLineShowsCleanSessionAndKeepalive() {
        String id = Ids.client("logflags");
        try (RawClient c = RawClient.connect(broker.port(), Mqtt.connect(id).cleanSession(false).keepAlive(42))) {
            String line = awaitLogLine("New client connected from", "as " + id);
            assertTrue(line.contains("c0, k42)"), "mosquitto shows (pN, c0, k42): " + line);
            c.disconnect();
        }
        try (RawClient c = RawClient.connect(broker.port(), id, true)) {
            c.disconnect();
        }
    }

    @Test
    void disconnectLogsClientDisconnected() {
        String id = Ids.client("logdisc");
        try (RawClient c = RawClient.connect(broker.port(), id)) {
            c.disconnect();
        }
        awaitLogLine("Client " + id + " disconnected");
    }

    @Test
    void abruptCloseIsLoggedWithClientId() {
        String id = Ids.client("logdrop");
        RawClient c = RawClient.connect(broker.port(), id);
        c.close();
        Await.until(LOG_WAIT,
                () -> logLine("Socket error on client " + id).isPresent()
                        || logLine("Client " + id + " closed its connection").isPresent(),
                () -> "socket error / closed line for " + id + "; log tail:\n" + broker.tail(30));
    }

    @Test
    void brokerStartedWithPortOptionOnlyAcceptsClients() {
        try (BrokerProcess b = BrokerProcess.startWithPortOption();
             RawClient c = RawClient.connect(b.port(), Ids.client("portopt"))) {
            c.ping();
        }
    }

    @Test
    void sigtermStopsBrokerWithExitCode0() {
        BrokerProcess b = BrokerProcess.start();
        try (RawClient c = RawClient.connect(b.port(), Ids.client("term"))) {
            b.close();
            assertEquals(Integer.valueOf(0), b.exitCode(), "exit code after SIGTERM; log:\n" + b.tail(20));
            assertTrue(c.closedWithin(Duration.ofSeconds(5)), "clients are disconnected on shutdown");
        }
    }
}
