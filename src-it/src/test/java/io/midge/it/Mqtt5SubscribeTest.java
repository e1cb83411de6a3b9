package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MQTT 5 SUBSCRIBE options, subscription identifiers, UNSUBACK and shared subscriptions (MQTT 5 sections 3.8-3.11, 4.8). */
class Mqtt5SubscribeTest {

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();
    static final Duration QUIET = Duration.ofMillis(300);
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private static RawClient client(String prefix) {
        return RawClient.connect5(broker.port(), Ids.client(prefix));
    }

    /** [MQTT-3.9.3-1] one reason code per filter, the granted QoS; section 3.9.2: empty property section. */
    @Test
    void subackCarriesOneReasonCodePerFilter() {
        String t = Ids.topic("suback5");
        try (RawClient c = client("suback5")) {
            c.send(Mqtt5.subscribe(0x1234, null, t + "/0", 0, t + "/1", 1, t + "/2", 2));
            Packet suback = c.awaitAck(Mqtt.SUBACK, 0x1234);
            assertArrayEquals(Mqtt.of(0x90, 0x06, 0x12, 0x34, 0x00, 0x00, 0x01, 0x02), suback.bytes(),
                    "SUBACK " + Mqtt.hex(suback.bytes()));
        }
    }

    /** [MQTT-3.8.3-3] no local: the client's own messages are not sent back to it, others' are. */
    @Test
    void noLocalSuppressesOwnMessages() {
        String t = Ids.topic("nolocal");
        try (RawClient c = client("nolocal"); RawClient other = client("nolocalo")) {
            assertArrayEquals(new int[] {0}, c.subscribe5(null, t, Mqtt5.options(0, true, false, 0)));
            c.publish5(t, 1, false, null, "own");
            other.publish5(t, 1, false, null, "other");
            assertEquals("other", c.nextPublish5().payloadString());
            c.assertNoPublish(QUIET);
        }
    }

    /** [MQTT-3.3.1-12] [MQTT-3.3.1-13] retain as published keeps the RETAIN flag on live delivery; without it the flag is 0. */
    @Test
    void retainAsPublishedKeepsTheRetainFlag() {
        String t = Ids.topic("rap");
        try (RawClient keeps = client("rap1"); RawClient clears = client("rap0"); RawClient pub = client("rapp")) {
            keeps.subscribe5(null, t, Mqtt5.options(0, false, true, 0));
            clears.subscribe5(null, t, Mqtt5.options(0, false, false, 0));
            pub.publish5(t, 1, true, null, "live");
            assertTrue(keeps.nextPublish5().retain(), "retain as published: flag kept");
            assertFalse(clears.nextPublish5().retain(), "live delivery clears the flag otherwise");
            pub.publish5(t, 0, true, null, ""); // clear the retained message
        }
    }

    /**
     * [MQTT-3.3.1-9] retain handling 0: retained sent on every subscribe; [MQTT-3.3.1-10] 1: only if
     * the subscription did not exist; [MQTT-3.3.1-11] 2: never.
     */
    @Test
    void retainHandlingDecidesWhenRetainedMessagesAreSent() {
        String t = Ids.topic("rh");
        try (RawClient pub = client("rhp")) {
            pub.publish5(t, 1, true, null, "kept");
            try (RawClient c = client("rh0")) {
                c.subscribe5(null, t, Mqtt5.options(0, false, false, 0));
                assertEquals("kept", c.nextPublish5().payloadString());
                c.subscribe5(null, t, Mqtt5.options(0, false, false, 0));
                assertEquals("kept", c.nextPublish5().payloadString(), "0: again on re-subscribe");
            }
            try (RawClient c = client("rh1")) {
                c.subscribe5(null, t, Mqtt5.options(0, false, false, 1));
                Packet5 p = c.nextPublish5();
                assertEquals("kept", p.payloadString());
                assertTrue(p.retain());
                c.subscribe5(null, t, Mqtt5.options(0, false, false, 1));
                c.assertNoPublish(QUIET);
            }
            try (RawClient c = client("rh2")) {
                c.subscribe5(null, t, Mqtt5.options(0, false, false, 2));
                c.assertNoPublish(QUIET);
                pub.publish5(t, 0, false, null, "live");
                assertEquals("live", c.nextPublish5().payloadString(), "2 still gets live messages");
            }
            pub.publish5(t, 0, true, null, "");
        }
    }

    /** [MQTT-3.3.4-3] section 3.3.2.3.8: a PUBLISH carries the subscription identifier of the matching subscription. */
    @Test
    void publishCarriesTheSubscriptionIdentifier() {
        String t = Ids.topic("subid");
        try (RawClient c = client("subid"); RawClient pub = client("subidp")) {
            c.subscribe5(Mqtt5.props().varint(Mqtt5.SUBSCRIPTION_ID, 300), t, 0);
            c.subscribe5(null, t + "/none", 0);
            pub.publish5(t, 0, false, null, "with-id");
            pub.publish5(t + "/none", 0, false, null, "without-id");
            assertEquals(List.of(300L), c.nextPublish5().numbers(Mqtt5.SUBSCRIPTION_ID));
            Packet5 p = c.nextPublish5();
            assertEquals("without-id", p.payloadString());
            assertFalse(p.has(Mqtt5.SUBSCRIPTION_ID), "a subscription without identifier: " + p);
        }
    }

    /**
     * [MQTT-3.3.4-3] [MQTT-3.3.4-4] [MQTT-3.3.4-5] overlapping subscriptions with identifiers 1 and 2:
     * the client gets both, in one PUBLISH with both identifiers or in one PUBLISH per subscription.
     */
    @Test
    void overlappingSubscriptionsDeliverBothIdentifiers() {
        String t = Ids.topic("subid2");
        try (RawClient c = client("subid2"); RawClient pub = client("subid2p")) {
            c.subscribe5(Mqtt5.props().varint(Mqtt5.SUBSCRIPTION_ID, 1), t + "/#", 0);
            c.subscribe5(Mqtt5.props().varint(Mqtt5.SUBSCRIPTION_ID, 2), t + "/+", 0);
            pub.publish5(t + "/x", 0, false, null, "both");
            Set<Long> ids = new TreeSet<>();
            List<Packet5> got = new ArrayList<>();
            while (ids.size() < 2) {
                Packet5 p = c.nextPublish5();
                got.add(p);
                List<Long> these = p.numbers(Mqtt5.SUBSCRIPTION_ID);
                assertFalse(these.isEmpty(), "every copy names its subscription: " + p);
                ids.addAll(these);
            }
            assertEquals(Set.of(1L, 2L), ids, "received " + got);
            c.assertNoPublish(QUIET);
        }
    }

    /** Section 3.8.2.1.2: subscription identifier 0 is a protocol error; mosquitto 2.0.11 calls it malformed (0x81). */
    @Test
    void subscriptionIdentifierZeroIsAProtocolError() {
        try (RawClient c = client("subid0")) {
            c.send(Mqtt5.subscribe(1, Mqtt5.props().varint(Mqtt5.SUBSCRIPTION_ID, 0), Ids.topic("subid0"), 0));
            c.expectDisconnect5(Reference.expect(0x82, 0x81), CLOSE_WAIT);
        }
    }

    /**
     * [MQTT-3.8.3-5] reserved option bits or QoS 3: malformed packet. Retain handling 3 is a
     * protocol error (section 3.8.3.1), which mosquitto 2.0.11 reports as malformed.
     */
    @ParameterizedTest(name = "options 0x{0}")
    @ValueSource(ints = {0x03, 0x30, 0x40, 0x80})
    void invalidSubscriptionOptionsAreMalformed(int options) {
        try (RawClient c = client("subopt")) {
            c.send(Mqtt5.subscribe(1, null, Ids.topic("subopt"), options));
            c.expectDisconnect5(options == 0x30 ? Reference.expect(0x82, 0x81) : 0x81, CLOSE_WAIT);
        }
    }

    /** [MQTT-3.11.3-1] section 3.11.3: UNSUBACK 0x00 for a removed subscription, 0x11 where none existed. */
    @Test
    void unsubackSaysWhichSubscriptionsExisted() {
        String t = Ids.topic("unsub5");
        try (RawClient c = client("unsub5")) {
            c.subscribe5(t, 1);
            c.send(Mqtt5.unsubscribe(0x0102, null, t, t + "/never"));
            Packet unsuback = c.awaitAck(Mqtt.UNSUBACK, 0x0102);
            assertArrayEquals(Mqtt.of(0xB0, 0x05, 0x01, 0x02, 0x00, 0x00, 0x11), unsuback.bytes(),
                    "UNSUBACK " + Mqtt.hex(unsuback.bytes()));
        }
    }

    /** [MQTT-3.8.3-4] no local on a shared subscription is a protocol error; mosquitto 2.0.11 grants it. */
    @Test
    void noLocalOnASharedSubscriptionIsAProtocolError() {
        try (RawClient c = client("shnl")) {
            int id = c.nextId();
            c.send(Mqtt5.subscribe(id, null, "$share/g/" + Ids.topic("shnl"), Mqtt5.options(1, true, false, 0)));
            if (Reference.expect(true, false)) {
                c.expectDisconnect5(0x82, CLOSE_WAIT);
            } else {
                assertEquals(List.of(1), Packet5.of(c.awaitAck(Mqtt.SUBACK, id)).reasons());
            }
        }
    }

    /**
     * [MQTT-4.8.2-1] [MQTT-4.8.2-2] a share name of at least one character, followed by "/" and a
     * filter: SUBACK 0x8F otherwise. mosquitto 2.0.11 grants "$share//t" and "$share/g" (QoS 1).
     */
    @ParameterizedTest
    @ValueSource(strings = {"$share//t", "$share/g"})
    void sharedSubscriptionWithoutShareNameOrFilterIsInvalid(String filter) {
        try (RawClient c = client("shbad")) {
            assertArrayEquals(new int[] {Reference.expect(0x8F, 0x01)}, c.subscribe5(null, filter, 1));
            c.ping();
        }
    }

    /** [MQTT-4.8.2-2] a share name with a wildcard: mosquitto 2.0.11 disconnects with 0x81, as for any invalid filter. */
    @ParameterizedTest
    @ValueSource(strings = {"$share/g+/t", "$share/g#/t", "a/#/b"})
    void wildcardInShareNameDisconnectsAsMalformed(String filter) {
        try (RawClient c = client("shwild")) {
            c.send(Mqtt5.subscribe(1, null, filter, 1));
            c.expectDisconnect5(0x81, CLOSE_WAIT);
        }
    }

    /** Section 4.8.2: each message goes to exactly one member of the share group, every member gets some. */
    @Test
    void sharedSubscriptionSpreadsMessagesOverTheGroup() {
        String t = Ids.topic("share");
        String filter = "$share/" + Ids.client("grp") + "/" + t;
        List<RawClient> members = new ArrayList<>();
        try (RawClient pub = client("sharep")) {
            for (int i = 0; i < 3; i++) {
                RawClient m = client("sharem");
                members.add(m);
                m.subscribe5(filter, 1);
                m.autoAck(true);
            }
            for (int i = 0; i < 30; i++) {
                pub.publish5(t, 1, false, null, "m" + i);
            }
            pub.ping();
            Set<String> seen = new TreeSet<>();
            int total = 0;
            int[] perMember = new int[3];
            Await.until(Duration.ofSeconds(5), () -> members.stream().mapToInt(RawClient::queued).sum() >= 30,
                    () -> "30 messages over the group, have " + members.stream().mapToInt(RawClient::queued).sum());
            for (int i = 0; i < 3; i++) {
                members.get(i).assertNoPublish(p -> false, QUIET, "nothing");
                Packet p;
                while ((p = members.get(i).poll(Duration.ZERO)) != null && !p.isClosed()) {
                    seen.add(Packet5.of(p).payloadString());
                    perMember[i]++;
                    total++;
                }
            }
            assertEquals(30, total, "each message delivered exactly once");
            assertEquals(30, seen.size());
            for (int n : perMember) {
                assertTrue(n > 0, "every member gets some: " + java.util.Arrays.toString(perMember));
            }
        } finally {
            members.forEach(RawClient::close);
        }
    }
}
