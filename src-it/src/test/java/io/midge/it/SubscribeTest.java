package io.midge.it;

import org.junit.jupiter.params.provider.ValueSource;

import org.junit.jupiter.params.ParameterizedTest;

import static io.midge.it.Mqtt.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SUBSCRIBE / SUBACK, UNSUBSCRIBE / UNSUBACK and topic wildcards (MQTT 3.1.1 sections 3.8-3.11, 4.7). */
class SubscribeTest {

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();
    static final Duration QUIET = Duration.ofMillis(300);
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private static RawClient client(String prefix) {
        return RawClient.connect(broker.port(), Ids.client(prefix));
    }

    @Test
    void subackHasExactBytesAndGrantsRequestedQos() {
        String t = Ids.topic("suback");
        try (RawClient c = client("suback")) {
            c.send(Mqtt.subscribe(0x1234, t + "/0", 0, t + "/1", 1, t + "/2", 2));
            Packet suback = c.read();
            assertArrayEquals(of(0x90, 0x05, 0x12, 0x34, 0x00, 0x01, 0x02), suback.bytes(), "SUBACK " + suback);
        }
    }

    /** mosquitto never answers an invalid filter with 0x80: the whole SUBSCRIBE closes the connection. */
    @ParameterizedTest
    @ValueSource(strings = {"a/#/b", "a+", "#/a", "sport+", "+a"})
    void anInvalidFilterClosesTheConnectionEvenAfterValidOnes(String invalid) {
        try (RawClient c = client("badflt")) {
            c.send(Mqtt.subscribe(c.nextId(), Ids.topic("badfilter") + "/ok", 1, invalid, 0));
            c.assertClosedWithoutPacket(CLOSE_WAIT);
        }
        assertTrue(broker.isAlive());
    }

    @Test
    void subscribeWithWrongFixedHeaderFlagsClosesConnection() {
        try (RawClient c = client("subflags")) {
            c.send(Mqtt.subscribeWithHeader(0x80, 1, Ids.topic("subflags"), 0));
            c.assertClosedWithoutPacket(CLOSE_WAIT);
        }
    }

    @Test
    void subscribeWithQos3ClosesConnection() {
        try (RawClient c = client("subq3")) {
            c.send(Mqtt.subscribe(1, Ids.topic("subq3"), 3));
            c.assertClosedWithoutPacket(CLOSE_WAIT);
        }
    }

    @Test
    void subscribeWithoutFiltersClosesConnection() {
        try (RawClient c = client("subnone")) {
            c.send(of(0x82, 0x02, 0x00, 0x01));
            c.assertClosedWithoutPacket(CLOSE_WAIT);
        }
    }

    @Test
    void unsubscribeStopsDelivery() {
        String t = Ids.topic("unsub");
        try (RawClient c = client("unsub"); RawClient pub = client("unsubpub")) {
            c.subscribe(t, 1);
            c.autoAck(true);
            pub.publish(t, 1, "before");
            assertEquals("before", c.nextPublish().payloadString());
            c.send(Mqtt.unsubscribe(0x0102, t));
            assertArrayEquals(of(0xB0, 0x02, 0x01, 0x02), c.awaitAck(Mqtt.UNSUBACK, 0x0102).bytes());
            pub.publish(t, 1, "after");
            c.assertNoPublish(QUIET);
        }
    }

    @Test
    void unsubscribeRemovesOnlyTheExactFilter() {
        String t = Ids.topic("unsubexact");
        try (RawClient c = client("unsex"); RawClient pub = client("unsexpub")) {
            c.subscribe(t + "/+", 0);
            c.subscribe(t + "/b", 1);
            c.unsubscribe(t + "/b");
            pub.publish(t + "/b", 1, "via-wildcard");
            Packet p = c.nextPublish();
            assertEquals("via-wildcard", p.payloadString());
            assertEquals(0, p.qos(), "only the QoS 0 wildcard subscription is left");
            c.assertNoPublish(QUIET);
        }
    }

    @Test
    void unsubscribeFromUnknownFilterIsStillAcknowledged() {
        try (RawClient c = client("unsubunk")) {
            c.unsubscribe(Ids.topic("never-subscribed"), "x/+/y");
        }
    }

    @Test
    void unsubscribeWithWrongFixedHeaderFlagsClosesConnection() {
        try (RawClient c = client("unsflags")) {
            byte[] valid = Mqtt.unsubscribe(1, Ids.topic("unsflags"));
            valid[0] = (byte) 0xA0;
            c.send(valid);
            c.assertClosedWithoutPacket(CLOSE_WAIT);
        }
    }

    @Test
    void resubscribingReplacesQosAndResendsRetained() {
        String t = Ids.topic("resub");
        try (RawClient c = client("resub"); RawClient pub = client("resubpub")) {
            pub.publish(t, 2, true, "kept");
            c.subscribe(t, 0);
            Packet first = c.nextPublish();
            assertEquals("kept", first.payloadString());
            assertEquals(0, first.qos());
            assertTrue(first.retain());

            c.subscribe(t, 1);
            Packet again = c.nextPublish();
            assertEquals("kept", again.payloadString(), "retained message resent on re-subscribe");
            assertEquals(1, again.qos(), "with the new QoS");
            assertTrue(again.retain());
            c.send(Mqtt.puback(again.packetId()));

            pub.publish(t, 2, "live");
            Packet live = c.nextPublish();
            assertEquals("live", live.payloadString());
            assertEquals(1, live.qos(), "the subscription now has QoS 1 (replaced, not added)");
            c.send(Mqtt.puback(live.packetId()));
            c.assertNoPublish(QUIET); // one subscription, one copy
            pub.publish(t, 0, true, new byte[0]);
        }
    }

    @Test
    void overlappingSubscriptionsDeliverOnceAtHighestQos() {
        String t = Ids.topic("overlap");
        try (RawClient c = client("overlap"); RawClient pub = client("overpub")) {
            assertArrayEquals(new int[] {1, 2}, c.subscribe(t + "/+", 1, t + "/#", 2));
            c.autoAck(true);
            pub.publish(t + "/x", 2, "once");
            Packet p = c.nextPublish();
            assertEquals("once", p.payloadString());
            // [MQTT-3.3.5-1] requires the highest QoS of the matching subscriptions; mosquitto 2.0.11
            // uses the QoS of one of them (here the first, 1). README: differences from mosquitto.
            assertEquals(Reference.expect(2, 1), p.qos(), "QoS of the one copy");
            c.assertNoPublish(QUIET);
        }
    }

    // ---------------------------------------------------------------- wildcards

    private static void assertMatches(String filter, String topic) {
        try (RawClient sub = client("wm"); RawClient pub = client("wmpub")) {
            sub.subscribe(filter, 0);
            pub.publish(topic, 1, "m");
            Packet p = sub.await(x -> x.type() == Mqtt.PUBLISH && x.topic().equals(topic), RawClient.TIMEOUT,
                    "PUBLISH on '" + topic + "' for filter '" + filter + "'");
            assertEquals("m", p.payloadString());
        }
    }

    private static void assertNoMatch(String filter, String topic) {
        try (RawClient sub = client("wn"); RawClient pub = client("wnpub")) {
            sub.subscribe(filter, 0);
            pub.publish(topic, 1, "m");
            sub.assertNoPublishOn(topic, QUIET);
        }
    }

    @Test
    void plusMatchesExactlyOneLevelIncludingEmptyLevels() {
        String t = Ids.topic("plus");
        assertMatches(t + "/a/+/b", t + "/a//b");
        assertMatches(t + "/a/+/b", t + "/a/x/b");
        assertMatches(t + "/+", t + "/x");
        assertMatches(t + "/+", t + "/");
        assertNoMatch(t + "/a/+/b", t + "/a/x/y/b");
        assertNoMatch(t + "/+", t + "/x/y");
        assertNoMatch(t + "/+", t);
    }

    @Test
    void plusMatchesLeadingEmptyLevel() {
        String name = "finance-" + Ids.client("f");
        assertMatches("+/+", "/" + name);
        assertMatches("/+", "/" + name);
        assertNoMatch("+", "/" + name);
    }

    @Test
    void hashMatchesParentAndAllDescendants() {
        String sport = "sport-" + Ids.client("s");
        assertMatches(sport + "/#", sport);
        assertMatches(sport + "/#", sport + "/tennis/player1");
        assertMatches(sport + "/tennis/#", sport + "/tennis/player1/ranking");
        assertMatches(sport + "/tennis/+", sport + "/tennis/player1");
        assertNoMatch(sport + "/tennis/+", sport + "/tennis/player1/ranking");
        assertNoMatch(sport + "/#", sport + "x/tennis");
    }

    @Test
    void hashAloneMatchesEverythingExceptDollarTopics() {
        String t = Ids.topic("hash");
        assertMatches("#", t + "/deep/er");
        assertNoMatch("#", "$foo" + Ids.client("d") + "/bar");
    }

    @Test
    void dollarTopicsAreNotMatchedByLeadingWildcards() {
        String dollar = "$foo" + Ids.client("d");
        assertNoMatch("+/bar", dollar + "/bar");
        assertNoMatch("+/+", dollar + "/bar");
        assertMatches(dollar + "/#", dollar + "/bar");
        assertMatches(dollar + "/+", dollar + "/bar");
        assertMatches(dollar + "/bar", dollar + "/bar");
    }

    @Test
    void topicMatchingIsCaseSensitive() {
        String t = Ids.topic("case");
        assertNoMatch(t + "/ABC", t + "/abc");
        assertMatches(t + "/abc", t + "/abc");
    }
}
