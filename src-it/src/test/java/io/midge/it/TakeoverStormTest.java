package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many concurrent CONNECTs of one client id (8 threads x 50, clean session 0) while messages flow
 * to and from that id: the broker keeps serving, exactly one of the storm's connections (the last
 * one the broker took) is left open and owns the session, the log has no exception, and clients
 * with other ids are not disturbed. Own broker, default configuration.
 */
class TakeoverStormTest {

    static final int THREADS = 8;
    static final int CONNECTS_PER_THREAD = 50;
    static final Duration SETTLE = Duration.ofSeconds(15);

    /**
     * {@code wait}: each thread waits for its CONNACK, then publishes; {@code pipelined}: each
     * connection sends CONNECT, SUBSCRIBE and PUBLISH in one write and the thread moves straight
     * on; {@code mixed}: pipelined, every other CONNECT with clean session 1 and each with a will.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"wait", "pipelined", "mixed"})
    void concurrentConnectsOfOneClientIdLeaveOneOwnerAndAHealthyBroker(String mode) throws Exception {
        boolean waitForConnack = mode.equals("wait");
        boolean mixed = mode.equals("mixed");
        try (BrokerProcess b = BrokerProcess.start()) {
            String id = Ids.client("storm");
            String t = Ids.topic("storm");
            try (RawClient first = RawClient.connect(b.port(), Mqtt.connect(id).cleanSession(false))) {
                first.subscribe(t + "/in", 1);
            }
            ConcurrentLinkedQueue<RawClient> storm = new ConcurrentLinkedQueue<>();
            AtomicInteger accepted = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            try (RawClient observer = RawClient.connect(b.port(), Mqtt.connect(Ids.client("stormobs")), true);
                 RawClient feeder = RawClient.connect(b.port(), Mqtt.connect(Ids.client("stormfeed")), true)) {
                observer.subscribe(t + "/out", 1);
                ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
                try {
                    Future<?> feeding = pool.submit(() -> {
                        int n = 0;
                        while (!stop.get()) {
                            feeder.publish(t + "/in", 1, "in-" + n++); // to the storm's id, acknowledged each
                        }
                        return null;
                    });
                    List<Future<?>> connectors = new ArrayList<>();
                    for (int th = 0; th < THREADS; th++) {
                        int thread = th;
                        connectors.add(pool.submit(() -> {
                            for (int i = 0; i < CONNECTS_PER_THREAD; i++) {
                                RawClient c = RawClient.open(b.port()).autoAck(true);
                                storm.add(c);
                                // from the id: may be cut short by the next takeover
                                byte[] out = Mqtt.publish(t + "/out", 1, false, false, 1 + i, Mqtt.bytes("out-" + thread + "-" + i));
                                if (!waitForConnack) {
                                    Mqtt.Connect connect = Mqtt.connect(id).cleanSession(mixed && i % 2 == 0);
                                    if (mixed) {
                                        connect.will(t + "/will", "will-" + thread + "-" + i, 1, false);
                                    }
                                    c.sendQuietly(connect.build(), Mqtt.subscribe(1000 + i, t + "/in", 1), out);
                                    continue;
                                }
                                Packet connack = c.sendConnectQuietly(Mqtt.connect(id).cleanSession(false));
                                if (connack != null && connack.type() == Mqtt.CONNACK && connack.body()[1] == 0) {
                                    accepted.incrementAndGet();
                                    c.sendQuietly(out);
                                }
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : connectors) {
                        f.get(120, TimeUnit.SECONDS);
                    }
                    stop.set(true);
                    feeding.get(30, TimeUnit.SECONDS);
                } finally {
                    stop.set(true);
                    pool.shutdownNow();
                }
                assertTrue(!waitForConnack || accepted.get() > 0, "some CONNECTs were accepted");

                Await.until(SETTLE, () -> storm.stream().filter(c -> !c.peerClosed()).count() <= 1,
                        () -> storm.stream().filter(c -> !c.peerClosed()).count() + " of the storm's connections still open");
                List<RawClient> open = storm.stream().filter(c -> !c.peerClosed()).toList();
                assertEquals(1, open.size(), "exactly one connection of the storm owns the session");
                RawClient owner = open.get(0);
                owner.ping();

                // the owner has the session: a message to the id reaches it
                feeder.publish(t + "/in", 1, "after-the-storm");
                owner.await(p -> p.type() == Mqtt.PUBLISH && p.payloadString().equals("after-the-storm"),
                        Duration.ofSeconds(10), "the message published after the storm");
                owner.publish(t + "/out", 1, "from-the-owner");
                observer.await(p -> p.type() == Mqtt.PUBLISH && p.payloadString().equals("from-the-owner"),
                        Duration.ofSeconds(10), "the owner's message");

                // bystanders were never disconnected and still exchange messages
                observer.ping();
                feeder.ping();
                assertFalse(observer.peerClosed() || feeder.peerClosed(), "bystanders stay connected");
                try (RawClient x = RawClient.connect(b.port(), Mqtt.connect(Ids.client("stormx")), true);
                     RawClient y = RawClient.connect(b.port(), Mqtt.connect(Ids.client("stormy")), true)) {
                    y.subscribe(t + "/xy", 1);
                    x.publish(t + "/xy", 1, "bystander");
                    assertEquals("bystander", y.nextPublish().payloadString());
                }
                owner.disconnect();
            } finally {
                storm.forEach(RawClient::close);
            }
            try (RawClient c = RawClient.connect(b.port(), Mqtt.connect(id).cleanSession(true))) {
                c.disconnect();
            }
            assertTrue(b.isAlive(), "broker still running");
            String log = b.logText();
            assertFalse(log.toLowerCase(Locale.ROOT).contains("exception"), "no exception in the broker log; tail:\n" + b.tail(40));
        }
    }
}
