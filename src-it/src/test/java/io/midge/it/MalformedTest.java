package io.midge.it;

import static io.midge.it.Mqtt.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** Malformed packets and size limits: the offending connection is closed, everyone else carries on. */
class MalformedTest {

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    static final Duration QUIET = Duration.ofMillis(400);

    private static RawClient client(String prefix) {
        return RawClient.connect(broker.port(), Ids.client(prefix));
    }

    /** Proves the broker still routes messages between fresh clients. */
    private static void assertBrokerWorks(int port) {
        String t = Ids.topic("alive");
        try (RawClient sub = RawClient.connect(port, Ids.client("alivesub"));
             RawClient pub = RawClient.connect(port, Ids.client("alivepub"))) {
            sub.subscribe(t, 1);
            sub.autoAck(true);
            pub.publish(t, 1, "still-alive");
            assertEquals("still-alive", sub.nextPublish().payloadString());
        }
    }

    private static void assertClosedAfterSending(byte[] bytes) {
        try (RawClient c = client("malformed")) {
            c.send(bytes);
            c.assertClosedWithoutPacket(CLOSE_WAIT);
        }
    }

    @Test
    void pubackWithWrongFlagBitsClosesConnection() {
        assertClosedAfterSending(of(0x42, 0x02, 0x00, 0x01));
    }

    @Test
    void pubrelWithFlags0ClosesConnection() {
        assertClosedAfterSending(of(0x60, 0x02, 0x00, 0x01));
    }

    @Test
    void disconnectWithFlagsClosesWithoutWill() {
        // a malformed DISCONNECT is not a DISCONNECT: the will must be published
        String willTopic = Ids.topic("baddisc");
        try (RawClient w = client("bdwatch")) {
            w.subscribe(willTopic, 0);
            try (RawClient c = RawClient.connect(broker.port(),
                    Mqtt.connect(Ids.client("baddisc")).will(willTopic, "not-clean", 0, false))) {
                c.send(of(0xE1, 0x00));
                c.assertClosedWithoutPacket(CLOSE_WAIT);
            }
            assertEquals("not-clean", w.nextPublish().payloadString());
        }
    }

    @Test
    void remainingLengthOfFiveBytesClosesConnection() {
        assertClosedAfterSending(of(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x01, 'a'));
    }

    @Test
    void publishWithQos3ClosesConnection() {
        byte[] p = Mqtt.publish(Ids.topic("q3"), 2, false, false, 1, Mqtt.bytes("x"));
        p[0] = (byte) (p[0] | 0x06);
        assertClosedAfterSending(p);
    }

    @Test
    void publishQos1WithPacketId0ClosesConnection() {
        assertClosedAfterSending(Mqtt.publish(Ids.topic("id0"), 1, false, false, 0, Mqtt.bytes("x")));
    }

    @Test
    void publishToWildcardTopicClosesConnection() {
        assertClosedAfterSending(Mqtt.publish(Ids.topic("wild") + "/+", 0, false, false, 0, Mqtt.bytes("x")));
    }

    @Test
    void publishWithInvalidUtf8TopicClosesConnection() {
        byte[] topic = Mqtt.lengthPrefixed(of('a', '/', 0xC3, 0x28));
        assertClosedAfterSending(Mqtt.packet(0x30, Mqtt.concat(topic, Mqtt.bytes("x"))));
    }

    @Test
    void publishWithNulInTopicClosesConnection() {
        byte[] topic = Mqtt.lengthPrefixed(of('a', 0x00, 'b'));
        assertClosedAfterSending(Mqtt.packet(0x30, Mqtt.concat(topic, Mqtt.bytes("x"))));
    }

    @Test
    void reservedPacketTypesCloseConnection() {
        assertClosedAfterSending(of(0x00, 0x00));
        assertClosedAfterSending(of(0xF0, 0x00));
    }

    @Test
    void connackFromClientClosesConnection() {
        assertClosedAfterSending(of(0x20, 0x02, 0x00, 0x00));
    }

    @Test
    void subackFromClientClosesConnection() {
        assertClosedAfterSending(of(0x90, 0x03, 0x00, 0x01, 0x00));
    }

    @Test
    void truncatedConnectClosesConnection() {
        try (RawClient c = RawClient.open(broker.port())) {
            byte[] full = Mqtt.connect(Ids.client("trunc")).build();
            // remaining length says 4 bytes: cuts the protocol name short
            byte[] cut = Mqtt.packet(0x10, Arrays.copyOfRange(full, 2, 6));
            c.send(cut);
            c.assertClosedWithoutPacket(CLOSE_WAIT);
        }
    }

    @Test
    void tenMegabytePayloadIsPublishedAndReceived() {
        byte[] payload = new byte[10 * 1024 * 1024];
        new Random(42).nextBytes(payload);
        String t = Ids.topic("big");
        // Paho publishes, a raw subscriber checks every byte
        try (Paho pub = Paho.connect(broker.port(), Ids.client("bigpub"), true);
             RawClient sub = client("bigraw")) {
            sub.subscribe(t, 1);
            sub.autoAck(true);
            pub.publish(t, payload, 1, false);
            Packet p = sub.nextPublish(Duration.ofSeconds(20));
            assertEquals(1, p.qos());
            assertArrayEquals(payload, p.payload(), "raw subscriber payload");
        }
        // a raw client publishes, Paho receives
        try (Paho sub = Paho.connect(broker.port(), Ids.client("bigsub"), true);
             RawClient pub = client("bigpub2")) {
            sub.subscribe(t, 1);
            pub.publish(t, 1, false, payload);
            Paho.Msg m = sub.poll(Duration.ofSeconds(20));
            assertTrue(m != null, "10 MB message not received by Paho");
            assertArrayEquals(payload, m.bytes(), "Paho subscriber payload");
        }
    }

    @Test
    @Timeout(60)
    void clientClaiming256MegabytesDoesNotHurtOthers() {
        try (RawClient hog = client("hog")) {
            hog.send(of(0x30, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x03, 'a', '/', 'b')); // 268,435,455 announced
            assertBrokerWorks(broker.port());
            hog.sendQuietly(new byte[64 * 1024]); // a little more of the body, then vanish
            assertBrokerWorks(broker.port());
        }
        assertBrokerWorks(broker.port());
        assertTrue(broker.isAlive(), "broker process must survive");
    }

    @Test
    @Timeout(60)
    void twentyClientsClaiming256MegabytesEachDoNotHurtOthers() {
        java.util.List<RawClient> hogs = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                RawClient hog = client("hogs");
                hogs.add(hog);
                hog.send(of(0x30, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x03, 'a', '/', 'b'));
                hog.sendQuietly(new byte[256 * 1024]);
            }
            assertBrokerWorks(broker.port());
        } finally {
            hogs.forEach(RawClient::close);
        }
        assertBrokerWorks(broker.port());
        assertTrue(broker.isAlive(), "broker process must survive; log tail:\n" + broker.tail(20));
    }
}
