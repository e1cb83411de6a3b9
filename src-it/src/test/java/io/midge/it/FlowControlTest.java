package io.midge.it;

import static io.midge.it.Mqtt.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Outbound in-flight window ({@code max_inflight_messages}) and queue limit ({@code max_queued_messages}). */
class FlowControlTest {

    static final int INFLIGHT = 5;
    static final int QUEUED = 10;
    static BrokerProcess broker;
    static final Duration QUIET = Duration.ofMillis(500);

    @BeforeAll
    static void start() {
        broker = BrokerProcess.start("max_inflight_messages " + INFLIGHT, "max_queued_messages " + QUEUED);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    /**
     * Publishes {@code count} messages and returns once the broker has routed them all: a PUBACK only
     * says the broker took a message, so a QoS 0 probe subscriber has to see every one of them too.
     */
    private static void publishAll(String topic, int qos, int count) {
        try (RawClient probe = RawClient.connect(broker.port(), Ids.client("fcprobe"));
             RawClient pub = RawClient.connect(broker.port(), Ids.client("fcpub"))) {
            probe.subscribe(topic, 0);
            for (int i = 0; i < count; i++) {
                pub.publish(topic, qos, Integer.toString(i));
            }
            for (int i = 0; i < count; i++) {
                assertEquals(Integer.toString(i), probe.nextPublish().payloadString(), "probe");
            }
        }
    }

    @Test
    void unackedSubscriberReceivesExactlyTheInflightWindow() {
        String t = Ids.topic("window");
        try (RawClient sub = RawClient.connect(broker.port(), Ids.client("fcwin"))) {
            sub.subscribe(t, 1);
            publishAll(t, 1, INFLIGHT + 2);
            List<Packet> got = new ArrayList<>();
            for (int i = 0; i < INFLIGHT; i++) {
                Packet p = sub.nextPublish();
                assertEquals(Integer.toString(i), p.payloadString());
                got.add(p);
            }
            sub.assertNoPublish(QUIET); // window full
            assertEquals(INFLIGHT, got.stream().mapToInt(Packet::packetId).filter(x -> x != 0).distinct().count(),
                    "in-flight messages carry distinct non-zero packet ids: " + got);
            sub.send(Mqtt.puback(got.get(0).packetId()));
            Packet sixth = sub.nextPublish();
            assertEquals(Integer.toString(INFLIGHT), sixth.payloadString(), "one ack frees one slot");
            sub.assertNoPublish(QUIET);
            sub.send(Mqtt.puback(got.get(1).packetId()));
            assertEquals(Integer.toString(INFLIGHT + 1), sub.nextPublish().payloadString());
        }
    }

    @Test
    void inflightWindowAppliesToQos2() {
        String t = Ids.topic("window2");
        try (RawClient sub = RawClient.connect(broker.port(), Ids.client("fcwin2"))) {
            sub.subscribe(t, 2);
            publishAll(t, 2, INFLIGHT + 1);
            List<Packet> got = new ArrayList<>();
            for (int i = 0; i < INFLIGHT; i++) {
                got.add(sub.nextPublish());
            }
            sub.assertNoPublish(QUIET);
            int id = got.get(0).packetId();
            sub.send(Mqtt.pubrec(id));
            assertArrayEquals(of(0x62, 0x02, id >> 8, id & 0xFF), sub.awaitAck(Mqtt.PUBREL, id).bytes());
            sub.send(Mqtt.pubcomp(id));
            assertEquals(Integer.toString(INFLIGHT), sub.nextPublish().payloadString());
        }
    }

    @Test
    void messagesBeyondQueueLimitAreDropped() {
        String t = Ids.topic("queue");
        int published = 30;
        try (RawClient sub = RawClient.connect(broker.port(), Ids.client("fcq"))) {
            sub.subscribe(t, 1);
            publishAll(t, 1, published); // broker accepted and routed all 30
            List<String> got = new ArrayList<>();
            for (int i = 0; i < INFLIGHT; i++) {
                Packet p = sub.nextPublish();
                got.add(p.payloadString());
                sub.send(Mqtt.puback(p.packetId()));
            }
            got.addAll(drainAcking(sub));
            assertTrue(got.size() <= INFLIGHT + QUEUED,
                    "received " + got.size() + " > inflight + queue (" + (INFLIGHT + QUEUED) + "): " + got);
            assertTrue(got.size() >= QUEUED, "received only " + got.size() + ": " + got);
            assertInOrderFromZero(got);
        }
    }

    @Test
    void offlineQueueIsBoundedToo() {
        String id = Ids.client("fcoff");
        String t = Ids.topic("offline");
        try (RawClient sub = RawClient.connect(broker.port(), id, false)) {
            sub.subscribe(t, 1);
            sub.disconnect();
        }
        publishAll(t, 1, 30);
        try (RawClient sub = RawClient.connect(broker.port(), id, false)) {
            List<String> got = drainAcking(sub);
            assertTrue(got.size() <= INFLIGHT + QUEUED, "received " + got.size() + ": " + got);
            assertTrue(got.size() >= QUEUED, "received only " + got.size() + ": " + got);
            assertInOrderFromZero(got);
            sub.disconnect();
        }
        try (RawClient c = RawClient.connect(broker.port(), id, true)) {
            c.disconnect();
        }
    }

    /** Acks every PUBLISH as it comes; returns the payloads once nothing arrives for a while. */
    private static List<String> drainAcking(RawClient sub) {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Packet p = sub.poll(QUIET);
            if (p == null || p.isClosed()) {
                break;
            }
            if (p.type() == Mqtt.PUBLISH) {
                got.add(p.payloadString());
                sub.send(Mqtt.puback(p.packetId()));
            }
        }
        return got;
    }

    private static void assertInOrderFromZero(List<String> got) {
        assertEquals("0", got.get(0), "the oldest message is never the one dropped: " + got);
        for (int i = 1; i < got.size(); i++) {
            assertTrue(Integer.parseInt(got.get(i)) > Integer.parseInt(got.get(i - 1)), "out of order: " + got);
        }
    }
}
