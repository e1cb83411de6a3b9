package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** Many concurrent clients on one broker. */
class LoadTest {

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();

    @Test
    @Timeout(120)
    void thousandConcurrentClientsEachPublishToAnother() throws Exception {
        int n = 1000;
        String base = Ids.topic("load");
        List<RawClient> clients = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            clients.add(null);
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            // connect and subscribe in parallel, at most 16 at a time
            List<Future<?>> connects = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                connects.add(pool.submit(() -> {
                    RawClient c = RawClient.connect(broker.port(), Ids.client("load"));
                    clients.set(k, c);
                    c.subscribe(base + "/" + k, 1);
                    c.autoAck(true);
                    return null;
                }));
            }
            for (Future<?> f : connects) {
                f.get(60, TimeUnit.SECONDS);
            }
            // everyone publishes to its neighbour's topic, in parallel
            List<Future<?>> publishes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                publishes.add(pool.submit(() -> {
                    clients.get(k).publish(base + "/" + ((k + 1) % n), 1, "from-" + k);
                    return null;
                }));
            }
            for (Future<?> f : publishes) {
                f.get(60, TimeUnit.SECONDS);
            }
            int delivered = 0;
            List<Integer> missing = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Packet p = clients.get(i).poll(Duration.ofSeconds(10));
                if (p != null && !p.isClosed() && p.type() == Mqtt.PUBLISH
                        && p.payloadString().equals("from-" + ((i + n - 1) % n))) {
                    delivered++;
                } else {
                    missing.add(i);
                }
            }
            assertEquals(n, delivered, "clients without their message: " + missing);
            assertTrue(broker.isAlive());
        } finally {
            pool.shutdownNow();
            for (RawClient c : clients) {
                if (c != null) {
                    c.disconnect();
                }
            }
        }
    }
}
