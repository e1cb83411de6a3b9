package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on MQTT and WebSocket listeners, with certificates made by openssl for this run
 * ({@link TestCerts}: a CA, a server certificate for 127.0.0.1/localhost, a client certificate
 * with CN {@value TestCerts#CLIENT_CN}, and an unrelated second CA). Clients: Paho with an
 * SSLSocketFactory built from the PEM files, {@code mosquitto_pub --cafile/--cert/--key}, and raw
 * {@link SSLSocket}s. One broker for the class ({@code CA}, {@code CRT}, {@code KEY} are the
 * absolute paths of ca.crt, server.crt, server.key):
 * <pre>
 * listener P0 127.0.0.1
 * allow_anonymous true
 * acl_file ACL
 * listener P1 127.0.0.1          # server-only TLS
 * cafile CA
 * certfile CRT
 * keyfile KEY
 * listener P2 127.0.0.1          # mutual TLS
 * cafile CA
 * certfile CRT
 * keyfile KEY
 * require_certificate true
 * listener P3 127.0.0.1          # mutual TLS, the certificate's CN is the user name
 * cafile CA
 * certfile CRT
 * keyfile KEY
 * require_certificate true
 * use_identity_as_username true
 * listener P4 127.0.0.1          # at least TLS 1.3 (mosquitto 2.0: tls_version is the minimum)
 * cafile CA
 * certfile CRT
 * keyfile KEY
 * tls_version tlsv1.3
 * listener P5 127.0.0.1          # wss
 * protocol websockets
 * cafile CA
 * certfile CRT
 * keyfile KEY
 * </pre>
 * and the ACL file (anonymous clients may do anything outside $SYS; a user may write only under
 * its own name):
 * <pre>
 * topic readwrite #
 * pattern write ids/%u/#
 * </pre>
 */
class TlsTest {

    @TempDir
    static Path tmp;

    static TestCerts certs;
    static BrokerProcess broker;
    static int plain;
    static int tls;
    static int mutual;
    static int identity;
    static int tls13;
    static int wss;
    static final Duration QUIET = Duration.ofMillis(300);

    @BeforeAll
    static void start() {
        TestFiles.shareDir(tmp); // JUnit makes it 700; mosquitto runs as user mosquitto
        certs = TestCerts.generate(TestFiles.shareDir(tmp.resolve("certs")));
        Path acl = TestFiles.write(tmp.resolve("certs").resolve("acl"),
                "topic readwrite #",
                "pattern write ids/%u/#");
        int[] p = BrokerProcess.freePorts(6);
        plain = p[0];
        tls = p[1];
        mutual = p[2];
        identity = p[3];
        tls13 = p[4];
        wss = p[5];
        List<String> conf = new ArrayList<>(List.of(
                "listener " + plain + " 127.0.0.1",
                "allow_anonymous true",
                "acl_file " + acl));
        conf.add("listener " + tls + " 127.0.0.1");
        conf.addAll(serverFiles());
        conf.add("listener " + mutual + " 127.0.0.1");
        conf.addAll(serverFiles());
        conf.add("require_certificate true");
        conf.add("listener " + identity + " 127.0.0.1");
        conf.addAll(serverFiles());
        conf.add("require_certificate true");
        conf.add("use_identity_as_username true");
        conf.add("listener " + tls13 + " 127.0.0.1");
        conf.addAll(serverFiles());
        conf.add("tls_version tlsv1.3");
        conf.add("listener " + wss + " 127.0.0.1");
        conf.add("protocol websockets");
        conf.addAll(serverFiles());
        broker = BrokerProcess.startConfig(conf, p);
    }

    static List<String> serverFiles() {
        return certs.serverConfig();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    // ------------------------------------------------------------------ helpers

    static Paho pahoTls(int port, String clientId, SSLContext ctx) {
        return Paho.connect("ssl://" + BrokerProcess.HOST + ":" + port, clientId, true,
                o -> {
                    o.setSocketFactory(ctx.getSocketFactory());
                    o.setConnectionTimeout(5);
                });
    }

    /** A TLS socket (handshake done) restricted to {@code protocols} when any are given. */
    static SSLSocket tlsSocket(int port, SSLContext ctx, String... protocols) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(BrokerProcess.HOST, port), 5000);
        s.setSoTimeout(5000);
        SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(s, BrokerProcess.HOST, port, true);
        if (protocols.length > 0) {
            ssl.setEnabledProtocols(protocols);
        }
        ssl.startHandshake();
        ssl.setSoTimeout(0);
        return ssl;
    }

    static RawClient watcher(String filter) {
        RawClient w = RawClient.connect(plain, Ids.client("tls-watch"));
        w.subscribe(filter, 1);
        return w;
    }

    static SSLContext trustingCa() {
        return TestCerts.clientContext(certs.caCert);
    }

    static SSLContext withClientCert() {
        return TestCerts.clientContext(certs.caCert, certs.clientCert, certs.clientKey);
    }

    // ------------------------------------------------------------------ server-only TLS

    @Test
    void pahoTrustingTheCaConnectsOverTlsAndExchangesMessages() {
        String t = Ids.topic("tls-paho");
        try (RawClient w = watcher(t + "/#");
             Paho client = pahoTls(tls, Ids.client("tls-paho"), trustingCa())) {
            client.subscribe(t + "/in", 1);
            client.publish(t + "/out", "over-tls", 1, false);
            Packet p = w.nextPublish();
            assertEquals(t + "/out", p.topic());
            assertEquals("over-tls", p.payloadString());
            RawClient sender = RawClient.connect(plain, Ids.client("tls-send"));
            sender.publish(t + "/in", 1, "to-tls");
            sender.disconnect();
            Paho.Msg m = client.poll(RawClient.TIMEOUT);
            assertEquals("to-tls", m == null ? null : m.payload(), "message delivered over TLS");
        }
    }

    @Test
    void pahoTrustingAnotherCaIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> pahoTls(tls, Ids.client("tls-wrongca"), TestCerts.clientContext(certs.otherCaCert)).close());
        assertTrue(causes(e).contains("SSLHandshakeException") || causes(e).contains("CertPath"),
                "expected a certificate failure, got " + causes(e));
        assertTrue(broker.isAlive());
    }

    @Test
    void plainMqttOnATlsListenerGetsNoConnack() {
        try (RawClient c = RawClient.open(tls)) {
            assertNull(c.sendConnectQuietly(Mqtt.connect(Ids.client("tls-plain"))),
                    "a TLS listener must not answer a plain CONNECT");
        }
    }

    @Test
    void mosquittoPubWithCafileConnectsAndWithTheWrongCafileDoesNot() {
        String t = Ids.topic("tls-cli");
        try (RawClient w = watcher(t)) {
            try (Cli bad = Cli.start("mosquitto_pub", tls, "--cafile", certs.otherCaCert.toString(),
                    "-t", t, "-m", "wrong-ca", "-q", "1")) {
                assertNotEquals(0, bad.awaitExit(Duration.ofSeconds(10)), "mosquitto_pub trusting the other CA: " + bad.lines());
            }
            try (Cli good = Cli.start("mosquitto_pub", tls, "--cafile", certs.caCert.toString(),
                    "-t", t, "-m", "right-ca", "-q", "1")) {
                assertEquals(0, good.awaitExit(Duration.ofSeconds(10)), "mosquitto_pub --cafile: " + good.lines());
            }
            Packet p = w.nextPublish();
            assertEquals("right-ca", p.payloadString());
            w.assertNoPublish(QUIET);
        }
    }

    // ------------------------------------------------------------------ mutual TLS

    @Test
    void mutualTlsAcceptsAClientCertificateSignedByTheCa() {
        String t = Ids.topic("mtls-ok");
        try (RawClient w = watcher(t);
             Paho client = pahoTls(mutual, Ids.client("mtls-ok"), withClientCert())) {
            client.publish(t, "with-cert", 1, false);
            assertEquals("with-cert", w.nextPublish().payloadString());
        }
    }

    @Test
    void mutualTlsRefusesAClientWithoutCertificate() {
        assertThrows(IllegalStateException.class,
                () -> pahoTls(mutual, Ids.client("mtls-none"), trustingCa()).close());
        assertTrue(broker.isAlive());
    }

    @Test
    void mutualTlsRefusesAClientCertificateOfAnotherCa() {
        SSLContext intruder = TestCerts.clientContext(certs.caCert, certs.otherClientCert, certs.otherClientKey);
        assertThrows(IllegalStateException.class,
                () -> pahoTls(mutual, Ids.client("mtls-other"), intruder).close());
    }

    @Test
    void mutualTlsWithMosquittoPubCertAndKey() {
        String t = Ids.topic("mtls-cli");
        try (RawClient w = watcher(t)) {
            try (Cli noCert = Cli.start("mosquitto_pub", mutual, "--cafile", certs.caCert.toString(),
                    "-t", t, "-m", "no-cert", "-q", "1")) {
                assertNotEquals(0, noCert.awaitExit(Duration.ofSeconds(10)), "without --cert: " + noCert.lines());
            }
            try (Cli withCert = Cli.start("mosquitto_pub", mutual, "--cafile", certs.caCert.toString(),
                    "--cert", certs.clientCert.toString(), "--key", certs.clientKey.toString(),
                    "-t", t, "-m", "cert-and-key", "-q", "1")) {
                assertEquals(0, withCert.awaitExit(Duration.ofSeconds(10)), "with --cert/--key: " + withCert.lines());
            }
            assertEquals("cert-and-key", w.nextPublish().payloadString());
            w.assertNoPublish(QUIET);
        }
    }

    @Test
    void useIdentityAsUsernameMakesTheCertificateCnTheUserName() {
        // the ACL lets a user write only under ids/<its user name>/
        String mine = "ids/" + TestCerts.CLIENT_CN + "/" + Ids.client("x");
        String notMine = "ids/someone-else/" + Ids.client("x");
        try (RawClient w = watcher("ids/#");
             Paho client = pahoTls(identity, Ids.client("mtls-id"), withClientCert())) {
            client.publish(notMine, "not-mine", 1, false);   // acknowledged, dropped by the ACL
            client.publish(mine, "mine", 1, false);
            Packet p = w.nextPublish();
            assertEquals(mine, p.topic(), "the client's user name is the certificate CN " + TestCerts.CLIENT_CN);
            w.assertNoPublish(QUIET);
        }
    }

    @Test
    void useIdentityAsUsernameStillRequiresACertificate() {
        assertThrows(IllegalStateException.class,
                () -> pahoTls(identity, Ids.client("mtls-idnone"), trustingCa()).close());
    }

    // ------------------------------------------------------------------ tls_version, raw TLS, wss

    @Test
    void tlsVersionIsTheMinimumVersion() throws IOException {
        // without tls_version TLS 1.2 and 1.3 are both accepted
        for (String version : new String[] {"TLSv1.2", "TLSv1.3"}) {
            try (SSLSocket s = tlsSocket(tls, trustingCa(), version);
                 RawClient c = RawClient.over(s)) {
                assertEquals(version, s.getSession().getProtocol());
                RawClient.connected(c, Mqtt.connect(Ids.client("tlsdef")));
            }
        }
        // tls_version tlsv1.3: TLS 1.2 is refused in the handshake ...
        assertThrows(IOException.class, () -> tlsSocket(tls13, trustingCa(), "TLSv1.2").close(),
                "tls_version tlsv1.3 must refuse a TLS 1.2 client");
        // ... and TLS 1.3 is taken
        try (SSLSocket s = tlsSocket(tls13, trustingCa(), "TLSv1.3");
             RawClient c = RawClient.over(s)) {
            assertEquals("TLSv1.3", s.getSession().getProtocol());
            RawClient.connected(c, Mqtt.connect(Ids.client("tls13")));
            c.ping();
        }
    }

    @Test
    void rawTlsSocketCarriesMqtt() throws IOException {
        String t = Ids.topic("tls-raw");
        try (RawClient w = watcher(t);
             RawClient c = RawClient.over(tlsSocket(tls, trustingCa()))) {
            RawClient.connected(c, Mqtt.connect(Ids.client("tls-raw")));
            c.publish(t, 1, "raw-tls");
            assertEquals("raw-tls", w.nextPublish().payloadString());
        }
    }

    @Test
    void secureWebSocketCarriesMqtt() {
        String t = Ids.topic("wss");
        WebSocketClient ws = WebSocketClient.connect(trustingCa(), wss, "/mqtt", "mqtt");
        try (RawClient w = watcher(t + "/out");
             RawClient c = RawClient.over(ws.asSocket())) {
            assertEquals(101, ws.handshake().status(), ws.handshake().statusLine());
            assertEquals("mqtt", ws.handshake().header("Sec-WebSocket-Protocol"));
            RawClient.connected(c, Mqtt.connect(Ids.client("wss")));
            c.subscribe(t + "/in", 1);
            c.publish(t + "/out", 1, "from-wss");
            assertEquals("from-wss", w.nextPublish().payloadString());
            RawClient sender = RawClient.connect(plain, Ids.client("wss-send"));
            sender.publish(t + "/in", 0, "to-wss");
            sender.disconnect();
            Packet p = c.nextPublish();
            c.send(Mqtt.puback(p.packetId()));
            assertEquals("to-wss", p.payloadString());
        }
        WebSocketTest.assertAllBinary(ws);
    }

    @Test
    void pahoOverSecureWebSocket() {
        String t = Ids.topic("wss-paho");
        try (RawClient w = watcher(t);
             Paho client = Paho.connect("wss://" + BrokerProcess.HOST + ":" + wss + "/mqtt", Ids.client("wss-paho"), true,
                     o -> o.setSocketFactory(trustingCa().getSocketFactory()))) {
            client.publish(t, "paho-wss", 1, false);
            assertEquals("paho-wss", w.nextPublish().payloadString());
        }
    }

    @Test
    void secureWebSocketTrustingAnotherCaIsRefused() {
        assertThrows(java.io.UncheckedIOException.class,
                () -> WebSocketClient.connect(TestCerts.clientContext(certs.otherCaCert), wss, "/mqtt", "mqtt").close());
    }

    // ------------------------------------------------------------------ bad certificate paths

    @Test
    void aMissingCertificateFileIsAStartupErrorNamingTheFile() {
        Path missing = tmp.resolve("no-such-dir").resolve("missing.pem");
        String[][] cases = {
            {"certfile " + missing, "keyfile " + certs.serverKey, "cafile " + certs.caCert},
            {"certfile " + certs.serverCert, "keyfile " + missing, "cafile " + certs.caCert},
            {"certfile " + certs.serverCert, "keyfile " + certs.serverKey, "cafile " + missing},
        };
        for (String[] tlsLines : cases) {
            int port = BrokerProcess.freePorts(1)[0];
            List<String> conf = new ArrayList<>(List.of("listener " + port + " 127.0.0.1", "allow_anonymous true"));
            conf.addAll(List.of(tlsLines));
            BrokerProcess.Exit exit = BrokerProcess.runUntilExit(conf, Duration.ofSeconds(15));
            String which = String.join(" / ", tlsLines);
            assertNotEquals(0, exit.code(), which + ": the broker must exit non-zero; log:\n" + exit.log());
            assertTrue(exit.log().contains(missing.toString()),
                    which + ": the error must name " + missing + "; log:\n" + exit.log());
        }
    }

    private static String causes(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getClass().getName()).append(": ").append(c.getMessage()).append(" <- ");
        }
        return sb.toString();
    }
}
