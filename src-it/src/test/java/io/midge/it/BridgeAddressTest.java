package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.midge.it.BridgedPair.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Where the bridge connects: the next address when the first is down; a remote that never answers. */
@WaitsMostly
class BridgeAddressTest {

    static final Duration LIMIT = Duration.ofSeconds(20);

    /** Choosing an address is the local broker's business alone, so its remote is mosquitto. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Topology.class, names = "TO_MOSQUITTO")
    void secondAddressWhenTheFirstIsDown(Topology topology) {
        int down = BrokerProcess.freePorts(1)[0];
        try (BridgedPair pair = BridgedPair.builder(topology, "failover")
                .addresses("address " + BrokerProcess.HOST + ":" + down + " " + BrokerProcess.HOST + ":%REMOTE%")
                .bridge("topic fo/# out 1")
                .start();
             Inbox remote = Inbox.subscribe(pair.remotePort, "remote-sub", true, "fo/#");
             Paho pub = Paho.connect(pair.localPort, "local-pub", true)) {
            Await.until(LIMIT, () -> {
                pub.publish("fo/t", "via the second", 1, false);
                return remote.all().stream().anyMatch(m -> m.topic().equals("fo/t"));
            }, () -> "a message across the bridge; local log:\n" + pair.local().tail(20));
        }
    }

    /**
     * A remote that accepts TCP connections, reads, and never writes a byte: the bridge gives up
     * on it (at the latest at its keep alive) and tries again; local clients are served all along,
     * and the broker's memory stays bounded (mosquitto 2.0 leaks here, eclipse/mosquitto#3296).
     */
    @Test
    void remoteThatNeverAnswersCostsNothing() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName(BrokerProcess.HOST))) {
            AtomicInteger accepted = new AtomicInteger();
            List<Socket> sockets = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = silent.accept();
                        sockets.add(s);
                        accepted.incrementAndGet();
                        Thread reader = new Thread(() -> drain(s), "silent-reader");
                        reader.setDaemon(true);
                        reader.start();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "silent-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            try (BridgedPair pair = BridgedPair.builder(Topology.SAME, "silent")
                    .remotePort(silent.getLocalPort())
                    // The bridge gives up waiting for CONNACK after its keep alive (mosquitto raises 2 to 5).
                    .bridge("topic silent/# out 1", "keepalive_interval 2")
                    .build()) {
                pair.startLocal();
                try (Inbox local = Inbox.subscribe(pair.localPort, "local-sub", true, "silent/#")) {
                    Await.until(LIMIT, () -> accepted.get() >= 1, "the bridge's first connection");
                    long rssAtFirst = rssKb(pair.local().pid());
                    for (int n = 0; n < 200; n++) {
                        local.paho().publish("silent/t", "n" + n, 1, false);
                    }
                    local.await("silent/t", "n199", LIMIT);
                    Await.until(LIMIT, () -> accepted.get() >= 2, () -> "the bridge to try again; local log:\n"
                            + pair.local().tail(20));
                    local.paho().publish("silent/t", "still served", 1, false);
                    local.await("silent/t", "still served", LIMIT);
                    assumeFalse(pair.topology.localRunsMosquitto(), "mosquitto leaks here (eclipse/mosquitto#3296)");
                    long rssAfter = rssKb(pair.local().pid());
                    assertTrue(rssAfter - rssAtFirst < 64 * 1024,
                            "resident memory grew from " + rssAtFirst + " kB to " + rssAfter + " kB");
                }
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    private static void drain(Socket s) {
        try (InputStream in = s.getInputStream()) {
            byte[] buf = new byte[4096];
            while (in.read(buf) >= 0) {
                // read everything, answer nothing
            }
        } catch (IOException closed) {
            // the bridge gave up
        }
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            throw new IllegalStateException("no VmRSS for " + pid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
