package io.midge.it;

import static io.midge.it.Mqtt.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MQTT 3.1 ({@code MQIsdp}, level 3) clients as mosquitto 2.0.11 treats them: the CONNACK never
 * carries a session-present flag (its first body byte is always 0, also for a resumed session),
 * none of 3.1.1's CONNECT flag rules apply (the reserved connect flag, will QoS / retain without
 * the will flag, the fixed-header flags of CONNECT are all ignored), and any client id of 1 to
 * 65,535 characters is accepted, spaces included. An empty client id gets CONNACK 2 whatever the
 * clean session flag; a password without a user name closes the connection.
 */
class Mqtt31Test {

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();

    static Mqtt.Connect connect31(String clientId) {
        return Mqtt.connect(clientId).protocol("MQIsdp", 3);
    }

    /** Connects, asserts the exact CONNACK bytes {@code 20 02 00 00} and proves the connection works. */
    static void assertAccepted(Mqtt.Connect connect) {
        try (RawClient c = RawClient.open(broker.port())) {
            Packet connack = c.sendConnect(connect);
            assertArrayEquals(of(0x20, 0x02, 0x00, 0x00), connack.bytes(), "CONNACK " + connack);
            c.ping();
            c.disconnect();
        }
    }

    @Test
    void resumedSessionGetsConnackWithoutSessionPresentFlag() {
        String id = Ids.client("v31s");
        String topic = Ids.topic("v31s");
        try (RawClient c = RawClient.open(broker.port())) {
            assertArrayEquals(of(0x20, 0x02, 0x00, 0x00), c.sendConnect(connect31(id).cleanSession(false)).bytes());
            c.subscribe(topic, 1);
            c.disconnect();
        }
        try (RawClient pub = RawClient.connect(broker.port(), Ids.client("v31p"))) {
            pub.publish(topic, 1, "queued");
        }
        try (RawClient c = RawClient.open(broker.port()).autoAck(true)) {
            Packet connack = c.sendConnect(connect31(id).cleanSession(false));
            assertArrayEquals(of(0x20, 0x02, 0x00, 0x00), connack.bytes(), "3.1 has no session present flag: " + connack);
            assertEquals("queued", c.nextPublish().payloadString(), "the session was resumed all the same");
            c.disconnect();
        }
        try (RawClient c = RawClient.connect(broker.port(), connect31(id))) {
            c.disconnect(); // clean session 1: removes the stored session
        }
    }

    @Test
    void reservedConnectFlagIsIgnored() {
        Mqtt.Connect c = connect31(Ids.client("v31r"));
        assertAccepted(c.flags(c.computedFlags() | 0x01));
    }

    @Test
    void willQosAndWillRetainWithoutWillFlagAreIgnored() {
        assertAccepted(connect31(Ids.client("v31q")).flags(0x02 | 0x08));
        assertAccepted(connect31(Ids.client("v31t")).flags(0x02 | 0x20));
    }

    @ParameterizedTest(name = "fixed header 0x{0}")
    @ValueSource(ints = {0x1, 0x2, 0x8, 0xF})
    void connectFixedHeaderFlagsAreIgnored(int flags) {
        assertAccepted(connect31(Ids.client("v31h")).headerFlags(flags));
    }

    @Test
    void clientIdWithSpacesIsAccepted() {
        assertAccepted(connect31("issue 2163 v3")); // the only test using this id
        assertAccepted(connect31("issue 2163 v3 " + Ids.client("sp") + " and more"));
    }

    @ParameterizedTest(name = "{0} characters")
    @ValueSource(ints = {23, 24, 100, 65535})
    void clientIdOfAnyLengthIsAccepted(int length) {
        String prefix = Ids.client("v31l") + "-";
        assertAccepted(connect31(prefix + "x".repeat(length - prefix.length())));
    }

    @ParameterizedTest(name = "clean session {0}")
    @ValueSource(booleans = {true, false})
    void emptyClientIdGetsConnackRc2(boolean clean) {
        RawClient.assertConnectRefused(broker.port(), connect31("").cleanSession(clean), 2);
    }

    @Test
    void passwordWithoutUserNameClosesTheConnection() {
        RawClient.assertConnectClosedWithoutConnack(broker.port(), connect31(Ids.client("v31pw")).password("pw"));
    }
}
