package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up as an operator and a script see it: which sockets open, when, with which log lines
 * (mosquitto's, line for line, and nothing else: no JVM or Netty noise), what a port in use
 * does, signals that arrive while the listeners are being opened, and options that must not
 * stop the broker.
 */
class StartupTest {

    /** Generous: the first TLS context of a cold JVM takes seconds on a busy 2-core machine. */
    static final Duration START = Duration.ofSeconds(30);
    static final String RUNNING = "BROKER version V running";
    /** The end of the "version ... running" line (the local-only notice also says "running"). */
    static final String RUNNING_LINE_END = " running\n";

    @TempDir
    static Path tmp;
    static TestCerts certs;

    @BeforeAll
    static void makeCertificates() {
        TestFiles.shareDir(tmp); // mosquitto reads them as user mosquitto
        certs = TestCerts.generate(TestFiles.shareDir(tmp.resolve("certs")));
    }

    static List<String> tls() {
        return List.of("certfile " + certs.serverCert, "keyfile " + certs.serverKey);
    }

    @Test
    void everyListenerAcceptsOnceTheFirstDoes() {
        int[] p = BrokerProcess.freePorts(4);
        List<String> conf = new ArrayList<>(List.of("listener " + p[0] + " 127.0.0.1", "allow_anonymous true"));
        conf.add("listener " + p[1] + " 127.0.0.1");
        conf.addAll(tls());
        conf.add("listener " + p[2] + " 127.0.0.1");
        conf.add("protocol websockets");
        conf.addAll(tls());
        conf.add("listener " + p[3] + " 127.0.0.1");
        try (BrokerProcess b = BrokerLaunch.create().config(conf).startAndAwait(p[0])) {
            // The sockets are bound one after another, so allow the moment that takes; building
            // a TLS context between two of them takes far longer.
            for (int port : new int[] {p[1], p[2], p[3]}) {
                Await.until(Duration.ofMillis(250), () -> Tcp.accepts(BrokerProcess.HOST, port),
                        () -> "port " + port + " accepts as soon as port " + p[0] + " does; log:\n" + b.tail(20));
            }
            RawClient.connect(p[3], Ids.client("first")).close();
        }
    }

    @Test
    void startupLogIsMosquittosLineForLineOneSocketPerAddressFamily() {
        int[] p = BrokerProcess.freePorts(3);
        BrokerLaunch launch = BrokerLaunch.create().config(List.of(
                "listener " + p[0],
                "listener " + p[1] + " 127.0.0.1",
                "listener " + p[2],
                "protocol websockets",
                "allow_anonymous true"));
        try (BrokerProcess b = launch.start()) {
            b.awaitLog(RUNNING_LINE_END, START);
            assertEquals(List.of(
                    "BROKER version V starting",
                    "Config loaded from " + launch.configFile() + ".",
                    "Opening ipv4 listen socket on port " + p[0] + ".",
                    "Opening ipv6 listen socket on port " + p[0] + ".",
                    "Opening ipv4 listen socket on port " + p[1] + ".",
                    "Opening websockets listen socket on port " + p[2] + ".",
                    RUNNING), LogLines.upTo(b.logText(), RUNNING));
        }
    }

    @Test
    void withoutConfigFileItListensOnLoopbackIpv4AndIpv6Only() {
        int port = BrokerProcess.freePorts(1)[0];
        try (BrokerProcess b = BrokerLaunch.create().args("-p", Integer.toString(port)).start()) {
            b.awaitLog(RUNNING_LINE_END, START);
            assertEquals(List.of(
                    "BROKER version V starting",
                    "Using default config.",
                    "Starting in local only mode. Connections will only be possible from clients running on this machine.",
                    "Create a configuration file which defines a listener to allow remote access.",
                    "For more details see https://mosquitto.org/documentation/authentication-methods/",
                    "Opening ipv4 listen socket on port " + port + ".",
                    "Opening ipv6 listen socket on port " + port + ".",
                    RUNNING), LogLines.upTo(b.logText(), RUNNING));
            assertTrue(Tcp.accepts("127.0.0.1", port), "127.0.0.1");
            if (Tcp.canListenOn("::1")) {
                assertTrue(Tcp.accepts("::1", port), "::1");
            }
            for (InetAddress address : Tcp.nonLoopbackAddresses()) {
                assertFalse(Tcp.accepts(address.getHostAddress(), port), "not on " + address.getHostAddress());
            }
        }
    }

    @Test
    void withoutANetworkInterfaceItStartsAsQuietly() {
        assumeTrue(unshareWorks(), "needs `unshare -n` (a network namespace without interfaces)");
        int port = BrokerProcess.freePorts(1)[0];
        // socket_domain ipv4 binds 0.0.0.0 only, which works even with the namespace's loopback down.
        BrokerLaunch launch = BrokerLaunch.create().wrappedIn("unshare", "-n")
                .config(List.of("listener " + port, "socket_domain ipv4", "allow_anonymous true"));
        try (BrokerProcess b = launch.start()) {
            b.awaitLog(RUNNING_LINE_END, START);
            assertEquals(List.of(
                    "BROKER version V starting",
                    "Config loaded from " + launch.configFile() + ".",
                    "Opening ipv4 listen socket on port " + port + ".",
                    RUNNING), LogLines.upTo(b.logText(), RUNNING));
        }
    }

    @Test
    void aPortInUseNamesTheSocketAndExits1() throws IOException {
        int[] p = BrokerProcess.freePorts(3);
        try (ServerSocket taken = new ServerSocket(p[1], 1, InetAddress.getByName(BrokerProcess.HOST))) {
            BrokerLaunch.Run run = BrokerLaunch.create().config(List.of(
                    "listener " + p[0] + " 127.0.0.1",
                    "listener " + p[1] + " 127.0.0.1",
                    "listener " + p[2] + " 127.0.0.1")).run(START);

            assertEquals(1, run.code(), run.stderr());
            List<String> lines = LogLines.of(run.stderr());
            int opening = lines.indexOf("Opening ipv4 listen socket on port " + p[1] + ".");
            assertTrue(opening >= 0, run.stderr());
            // mosquitto does not say which of its listeners failed.
            assertEquals(Reference.expect("Error: Address already in use (port " + p[1] + " on 127.0.0.1).",
                    "Error: Address already in use"), lines.get(opening + 1));
            assertEquals(opening + 2, lines.size(), "nothing after the error: " + run.stderr());
        }
    }

    @Test
    void sigtermWhileListenersAreOpeningStillEndsWithExit0AndTheTerminatingLine() {
        try (BrokerProcess b = startingWithTls()) {
            b.signal("TERM");
            assertEquals(0, b.awaitExit(START), b.tail(20));
            assertTrue(LogLines.of(b.logText()).contains("BROKER version V terminating"), b.tail(20));
        }
    }

    @Test
    void sighupWhileListenersAreOpeningIsHandled() {
        int port = BrokerProcess.freePorts(1)[0];
        try (BrokerProcess b = startingWithTls(port)) {
            b.signal("HUP");
            b.awaitListening(port);
            b.awaitLog("Reloading config.", START);
            assertTrue(b.isAlive());
            b.close();
            assertEquals(Integer.valueOf(0), b.exitCode());
        }
    }

    private static BrokerProcess startingWithTls() {
        return startingWithTls(BrokerProcess.freePorts(1)[0]);
    }

    /** A broker that has logged "starting" and is (for Midge, long) busy with its TLS listener. */
    private static BrokerProcess startingWithTls(int port) {
        List<String> conf = new ArrayList<>(List.of("listener " + port + " 127.0.0.1"));
        conf.addAll(tls());
        BrokerProcess b = BrokerLaunch.create().config(conf).start();
        b.awaitLog(" starting", START);
        return b;
    }

    @Test
    void mqtt5AndClientIdOptionsDoNotStopTheBroker() {
        int port = BrokerProcess.freePorts(1)[0];
        try (BrokerProcess b = BrokerLaunch.create().config(List.of(
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "max_qos 1",
                "max_topic_alias 10",
                "use_username_as_clientid false",
                "check_retain_source true",
                "clientid_prefixes it-")).startAndAwait(port);
             RawClient c = RawClient.connect(port, "it-" + Ids.client("opts"))) {
            c.ping();
        }
    }

    @Test
    void aTlsPskListenerNeverSpeaksPlainMqtt() {
        int port = BrokerProcess.freePorts(1)[0];
        BrokerLaunch launch = BrokerLaunch.create().config(List.of(
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "psk_hint midge"));
        try (BrokerProcess b = launch.start()) {
            // mosquitto has TLS-PSK and listens with it; the JDK has none, so Midge refuses to start.
            if (Reference.expect(true, false)) {
                assertEquals(3, b.awaitExit(START), b.tail(20));
                assertTrue(b.logText().contains("Error: " + launch.configFile() + ":3: psk_hint: TLS-PSK is not supported"),
                        b.tail(20));
            } else {
                b.awaitListening(port);
            }
            assertNull(plainConnack(port), "no CONNACK to a plain-text CONNECT");
        }
    }

    /** The answer to a plain MQTT CONNECT, or null when refused, closed or unanswered. */
    private static Packet plainConnack(int port) {
        RawClient c;
        try {
            c = RawClient.open(port);
        } catch (UncheckedIOException refused) {
            return null;
        }
        try (c) {
            return c.sendConnectQuietly(Mqtt.connect(Ids.client("plain")));
        }
    }

    private static boolean unshareWorks() {
        try {
            Process p = new ProcessBuilder("unshare", "-n", "true").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
