package io.midge.core.packet;

import java.util.List;

/**
 * The MQTT 3.1.1 control packets, as decoded from and encoded to the wire.
 * Payloads are plain byte arrays: a publish is copied once out of the network buffer and then
 * shared, read-only, by every subscriber, so no reference counting leaks across sessions.
 */
public sealed interface MqttPacket {

    PacketType type();

    record Will(String topic, byte[] payload, int qos, boolean retain) {}

    /**
     * When {@link #protocolSupported()} is false (e.g. "MQTT" level 5) the decoder stops after the
     * protocol level, so the broker can answer CONNACK 0x01: the other fields are then defaults.
     */
    /**
     * @param protocolLevel 3 or 4 for a supported protocol, without the bridge bit; for an
     *                      unsupported one the level byte as it came
     * @param bridge        the level byte had mosquitto's bridge bit (0x80, {@code try_private}):
     *                      the peer is a bridge, whose subscriptions get no local and retain as published
     */
    record Connect(String protocolName, int protocolLevel, boolean cleanSession, int keepAliveSeconds,
                   String clientId, Will will, String username, byte[] password, boolean bridge) implements MqttPacket {
        public PacketType type() { return PacketType.CONNECT; }

        public static final String PROTOCOL_MQTT = "MQTT";
        public static final String PROTOCOL_MQISDP = "MQIsdp";
        public static final int LEVEL_MQTT_3_1_1 = 4;
        public static final int LEVEL_MQTT_3_1 = 3;
        /** Set in the level byte by a bridge that announces itself (mosquitto's {@code try_private}). */
        public static final int BRIDGE_BIT = 0x80;

        /** A client's CONNECT, not a bridge's. */
        public Connect(String protocolName, int protocolLevel, boolean cleanSession, int keepAliveSeconds,
                       String clientId, Will will, String username, byte[] password) {
            this(protocolName, protocolLevel, cleanSession, keepAliveSeconds, clientId, will, username, password, false);
        }

        /** "MQTT" level 4 (3.1.1) or "MQIsdp" level 3 (3.1). */
        public boolean protocolSupported() { return isSupported(protocolName, protocolLevel); }

        /** The level byte on the wire: the level, with the bridge bit for a bridge. */
        public int wireLevel() { return bridge ? protocolLevel | BRIDGE_BIT : protocolLevel; }

        public static boolean isSupported(String protocolName, int level) {
            return level == LEVEL_MQTT_3_1_1 ? PROTOCOL_MQTT.equals(protocolName)
                    : level == LEVEL_MQTT_3_1 && PROTOCOL_MQISDP.equals(protocolName);
        }
    }

    record ConnAck(boolean sessionPresent, int returnCode) implements MqttPacket {
        public PacketType type() { return PacketType.CONNACK; }
    }

    /** packetId is 0 for QoS 0. */
    record Publish(String topic, byte[] payload, int qos, boolean retain, boolean dup, int packetId) implements MqttPacket {
        public PacketType type() { return PacketType.PUBLISH; }
    }

    /**
     * A PUBLISH whose payload was over the broker's payload limit: decoded up to its packet
     * identifier, its payload skipped unread, so it can be acknowledged and dropped.
     */
    record OversizedPublish(String topic, int qos, boolean retain, boolean dup, int packetId, int payloadLength)
            implements MqttPacket {
        public PacketType type() { return PacketType.PUBLISH; }
    }

    /** PUBACK, PUBREC, PUBREL, PUBCOMP and UNSUBACK: a packet type and a packet identifier, nothing else. */
    record Ack(PacketType type, int packetId) implements MqttPacket {}

    record TopicSubscription(String filter, int qos) {}

    record Subscribe(int packetId, List<TopicSubscription> subscriptions) implements MqttPacket {
        public PacketType type() { return PacketType.SUBSCRIBE; }
    }

    /** returnCodes: 0, 1, 2 or 0x80 per requested filter, in order. */
    record SubAck(int packetId, byte[] returnCodes) implements MqttPacket {
        public PacketType type() { return PacketType.SUBACK; }
    }

    record Unsubscribe(int packetId, List<String> filters) implements MqttPacket {
        public PacketType type() { return PacketType.UNSUBSCRIBE; }
    }

    /** PINGREQ, PINGRESP and DISCONNECT carry nothing but their type. */
    record Empty(PacketType type) implements MqttPacket {
        public static final Empty PINGREQ = new Empty(PacketType.PINGREQ);
        public static final Empty PINGRESP = new Empty(PacketType.PINGRESP);
        public static final Empty DISCONNECT = new Empty(PacketType.DISCONNECT);
    }
}
