package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DISCONNECT an MQTT 5 server sends before it closes a connection, with the reason (MQTT 5
 * sections 3.14, 4.13.1). The broker announces and enforces {@code max_packet_size 200}.
 */
class Mqtt5DisconnectTest {

    static final int MAX_PACKET_SIZE = 200;

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker("max_packet_size " + MAX_PACKET_SIZE);
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private static RawClient client(String prefix) {
        return RawClient.connect5(broker.port(), Ids.client(prefix));
    }

    /** [MQTT-4.13.1-1] section 4.13.1: a malformed packet (topic longer than the packet) gets DISCONNECT 0x81. */
    @Test
    void malformedPacketGetsDisconnect0x81() {
        try (RawClient c = client("malf")) {
            c.send(Mqtt.of(0x30, 0x03, 0x00, 0x05, 0x61));
            c.expectDisconnect5(0x81, CLOSE_WAIT);
        }
        assertTrue(broker.isAlive());
    }

    /**
     * [MQTT-3.1.0-2] a second CONNECT is a protocol error: DISCONNECT 0x82, then close. mosquitto
     * 2.0.11 closes without a DISCONNECT (which section 4.13.1 allows, but Midge says why).
     */
    @Test
    void secondConnectGetsDisconnect0x82() {
        try (RawClient c = client("conn2")) {
            c.send(Mqtt5.connect(Ids.client("conn2")).build());
            if (Reference.expect(true, false)) {
                c.expectDisconnect5(0x82, CLOSE_WAIT);
            } else {
                c.assertClosedWithoutPacket(CLOSE_WAIT);
            }
        }
    }

    /** Section 3.2.2.3.6: the server announces its maximum packet size in CONNACK. */
    @Test
    void maximumPacketSizeIsAnnounced() {
        try (RawClient c = client("mpsa")) {
            assertEquals((long) MAX_PACKET_SIZE, c.connack5().number(Mqtt5.MAXIMUM_PACKET_SIZE), "CONNACK " + c.connack5());
        }
    }

    /** Sections 3.2.2.3.6 and 4.13.1: a packet above the server's maximum packet size gets DISCONNECT 0x95. */
    @Test
    void packetTooLargeGetsDisconnect0x95() {
        try (RawClient c = client("large")) {
            c.send(Mqtt5.publish(Ids.topic("large"), 1, 1, null, "x".repeat(MAX_PACKET_SIZE)));
            c.expectDisconnect5(0x95, CLOSE_WAIT);
        }
    }

    /**
     * [MQTT-3.1.2-22] no packet within 1.5 times the keep alive: the server closes the connection,
     * with DISCONNECT 0x8D (keep alive timeout) first; mosquitto 2.0.11 only closes.
     */
    @Test
    void keepAliveTimeoutClosesTheConnection() {
        try (RawClient c = RawClient.connect5(broker.port(), Mqtt5.connect(Ids.client("ka")).keepAlive(1))) {
            // mosquitto 2.0.11 takes up to about 3.8 s to notice (KeepaliveTest pins the timing for 3.1.1)
            if (Reference.expect(true, false)) {
                c.expectDisconnect5(0x8D, Duration.ofSeconds(6));
            } else {
                c.assertClosedWithoutPacket(Duration.ofSeconds(6));
            }
        }
    }

    /**
     * [MQTT-4.12.0-7] (section 4.12): AUTH from a client that gave no authentication method in
     * CONNECT is a protocol error: DISCONNECT 0x82; mosquitto 2.0.11 just closes.
     */
    @Test
    void authWithoutAuthenticationMethodIsAProtocolError() {
        try (RawClient c = client("auth")) {
            c.send(Mqtt5.auth(0x18, Mqtt5.props().str(Mqtt5.AUTH_METHOD, "SCRAM-SHA-1")));
            if (Reference.expect(true, false)) {
                c.expectDisconnect5(0x82, CLOSE_WAIT);
            } else {
                c.assertClosedWithoutPacket(CLOSE_WAIT);
            }
        }
    }

    /**
     * Section 3.14.2.1: a DISCONNECT reason code a client may not send (0x05) makes the packet
     * malformed: DISCONNECT 0x81; mosquitto 2.0.11 just closes.
     */
    @Test
    void disconnectWithInvalidReasonCodeIsMalformed() {
        try (RawClient c = client("badrc")) {
            c.send(Mqtt5.disconnect(0x05, null));
            if (Reference.expect(true, false)) {
                c.expectDisconnect5(0x81, CLOSE_WAIT);
            } else {
                c.assertClosedWithoutPacket(CLOSE_WAIT);
            }
        }
    }
}
