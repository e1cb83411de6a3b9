package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * mosquitto-compatible log lines, command line and process lifecycle. Connection lifecycle lines
 * are asserted letter for letter (timestamp prefix aside) as mosquitto 2.0.11 writes them; log
 * watchers such as fail2ban filters depend on them. {@code verbose} runs with {@code log_type all},
 * which adds mosquitto's debug lines (wills, packets sent and received; there is no "Received
 * CONNECT" line).
 */
class LoggingTest {

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();
    @RegisterExtension
    static final SharedBroker verbose = new SharedBroker("log_type all");
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

    // ------------------------------------------------------------------ exact lines, default log types

    @Test
    void newClientLineNamesProtocolCleanSessionKeepAliveAndUser() {
        BrokerProcess b = broker.process();
        String id = Ids.client("ln311");
        int mark = b.logLength();
        try (RawClient c = RawClient.connect(b.port(), id)) {
            b.awaitExactLogLine(mark, "New client connected from 127.0.0.1:" + c.localPort() + " as " + id + " (p2, c1, k60).", LOG_WAIT);
            c.disconnect();
        }
        String id31 = Ids.client("ln31");
        try (RawClient c = RawClient.connect(b.port(), Mqtt.connect(id31).protocol("MQIsdp", 3))) {
            b.awaitExactLogLine(mark, "New client connected from 127.0.0.1:" + c.localPort() + " as " + id31 + " (p1, c1, k60).", LOG_WAIT);
            c.disconnect();
        }
        String idu = Ids.client("lnu");
        try (RawClient c = RawClient.connect(b.port(), Mqtt.connect(idu).cleanSession(false).keepAlive(42).username("someone").password("pw"))) {
            b.awaitExactLogLine(mark, "New client connected from 127.0.0.1:" + c.localPort() + " as " + idu + " (p2, c0, k42, u'someone').", LOG_WAIT);
            c.disconnect();
        }
        try (RawClient c = RawClient.connect(b.port(), idu, true)) {
            c.disconnect(); // drop the stored session
        }
    }

    @Test
    void socketClosedBeforeConnectIsLoggedAsUnknownClient() {
        BrokerProcess b = broker.process();
        int mark = b.logLength();
        RawClient c = RawClient.open(b.port());
        int port = c.localPort();
        b.awaitExactLogLine(mark, "New connection from 127.0.0.1:" + port + " on port " + b.port() + ".", LOG_WAIT);
        c.close();
        b.awaitExactLogLine(mark, "Client <unknown> closed its connection.", LOG_WAIT);
    }

    /**
     * Connects a new client, sends it {@code packet} (made from the client id), asserts that the
     * broker closes the connection, then awaits each of {@code lines} ({@code %s}: the client id).
     */
    private static void assertCloseIsLogged(Function<String, byte[]> packet, String... lines) {
        BrokerProcess b = broker.process();
        String id = Ids.client("lnclose");
        int mark = b.logLength();
        try (RawClient c = RawClient.connect(b.port(), id)) {
            c.send(packet.apply(id));
            c.assertClosedWithoutPacket(RawClient.TIMEOUT);
        }
        for (String line : lines) {
            b.awaitExactLogLine(mark, String.format(line, id), LOG_WAIT);
        }
    }

    @Test
    void malformedPacketDisconnectIsLogged() {
        assertCloseIsLogged(id -> Mqtt.subscribeWithHeader(0x80, 1, Ids.topic("malf"), 0), // SUBSCRIBE flags must be 0010
                "Client %s disconnected due to malformed packet.");
    }

    @Test
    void protocolErrorDisconnectIsLogged() {
        assertCloseIsLogged(id -> Mqtt.connect(id).build(), // a second CONNECT
                "Bad client %s sending multiple CONNECT messages.",
                "Client %s disconnected due to protocol error.");
        BrokerProcess b = broker.process();
        int mark = b.logLength();
        Mqtt.Connect reserved = Mqtt.connect(Ids.client("lnrsv"));
        RawClient.assertConnectClosedWithoutConnack(b.port(), reserved.flags(reserved.computedFlags() | 0x01));
        b.awaitExactLogLine(mark, "Client <unknown> disconnected due to protocol error.", LOG_WAIT);
    }

    // ------------------------------------------------------------------ exact lines, log_type all

    /**
     * Connects to the otherwise idle verbose broker with {@code connect} (client id {@code id}),
     * runs {@code during}, disconnects, and asserts that the log lines of that connection are
     * exactly {@code lines}: {@code %1$s} is the client's address:port, {@code %2$s} the
     * listener's port, {@code %3$s} the client id.
     */
    private static void assertConnectionLogsExactly(Mqtt.Connect connect, String id, Consumer<RawClient> during, String... lines) {
        BrokerProcess b = verbose.process();
        int mark = b.logLength();
        String address;
        try (RawClient c = RawClient.connect(b.port(), connect)) {
            address = "127.0.0.1:" + c.localPort();
            during.accept(c);
            c.disconnect();
        }
        b.awaitExactLogLine(mark, "Client " + id + " disconnected.", LOG_WAIT);
        List<String> expected = new ArrayList<>();
        for (String line : lines) {
            expected.add(String.format(line, address, b.port(), id));
        }
        assertEquals(expected, b.logLinesAfter(mark), "nothing more, nothing less");
    }

    @Test
    void connectPingDisconnectLogsExactlyMosquittosLines() {
        String id = Ids.client("lnall");
        assertConnectionLogsExactly(Mqtt.connect(id), id, RawClient::ping,
                "New connection from %1$s on port %2$s.",
                "New client connected from %1$s as %3$s (p2, c1, k60).",
                "No will message specified.",
                "Sending CONNACK to %3$s (0, 0)",
                "Received PINGREQ from %3$s",
                "Sending PINGRESP to %3$s",
                "Received DISCONNECT from %3$s",
                "Client %3$s disconnected.");
    }

    @Test
    void willAndSessionPresentAreLoggedAtDebugLevel() {
        BrokerProcess b = verbose.process();
        String id = Ids.client("lnwill");
        String willTopic = Ids.topic("lnwill");
        assertConnectionLogsExactly(Mqtt.connect(id).cleanSession(false).will(willTopic, "bye!", 1, true), id, c -> { },
                "New connection from %1$s on port %2$s.",
                "New client connected from %1$s as %3$s (p2, c0, k60).",
                "Will message specified (4 bytes) (r1, q1).",
                "\t" + willTopic,
                "Sending CONNACK to %3$s (0, 0)",
                "Received DISCONNECT from %3$s",
                "Client %3$s disconnected.");
        int mark = b.logLength();
        try (RawClient c = RawClient.connect(b.port(), Mqtt.connect(id).cleanSession(false))) {
            b.awaitExactLogLine(mark, "Sending CONNACK to " + id + " (1, 0)", LOG_WAIT);
            c.disconnect();
        }
        b.awaitExactLogLine(mark, "Client " + id + " disconnected.", LOG_WAIT);
        int last = b.logLength();
        try (RawClient c = RawClient.connect(b.port(), id, true)) {
            c.disconnect();
        }
        // The tests share a broker: this one's last line must be written before the next one looks.
        b.awaitExactLogLine(last, "Client " + id + " disconnected.", LOG_WAIT);
    }

    @Test
    void refusedConnectLogsTheConnackToTheAddress() {
        BrokerProcess b = verbose.process();
        int mark = b.logLength();
        int port;
        try (RawClient c = RawClient.open(b.port())) {
            port = c.localPort();
            assertEquals(2, RawClient.connackCode(c.sendConnect(Mqtt.connect("").cleanSession(false))));
            c.assertClosedWithoutPacket(RawClient.TIMEOUT);
        }
        b.awaitExactLogLine(mark, "Client <unknown> disconnected due to protocol error.", LOG_WAIT);
        assertEquals(List.of(
                "New connection from 127.0.0.1:" + port + " on port " + b.port() + ".",
                "Sending CONNACK to 127.0.0.1 (0, 2)",
                "Client <unknown> disconnected due to protocol error."), b.logLinesAfter(mark));
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
