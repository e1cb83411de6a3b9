package io.midge.it;

import static io.midge.it.Mqtt.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Will messages (MQTT 3.1.1 section 3.1.2.5). Keep alive and takeover wills are in their own tests. */
class WillTest {

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();
    static final Duration QUIET = Duration.ofMillis(500);

    private static RawClient watcher(String willTopic, int qos) {
        RawClient w = RawClient.connect(broker.port(), Ids.client("wwatch"));
        w.subscribe(willTopic, qos);
        return w;
    }

    @Test
    void willIsPublishedWhenSocketClosesWithoutDisconnect() {
        String willTopic = Ids.topic("will-net");
        try (RawClient w = watcher(willTopic, 0)) {
            RawClient c = RawClient.connect(broker.port(), Mqtt.connect(Ids.client("wnet")).will(willTopic, "lost", 0, false));
            c.close(); // no DISCONNECT
            Packet will = w.nextPublish();
            assertEquals(willTopic, will.topic());
            assertEquals("lost", will.payloadString());
            assertEquals(0, will.qos());
            assertFalse(will.retain());
        }
    }

    @Test
    void willIsNotPublishedAfterDisconnect() {
        String willTopic = Ids.topic("will-disc");
        try (RawClient w = watcher(willTopic, 1)) {
            RawClient c = RawClient.connect(broker.port(), Mqtt.connect(Ids.client("wdisc")).will(willTopic, "x", 1, false));
            c.send(Mqtt.disconnect());
            assertTrue(c.closedWithin(Duration.ofSeconds(5)), "DISCONNECT closes the connection");
            c.close();
            w.assertNoPublish(QUIET);
        }
    }

    @Test
    void willIsPublishedOnMalformedPacket() {
        String willTopic = Ids.topic("will-malf");
        try (RawClient w = watcher(willTopic, 0)) {
            try (RawClient c = RawClient.connect(broker.port(),
                    Mqtt.connect(Ids.client("wmalf")).will(willTopic, "malformed", 0, false))) {
                c.send(Mqtt.subscribeWithHeader(0x80, 1, "a/b", 0)); // SUBSCRIBE flags must be 0010
                assertTrue(c.closedWithin(Duration.ofSeconds(5)));
            }
            assertEquals("malformed", w.nextPublish().payloadString());
        }
    }

    @Test
    void willIsPublishedOnSecondConnect() {
        String willTopic = Ids.topic("will-proto");
        try (RawClient w = watcher(willTopic, 0)) {
            try (RawClient c = RawClient.connect(broker.port(),
                    Mqtt.connect(Ids.client("wproto")).will(willTopic, "violated", 0, false))) {
                c.send(Mqtt.connect(Ids.client("again")).build()); // a second CONNECT is a protocol violation
                assertTrue(c.closedWithin(Duration.ofSeconds(5)));
            }
            // [MQTT-3.1.2-8]: a close for a protocol error publishes the will; mosquitto 2.0.11 does not.
            if (Reference.expect(true, false)) {
                assertEquals("violated", w.nextPublish().payloadString());
            } else {
                w.assertNoPublish(Duration.ofMillis(300));
            }
        }
    }

    @Test
    void willIsPublishedWithItsQos() {
        String willTopic = Ids.topic("will-qos");
        try (RawClient w = watcher(willTopic, 2)) {
            RawClient c = RawClient.connect(broker.port(), Mqtt.connect(Ids.client("wqos")).will(willTopic, "q2", 2, false));
            c.close();
            Packet will = w.nextPublish();
            assertEquals(2, will.qos(), "will QoS 2 to a QoS 2 subscriber: " + will);
            assertEquals("q2", will.payloadString());
            w.send(Mqtt.pubrec(will.packetId()));
            w.awaitAck(Mqtt.PUBREL, will.packetId());
            w.send(Mqtt.pubcomp(will.packetId()));
        }
        String willTopic1 = Ids.topic("will-qos1");
        try (RawClient w = watcher(willTopic1, 2)) {
            RawClient c = RawClient.connect(broker.port(), Mqtt.connect(Ids.client("wqos1")).will(willTopic1, "q1", 1, false));
            c.close();
            Packet will = w.nextPublish();
            assertEquals(1, will.qos(), "will QoS 1 to a QoS 2 subscriber: " + will);
            w.send(Mqtt.puback(will.packetId()));
        }
    }

    @Test
    void retainedWillIsKeptForLaterSubscribers() {
        String willTopic = Ids.topic("will-ret");
        try (RawClient w = watcher(willTopic, 1)) {
            RawClient c = RawClient.connect(broker.port(),
                    Mqtt.connect(Ids.client("wret")).will(willTopic, "last-words", 1, true));
            c.close();
            Packet live = w.nextPublish();
            assertEquals("last-words", live.payloadString());
            assertFalse(live.retain(), "live delivery to an existing subscriber has retain 0");
            w.send(Mqtt.puback(live.packetId()));
        }
        try (RawClient later = RawClient.connect(broker.port(), Ids.client("wlater"))) {
            later.subscribe(willTopic, 1);
            Packet retained = later.nextPublish();
            assertEquals("last-words", retained.payloadString());
            assertTrue(retained.retain(), "retained will is sent with retain 1 on subscribe");
            assertEquals(1, retained.qos());
            later.send(Mqtt.puback(retained.packetId()));
            later.publish(willTopic, 0, true, new byte[0]); // clear
        }
    }

    @Test
    void willIsPublishedOnceOnly() {
        String willTopic = Ids.topic("will-once");
        try (RawClient w = watcher(willTopic, 0)) {
            RawClient c = RawClient.connect(broker.port(), Mqtt.connect(Ids.client("wonce")).will(willTopic, "once", 0, false));
            c.sendQuietly(of(0x40, 0x02, 0x00)); // truncated garbage, then close
            c.close();
            assertEquals("once", w.nextPublish().payloadString());
            w.assertNoPublish(QUIET);
        }
    }
}
