package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGHUP re-reads the certificate and key of TLS listeners, so that a renewed certificate needs no restart. */
class TlsReloadTest {

    static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void sighupGivesNewConnectionsTheNewCertificateKeepsOpenOnesAndSurvivesABrokenOne() throws Exception {
        assumeFalse(BrokerProcess.isMosquitto(), "mosquitto 2.0.11 keeps its certificates until restarted");
        TestCerts first = TestCerts.generate(TestFiles.shareDir(tmp.resolve("first")));
        TestCerts renewed = TestCerts.generate(TestFiles.shareDir(tmp.resolve("renewed")));
        int port = BrokerProcess.freePorts(1)[0];
        BrokerLaunch launch = BrokerLaunch.create();
        Path certs = launch.writableDir("certs");
        Path crt = certs.resolve("server.crt");
        Path key = certs.resolve("server.key");
        install(first, crt, key);
        try (BrokerProcess broker = launch.config(List.of(
                "listener " + port + " 127.0.0.1", "allow_anonymous true",
                "certfile " + crt, "keyfile " + key)).startAndAwait(port);
             RawClient open = RawClient.connected(RawClient.over(tls(port, first.caCert)), Mqtt.connect(Ids.client("tls-old")))) {
            install(renewed, crt, key);
            broker.signal("HUP");

            Await.until(LIMIT, () -> handshakes(port, renewed.caCert), "a new connection gets the renewed certificate");
            assertFalse(handshakes(port, first.caCert), "the old certificate is no longer offered");
            open.ping();

            Files.writeString(crt, "not a certificate\n");
            int from = broker.logLength();
            broker.signal("HUP");
            broker.awaitLogLineAfter(from, LIMIT, "Keeping the previous certificate for the listener on port " + port);
            assertTrue(handshakes(port, renewed.caCert), "a broken certificate file leaves the last good one in use");
            open.ping();
        }
    }

    private static void install(TestCerts certs, Path crt, Path key) throws IOException {
        Files.copy(certs.serverCert, crt, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(certs.serverKey, key, StandardCopyOption.REPLACE_EXISTING);
        TestFiles.shareFile(crt);
        TestFiles.shareFile(key);
    }

    private static SSLSocket tls(int port, Path trustedCa) throws IOException {
        return TlsTest.tlsSocket(port, TestCerts.clientContext(trustedCa));
    }

    private static boolean handshakes(int port, Path trustedCa) {
        try (SSLSocket socket = tls(port, trustedCa)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
