package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The broker writes each packet in one piece: a client that reads a CONNACK, SUBACK or PUBACK with
 * a single {@code read} of exactly the packet's length gets all of it, also when several packets
 * are written back to back (a SUBACK followed by retained messages, more than one TLS record's
 * worth of them). Simple embedded clients read that way. Plain {@link Socket}s and
 * {@link javax.net.ssl.SSLSocket}s (whose {@code read} returns at most the rest of one TLS record),
 * no reader thread. One broker, a plain and a TLS listener:
 * <pre>
 * listener P 127.0.0.1
 * allow_anonymous true
 * listener T 127.0.0.1
 * cafile CA
 * certfile CRT
 * keyfile KEY
 * </pre>
 */
class WholePacketWriteTest {

    static final int ROUNDS = 300;

    @TempDir
    static Path tmp;

    static TestCerts certs;
    static SSLContext clientTls;
    static BrokerProcess broker;
    static int plain;
    static int tls;

    @BeforeAll
    static void start() {
        TestFiles.shareDir(tmp);
        certs = TestCerts.generate(TestFiles.shareDir(tmp.resolve("certs")));
        clientTls = TestCerts.clientContext(certs.caCert);
        int[] p = BrokerProcess.freePorts(2);
        plain = p[0];
        tls = p[1];
        List<String> conf = new ArrayList<>(List.of(
                "listener " + plain + " 127.0.0.1",
                "allow_anonymous true",
                "listener " + tls + " 127.0.0.1"));
        conf.addAll(certs.serverConfig());
        broker = BrokerProcess.startConfig(conf, p);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static Socket socket(boolean useTls) throws IOException {
        Socket s = useTls ? TlsTest.tlsSocket(tls, clientTls) : new Socket(BrokerProcess.HOST, plain);
        s.setTcpNoDelay(true);
        s.setSoTimeout((int) RawClient.TIMEOUT.toMillis());
        return s;
    }

    /** One {@code read(buf, 0, length)} must return {@code length} bytes; returns them. */
    private static byte[] readOnce(InputStream in, int length, String what) throws IOException {
        byte[] buf = new byte[length];
        int n = in.read(buf, 0, length);
        assertEquals(length, n, what + ": bytes returned by one read, got " + Mqtt.hex(Arrays.copyOf(buf, Math.max(n, 0))));
        return buf;
    }

    /** One {@code read(buf, 0, expected.length)} must return the whole of {@code expected}. */
    private static void assertOneRead(InputStream in, byte[] expected, String what) throws IOException {
        assertArrayEquals(expected, readOnce(in, expected.length, what), what);
    }

    private static Socket connect(boolean useTls, String clientId) throws IOException {
        Socket s = socket(useTls);
        s.getOutputStream().write(Mqtt.connect(clientId).build());
        assertOneRead(s.getInputStream(), Mqtt.of(0x20, 0x02, 0x00, 0x00), "CONNACK");
        return s;
    }

    @ParameterizedTest(name = "TLS {0}")
    @ValueSource(booleans = {false, true})
    void connackIsReadWholeByOneRead(boolean useTls) throws IOException {
        for (int i = 0; i < (useTls ? 20 : ROUNDS / 3); i++) {
            try (Socket s = connect(useTls, Ids.client("wpc"))) {
                s.getOutputStream().write(Mqtt.disconnect());
            }
        }
    }

    @ParameterizedTest(name = "TLS {0}")
    @ValueSource(booleans = {false, true})
    void subackAndPubackAreReadWholeByOneRead(boolean useTls) throws IOException {
        String t = Ids.topic("wp");
        try (Socket s = connect(useTls, Ids.client("wps"))) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 1; i <= ROUNDS; i++) {
                out.write(Mqtt.subscribe(i, t + "/" + i, 1));
                assertOneRead(in, Mqtt.of(0x90, 0x03, i >> 8, i & 0xFF, 0x01), "SUBACK " + i);
                out.write(Mqtt.publish(t + "/none", 1, false, false, i, Mqtt.bytes("m")));
                assertOneRead(in, Mqtt.of(0x40, 0x02, i >> 8, i & 0xFF), "PUBACK " + i);
            }
        }
    }

    /**
     * A SUBACK and the retained messages written right after it: 3 small ones, or 100 of 400
     * bytes (about 40 KB, more than two TLS records of 16 KB), each read with one read.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"3 small, plain", "3 small, TLS", "100 x 400 bytes, plain", "100 x 400 bytes, TLS"})
    void subackFollowedByRetainedMessagesIsReadPacketByPacket(String shape) throws IOException {
        boolean useTls = shape.endsWith("TLS");
        int count = shape.startsWith("3") ? 3 : 100;
        int size = shape.startsWith("3") ? 10 : 400;
        int rounds = shape.startsWith("3") ? 20 : 10; // mosquitto has Nagle on (set_tcp_nodelay false): ~40 ms a round
        String t = Ids.topic("wpr");
        List<byte[]> retained = new ArrayList<>();
        try (Socket pub = connect(false, Ids.client("wprp"))) {
            for (int i = 0; i < count; i++) {
                String payload = String.format("%0" + size + "d", i);
                byte[] publish = Mqtt.publish(String.format("%s/%03d", t, i), 0, true, false, 0, Mqtt.bytes(payload));
                pub.getOutputStream().write(publish);
                retained.add(publish); // delivered to a new subscriber as it was published (QoS 0, retain 1)
            }
            pub.getOutputStream().write(Mqtt.pingreq());
            assertOneRead(pub.getInputStream(), Mqtt.of(0xD0, 0x00), "PINGRESP");
        }
        Set<String> expected = new TreeSet<>();
        retained.forEach(r -> expected.add(Base64.getEncoder().encodeToString(r)));
        try (Socket s = connect(useTls, Ids.client("wprs"))) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 1; i <= rounds; i++) {
                out.write(Mqtt.subscribe(i, t + "/+", 0));
                assertOneRead(in, Mqtt.of(0x90, 0x03, i >> 8, i & 0xFF, 0x00), "SUBACK " + i);
                Set<String> got = new TreeSet<>();
                for (int k = 0; k < count; k++) {
                    got.add(Base64.getEncoder().encodeToString(
                            readOnce(in, retained.get(0).length, "retained PUBLISH " + k + " after SUBACK " + i)));
                }
                assertEquals(expected, got, "the retained messages, in any order");
            }
        }
        try (Socket pub = connect(false, Ids.client("wprc"))) {
            for (int i = 0; i < count; i++) {
                pub.getOutputStream().write(Mqtt.publish(String.format("%s/%03d", t, i), 0, true, false, 0, new byte[0]));
            }
            pub.getOutputStream().write(Mqtt.disconnect());
        }
    }
}
