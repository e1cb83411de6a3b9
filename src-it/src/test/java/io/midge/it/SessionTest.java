package io.midge.it;

import static io.midge.it.Mqtt.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Sessions: takeover by client id, clean session 0 persistence and clean session 1 discarding. */
class SessionTest {

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();
    static final Duration QUIET = Duration.ofMillis(400);

    private static int port() {
        return broker.port();
    }

    @Test
    void secondConnectionWithSameClientIdClosesTheFirst() {
        String id = Ids.client("take");
        try (RawClient first = RawClient.connect(port(), id);
             RawClient second = RawClient.open(port())) {
            Packet connack = second.sendConnect(Mqtt.connect(id));
            assertArrayEquals(of(0x20, 0x02, 0x00, 0x00), connack.bytes());
            assertTrue(first.closedWithin(Duration.ofSeconds(5)), "first connection must see EOF");
            second.ping();
        }
    }

    /**
     * A takeover publishes the old connection's will unless both the old and the new connection
     * have clean session 0: then the session (and its subscriptions) simply continues, reported
     * by session present 1, and the will stays unpublished.
     */
    @ParameterizedTest(name = "old clean session {0}, new clean session {1}")
    @CsvSource({"true, true", "true, false", "false, true", "false, false"})
    void takeoverPublishesTheOldWillUnlessBothSessionsArePersistent(boolean oldClean, boolean newClean) {
        String id = Ids.client("takew");
        String willTopic = Ids.topic("takewill");
        String topic = Ids.topic("takesub");
        boolean continues = !oldClean && !newClean;
        try (RawClient watcher = RawClient.connect(port(), Ids.client("watch"))) {
            watcher.subscribe(willTopic, 1);
            watcher.autoAck(true);
            try (RawClient first = RawClient.connect(port(), Mqtt.connect(id).cleanSession(oldClean).will(willTopic, "gone", 1, false));
                 RawClient second = RawClient.open(port()).autoAck(true)) {
                first.subscribe(topic, 1);
                Packet connack = second.sendConnect(Mqtt.connect(id).cleanSession(newClean));
                assertArrayEquals(of(0x20, 0x02, continues ? 0x01 : 0x00, 0x00), connack.bytes(), "CONNACK of the takeover");
                assertTrue(first.closedWithin(Duration.ofSeconds(5)), "first connection must see EOF");
                if (continues) {
                    watcher.assertNoPublish(QUIET);
                } else {
                    Packet will = watcher.nextPublish();
                    assertEquals(willTopic, will.topic());
                    assertEquals("gone", will.payloadString());
                }
                try (RawClient pub = RawClient.connect(port(), Ids.client("takewp"))) {
                    pub.publish(topic, 1, "to-the-session");
                }
                if (continues) {
                    assertEquals("to-the-session", second.nextPublish().payloadString(), "the subscription carried over");
                } else {
                    second.assertNoPublish(QUIET);
                }
                second.disconnect();
            }
            watcher.assertNoPublish(Duration.ZERO);
        }
        cleanUp(id);
    }

    @Test
    void takeoverWithCleanSession0KeepsSubscriptions() {
        String id = Ids.client("takecs");
        String topic = Ids.topic("takecs");
        try (RawClient first = RawClient.connect(port(), id, false)) {
            first.subscribe(topic, 1);
            try (RawClient second = RawClient.open(port())) {
                Packet connack = second.sendConnect(Mqtt.connect(id).cleanSession(false));
                assertArrayEquals(of(0x20, 0x02, 0x01, 0x00), connack.bytes(), "session present expected");
                assertTrue(first.closedWithin(Duration.ofSeconds(5)), "first connection must see EOF");
                try (RawClient pub = RawClient.connect(port(), Ids.client("takepub"))) {
                    pub.publish(topic, 1, "carried-over");
                }
                Packet p = second.nextPublish();
                assertEquals("carried-over", p.payloadString());
                assertEquals(1, p.qos());
                second.send(Mqtt.puback(p.packetId()));
                second.disconnect();
            }
        }
        cleanUp(id);
    }

    @Test
    void subscriptionsSurviveReconnectWithCleanSession0() {
        String id = Ids.client("keep");
        String topic = Ids.topic("keep");
        try (RawClient c = RawClient.connect(port(), id, false)) {
            c.subscribe(topic, 1);
            c.disconnect();
        }
        try (RawClient c = RawClient.open(port())) {
            assertArrayEquals(of(0x20, 0x02, 0x01, 0x00), c.sendConnect(Mqtt.connect(id).cleanSession(false)).bytes());
            c.autoAck(true);
            try (RawClient pub = RawClient.connect(port(), Ids.client("keeppub"))) {
                pub.publish(topic, 1, "still-subscribed");
            }
            assertEquals("still-subscribed", c.nextPublish().payloadString());
            c.disconnect();
        }
        cleanUp(id);
    }

    @Test
    void qos1And2MessagesAreQueuedWhileAway() {
        String id = Ids.client("away");
        String topic = Ids.topic("away");
        try (RawClient c = RawClient.connect(port(), id, false)) {
            assertArrayEquals(new int[] {1, 2}, c.subscribe(topic + "/1", 1, topic + "/2", 2));
            c.disconnect();
        }
        try (RawClient pub = RawClient.connect(port(), Ids.client("awaypub"))) {
            pub.publish(topic + "/1", 1, "q1");
            pub.publish(topic + "/2", 2, "q2");
            pub.publish(topic + "/2", 1, "q1-on-q2");
        }
        try (RawClient c = RawClient.open(port()).autoAck(true)) {
            assertArrayEquals(of(0x20, 0x02, 0x01, 0x00), c.sendConnect(Mqtt.connect(id).cleanSession(false)).bytes());
            Map<String, Integer> qosByPayload = new HashMap<>();
            for (int i = 0; i < 3; i++) {
                Packet p = c.nextPublish();
                qosByPayload.put(p.payloadString(), p.qos());
                assertFalse(p.dup(), "first delivery of a queued message has DUP=0: " + p);
            }
            assertEquals(Map.of("q1", 1, "q2", 2, "q1-on-q2", 1), qosByPayload);
            c.assertNoPublish(QUIET);
            c.disconnect();
        }
        cleanUp(id);
    }

    @Test
    void cleanSession1DiscardsStoredSession() {
        String id = Ids.client("discard");
        String topic = Ids.topic("discard");
        try (RawClient c = RawClient.connect(port(), id, false)) {
            c.subscribe(topic, 1);
            c.disconnect();
        }
        try (RawClient pub = RawClient.connect(port(), Ids.client("discpub"))) {
            pub.publish(topic, 1, "queued-then-discarded");
        }
        try (RawClient c = RawClient.open(port())) {
            assertArrayEquals(of(0x20, 0x02, 0x00, 0x00), c.sendConnect(Mqtt.connect(id).cleanSession(true)).bytes(),
                    "clean session 1 never has a session present");
            c.assertNoPublish(QUIET);
            c.disconnect();
        }
        try (RawClient c = RawClient.open(port())) {
            assertArrayEquals(of(0x20, 0x02, 0x00, 0x00), c.sendConnect(Mqtt.connect(id).cleanSession(false)).bytes(),
                    "the clean-session-1 connection discarded the old session");
            c.assertNoPublish(QUIET);
            // the old subscription is gone too
            try (RawClient pub = RawClient.connect(port(), Ids.client("discpub2"))) {
                pub.publish(topic, 1, "after");
            }
            c.assertNoPublish(QUIET);
            c.disconnect();
        }
        cleanUp(id);
    }

    @Test
    void cleanSession1SessionIsNotKeptAfterDisconnect() {
        String id = Ids.client("cs1");
        String topic = Ids.topic("cs1");
        try (RawClient c = RawClient.connect(port(), id, true)) {
            c.subscribe(topic, 1);
            c.disconnect();
        }
        try (RawClient pub = RawClient.connect(port(), Ids.client("cs1pub"))) {
            pub.publish(topic, 1, "nobody");
        }
        try (RawClient c = RawClient.open(port())) {
            assertArrayEquals(of(0x20, 0x02, 0x00, 0x00), c.sendConnect(Mqtt.connect(id).cleanSession(false)).bytes());
            c.assertNoPublish(QUIET);
            c.disconnect();
        }
        cleanUp(id);
    }

    @Test
    void pahoPersistentSessionReceivesAllQos1AndQos2MessagesAfterReconnect() {
        String id = Ids.client("paho-ps");
        String topic = Ids.topic("paho-ps");
        try (Paho sub = Paho.connect(port(), id, false)) {
            sub.subscribe(topic + "/q1", 1);
            sub.subscribe(topic + "/q2", 2);
            sub.disconnect();
        }
        try (Paho pub = Paho.connect(port(), Ids.client("paho-pub"), true)) {
            for (int i = 0; i < 10; i++) {
                pub.publish(topic + "/q1", "q1-" + i, 1, false);
                pub.publish(topic + "/q2", "q2-" + i, 2, false);
            }
            pub.disconnect();
        }
        try (Paho sub = Paho.connect(port(), id, false)) {
            List<Paho.Msg> got = sub.collect(20, Duration.ofSeconds(5));
            Set<String> payloads = new TreeSet<>();
            for (Paho.Msg m : got) {
                payloads.add(m.payload());
                assertEquals(m.payload().startsWith("q1") ? 1 : 2, m.qos(), "QoS of " + m);
            }
            assertEquals(20, got.size(), "messages received: " + got);
            assertEquals(20, payloads.size(), "distinct payloads: " + payloads);
            assertFalse(payloads.isEmpty());
            assertEquals(null, sub.poll(QUIET), "no extra messages");
            sub.disconnect();
        }
        cleanUp(id);
    }

    @Test
    void qos0MessagesAreNotQueuedWhileAway() {
        String id = Ids.client("awayq0");
        String topic = Ids.topic("awayq0");
        try (RawClient c = RawClient.connect(port(), id, false)) {
            c.subscribe(topic, 1);
            c.disconnect();
        }
        try (RawClient pub = RawClient.connect(port(), Ids.client("awayq0pub"))) {
            pub.publish(topic, 0, "qos0-dropped");
            pub.publish(topic, 1, "qos1-kept");
        }
        try (RawClient c = RawClient.connect(port(), Mqtt.connect(id).cleanSession(false), true)) {
            assertEquals("qos1-kept", c.nextPublish().payloadString());
            c.assertNoPublish(QUIET);
            c.disconnect();
        }
        cleanUp(id);
    }

    @Test
    void messagesQueuedWhileAwayArriveInOrder() {
        String id = Ids.client("awayord");
        String topic = Ids.topic("awayord");
        try (RawClient c = RawClient.connect(port(), id, false)) {
            c.subscribe(topic, 2);
            c.disconnect();
        }
        try (RawClient pub = RawClient.connect(port(), Ids.client("awayordp"))) {
            for (int i = 0; i < 50; i++) {
                pub.publish(topic, 1 + i % 2, Integer.toString(i));
            }
        }
        try (RawClient c = RawClient.connect(port(), Mqtt.connect(id).cleanSession(false), true)) {
            for (int i = 0; i < 50; i++) {
                Packet p = c.nextPublish();
                assertEquals(Integer.toString(i), p.payloadString(), "position " + i);
                assertEquals(1 + i % 2, p.qos());
            }
            c.assertNoPublish(QUIET);
            c.disconnect();
        }
        cleanUp(id);
    }

    @Test
    void takeoverResendsUnackedMessagesToTheNewConnection() {
        String id = Ids.client("takeack");
        String topic = Ids.topic("takeack");
        try (RawClient first = RawClient.connect(port(), id, false)) {
            first.subscribe(topic, 1);
            try (RawClient pub = RawClient.connect(port(), Ids.client("takeackp"))) {
                pub.publish(topic, 1, "unacked-at-takeover");
            }
            Packet p = first.nextPublish(); // not acknowledged
            try (RawClient second = RawClient.open(port())) {
                assertArrayEquals(of(0x20, 0x02, 0x01, 0x00),
                        second.sendConnect(Mqtt.connect(id).cleanSession(false)).bytes());
                Packet resent = second.nextPublish();
                assertEquals("unacked-at-takeover", resent.payloadString());
                assertTrue(resent.dup(), "resent with DUP=1: " + resent);
                assertEquals(p.packetId(), resent.packetId());
                second.send(Mqtt.puback(resent.packetId()));
                second.assertNoPublish(QUIET);
                second.disconnect();
            }
        }
        cleanUp(id);
    }

    @Test
    void resumingASessionDoesNotResendRetainedMessages() {
        String id = Ids.client("resret");
        String topic = Ids.topic("resret");
        try (RawClient pub = RawClient.connect(port(), Ids.client("resretp"))) {
            pub.publish(topic, 1, true, "retained");
        }
        try (RawClient c = RawClient.connect(port(), Mqtt.connect(id).cleanSession(false), true)) {
            c.subscribe(topic, 1);
            assertTrue(c.nextPublish().retain());
            c.assertNoPublish(QUIET); // let the PUBACK reach the broker
            c.disconnect();
        }
        try (RawClient c = RawClient.connect(port(), Mqtt.connect(id).cleanSession(false), true)) {
            c.assertNoPublish(QUIET); // no new SUBSCRIBE, so no retained message
            c.publish(topic, 0, true, new byte[0]);
            c.disconnect();
        }
        cleanUp(id);
    }

    /** Removes a clean-session-0 session from the shared broker. */
    private static void cleanUp(String id) {
        try (RawClient c = RawClient.connect(port(), id, true)) {
            c.disconnect();
        }
    }
}
