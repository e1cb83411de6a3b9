package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MQTT 5 flows through Eclipse Paho's v5 client: QoS levels, the PUBLISH properties a broker must
 * forward unchanged (user properties in order and with duplicates, content type, payload format
 * indicator, response topic and correlation data, message expiry), session expiry, subscription
 * options and subscription identifiers.
 */
@WaitsMostly
class Paho5Test {

    private static final Duration WAIT = Duration.ofSeconds(5);
    /** How long a message that must not arrive is given to show up anyway. */
    private static final Duration QUIET = Duration.ofMillis(500);

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();

    private static Paho5 client(String prefix) {
        return Paho5.connect(broker.port(), Ids.client(prefix));
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    void publishAndSubscribeAtEachQos(int qos) {
        String t = Ids.topic("qos" + qos);
        try (Paho5 sub = client("sub"); Paho5 pub = client("pub")) {
            assertEquals(qos, sub.subscribe(t, qos), "SUBACK grants the QoS asked for");
            pub.publish(t, "m" + qos, qos, false);
            Paho5.Msg m = sub.next(WAIT, "the publish");
            assertEquals(t, m.topic());
            assertEquals("m" + qos, m.payload());
            assertEquals(qos, m.qos());
            assertFalse(m.retained());
        }
    }

    @Test
    void theConnackIsAnMqtt5One() {
        try (Paho5 c = client("connack")) {
            assertFalse(c.sessionPresent(), "clean start: no session");
            assertNotNull(c.connackProperties(), "CONNACK properties");
        }
    }

    @Test
    void userPropertiesKeepTheirOrderAndDuplicates() {
        String t = Ids.topic("userprops");
        try (Paho5 sub = client("sub"); Paho5 pub = client("pub")) {
            sub.subscribe(t, 1);
            MqttProperties p = Paho5.userProperties("b", "2", "a", "1", "b", "3", "b", "2", "ключ", "значение");
            pub.publish(t, "x", 1, false, p);
            Paho5.Msg m = sub.next(WAIT, "the publish");
            assertEquals(Paho5.pairs("b", "2", "a", "1", "b", "3", "b", "2", "ключ", "значение"), m.userProperties());
        }
    }

    @Test
    void contentTypeAndPayloadFormatIndicatorAreForwarded() {
        String t = Ids.topic("content");
        try (Paho5 sub = client("sub"); Paho5 pub = client("pub")) {
            sub.subscribe(t, 2);
            MqttProperties p = new MqttProperties();
            p.setContentType("application/json; charset=utf-8");
            p.setPayloadFormat(true);
            pub.publish(t, "{\"a\":1}", 2, false, p);
            Paho5.Msg m = sub.next(WAIT, "the publish");
            assertEquals("application/json; charset=utf-8", m.properties().getContentType());
            assertTrue(m.properties().getPayloadFormat(), "payload format indicator 1 (UTF-8)");

            pub.publish(t, new byte[] {(byte) 0xff, 0}, 0, false, new MqttProperties());
            Paho5.Msg plain = sub.next(WAIT, "the publish without properties");
            assertNull(plain.properties().getContentType());
            assertFalse(plain.properties().getPayloadFormat(), "no payload format indicator");
            assertArrayEquals(new byte[] {(byte) 0xff, 0}, plain.bytes());
        }
    }

    @Test
    void requestResponseWithResponseTopicAndCorrelationData() {
        String requests = Ids.topic("requests");
        String replies = Ids.topic("replies");
        byte[] correlation = {1, 2, 3, (byte) 0xfe};
        try (Paho5 responder = client("responder"); Paho5 requester = client("requester")) {
            responder.subscribe(requests, 1);
            requester.subscribe(replies, 1);

            MqttProperties ask = new MqttProperties();
            ask.setResponseTopic(replies);
            ask.setCorrelationData(correlation);
            requester.publish(requests, "what time is it", 1, false, ask);

            Paho5.Msg request = responder.next(WAIT, "the request");
            assertEquals(replies, request.properties().getResponseTopic());
            assertArrayEquals(correlation, request.properties().getCorrelationData());

            MqttProperties answer = new MqttProperties();
            answer.setCorrelationData(request.properties().getCorrelationData());
            responder.publish(request.properties().getResponseTopic(), "noon", 1, false, answer);

            Paho5.Msg reply = requester.next(WAIT, "the reply");
            assertEquals(replies, reply.topic());
            assertEquals("noon", reply.payload());
            assertArrayEquals(correlation, reply.properties().getCorrelationData());
            assertNull(reply.properties().getResponseTopic());
        }
    }

    @Test
    void messageExpiryIsForwardedToAnOnlineSubscriber() {
        String t = Ids.topic("expiry");
        try (Paho5 sub = client("sub"); Paho5 pub = client("pub")) {
            sub.subscribe(t, 1);
            MqttProperties p = new MqttProperties();
            p.setMessageExpiryInterval(60L);
            pub.publish(t, "soon stale", 1, false, p);
            Paho5.Msg m = sub.next(WAIT, "the publish");
            assertNotNull(m.messageExpiry(), "message expiry interval forwarded");
            // The server sends what is left of the interval [MQTT-3.3.2-6]: at most 60, and
            // almost nothing passed.
            assertTrue(m.messageExpiry() <= 60 && m.messageExpiry() >= 58, "remaining expiry " + m.messageExpiry());

            pub.publish(t, "forever", 1, false, new MqttProperties());
            assertNull(sub.next(WAIT, "the publish without expiry").messageExpiry(),
                    "no expiry interval where the publisher set none");
        }
    }

    @Test
    void aQueuedMessageExpiresAndTheRestCarryWhatIsLeftOfTheirInterval() {
        String t = Ids.topic("queued-expiry");
        String id = Ids.client("offline");
        try (Paho5 sub = Paho5.connect(broker.port(), id, true, 300)) {
            sub.subscribe(t, 1);
            sub.disconnect();
        }
        try (Paho5 pub = client("pub")) {
            MqttProperties shortLived = new MqttProperties();
            shortLived.setMessageExpiryInterval(1L);
            pub.publish(t, "short", 1, false, shortLived);
            MqttProperties longLived = new MqttProperties();
            longLived.setMessageExpiryInterval(30L);
            pub.publish(t, "long", 1, false, longLived);
        }
        // Time itself is what is tested: the first message's one second must run out.
        BrokerProcess.sleepQuietly(2_100);
        try (Paho5 sub = Paho5.connect(broker.port(), id, false, 300)) {
            assertTrue(sub.sessionPresent());
            Paho5.Msg m = sub.next(WAIT, "the long-lived queued message");
            assertEquals("long", m.payload(), "the expired message is not delivered [MQTT-3.3.2-5]");
            assertTrue(m.messageExpiry() <= 28, "at least 2 s of 30 gone: " + m.messageExpiry());
            assertNull(sub.poll(QUIET), "nothing else queued");
        }
    }

    @Test
    void aRetainedMessageExpires() {
        String t = Ids.topic("retained-expiry");
        try (Paho5 pub = client("pub"); Paho5 early = client("early")) {
            MqttProperties p = new MqttProperties();
            p.setMessageExpiryInterval(2L);
            pub.publish(t, "stale soon", 1, true, p);
            long publishedAt = System.nanoTime();
            early.subscribe(t, 1);
            Paho5.Msg m = early.next(WAIT, "the retained message before it expired");
            assertTrue(m.retained());
            assertTrue(m.messageExpiry() != null && m.messageExpiry() <= 2, "expiry " + m.messageExpiry());

            // Time itself is what is tested: the two seconds must run out (and a whole second more,
            // for a broker that counts in whole seconds).
            long left = Duration.ofSeconds(3).minusNanos(System.nanoTime() - publishedAt).toMillis();
            BrokerProcess.sleepQuietly(Math.max(0, left) + 100);
            try (Paho5 late = client("late")) {
                late.subscribe(t, 1);
                assertNull(late.poll(QUIET), "the expired retained message is gone");
            }
        }
    }

    @Test
    void aSessionWithExpiryKeepsItsSubscriptionsAndQueuesQos1Messages() {
        String t = Ids.topic("session");
        String id = Ids.client("persistent");
        try (Paho5 sub = Paho5.connect(broker.port(), id, false, 300)) {
            sub.subscribe(t, 1);
            sub.disconnect();
        }
        try (Paho5 pub = client("pub")) {
            for (int i = 1; i <= 3; i++) {
                pub.publish(t, "queued-" + i, 1, false, Paho5.userProperties("n", Integer.toString(i)));
            }
        }
        try (Paho5 sub = Paho5.connect(broker.port(), id, false, 300)) {
            assertTrue(sub.sessionPresent(), "session present");
            List<Paho5.Msg> got = sub.collect(3, WAIT);
            assertEquals(List.of("queued-1", "queued-2", "queued-3"), got.stream().map(Paho5.Msg::payload).toList());
            assertEquals(Paho5.pairs("n", "2"), got.get(1).userProperties(), "queued messages keep their properties");
            try (Paho5 pub = client("pub")) {
                pub.publish(t, "live", 1, false);
            }
            assertEquals("live", sub.next(WAIT, "a live message on the kept subscription").payload());
        }
    }

    @Test
    void sessionExpiryZeroKeepsNothing() {
        String t = Ids.topic("no-session");
        String id = Ids.client("transient");
        try (Paho5 sub = Paho5.connect(broker.port(), id, false, 0)) {
            sub.subscribe(t, 1);
            sub.disconnect();
        }
        try (Paho5 pub = client("pub")) {
            pub.publish(t, "lost", 1, false);
        }
        try (Paho5 sub = Paho5.connect(broker.port(), id, false, 0)) {
            assertFalse(sub.sessionPresent(), "the session ended with the connection");
            assertNull(sub.poll(QUIET), "nothing was queued");
            try (Paho5 pub = client("pub")) {
                pub.publish(t, "after", 1, false);
            }
            assertNull(sub.poll(QUIET), "the subscription is gone too");
        }
    }

    @Test
    void cleanStartDiscardsAnExistingSession() {
        String t = Ids.topic("clean-start");
        String id = Ids.client("restart");
        try (Paho5 sub = Paho5.connect(broker.port(), id, false, 300)) {
            sub.subscribe(t, 1);
            sub.disconnect();
        }
        try (Paho5 pub = client("pub")) {
            pub.publish(t, "dropped", 1, false);
        }
        try (Paho5 sub = Paho5.connect(broker.port(), id, true, 300)) {
            assertFalse(sub.sessionPresent());
            assertNull(sub.poll(QUIET), "the old session's queue went with it");
        }
    }

    @Test
    void noLocalKeepsAClientsOwnPublishesFromIt() {
        String t = Ids.topic("no-local");
        try (Paho5 self = client("self"); Paho5 other = client("other")) {
            self.subscribe(Paho5.subscription(t, 1, true, false, 0), null);
            self.publish(t, "mine", 1, false);
            other.publish(t, "theirs", 1, false);
            assertEquals("theirs", self.next(WAIT, "the other client's publish").payload());
            assertNull(self.poll(QUIET), "its own publish never came back");
        }
    }

    @Test
    void withoutNoLocalAClientReceivesItsOwnPublishes() {
        String t = Ids.topic("local");
        try (Paho5 self = client("self")) {
            self.subscribe(Paho5.subscription(t, 1, false, false, 0), null);
            self.publish(t, "mine", 1, false);
            assertEquals("mine", self.next(WAIT, "its own publish").payload());
        }
    }

    @Test
    void retainAsPublishedKeepsTheRetainFlagOfLiveMessages() {
        String t = Ids.topic("rap");
        try (Paho5 asPublished = client("rap"); Paho5 plain = client("plain"); Paho5 pub = client("pub")) {
            asPublished.subscribe(Paho5.subscription(t, 1, false, true, 0), null);
            plain.subscribe(Paho5.subscription(t, 1, false, false, 0), null);
            pub.publish(t, "kept", 1, true);
            assertTrue(asPublished.next(WAIT, "the live retained publish").retained(),
                    "retain as published: the flag as the publisher set it");
            assertFalse(plain.next(WAIT, "the live retained publish").retained(),
                    "without it a live message has retain 0 [MQTT-3.3.1-12]");
            pub.publish(t, "", 1, true); // clear
        }
    }

    @Test
    void retainHandlingDecidesWhenRetainedMessagesAreSent() {
        String t = Ids.topic("retain-handling");
        try (Paho5 pub = client("pub")) {
            pub.publish(t, "retained", 1, true);
        }
        try (Paho5 never = client("rh2"); Paho5 once = client("rh1"); Paho5 always = client("rh0")) {
            never.subscribe(Paho5.subscription(t, 1, false, false, 2), null);
            assertNull(never.poll(QUIET), "retain handling 2: no retained messages");

            once.subscribe(Paho5.subscription(t, 1, false, false, 1), null);
            assertEquals("retained", once.next(WAIT, "retained on a new subscription").payload());
            once.subscribe(Paho5.subscription(t, 1, false, false, 1), null);
            assertNull(once.poll(QUIET), "retain handling 1: not again for an existing subscription");

            always.subscribe(Paho5.subscription(t, 1, false, false, 0), null);
            assertTrue(always.next(WAIT, "retained on subscribe").retained());
            always.subscribe(Paho5.subscription(t, 1, false, false, 0), null);
            assertTrue(always.next(WAIT, "retained again on the repeated subscribe").retained(),
                    "retain handling 0: on every subscribe");
        }
        try (Paho5 pub = client("pub")) {
            pub.publish(t, "", 1, true); // clear
        }
    }

    @Test
    void subscriptionIdentifiersComeBackWithTheMessagesTheyMatched() {
        String t = Ids.topic("sub-id");
        try (Paho5 sub = client("sub"); Paho5 pub = client("pub")) {
            sub.subscribe(Paho5.subscription(t + "/exact", 1, false, false, 0), 7);
            sub.subscribe(Paho5.subscription(t + "/#", 1, false, false, 0), 268_435_455);
            sub.subscribe(Paho5.subscription(t + "/none/+", 1, false, false, 0), null);

            pub.publish(t + "/other", "wild", 1, false);
            Paho5.Msg wild = sub.next(WAIT, "the wildcard match");
            assertEquals(List.of(268_435_455), wild.subscriptionIdentifiers(), "the largest identifier, 268,435,455");

            // Two matching subscriptions: one copy with both identifiers, or one copy per
            // subscription with its own [MQTT-3.3.4-3, -4, -5]; either way both identifiers come.
            pub.publish(t + "/exact", "both", 1, false);
            Set<Integer> ids = new TreeSet<>();
            Await.until(WAIT, () -> {
                Paho5.Msg m = sub.poll(Duration.ofMillis(100));
                if (m != null) {
                    assertEquals("both", m.payload());
                    assertFalse(m.subscriptionIdentifiers().isEmpty(), "each copy names its subscription: " + m);
                    ids.addAll(m.subscriptionIdentifiers());
                }
                return ids.equals(Set.of(7, 268_435_455));
            }, () -> "both identifiers; got " + ids);

            pub.publish(t + "/none/x", "unnamed", 1, false);
            Paho5.Msg unnamed;
            do {
                unnamed = sub.next(WAIT, "the match of the subscription without identifier");
            } while (!unnamed.payload().equals("unnamed"));
            // it also matches t/#, identifier 268,435,455: only that one may be named
            assertTrue(Set.of(268_435_455).containsAll(unnamed.subscriptionIdentifiers()), unnamed.toString());
        }
    }

    @Test
    void aSubscriptionWithoutIdentifierDeliversNone() {
        String t = Ids.topic("no-sub-id");
        try (Paho5 sub = client("sub"); Paho5 pub = client("pub")) {
            sub.subscribe(t, 1);
            pub.publish(t, "x", 1, false);
            assertTrue(sub.next(WAIT, "the publish").subscriptionIdentifiers().isEmpty());
        }
    }

    @Test
    void aRetainedMessageSentOnSubscribeCarriesTheSubscriptionIdentifierAndItsProperties() {
        String t = Ids.topic("retained-sub-id");
        try (Paho5 pub = client("pub")) {
            MqttProperties p = Paho5.userProperties("origin", "retained");
            p.setContentType("text/plain");
            pub.publish(t, "kept".getBytes(StandardCharsets.UTF_8), 1, true, p);
        }
        try (Paho5 sub = client("sub")) {
            sub.subscribe(Paho5.subscription(t, 1, false, false, 0), 42);
            Paho5.Msg m = sub.next(WAIT, "the retained message");
            assertTrue(m.retained());
            assertEquals(List.of(42), m.subscriptionIdentifiers());
            assertEquals(Paho5.pairs("origin", "retained"), m.userProperties());
            assertEquals("text/plain", m.properties().getContentType());
        }
        try (Paho5 pub = client("pub")) {
            pub.publish(t, "", 1, true); // clear
        }
    }
}
