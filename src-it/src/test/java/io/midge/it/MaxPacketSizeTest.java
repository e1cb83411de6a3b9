package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code max_packet_size N} (broker-wide) and {@code max_topic_alias N} (per listener): a packet
 * counts as its first byte plus its remaining length, as mosquitto counts it, so a remaining length
 * of N - 1 is accepted and one of N closes the connection; MQTT 5 clients are told both limits in
 * CONNACK.
 */
class MaxPacketSizeTest {

    private static final int MAXIMUM_PACKET_SIZE = 0x27;
    private static final int TOPIC_ALIAS_MAXIMUM = 0x22;

    @Test
    void packetOfExactlyMaxPacketSizePassesAndOneByteMoreClosesTheConnection() {
        try (BrokerProcess b = BrokerProcess.start("max_packet_size 100")) {
            String t = Ids.topic("mps");
            byte[] fits = new byte[99 - 2 - t.length()];
            try (RawClient sub = RawClient.connect(b.port(), Ids.client("mpssub"));
                 RawClient pub = RawClient.connect(b.port(), Ids.client("mpspub"))) {
                sub.subscribe(t, 0);
                pub.send(Mqtt.publish(t, 0, false, false, 0, fits));
                assertEquals(fits.length, sub.nextPublish().payload().length);
                pub.send(Mqtt.publish(t, 0, false, false, 0, new byte[fits.length + 1]));
                pub.assertClosedWithoutPacket(RawClient.TIMEOUT);
                sub.assertNoPublish(RestrictionsTest.QUIET);
            }
        }
    }

    @Test
    void mqtt5ClientsAreToldBothLimitsInConnack() {
        try (BrokerProcess b = BrokerProcess.start("max_packet_size 1000", "max_topic_alias 5");
             RawClient c = RawClient.open(b.port())) {
            c.send(mqtt5Connect(Ids.client("mps5")));
            Packet connack = c.read();

            assertEquals(2, connack.type());
            Map<Integer, Long> properties = connackProperties(connack.body());
            assertEquals(1000L, properties.get(MAXIMUM_PACKET_SIZE), "maximum packet size in " + properties);
            assertEquals(5L, properties.get(TOPIC_ALIAS_MAXIMUM), "topic alias maximum in " + properties);
        }
    }

    @Test
    void withoutTheOptionsMqtt5ClientsHearOfNoPacketLimitAnd10Aliases() {
        try (BrokerProcess b = BrokerProcess.start();
             RawClient c = RawClient.open(b.port())) {
            c.send(mqtt5Connect(Ids.client("mps5d")));
            Map<Integer, Long> properties = connackProperties(c.read().body());

            assertTrue(!properties.containsKey(MAXIMUM_PACKET_SIZE), "no maximum packet size in " + properties);
            assertEquals(10L, properties.get(TOPIC_ALIAS_MAXIMUM), "topic alias maximum in " + properties);
        }
    }

    /** CONNECT, MQTT 5, clean start, keep alive 60, no properties. */
    private static byte[] mqtt5Connect(String clientId) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        byte[] packet = new byte[2 + 11 + 2 + id.length];
        byte[] head = Mqtt.of(0x10, packet.length - 2, 0, 4, 'M', 'Q', 'T', 'T', 5, 0x02, 0, 60, 0, id.length >> 8,
                id.length & 0xFF);
        System.arraycopy(head, 0, packet, 0, head.length);
        System.arraycopy(id, 0, packet, head.length, id.length);
        return packet;
    }

    /** The numeric properties of a CONNACK body; string ones are skipped. */
    private static Map<Integer, Long> connackProperties(byte[] body) {
        int at = 2;
        int length = 0;
        int shift = 0;
        int digit;
        do {
            digit = body[at++] & 0xFF;
            length |= (digit & 0x7F) << shift;
            shift += 7;
        } while ((digit & 0x80) != 0);
        int end = at + length;
        Map<Integer, Long> properties = new HashMap<>();
        while (at < end) {
            int id = body[at++] & 0xFF;
            int size = switch (id) {
                case 0x24, 0x25, 0x28, 0x29, 0x2A -> 1;
                case 0x13, 0x21, 0x22 -> 2;
                case 0x11, 0x27 -> 4;
                default -> -1; // a string: two length bytes, then the bytes
            };
            if (size < 0) {
                at += 2 + (((body[at] & 0xFF) << 8) | (body[at + 1] & 0xFF));
                continue;
            }
            long value = 0;
            for (int i = 0; i < size; i++) {
                value = (value << 8) | (body[at++] & 0xFF);
            }
            properties.put(id, value);
        }
        return properties;
    }
}
