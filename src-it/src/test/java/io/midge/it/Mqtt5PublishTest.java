package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** MQTT 5 PUBLISH: reason codes, topic aliases, flow control, packet size, expiry, properties (MQTT 5 section 3.3, 4.9). */
class Mqtt5PublishTest {

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();
    static final Duration QUIET = Duration.ofMillis(300);
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private static RawClient client(String prefix) {
        return RawClient.connect5(broker.port(), Ids.client(prefix));
    }

    /** [MQTT-3.4.2-1] section 3.4.2.1: PUBACK 0x10 when nobody subscribes, 0x00 when someone does. */
    @Test
    void pubackSaysWhetherThereWereMatchingSubscribers() {
        String topic = Ids.topic("nomatch");
        try (RawClient pub = client("nomatch"); RawClient sub = client("nomatchs")) {
            assertEquals(0x10, pub.publish5(topic, 1, false, null, "nobody").reason());
            // QoS 2 is routed at PUBREL, after the PUBREC: mosquitto answers 0x00 there, and so must Midge.
            assertEquals(0x00, pub.publish5(topic, 2, false, null, "nobody").reason(), "PUBREC");
            sub.subscribe5(topic, 0);
            assertEquals(0x00, pub.publish5(topic, 1, false, null, "somebody").reason());
            assertEquals("somebody", sub.nextPublish5().payloadString());
        }
    }

    /** [MQTT-3.3.2-12] a topic alias set with a topic, then used alone: both delivered on the topic. */
    @Test
    void topicAliasIsResolvedByTheBroker() {
        String topic = Ids.topic("alias");
        try (RawClient pub = client("alias"); RawClient sub = client("aliass")) {
            sub.subscribe5(topic, 1);
            sub.autoAck(true);
            pub.publish5(topic, 1, false, Mqtt5.props().u16(Mqtt5.TOPIC_ALIAS, 1), "first");
            pub.publish5("", 1, false, Mqtt5.props().u16(Mqtt5.TOPIC_ALIAS, 1), "second");
            for (String expected : List.of("first", "second")) {
                Packet5 p = sub.nextPublish5();
                assertEquals(topic, p.topic());
                assertEquals(expected, p.payloadString());
                assertFalse(p.has(Mqtt5.TOPIC_ALIAS), "no alias towards a client that allowed none: " + p);
            }
        }
    }

    /**
     * [MQTT-3.3.2-8] alias 0 and [MQTT-3.3.2-9] an alias above the announced maximum (10): DISCONNECT
     * 0x94. mosquitto 2.0.11 answers alias 0 with 0x81 (malformed packet).
     */
    @Test
    void invalidTopicAliasDisconnectsWith0x94() {
        try (RawClient c = client("alias0")) {
            c.send(Mqtt5.publish(Ids.topic("alias0"), 1, 1, Mqtt5.props().u16(Mqtt5.TOPIC_ALIAS, 0), "x"));
            c.expectDisconnect5(Reference.expect(0x94, 0x81), CLOSE_WAIT);
        }
        try (RawClient c = client("alias11")) {
            c.send(Mqtt5.publish(Ids.topic("alias11"), 1, 1, Mqtt5.props().u16(Mqtt5.TOPIC_ALIAS, 11), "x"));
            c.expectDisconnect5(0x94, CLOSE_WAIT);
        }
    }

    /** Sections 3.3.2.1 and 3.3.2.3.4: an empty topic with an alias never set (or none) is a protocol error. */
    @Test
    void emptyTopicWithUnknownAliasIsAProtocolError() {
        try (RawClient c = client("aliasunk")) {
            c.send(Mqtt5.publish("", 1, 1, Mqtt5.props().u16(Mqtt5.TOPIC_ALIAS, 3), "x"));
            c.expectDisconnect5(0x82, CLOSE_WAIT);
        }
        try (RawClient c = client("notopic")) {
            c.send(Mqtt5.publish("", 1, 1, null, "x"));
            c.expectDisconnect5(0x82, CLOSE_WAIT);
        }
    }

    /**
     * [MQTT-3.3.4-9] the server sends no more QoS 1 PUBLISH than the client's receive maximum
     * unacknowledged; mosquitto 2.0.11 lets 3 be in flight after the first PUBACK (a spec violation).
     */
    @Test
    void subscriberReceiveMaximumLimitsMessagesInFlight() {
        String topic = Ids.topic("rmax");
        try (RawClient sub = RawClient.connect5(broker.port(), Mqtt5.connect(Ids.client("rmaxs"))
                .props(Mqtt5.props().u16(Mqtt5.RECEIVE_MAXIMUM, 2)));
                RawClient pub = client("rmaxp")) {
            sub.subscribe5(topic, 1);
            for (int i = 0; i < 5; i++) {
                pub.publish5(topic, 1, false, null, "m" + i);
            }
            List<Packet5> got = new ArrayList<>();
            got.add(sub.nextPublish5());
            got.add(sub.nextPublish5());
            sub.assertNoPublish(Duration.ofMillis(500));
            // mosquitto 2.0.11 sends two more PUBLISH per PUBACK (3 in flight): only the first window is checked there.
            boolean strict = Reference.expect(true, false);
            int acked = 0;
            while (got.size() < 5) {
                // the long form (reason code and empty properties) acknowledges as well as the short one
                sub.send(Mqtt5.ack(Mqtt.PUBACK, got.get(acked++).packetId(), 0x00, Mqtt5.props()));
                got.add(sub.nextPublish5());
                if (strict && got.size() < 5) {
                    sub.assertNoPublish(QUIET);
                }
            }
            assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), got.stream().map(Packet5::payloadString).toList());
        }
    }

    /**
     * Sections 3.3.4 and 4.9: a client that sends more QoS 2 PUBLISH than the broker's receive
     * maximum (20, announced in CONNACK) without completing them gets DISCONNECT 0x93.
     * mosquitto 2.0.11 answers PUBREC 0x97 instead (a spec violation).
     */
    @Test
    void publisherExceedingTheReceiveMaximumIsDisconnectedWith0x93() {
        try (RawClient c = client("rmaxpub")) {
            int max = c.connack5().number(Mqtt5.RECEIVE_MAXIMUM).intValue();
            String topic = Ids.topic("rmaxpub");
            for (int i = 1; i <= max; i++) {
                c.send(Mqtt5.publish(topic, 2, i, null, "q" + i));
                c.awaitAck(Mqtt.PUBREC, i);
            }
            c.send(Mqtt5.publish(topic, 2, max + 1, null, "one-too-many"));
            if (Reference.expect(true, false)) {
                c.expectDisconnect5(0x93, CLOSE_WAIT);
            } else {
                // mosquitto 2.0.11 refuses the one PUBLISH with PUBREC 0x97 (quota exceeded) and stays connected
                assertEquals(0x97, Packet5.of(c.awaitAck(Mqtt.PUBREC, max + 1)).reason());
            }
        }
    }

    /** [MQTT-3.1.2-24] [MQTT-3.1.2-25] the server never sends a packet larger than the client's maximum packet size: it drops it. */
    @Test
    void publishLargerThanTheSubscribersMaximumPacketSizeIsDropped() {
        String topic = Ids.topic("mps");
        try (RawClient sub = RawClient.connect5(broker.port(), Mqtt5.connect(Ids.client("mpss"))
                .props(Mqtt5.props().u32(Mqtt5.MAXIMUM_PACKET_SIZE, 200)));
                RawClient pub = client("mpsp")) {
            sub.subscribe5(topic, 1);
            sub.autoAck(true);
            pub.publish5(topic, 1, false, null, "x".repeat(300));
            pub.publish5(topic, 1, false, null, "small");
            Packet5 p = sub.nextPublish5();
            assertEquals("small", p.payloadString(), "the large message is dropped, got " + p);
            assertTrue(p.raw().bytes().length <= 200);
            sub.assertNoPublish(QUIET);
        }
    }

    /** [MQTT-3.3.2-6] the forwarded message expiry is the received one minus the time the message waited. */
    @Test
    void messageExpiryIsForwardedWithTheRemainingTime() {
        String topic = Ids.topic("mexp");
        try (RawClient pub = client("mexp"); RawClient sub = client("mexps")) {
            sub.subscribe5(topic, 0);
            pub.publish5(topic, 0, false, Mqtt5.props().u32(Mqtt5.MESSAGE_EXPIRY, 60), "live");
            Packet5 p = sub.nextPublish5();
            Long expiry = p.number(Mqtt5.MESSAGE_EXPIRY);
            assertNotNull(expiry, "message expiry forwarded: " + p);
            assertTrue(expiry <= 60 && expiry >= 58, "remaining expiry " + expiry);
        }
    }

    /** [MQTT-3.3.2-5] a retained message past its expiry is not sent to new subscribers. */
    @Test
    void expiredRetainedMessageIsNotDeliveredToNewSubscribers() {
        String topic = Ids.topic("rexp");
        try (RawClient pub = client("rexp")) {
            pub.publish5(topic, 1, true, Mqtt5.props().u32(Mqtt5.MESSAGE_EXPIRY, 1), "short-lived");
            try (RawClient sub = client("rexps0")) {
                sub.subscribe5(topic, 0);
                assertEquals("short-lived", sub.nextPublish5().payloadString(), "retained before it expires");
            }
            // New subscribers until one no longer gets it: a message expiry is a matter of time passing.
            boolean[] gone = {false};
            Await.until(Duration.ofSeconds(6), () -> {
                try (RawClient sub = client("rexps")) {
                    sub.subscribe5(topic, 0);
                    Packet p = sub.poll(Duration.ofMillis(200));
                    gone[0] = p == null;
                    return gone[0];
                }
            }, "the retained message to expire");
            // no lower bound: mosquitto counts expiry in whole seconds, so "1 s" may end after 0.5 s
        }
    }

    /** [MQTT-3.3.2-5] a message queued for an offline session and expired meanwhile is not delivered. */
    @Test
    void queuedMessageExpiresWhileTheSessionIsOffline() throws Exception {
        String topic = Ids.topic("qexp");
        String id = Ids.client("qexp");
        Mqtt5.Connect connect = Mqtt5.connect(id).props(Mqtt5.props().u32(Mqtt5.SESSION_EXPIRY, 60));
        try (RawClient sub = RawClient.connect5(broker.port(), connect)) {
            sub.subscribe5(topic, 1);
            sub.send(Mqtt5.disconnect(0x00, null));
            assertTrue(sub.closedWithin(CLOSE_WAIT));
        }
        try (RawClient pub = client("qexpp")) {
            pub.publish5(topic, 1, false, Mqtt5.props().u32(Mqtt5.MESSAGE_EXPIRY, 1), "expires");
            pub.publish5(topic, 1, false, Mqtt5.props().u32(Mqtt5.MESSAGE_EXPIRY, 60), "stays");
        }
        // Nothing to await: the message must outlive its expiry while nobody is connected.
        Thread.sleep(2100);
        try (RawClient sub = RawClient.connect5(broker.port(), Mqtt5.connect(id).cleanStart(false))) {
            assertTrue(sub.connack5().sessionPresent());
            Packet5 p = sub.nextPublish5();
            assertEquals("stays", p.payloadString());
            assertTrue(p.number(Mqtt5.MESSAGE_EXPIRY) <= 58, "remaining expiry " + p.number(Mqtt5.MESSAGE_EXPIRY));
            sub.send(Mqtt.puback(p.packetId()));
            sub.assertNoPublish(QUIET);
            sub.send(Mqtt5.disconnect(0x00, null));
        }
    }

    /**
     * Section 3.3.2.3.2: a receiver MAY check a payload that claims to be UTF-8 (PUBACK 0x99).
     * Midge does, so a consumer trusting the indicator never gets broken text; mosquitto 2.0.11
     * does not and forwards it unchanged.
     */
    @Test
    void invalidUtf8PayloadWithFormatIndicatorIsRefusedByMidgeAndForwardedByMosquitto() {
        String topic = Ids.topic("pfi");
        byte[] bad = Mqtt.of(0xC3, 0x28);
        try (RawClient pub = client("pfi"); RawClient sub = client("pfis")) {
            sub.subscribe5(topic, 0);
            int id = pub.nextId();
            pub.send(Mqtt5.publish(topic, 1, false, id, Mqtt5.props().u8(Mqtt5.PAYLOAD_FORMAT, 1), bad));
            assertEquals(Reference.expect(0x99, 0x00), Packet5.of(pub.awaitAck(Mqtt.PUBACK, id)).reason());
            if (BrokerProcess.isMosquitto()) {
                Packet5 p = sub.nextPublish5();
                assertArrayEquals(bad, p.payload());
                assertEquals(1L, p.number(Mqtt5.PAYLOAD_FORMAT));
            } else {
                pub.send(Mqtt5.publish(topic, 0, false, 0, Mqtt5.props().u8(Mqtt5.PAYLOAD_FORMAT, 1), Mqtt.bytes("ok")));
                assertArrayEquals(Mqtt.bytes("ok"), sub.nextPublish5().payload(), "only the valid one arrives");
            }
        }
    }

    /**
     * [MQTT-3.3.2-4] [MQTT-3.3.2-20] [MQTT-3.3.2-15] [MQTT-3.3.2-16] [MQTT-3.3.2-17] the server forwards
     * payload format, content type, response topic, correlation data and user properties unchanged, user
     * properties in order and with duplicates ([MQTT-3.3.2-18]); a 3.1.1 subscriber gets a plain PUBLISH.
     */
    @Test
    void applicationPropertiesArriveUnchanged() {
        String topic = Ids.topic("props");
        try (RawClient pub = client("props"); RawClient sub5 = client("props5");
                RawClient sub3 = RawClient.connect(broker.port(), Ids.client("props3"))) {
            sub5.subscribe5(topic, 0);
            sub3.subscribe(topic, 0);
            byte[] correlation = Mqtt.of(0x00, 0x01, 0xFF);
            pub.publish5(topic, 1, false, Mqtt5.props()
                    .u8(Mqtt5.PAYLOAD_FORMAT, 1)
                    .str(Mqtt5.CONTENT_TYPE, "text/plain")
                    .str(Mqtt5.RESPONSE_TOPIC, topic + "/reply")
                    .bin(Mqtt5.CORRELATION_DATA, correlation)
                    .user("k", "v1").user("a", "b").user("k", "v2"), "hello");
            Packet5 p = sub5.nextPublish5();
            assertEquals("hello", p.payloadString());
            assertEquals(1L, p.number(Mqtt5.PAYLOAD_FORMAT));
            assertEquals("text/plain", p.string(Mqtt5.CONTENT_TYPE));
            assertEquals(topic + "/reply", p.string(Mqtt5.RESPONSE_TOPIC));
            assertArrayEquals(correlation, p.binary(Mqtt5.CORRELATION_DATA));
            assertEquals(List.of("k=v1", "a=b", "k=v2"), p.userProps());
            assertNull(p.number(Mqtt5.MESSAGE_EXPIRY), "no expiry was set: " + p);

            Packet plain = sub3.nextPublish();
            assertArrayEquals(Mqtt.publish(topic, 0, false, false, 0, Mqtt.bytes("hello")), plain.bytes(),
                    "3.1.1 subscriber gets the PUBLISH without properties");
        }
    }
}
