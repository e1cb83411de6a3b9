package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retained messages (MQTT 3.1.1 section 3.3.1.3). */
class RetainTest {

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();
    static final Duration QUIET = Duration.ofMillis(400);

    private static RawClient client(String prefix) {
        return RawClient.connect(broker.port(), Ids.client(prefix));
    }

    @Test
    void retainedMessageIsSentOnSubscribeWithRetainFlag() {
        String t = Ids.topic("ret");
        try (RawClient pub = client("retpub")) {
            pub.publish(t, 1, true, "stored");
        }
        try (RawClient sub = client("retsub")) {
            sub.subscribe(t, 1);
            Packet p = sub.nextPublish();
            assertEquals(t, p.topic());
            assertEquals("stored", p.payloadString());
            assertTrue(p.retain(), "retain flag 1 on a message sent because of a new subscription: " + p);
            assertEquals(1, p.qos());
            assertFalse(p.dup());
            sub.send(Mqtt.puback(p.packetId()));
            sub.assertNoPublish(QUIET);
            sub.publish(t, 0, true, new byte[0]);
        }
    }

    @Test
    void retainedMessageIsReplacedByNewerOne() {
        String t = Ids.topic("retrepl");
        try (RawClient pub = client("replpub")) {
            pub.publish(t, 1, true, "v1");
            pub.publish(t, 1, true, "v2");
        }
        try (RawClient sub = client("replsub")) {
            sub.subscribe(t, 0);
            Packet p = sub.nextPublish();
            assertEquals("v2", p.payloadString());
            assertTrue(p.retain());
            sub.assertNoPublish(QUIET);
            sub.publish(t, 0, true, new byte[0]);
        }
    }

    @Test
    void emptyRetainedPayloadDeletesRetainedMessage() {
        String t = Ids.topic("retdel");
        try (RawClient pub = client("delpub")) {
            pub.publish(t, 1, true, "doomed");
            pub.publish(t, 1, true, new byte[0]);
        }
        try (RawClient sub = client("delsub")) {
            sub.subscribe(t, 1);
            sub.assertNoPublish(QUIET);
        }
    }

    @Test
    void emptyRetainedPublishIsForwardedToExistingSubscribers() {
        String t = Ids.topic("retempty");
        try (RawClient sub = client("emptysub"); RawClient pub = client("emptypub")) {
            sub.subscribe(t, 0);
            pub.publish(t, 1, true, new byte[0]);
            Packet p = sub.nextPublish();
            assertEquals(0, p.payload().length);
            assertFalse(p.retain());
        }
    }

    @Test
    void liveDeliveryToExistingSubscriberHasRetainFlag0() {
        String t = Ids.topic("retlive");
        try (RawClient sub = client("livesub"); RawClient pub = client("livepub")) {
            sub.subscribe(t, 1);
            pub.publish(t, 1, true, "live");
            Packet p = sub.nextPublish();
            assertEquals("live", p.payloadString());
            assertFalse(p.retain(), "established subscription gets retain 0: " + p);
            sub.send(Mqtt.puback(p.packetId()));
            pub.publish(t, 0, true, new byte[0]);
        }
    }

    @Test
    void nonRetainedPublishDoesNotReplaceRetainedMessage() {
        String t = Ids.topic("retkeep");
        try (RawClient pub = client("keeppub")) {
            pub.publish(t, 1, true, "retained");
            pub.publish(t, 1, false, "transient");
        }
        try (RawClient sub = client("keepsub")) {
            sub.subscribe(t, 0);
            assertEquals("retained", sub.nextPublish().payloadString());
            sub.assertNoPublish(QUIET);
            sub.publish(t, 0, true, new byte[0]);
        }
    }

    @Test
    void retainedMessageQosIsMinimumOfStoredAndGranted() {
        String t = Ids.topic("retqos");
        try (RawClient pub = client("rqpub")) {
            pub.publish(t + "/two", 2, true, "stored-q2");
            pub.publish(t + "/zero", 0, true, "stored-q0");
            // publish QoS 0 has no ack: prove the broker processed it before subscribing
            pub.ping();
        }
        try (RawClient sub = client("rqsub")) {
            sub.subscribe(t + "/two", 1);
            Packet two = sub.nextPublish();
            assertEquals(1, two.qos(), "QoS 2 retained to a QoS 1 subscription: " + two);
            sub.send(Mqtt.puback(two.packetId()));
            sub.subscribe(t + "/zero", 2);
            Packet zero = sub.nextPublish();
            assertEquals(0, zero.qos(), "QoS 0 retained to a QoS 2 subscription: " + zero);
            sub.publish(t + "/two", 0, true, new byte[0]);
            sub.publish(t + "/zero", 0, true, new byte[0]);
        }
    }

    @Test
    void wildcardSubscriptionReceivesAllMatchingRetainedMessages() {
        String t = Ids.topic("retwild");
        try (RawClient pub = client("rwpub")) {
            pub.publish(t + "/a", 1, true, "A");
            pub.publish(t + "/b", 1, true, "B");
            pub.publish(t + "/c/d", 1, true, "CD");
        }
        try (RawClient sub = client("rwsub")) {
            sub.subscribe(t + "/+", 0);
            Map<String, String> got = new TreeMap<>();
            for (int i = 0; i < 2; i++) {
                Packet p = sub.nextPublish();
                assertTrue(p.retain());
                got.put(p.topic(), p.payloadString());
            }
            assertEquals(Map.of(t + "/a", "A", t + "/b", "B"), got);
            sub.assertNoPublish(QUIET);
            sub.subscribe(t + "/#", 0);
            Map<String, String> all = new TreeMap<>();
            for (int i = 0; i < 3; i++) {
                Packet p = sub.nextPublish();
                all.put(p.topic(), p.payloadString());
            }
            assertEquals(Map.of(t + "/a", "A", t + "/b", "B", t + "/c/d", "CD"), all);
            for (String s : new String[] {"/a", "/b", "/c/d"}) {
                sub.publish(t + s, 0, true, new byte[0]);
            }
        }
    }

    @Test
    void pahoSeesRetainedFlag() {
        String t = Ids.topic("retpaho");
        try (Paho pub = Paho.connect(broker.port(), Ids.client("rppub"), true)) {
            pub.publish(t, "paho-retained", 1, true);
        }
        try (Paho sub = Paho.connect(broker.port(), Ids.client("rpsub"), true)) {
            sub.subscribe(t, 1);
            Paho.Msg m = sub.poll(RawClient.TIMEOUT);
            assertEquals("paho-retained", m == null ? null : m.payload());
            assertTrue(m.retained());
            sub.publish(t, new byte[0], 0, true);
        }
    }
}
