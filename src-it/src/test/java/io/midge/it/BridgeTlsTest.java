package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.midge.it.BridgedPair.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A bridge to a remote whose listener is TLS with a certificate from the test CA: with
 * {@code bridge_cafile} the CA it connects and forwards; with an unrelated CA it is refused, says
 * so in the log, forwards nothing, and the local broker keeps serving its own clients.
 */
class BridgeTlsTest {

    static final Duration LIMIT = Duration.ofSeconds(15);

    @TempDir
    static Path tmp;
    static TestCerts certs;

    @BeforeAll
    static void makeCerts() {
        TestFiles.shareDir(tmp); // JUnit makes it 700; mosquitto runs as user mosquitto
        certs = TestCerts.generate(TestFiles.shareDir(tmp.resolve("certs")));
    }

    private static BridgedPair start(Topology topology, String name, Path ca, int plainRemotePort) {
        return BridgedPair.builder(topology, name)
                .remoteListener(certs.serverConfig().toArray(String[]::new))
                .remote("listener " + plainRemotePort + " " + BrokerProcess.HOST)
                .bridge("topic tls/# out 1", "bridge_cafile " + ca)
                .start();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Topology.class)
    void bridgesOverTls(Topology topology) {
        int plain = BrokerProcess.freePorts(1)[0];
        try (BridgedPair pair = start(topology, "tls", certs.caCert, plain);
             Inbox remote = Inbox.subscribe(plain, "remote-sub", true, "tls/#");
             Inbox local = Inbox.subscribe(pair.localPort, "local-state", true, pair.stateTopic())) {
            local.awaitLast(pair.stateTopic(), "1", LIMIT);
            local.paho().publish("tls/t", "encrypted", 1, false);
            remote.await("tls/t", "encrypted", LIMIT);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Topology.class)
    void wrongCaIsRefused(Topology topology) {
        int plain = BrokerProcess.freePorts(1)[0];
        try (BridgedPair pair = start(topology, "badca", certs.otherCaCert, plain);
             Inbox remote = Inbox.subscribe(plain, "remote-sub", true, "tls/#", "$SYS/broker/connection/#");
             Inbox local = Inbox.subscribe(pair.localPort, "local-sub", true, "tls/#")) {
            Await.until(LIMIT, () -> pair.local().logText().toLowerCase(Locale.ROOT).contains("certificate verify failed")
                            || pair.local().logText().toLowerCase(Locale.ROOT).contains("certification path"),
                    () -> "the local log says the remote's certificate did not verify:\n" + pair.local().tail(20));
            local.paho().publish("tls/t", "not across", 1, false);
            local.await("tls/t", "not across", LIMIT);
            // The refused bridge retries (restart_timeout 1); let it fail again before looking.
            int mark = pair.local().logLength();
            Await.until(LIMIT, () -> pair.local().logText().substring(mark).toLowerCase(Locale.ROOT).contains("certif"),
                    () -> "a second refused attempt:\n" + pair.local().tail(20));
            assertEquals(0, remote.all().size(), "nothing reached the remote: " + remote.all());
        }
    }
}
