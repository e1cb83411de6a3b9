package io.midge.it;

import static io.midge.it.Mqtt.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which strings mosquitto 2.0.11 accepts in the client id, the user name, the will topic, PUBLISH
 * topic names and SUBSCRIBE / UNSUBSCRIBE filters. A refused string closes the connection without
 * any answer (no CONNACK, PUBACK, SUBACK or UNSUBACK):
 * <ul>
 * <li>control characters U+0001-U+001F and U+007F-U+009F, and Unicode noncharacters such as
 *     U+FFFF, in every one of those fields (the password is binary data and takes anything);
 * <li>a zero-length topic filter in SUBSCRIBE or UNSUBSCRIBE, even after a valid one, and a
 *     zero-length PUBLISH topic;
 * <li>a topic or filter with more than 200 {@code /} separators: 200 work, 201 close the
 *     connection, in SUBSCRIBE, UNSUBSCRIBE, PUBLISH and the will topic alike.
 * </ul>
 * A will on {@code $CONTROL/...} is accepted (CONNACK 0) and published like any other will.
 */
class ValidationTest {

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();
    static final Duration QUIET = Duration.ofMillis(400);

    /** Code points every checked string field refuses: C0 controls, DEL, C1 controls, noncharacters. */
    static final int[] REFUSED = {0x01, 0x0A, 0x1F, 0x7F, 0x80, 0x85, 0x9F, 0xFDD0, 0xFFFF, 0x1FFFF};
    /** Their neighbours, accepted: space, tilde, no-break space, U+FFFD, an emoji. */
    static final int[] ACCEPTED = {0x20, 0x7E, 0xA0, 0xAD, 0xFFFD, 0x1F600};

    enum Field { CLIENT_ID, USER_NAME, WILL_TOPIC, TOPIC_NAME, SUBSCRIBE_FILTER, UNSUBSCRIBE_FILTER }

    static Stream<Arguments> fieldsAndCodePoints() {
        List<Arguments> cases = new ArrayList<>();
        for (Field f : Field.values()) {
            for (int cp : REFUSED) {
                cases.add(Arguments.of(f, String.format("U+%04X", cp), cp, false));
            }
            for (int cp : ACCEPTED) {
                cases.add(Arguments.of(f, String.format("U+%04X", cp), cp, true));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with {1}: accepted {3}")
    @MethodSource("fieldsAndCodePoints")
    void controlCharactersAndNoncharactersCloseTheConnection(Field field, String label, int codePoint, boolean accepted) {
        String s = "a" + new String(Character.toChars(codePoint)) + "b";
        String token = Ids.client("v");
        switch (field) {
            case CLIENT_ID -> assertConnect(Mqtt.connect(token + s), accepted);
            case USER_NAME -> assertConnect(Mqtt.connect(token).username(s), accepted);
            case WILL_TOPIC -> assertConnect(Mqtt.connect(token).will(Ids.topic("v") + "/" + s, "w", 0, false), accepted);
            case TOPIC_NAME -> assertPacket(Mqtt.publish(Ids.topic("v") + "/" + s, 1, false, false, 1, Mqtt.bytes("m")),
                    of(0x40, 0x02, 0x00, 0x01), accepted);
            case SUBSCRIBE_FILTER -> assertPacket(Mqtt.subscribe(1, Ids.topic("v") + "/" + s, 0),
                    of(0x90, 0x03, 0x00, 0x01, 0x00), accepted);
            case UNSUBSCRIBE_FILTER -> assertPacket(Mqtt.unsubscribe(1, Ids.topic("v") + "/" + s),
                    of(0xB0, 0x02, 0x00, 0x01), accepted);
        }
    }

    @Test
    void passwordIsBinaryDataAndMayHoldControlCharacters() {
        for (int cp : REFUSED) {
            try (RawClient c = RawClient.open(broker.port())) {
                Packet connack = c.sendConnect(Mqtt.connect(Ids.client("pw")).username("u")
                        .password("p" + new String(Character.toChars(cp))));
                assertArrayEquals(of(0x20, 0x02, 0x00, 0x00), connack.bytes(), String.format("password with U+%04X", cp));
            }
        }
    }

    /** A CONNECT is either accepted (CONNACK 0) or the connection is closed without a CONNACK. */
    private static void assertConnect(Mqtt.Connect connect, boolean accepted) {
        if (accepted) {
            try (RawClient c = RawClient.connect(broker.port(), connect)) {
                c.disconnect();
            }
        } else {
            RawClient.assertConnectClosedWithoutConnack(broker.port(), connect);
        }
    }

    /** Sends {@code packet} on a fresh connection: either {@code answer} comes back or the connection is closed without one. */
    private static void assertPacket(byte[] packet, byte[] answer, boolean accepted) {
        try (RawClient c = RawClient.connect(broker.port(), Ids.client("v"))) {
            c.send(packet);
            if (accepted) {
                assertArrayEquals(answer, c.read().bytes());
                c.ping();
            } else {
                c.assertClosedWithoutPacket(RawClient.TIMEOUT);
            }
        }
    }

    // ------------------------------------------------------------------ zero-length strings

    @Test
    void zeroLengthFilterInSubscribeClosesTheConnection() {
        assertPacket(Mqtt.subscribe(1, "", 0), null, false);
        assertPacket(Mqtt.subscribe(1, Ids.topic("z"), 0, "", 0), null, false); // even after a valid one
    }

    @Test
    void zeroLengthFilterInUnsubscribeClosesTheConnection() {
        assertPacket(Mqtt.unsubscribe(1, ""), null, false);
        assertPacket(Mqtt.unsubscribe(1, Ids.topic("z"), ""), null, false);
    }

    @Test
    void zeroLengthPublishTopicClosesTheConnection() {
        assertPacket(Mqtt.publish("", 1, false, false, 1, Mqtt.bytes("m")), null, false);
    }

    // ------------------------------------------------------------------ topic levels

    static Stream<Arguments> deepEnough() {
        return Stream.of(Arguments.of("200 slashes", "/".repeat(200)),
                Arguments.of("abc/ x 199 + d", "abc/".repeat(199) + "d"),
                Arguments.of("abc/ x 200 + d", "abc/".repeat(200) + "d"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deepEnough")
    void upTo200SeparatorsWorkInSubscribePublishAndWills(String label, String topic) {
        try (RawClient sub = RawClient.connect(broker.port(), Ids.client("lvl"));
             RawClient pub = RawClient.connect(broker.port(), Ids.client("lvlp"))) {
            sub.subscribe(topic, 1);
            pub.publish(topic, 1, "deep");
            Packet p = sub.nextPublish();
            assertEquals(topic, p.topic());
            assertEquals("deep", p.payloadString());
            sub.send(Mqtt.puback(p.packetId()));
            sub.unsubscribe(topic);
        }
        try (RawClient c = RawClient.connect(broker.port(), Mqtt.connect(Ids.client("lvlw")).will(topic, "w", 0, false))) {
            c.disconnect();
        }
    }

    static Stream<Arguments> tooDeep() {
        return Stream.of(Arguments.of("201 slashes", "/".repeat(201)),
                Arguments.of("abc/ x 201 + d", "abc/".repeat(201) + "d"),
                Arguments.of("65,535 slashes", "/".repeat(65535)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tooDeep")
    void moreThan200SeparatorsCloseTheConnection(String label, String topic) {
        assertPacket(Mqtt.subscribe(1, topic, 0), null, false);
        assertPacket(Mqtt.unsubscribe(1, topic), null, false);
        assertPacket(Mqtt.publish(topic, 1, false, false, 1, Mqtt.bytes("m")), null, false);
        assertPacket(Mqtt.publish(topic, 0, false, false, 0, Mqtt.bytes("m")), null, false);
        assertConnect(Mqtt.connect(Ids.client("lvlw")).will(topic, "w", 0, false), false);
    }

    @Test
    void twoHundredWildcardLevelsWorkAndTwoHundredAndOneDoNot() {
        assertPacket(Mqtt.subscribe(1, "+/".repeat(200) + "#", 0), of(0x90, 0x03, 0x00, 0x01, 0x00), true);
        assertPacket(Mqtt.subscribe(1, "+/".repeat(201) + "#", 0), null, false);
    }

    // ------------------------------------------------------------------ $CONTROL

    /**
     * $CONTROL/ is the broker's own namespace. mosquitto 2.0.11 still accepts a will there and
     * publishes it; 2.0.15 and Midge refuse the CONNECT. Neither delivers an ordinary PUBLISH to it.
     */
    @Test
    void willOnControlTopicIsRefusedAndPublishesThereAreNeverDelivered() {
        String t = "$CONTROL/" + Ids.client("ctl");
        try (RawClient watcher = RawClient.connect(broker.port(), Ids.client("ctlw"))) {
            watcher.subscribe(t + "/#", 0);
            Mqtt.Connect withWill = Mqtt.connect(Ids.client("ctlc")).will(t + "/will", "last", 0, false);
            if (Reference.expect(true, false)) {
                RawClient.assertConnectClosedWithoutConnack(broker.port(), withWill);
            } else {
                RawClient c = RawClient.connect(broker.port(), withWill);
                c.close(); // no DISCONNECT: the will is due
                assertEquals(t + "/will", watcher.nextPublish().topic());
            }
            // an ordinary PUBLISH to $CONTROL/ is acknowledged but goes to the (absent) control handler, not to subscribers
            try (RawClient pub = RawClient.connect(broker.port(), Ids.client("ctlp"))) {
                pub.publish(t + "/published", 1, "m");
            }
            watcher.assertNoPublish(QUIET);
        }
    }
}
