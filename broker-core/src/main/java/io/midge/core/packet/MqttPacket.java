package io.midge.core.packet;

import java.util.List;

/**
 * The MQTT 3.1, 3.1.1 and 5 control packets, as decoded from and encoded to the wire.
 * A packet's {@link Properties} say which protocol it belongs to: {@link Properties#ABSENT} for
 * 3.1/3.1.1, which have no property section, anything else for MQTT 5.
 * Payloads are plain byte arrays: a publish is copied once out of the network buffer and then
 * shared, read-only, by every subscriber, so no reference counting leaks across sessions.
 */
public sealed interface MqttPacket {

    PacketType type();

    /** @param properties the will properties (MQTT 5), or {@link Properties#ABSENT} */
    record Will(String topic, byte[] payload, int qos, boolean retain, Properties properties) {
        public Will(String topic, byte[] payload, int qos, boolean retain) {
            this(topic, payload, qos, retain, Properties.ABSENT);
        }
    }

    /**
     * When {@link #protocolSupported()} is false (e.g. "MQTT" level 6) the decoder stops after the
     * protocol level, so the broker can answer CONNACK 0x01: the other fields are then defaults.
     *
     * @param protocolLevel 3, 4 or 5 for a supported protocol, without the bridge bit; for an
     *                      unsupported one the level byte as it came
     * @param cleanSession  clean session (3.1/3.1.1) or clean start (5)
     * @param bridge        the level byte had mosquitto's bridge bit (0x80, {@code try_private}):
     *                      the peer is a bridge, whose subscriptions get no local and retain as published
     * @param properties    the CONNECT properties (MQTT 5), or {@link Properties#ABSENT}
     */
    record Connect(String protocolName, int protocolLevel, boolean cleanSession, int keepAliveSeconds,
                   String clientId, Will will, String username, byte[] password, boolean bridge,
                   Properties properties) implements MqttPacket {
        public PacketType type() { return PacketType.CONNECT; }

        public static final String PROTOCOL_MQTT = "MQTT";
        public static final String PROTOCOL_MQISDP = "MQIsdp";
        public static final int LEVEL_MQTT_3_1_1 = 4;
        public static final int LEVEL_MQTT_3_1 = 3;
        public static final int LEVEL_MQTT_5 = 5;
        /** Set in the level byte by a bridge that announces itself (mosquitto's {@code try_private}). */
        public static final int BRIDGE_BIT = 0x80;

        /** A client's CONNECT, not a bridge's. */
        public Connect(String protocolName, int protocolLevel, boolean cleanSession, int keepAliveSeconds,
                       String clientId, Will will, String username, byte[] password) {
            this(protocolName, protocolLevel, cleanSession, keepAliveSeconds, clientId, will, username, password, false);
        }

        /** A 3.1/3.1.1 CONNECT (no properties). */
        public Connect(String protocolName, int protocolLevel, boolean cleanSession, int keepAliveSeconds,
                       String clientId, Will will, String username, byte[] password, boolean bridge) {
            this(protocolName, protocolLevel, cleanSession, keepAliveSeconds, clientId, will, username, password,
                    bridge, Properties.ABSENT);
        }

        public boolean mqtt5() { return protocolLevel == LEVEL_MQTT_5; }

        /** "MQTT" level 5 or 4 (3.1.1), or "MQIsdp" level 3 (3.1). */
        public boolean protocolSupported() { return isSupported(protocolName, protocolLevel); }

        /** The level byte on the wire: the level, with the bridge bit for a bridge. */
        public int wireLevel() { return bridge ? protocolLevel | BRIDGE_BIT : protocolLevel; }

        public static boolean isSupported(String protocolName, int level) {
            return level == LEVEL_MQTT_3_1_1 || level == LEVEL_MQTT_5 ? PROTOCOL_MQTT.equals(protocolName)
                    : level == LEVEL_MQTT_3_1 && PROTOCOL_MQISDP.equals(protocolName);
        }
    }

    /** @param returnCode the 3.1.1 return code, or the MQTT 5 reason code */
    record ConnAck(boolean sessionPresent, int returnCode, Properties properties) implements MqttPacket {
        public PacketType type() { return PacketType.CONNACK; }

        public ConnAck(boolean sessionPresent, int returnCode) {
            this(sessionPresent, returnCode, Properties.ABSENT);
        }
    }

    /**
     * packetId is 0 for QoS 0. In MQTT 5 the topic is "" when a topic alias stands for it (the
     * decoder leaves resolving aliases to the protocol, which owns the alias table).
     */
    record Publish(String topic, byte[] payload, int qos, boolean retain, boolean dup, int packetId,
                   Properties properties) implements MqttPacket {
        public PacketType type() { return PacketType.PUBLISH; }

        public Publish(String topic, byte[] payload, int qos, boolean retain, boolean dup, int packetId) {
            this(topic, payload, qos, retain, dup, packetId, Properties.ABSENT);
        }
    }

    /**
     * A PUBLISH whose payload was over the broker's payload limit: decoded up to its packet
     * identifier, its payload skipped unread, so it can be acknowledged and dropped.
     */
    record OversizedPublish(String topic, int qos, boolean retain, boolean dup, int packetId, int payloadLength,
                            Properties properties) implements MqttPacket {
        public PacketType type() { return PacketType.PUBLISH; }

        public OversizedPublish(String topic, int qos, boolean retain, boolean dup, int packetId, int payloadLength) {
            this(topic, qos, retain, dup, packetId, payloadLength, Properties.ABSENT);
        }
    }

    /**
     * PUBACK, PUBREC, PUBREL, PUBCOMP, and 3.1.1's UNSUBACK: a packet type and a packet identifier;
     * in MQTT 5 (properties not absent) also a reason code, which the encoder leaves out when it is
     * 0 and there are no properties, as the spec allows.
     */
    record Ack(PacketType type, int packetId, int reasonCode, Properties properties) implements MqttPacket {
        public Ack(PacketType type, int packetId) {
            this(type, packetId, ReasonCode.SUCCESS, Properties.ABSENT);
        }
    }

    /**
     * @param options the subscription options byte: QoS in bits 0-1, no local (bit 2), retain as
     *                published (bit 3), retain handling (bits 4-5); a plain QoS for 3.1/3.1.1
     */
    record TopicSubscription(String filter, int options) {
        public static final int NO_LOCAL = 0x04;
        public static final int RETAIN_AS_PUBLISHED = 0x08;
        public static final int RETAIN_HANDLING_SHIFT = 4;

        public int qos() { return options & 0x03; }

        public boolean noLocal() { return (options & NO_LOCAL) != 0; }

        public boolean retainAsPublished() { return (options & RETAIN_AS_PUBLISHED) != 0; }

        /** 0: send retained messages on subscribe; 1: only if the subscription is new; 2: never. */
        public int retainHandling() { return (options >> RETAIN_HANDLING_SHIFT) & 0x03; }
    }

    /** @param properties may carry one subscription identifier and user properties (MQTT 5) */
    record Subscribe(int packetId, List<TopicSubscription> subscriptions, Properties properties) implements MqttPacket {
        public PacketType type() { return PacketType.SUBSCRIBE; }

        public Subscribe(int packetId, List<TopicSubscription> subscriptions) {
            this(packetId, subscriptions, Properties.ABSENT);
        }
    }

    /** returnCodes: 0, 1, 2 or 0x80 per requested filter, in order; in MQTT 5 any SUBACK reason code. */
    record SubAck(int packetId, byte[] returnCodes, Properties properties) implements MqttPacket {
        public PacketType type() { return PacketType.SUBACK; }

        public SubAck(int packetId, byte[] returnCodes) {
            this(packetId, returnCodes, Properties.ABSENT);
        }
    }

    record Unsubscribe(int packetId, List<String> filters, Properties properties) implements MqttPacket {
        public PacketType type() { return PacketType.UNSUBSCRIBE; }

        public Unsubscribe(int packetId, List<String> filters) {
            this(packetId, filters, Properties.ABSENT);
        }
    }

    /** MQTT 5's UNSUBACK: a reason code per filter (3.1.1's is an {@link Ack}). */
    record UnsubAck(int packetId, byte[] reasonCodes, Properties properties) implements MqttPacket {
        public PacketType type() { return PacketType.UNSUBACK; }
    }

    /** MQTT 5's DISCONNECT, either way (3.1.1's is {@link Empty#DISCONNECT}). */
    record Disconnect(int reasonCode, Properties properties) implements MqttPacket {
        public PacketType type() { return PacketType.DISCONNECT; }
    }

    /** MQTT 5's AUTH. */
    record Auth(int reasonCode, Properties properties) implements MqttPacket {
        public PacketType type() { return PacketType.AUTH; }
    }

    /** PINGREQ, PINGRESP and 3.1.1's DISCONNECT carry nothing but their type. */
    record Empty(PacketType type) implements MqttPacket {
        public static final Empty PINGREQ = new Empty(PacketType.PINGREQ);
        public static final Empty PINGRESP = new Empty(PacketType.PINGRESP);
        public static final Empty DISCONNECT = new Empty(PacketType.DISCONNECT);
    }
}
