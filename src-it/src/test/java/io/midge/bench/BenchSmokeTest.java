package io.midge.bench;

import io.midge.it.BrokerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every scenario for about a second against the broker process the integration tests use
 * ({@link BrokerProcess}: Midge's jar, or mosquitto with {@code -Dit.broker=mosquitto}), started
 * with {@code -p PORT} and default settings. Checks only what must hold whatever the machine's
 * speed: at QoS 1/2 nothing lost or duplicated, nothing out of order or foreign, no protocol
 * error. Rates are kept modest so that the broker's queue limit (max_queued_messages 1000) never
 * comes into play.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BenchSmokeTest {

    private static BrokerProcess broker;
    private static InetSocketAddress address;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = BrokerProcess.startWithPortOption();
        address = new InetSocketAddress(InetAddress.getByName(BrokerProcess.HOST), broker.port());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static BenchResult load(Scenario scenario, int qos, int publishers, int subscribers, double rate)
            throws Exception {
        return load(spec(scenario, qos, publishers, subscribers, rate, 50));
    }

    private static LoadSpec spec(Scenario scenario, int qos, int publishers, int subscribers, double rate,
                                 int inflight) {
        return new LoadSpec(scenario, address, qos, 64, 1.0, 0.2, publishers, subscribers, inflight, rate, 1,
                10, "smoke-" + scenario.label() + qos, 10, 50, false);
    }

    private static BenchResult load(LoadSpec spec) throws Exception {
        BenchResult result = LoadRun.run(spec);
        System.out.println(result.table());
        return result;
    }

    private static void assertClean(BenchResult result) {
        assertTrue(result.getLong("received") > 0, "something was delivered");
        assertEquals(0, result.getLong("duplicated"), "duplicated");
        assertEquals(0, result.getLong("out_of_order"), "out of order");
        assertEquals(0, result.getLong("unexpected"), "unexpected");
        assertEquals(0, result.getLong("protocol_errors"), "protocol errors");
        assertEquals(List.of(), result.get("errors"), "connection errors");
    }

    private static void assertNothingLost(BenchResult result) {
        assertClean(result);
        assertEquals(0, result.getLong("lost"), "lost");
        assertEquals(0, result.getLong("unacked"), "unacknowledged");
        assertEquals(result.getLong("expected"), result.getLong("received"), "every expected delivery");
        assertTrue(result.ok(), () -> "problems: " + result.problems());
    }

    @Test
    void fanInQos0() throws Exception {
        assertClean(load(Scenario.FANIN, 0, 3, 1, 3000));
    }

    @Test
    void fanInQos1() throws Exception {
        assertNothingLost(load(Scenario.FANIN, 1, 3, 1, 3000));
    }

    @Test
    void fanOutQos2() throws Exception {
        assertNothingLost(load(Scenario.FANOUT, 2, 1, 3, 1000));
    }

    @Test
    void pointToPointQos1() throws Exception {
        assertNothingLost(load(Scenario.P2P, 1, 3, 3, 3000));
    }

    @Test
    void latencyQos2() throws Exception {
        BenchResult result = load(Scenario.LATENCY, 2, 2, 2, 500);
        assertNothingLost(result);
        assertTrue(result.getLong("latency_count") > 0, "latencies recorded");
    }

    @Test
    void pointToPointMqtt5Qos1() throws Exception {
        BenchResult result = load(spec(Scenario.P2P, 1, 3, 3, 3000, 50).withMqtt5(true));
        assertNothingLost(result);
        assertEquals(true, result.get("mqtt5"));
    }

    /** Unpaced, so the window is full: it must be the broker's receive maximum when that is lower. */
    @Test
    void fanInMqtt5Qos2KeepsToTheBrokersReceiveMaximum() throws Exception {
        BenchResult result = load(spec(Scenario.FANIN, 2, 2, 1, 0, 65535).withMqtt5(true));
        assertNothingLost(result);
        long receiveMaximum = result.getLong("broker_receive_maximum");
        assertTrue(receiveMaximum >= 1 && receiveMaximum <= 65535, "receive maximum " + receiveMaximum);
        assertEquals(receiveMaximum, result.getLong("inflight_used"));
    }

    @Test
    void fanOutMqtt5Qos0() throws Exception {
        assertClean(load(spec(Scenario.FANOUT, 0, 1, 3, 2000, 50).withMqtt5(true)));
    }

    @Test
    void latencyMqtt5Qos2() throws Exception {
        assertNothingLost(load(spec(Scenario.LATENCY, 2, 2, 2, 500, 50).withMqtt5(true)));
    }

    /** Every message reaches exactly one member; each member gets its share. */
    @Test
    void sharedFanOutQos1() throws Exception {
        assertSharedOnce(load(spec(Scenario.FANOUT, 1, 1, 4, 4000, 50).withShareGroup("smoke")), 4);
    }

    @Test
    void sharedFanOutMqtt5Qos2() throws Exception {
        assertSharedOnce(load(spec(Scenario.FANOUT, 2, 1, 3, 1500, 50).withShareGroup("smoke5").withMqtt5(true)), 3);
    }

    private static void assertSharedOnce(BenchResult result, int members) {
        assertNothingLost(result);
        assertEquals(result.getLong("sent"), result.getLong("received"), "each message delivered once");
        long min = result.getLong("member_received_min");
        assertTrue(min >= result.getLong("sent") / members / 4, "every member got a fair part, least " + min);
    }

    @Test
    void connsMqtt5() throws Exception {
        BenchResult result = ConnsRun.run(new ConnsSpec(address, 100, 1, 50, 0.1, 10, -1, true));
        assertEquals(100L, result.getLong("still_open"));
        assertTrue(result.ok(), () -> "problems: " + result.problems());
    }

    @Test
    void connsReadsTheBrokersMemory() throws Exception {
        // Broker pid 0: found through the socket listening on the port.
        BenchResult result = ConnsRun.run(new ConnsSpec(address, 200, 1, 50, 0.2, 10, 0));
        System.out.println(result.table());
        assertEquals(200L, result.getLong("connected"));
        assertEquals(200L, result.getLong("still_open"));
        if (Files.isDirectory(Path.of("/proc/self/fd"))) {
            assertNotNull(result.get("broker_pid"), "broker process found");
            assertNotNull(result.get("rss_after_kib"), "VmRSS read");
        }
        assertTrue(result.ok(), () -> "problems: " + result.problems());
    }

    @Test
    void stormAgainstARunningBroker() throws Exception {
        BenchResult result = StormRun.run(new StormSpec(address, null, null, 300, 0, 50, 1, 0.2, 10, 100, 0, false));
        System.out.println(result.table());
        assertEquals(300L, result.getLong("connected"));
        assertEquals(300L, result.getLong("still_open"));
        assertNotNull(result.get("connack_p99_ms"));
        assertTrue(result.ok(), () -> "problems: " + result.problems());
    }

    /** The storm starts the broker itself: start to first CONNACK, then the storm, then SIGTERM (exit 0). */
    @Test
    void stormStartsTheBrokerAndTimesItsFirstConnAck() throws Exception {
        int port = BrokerProcess.freePorts(1)[0];
        String command = BrokerProcess.commandLine(List.of("-p", "{port}")).stream()
                .map(arg -> "'" + arg.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
        InetSocketAddress target = new InetSocketAddress(address.getAddress(), port);
        BenchResult result = StormRun.run(new StormSpec(target, command, null, 200, 1, 50, 1, 0.2, 30, 100, 100,
                true));
        System.out.println(result.table());
        assertEquals(200L, result.getLong("connected"));
        assertTrue(((Number) result.get("start_to_connack_ms")).doubleValue() > 0, "start to first CONNACK timed");
        assertNotNull(result.get("broker_cpu_storm_s"), "broker CPU read");
        assertEquals(0L, result.getLong("broker_exit"), "the broker stopped cleanly on SIGTERM");
        assertTrue(result.ok(), () -> "problems: " + result.problems());
    }

    /** The command line end to end: options, one JSON line on stdout, exit code 0. */
    @Test
    void commandLinePrintsOneJsonLine() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new BenchCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("p2p", "--port", Integer.toString(address.getPort()), "--qos", "1", "--pairs", "2",
                        "--rate", "1000", "--duration", "0.5", "--warmup", "0", "--threads", "1",
                        "--prefix", "smoke-cli", "--json");
        System.out.println(err);
        assertEquals(0, exit, () -> "exit code; stderr: " + err);
        String json = out.toString().trim();
        assertTrue(json.startsWith("{\"scenario\":\"p2p\"") && json.endsWith("}") && !json.contains("\n"), json);
        assertTrue(json.contains("\"ok\":true"), json);
    }

    @Test
    void refusesANonLoopbackHost() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err))
                .execute("fanin", "--host", "192.0.2.1", "--duration", "1");
        assertEquals(2, exit);
        assertTrue(err.toString().contains("loopback"), err.toString());
    }
}
