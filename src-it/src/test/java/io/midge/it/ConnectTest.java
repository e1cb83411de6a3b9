package io.midge.it;

import static io.midge.it.Mqtt.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CONNECT / CONNACK handling (MQTT 3.1.1 section 3.1, 3.2). */
class ConnectTest {

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private static RawClient open() {
        return RawClient.open(broker.port());
    }

    @Test
    void mqtt311ConnectIsAcceptedWithExactConnackBytes() {
        try (RawClient c = open()) {
            Packet connack = c.sendConnect(Mqtt.connect(Ids.client("c311")));
            assertArrayEquals(of(0x20, 0x02, 0x00, 0x00), connack.bytes(), "CONNACK " + connack);
            c.ping();
        }
    }

    @Test
    void mqisdpLevel3ConnectIsAccepted() {
        try (RawClient c = open()) {
            Packet connack = c.sendConnect(Mqtt.connect(Ids.client("c31")).protocol("MQIsdp", 3));
            assertArrayEquals(of(0x20, 0x02, 0x00, 0x00), connack.bytes(), "CONNACK " + connack);
            c.ping();
        }
    }

    @ParameterizedTest(name = "MQTT level {0}")
    @ValueSource(ints = {3, 6, 0}) // 5 is MQTT 5, whose CONNECT has properties: see Mqtt5ConnectTest
    void unsupportedProtocolLevelGetsConnackRc1AndIsClosed(int level) {
        try (RawClient c = open()) {
            Packet connack = c.sendConnect(Mqtt.connect(Ids.client("lvl")).protocol("MQTT", level));
            assertArrayEquals(of(0x20, 0x02, 0x00, 0x01), connack.bytes(), "CONNACK " + connack);
            assertTrue(c.closedWithin(CLOSE_WAIT), "connection must be closed after CONNACK rc 1");
        }
    }

    @Test
    void reservedConnectFlagClosesWithoutConnack() {
        try (RawClient c = open()) {
            Mqtt.Connect connect = Mqtt.connect(Ids.client("rsv"));
            c.send(connect.flags(connect.computedFlags() | 0x01).build());
            c.assertClosedWithoutPacket(CLOSE_WAIT);
        }
    }

    @Test
    void willQosWithoutWillFlagClosesWithoutConnack() {
        try (RawClient c = open()) {
            // clean session + will QoS 1, will flag 0
            c.send(Mqtt.connect(Ids.client("wq")).flags(0x02 | 0x08).build());
            c.assertClosedWithoutPacket(CLOSE_WAIT);
        }
    }

    @Test
    void willRetainWithoutWillFlagClosesWithoutConnack() {
        try (RawClient c = open()) {
            c.send(Mqtt.connect(Ids.client("wr")).flags(0x02 | 0x20).build());
            c.assertClosedWithoutPacket(CLOSE_WAIT);
        }
    }

    @Test
    void willQos3ClosesWithoutConnack() {
        try (RawClient c = open()) {
            c.send(Mqtt.connect(Ids.client("wq3")).will("w/t", "x", 0, false).flags(0x02 | 0x04 | 0x18).build());
            c.assertClosedWithoutPacket(CLOSE_WAIT);
        }
    }

    @Test
    void passwordWithoutUsernameClosesConnection() {
        try (RawClient c = open()) {
            c.send(Mqtt.connect(Ids.client("pw")).password("secret").build());
            c.assertClosedWithoutPacket(CLOSE_WAIT);
        }
    }

    @Test
    void usernameAndPasswordAreAcceptedWithAnonymousAllowed() {
        try (RawClient c = open()) {
            Packet connack = c.sendConnect(Mqtt.connect(Ids.client("up")).username("user").password("pass"));
            assertArrayEquals(of(0x20, 0x02, 0x00, 0x00), connack.bytes(), "CONNACK " + connack);
        }
    }

    @Test
    void zeroLengthClientIdWithCleanSessionIsAccepted() {
        try (RawClient c = open()) {
            Packet connack = c.sendConnect(Mqtt.connect("").cleanSession(true));
            assertArrayEquals(of(0x20, 0x02, 0x00, 0x00), connack.bytes(), "CONNACK " + connack);
            // the assigned identity works like any other: subscribe and receive
            String topic = Ids.topic("anon");
            c.subscribe(topic, 1);
            c.publish(topic, 1, "hello");
            assertEquals("hello", c.nextPublish().payloadString());
        }
    }

    @Test
    void twoZeroLengthClientIdsGetDistinctSessions() {
        try (RawClient a = open(); RawClient b = open()) {
            assertArrayEquals(of(0x20, 0x02, 0x00, 0x00), a.sendConnect(Mqtt.connect("")).bytes());
            assertArrayEquals(of(0x20, 0x02, 0x00, 0x00), b.sendConnect(Mqtt.connect("")).bytes());
            // neither took over the other
            a.ping();
            b.ping();
        }
    }

    @Test
    void zeroLengthClientIdWithoutCleanSessionGetsConnackRc2() {
        try (RawClient c = open()) {
            Packet connack = c.sendConnect(Mqtt.connect("").cleanSession(false));
            assertArrayEquals(of(0x20, 0x02, 0x00, 0x02), connack.bytes(), "CONNACK " + connack);
            assertTrue(c.closedWithin(CLOSE_WAIT), "connection must be closed after CONNACK rc 2");
        }
    }

    @Test
    void firstPacketNotConnectClosesConnection() {
        try (RawClient c = open()) {
            c.send(Mqtt.pingreq());
            c.assertClosedWithoutPacket(CLOSE_WAIT);
        }
    }

    @Test
    void publishBeforeConnectClosesConnection() {
        try (RawClient c = open()) {
            c.send(Mqtt.publish("x/y", 0, false, false, 0, Mqtt.bytes("nope")));
            c.assertClosedWithoutPacket(CLOSE_WAIT);
        }
    }

    @Test
    void secondConnectClosesConnection() {
        try (RawClient c = RawClient.connect(broker.port(), Ids.client("twice"))) {
            c.send(Mqtt.connect(Ids.client("twice2")).build());
            c.assertClosedWithoutPacket(CLOSE_WAIT);
        }
    }

    @Test
    void protocolNameOtherThanMqttIsRefused() {
        try (RawClient c = open()) {
            c.send(Mqtt.connect(Ids.client("name")).protocol("MQTX", 4).build());
            Packet p = c.poll(CLOSE_WAIT);
            // 3.1.1 [MQTT-3.1.2-1]: the server MAY disconnect; a CONNACK refusal (rc 1) is accepted too
            if (p != null && !p.isClosed()) {
                assertArrayEquals(of(0x20, 0x02, 0x00, 0x01), p.bytes(), "only a refusal may be sent: " + p);
                assertTrue(c.closedWithin(CLOSE_WAIT));
            } else {
                assertTrue(p != null, "connection must be closed");
            }
        }
    }

    @Test
    @Timeout(30)
    void silentSocketIsClosedWithinBoundedTime() {
        try (RawClient c = open()) {
            long t0 = System.nanoTime();
            c.assertClosedWithoutPacket(Duration.ofSeconds(16));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms <= 16_000, "closed after " + ms + " ms");
        }
    }

    @Test
    void connackSessionPresentAfterReconnectWithCleanSession0() {
        String id = Ids.client("sp");
        try (RawClient c = open()) {
            Packet connack = c.sendConnect(Mqtt.connect(id).cleanSession(false));
            assertArrayEquals(of(0x20, 0x02, 0x00, 0x00), connack.bytes(), "first CONNACK " + connack);
            c.disconnect();
        }
        try (RawClient c = open()) {
            Packet connack = c.sendConnect(Mqtt.connect(id).cleanSession(false));
            assertArrayEquals(of(0x20, 0x02, 0x01, 0x00), connack.bytes(), "second CONNACK " + connack);
            c.send(Mqtt.disconnect());
        }
        // clean session 1 never reports a session present, and discards the stored one
        try (RawClient c = open()) {
            Packet connack = c.sendConnect(Mqtt.connect(id).cleanSession(true));
            assertArrayEquals(of(0x20, 0x02, 0x00, 0x00), connack.bytes(), "clean CONNACK " + connack);
            c.disconnect();
        }
    }

    @Test
    void clientIdLongerThan23CharactersIsAccepted() {
        String id = Ids.client("long") + "-" + "x".repeat(100);
        try (RawClient c = open()) {
            Packet connack = c.sendConnect(Mqtt.connect(id));
            assertArrayEquals(of(0x20, 0x02, 0x00, 0x00), connack.bytes(), "mosquitto accepts long ids: " + connack);
            c.ping();
        }
    }

    @Test
    void clientIdWithInvalidUtf8ClosesConnection() {
        try (RawClient c = open()) {
            byte[] good = Mqtt.connect("abcd").build();
            byte[] bad = good.clone();
            int at = good.length - 4; // the client id is the last field
            bad[at] = (byte) 0xC3;
            bad[at + 1] = (byte) 0x28;
            c.send(bad);
            Packet p = c.poll(CLOSE_WAIT);
            // [MQTT-1.5.3-1]: close; a CONNACK refusal before closing is tolerated
            if (p != null && !p.isClosed()) {
                assertEquals(0x20, p.header(), "only a CONNACK refusal may be sent: " + p);
                assertTrue(p.body()[1] != 0, "must not be accepted: " + p);
                assertTrue(c.closedWithin(CLOSE_WAIT));
            } else {
                assertTrue(p != null, "connection must be closed");
            }
        }
    }

    @Test
    void willTopicWithWildcardIsRefused() {
        try (RawClient c = open()) {
            c.send(Mqtt.connect(Ids.client("wwild")).will(Ids.topic("will") + "/#", "x", 0, false).build());
            Packet p = c.poll(CLOSE_WAIT);
            if (p != null && !p.isClosed()) {
                assertEquals(0x20, p.header(), "only a CONNACK refusal may be sent: " + p);
                assertTrue(p.body()[1] != 0, "must not be accepted: " + p);
                assertTrue(c.closedWithin(CLOSE_WAIT));
            } else {
                assertTrue(p != null, "connection must be closed");
            }
        }
    }

    @Test
    void pingreqGetsPingresp() {
        try (RawClient c = RawClient.connect(broker.port(), Ids.client("ping"))) {
            c.send(Mqtt.pingreq());
            assertArrayEquals(of(0xD0, 0x00), c.read().bytes());
        }
    }

    @Test
    void disconnectClosesConnection() {
        try (RawClient c = RawClient.connect(broker.port(), Ids.client("disc"))) {
            c.send(Mqtt.disconnect());
            c.assertClosedWithoutPacket(CLOSE_WAIT);
        }
    }
}
