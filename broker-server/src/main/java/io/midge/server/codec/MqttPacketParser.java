package io.midge.server.codec;

import io.midge.core.packet.MqttPacket;
import io.midge.core.packet.PacketType;

import io.midge.core.packet.MqttPacket.Ack;
import io.midge.core.packet.MqttPacket.Auth;
import io.midge.core.packet.MqttPacket.ConnAck;
import io.midge.core.packet.MqttPacket.Connect;
import io.midge.core.packet.MqttPacket.Disconnect;
import io.midge.core.packet.MqttPacket.Empty;
import io.midge.core.packet.MqttPacket.OversizedPublish;
import io.midge.core.packet.MqttPacket.Publish;
import io.midge.core.packet.MqttPacket.SubAck;
import io.midge.core.packet.MqttPacket.Subscribe;
import io.midge.core.packet.MqttPacket.TopicSubscription;
import io.midge.core.packet.MqttPacket.UnsubAck;
import io.midge.core.packet.MqttPacket.Unsubscribe;
import io.midge.core.packet.MqttPacket.Will;
import io.midge.core.packet.Properties;
import io.midge.core.packet.Property;
import io.midge.core.packet.ReasonCode;
import io.midge.core.route.Router;
import io.midge.core.topic.Topics;
import io.midge.server.codec.MalformedPacketException.Kind;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the variable header and payload of one complete packet into an {@link MqttPacket}.
 * The fixed header (type, flags, remaining length) has already been validated by
 * {@link MqttDecoder}; the body handed in is a slice holding exactly the remaining length, and
 * every byte of it must be accounted for by the packet's fields.
 *
 * <p>Everything is copied out of the body (strings, byte arrays), so the network buffer can be
 * released as soon as this returns.
 */
final class MqttPacketParser {

    private static final int CONNECT_RESERVED = 0x01;
    private static final int CONNECT_CLEAN_SESSION = 0x02;
    private static final int CONNECT_WILL = 0x04;
    private static final int CONNECT_WILL_QOS_SHIFT = 3;
    private static final int CONNECT_WILL_RETAIN = 0x20;
    private static final int CONNECT_PASSWORD = 0x40;
    private static final int CONNECT_USERNAME = 0x80;

    private static final int CONNACK_SESSION_PRESENT = 0x01;

    private MqttPacketParser() {}

    /**
     * @param flags the low nibble of the fixed header, already checked against the packet type
     * @param body  exactly the remaining length of the packet
     * @param mqtt5 whether the connection speaks MQTT 5 (a CONNECT says for itself)
     */
    static MqttPacket parse(PacketType type, int flags, ByteBuf body, boolean mqtt5) {
        try {
            return parseBody(type, flags, body, mqtt5);
        } catch (MalformedPacketException e) {
            throw type == PacketType.CONNECT ? e : asMalformedOutsideConnect(e);
        }
    }

    /** Outside CONNECT, mosquitto reports a bad string as a malformed packet like any other fault. */
    private static MalformedPacketException asMalformedOutsideConnect(MalformedPacketException e) {
        return e.kind() == Kind.MALFORMED_UTF8 ? e.as(Kind.MALFORMED) : e;
    }

    private static MqttPacket parseBody(PacketType type, int flags, ByteBuf body, boolean mqtt5) {
        MqttPacket packet = switch (type) {
            case PUBLISH -> parsePublish(flags, body, mqtt5);
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> mqtt5 ? parseAck5(type, body)
                    : new Ack(type, MqttWire.readPacketId(body, type));
            case UNSUBACK -> mqtt5 ? parseUnsubAck5(body) : new Ack(type, MqttWire.readPacketId(body, type));
            case PINGREQ -> Empty.PINGREQ;
            case PINGRESP -> Empty.PINGRESP;
            case DISCONNECT -> mqtt5 ? parseDisconnect5(body) : Empty.DISCONNECT;
            case CONNECT -> parseConnect(flags, body);
            case CONNACK -> parseConnAck(body, mqtt5);
            case SUBSCRIBE -> parseSubscribe(body, mqtt5);
            case SUBACK -> parseSubAck(body, mqtt5);
            case UNSUBSCRIBE -> parseUnsubscribe(body, mqtt5);
            case AUTH -> {
                if (!mqtt5) {
                    throw MalformedPacketException.protocolError("AUTH is reserved before MQTT 5");
                }
                yield parseAuth(body);
            }
        };
        if (body.isReadable()) {
            throw new MalformedPacketException(type + " has trailing bytes after its last field ("
                    + body.readableBytes() + ")");
        }
        return packet;
    }

    private static Publish parsePublish(int flags, ByteBuf body, boolean mqtt5) {
        int qos = (flags >> 1) & 0x03;
        String topic = readTopicName(body, "PUBLISH topic", mqtt5);
        int packetId = qos > 0 ? readPublishPacketId(body) : 0;
        Properties properties = mqtt5 ? readPublishProperties(body, topic) : Properties.ABSENT;
        byte[] payload = new byte[body.readableBytes()];
        body.readBytes(payload);
        return new Publish(topic, payload, qos, (flags & 0x01) != 0, (flags & 0x08) != 0, packetId, properties);
    }

    /** An empty topic stands for the one a topic alias was set to: without an alias it names nothing. */
    private static Properties readPublishProperties(ByteBuf body, String topic) {
        Properties properties = PropertySection.read(body, PacketType.PUBLISH, false);
        if (topic.isEmpty() && !properties.has(Property.TOPIC_ALIAS)) {
            throw MalformedPacketException.protocolError("PUBLISH topic is empty and there is no topic alias");
        }
        return properties;
    }

    /** @param fields the PUBLISH's topic, packet identifier and (MQTT 5) properties, nothing else */
    static OversizedPublish parseOversizedPublish(int flags, ByteBuf fields, int payloadLength, boolean mqtt5) {
        int qos = (flags >> 1) & 0x03;
        try {
            String topic = readTopicName(fields, "PUBLISH topic", mqtt5);
            int packetId = qos > 0 ? readPublishPacketId(fields) : 0;
            Properties properties = mqtt5 ? readPublishProperties(fields, topic) : Properties.ABSENT;
            return new OversizedPublish(topic, qos, (flags & 0x01) != 0, (flags & 0x08) != 0, packetId,
                    payloadLength, properties);
        } catch (MalformedPacketException e) {
            throw asMalformedOutsideConnect(e);
        }
    }

    /** MQTT 5 PUBACK, PUBREC, PUBREL, PUBCOMP: the reason code and properties may each be left out (3.4.2.1). */
    private static Ack parseAck5(PacketType type, ByteBuf body) {
        int packetId = MqttWire.readPacketId(body, type);
        int reasonCode = body.isReadable() ? body.readUnsignedByte() : ReasonCode.SUCCESS;
        Properties properties = body.isReadable() ? PropertySection.read(body, type, false) : Properties.EMPTY;
        return new Ack(type, packetId, reasonCode, properties);
    }

    private static UnsubAck parseUnsubAck5(ByteBuf body) {
        int packetId = MqttWire.readPacketId(body, PacketType.UNSUBACK);
        Properties properties = PropertySection.read(body, PacketType.UNSUBACK, false);
        if (!body.isReadable()) {
            throw new MalformedPacketException("UNSUBACK has no reason code");
        }
        byte[] reasonCodes = new byte[body.readableBytes()];
        body.readBytes(reasonCodes);
        return new UnsubAck(packetId, reasonCodes, properties);
    }

    /** MQTT 5 DISCONNECT: no byte at all means a normal disconnection (3.14.2.1). */
    private static Disconnect parseDisconnect5(ByteBuf body) {
        int reasonCode = body.isReadable() ? body.readUnsignedByte() : ReasonCode.NORMAL_DISCONNECTION;
        Properties properties = body.isReadable() ? PropertySection.read(body, PacketType.DISCONNECT, false)
                : Properties.EMPTY;
        return new Disconnect(reasonCode, properties);
    }

    /** AUTH has DISCONNECT's layout; no byte at all means success (3.15.2.1). */
    private static Auth parseAuth(ByteBuf body) {
        int reasonCode = body.isReadable() ? body.readUnsignedByte() : ReasonCode.SUCCESS;
        Properties properties = body.isReadable() ? PropertySection.read(body, PacketType.AUTH, false)
                : Properties.EMPTY;
        return new Auth(reasonCode, properties);
    }

    private static int readPublishPacketId(ByteBuf body) {
        if (body.readableBytes() >= 2 && body.getUnsignedShort(body.readerIndex()) == 0) {
            throw MalformedPacketException.protocolError("PUBLISH packet identifier must not be 0");
        }
        return MqttWire.readPacketId(body, PacketType.PUBLISH);
    }

    /**
     * Topic names, unlike filters, are checked here: a publisher cannot be answered with a reason
     * code. An empty one is malformed (in MQTT 5 it is left to the properties: see
     * {@link #readPublishProperties}), a wildcard or too deep a hierarchy a protocol error, as
     * mosquitto counts them.
     */
    private static String readTopicName(ByteBuf body, String field, boolean mqtt5) {
        String topic = MqttWire.readUtf8(body, field);
        if (topic.isEmpty()) {
            if (mqtt5) {
                // Allowed when a topic alias stands for it, which only the properties tell.
                return topic;
            }
            throw new MalformedPacketException(field + " is empty");
        }
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw MalformedPacketException.protocolError(field + " contains wildcard");
        }
        if (!Topics.withinHierarchyLimit(topic)) {
            throw MalformedPacketException.protocolError(field + " has more than "
                    + Topics.HIERARCHY_LIMIT + " '/' separators");
        }
        return topic;
    }

    /**
     * mosquitto reports every CONNECT it cannot read as a protocol error, but for the will, whose
     * topic it checks as it would publish to it, and for the MQTT 5 property sections, whose
     * faults it reports as they are.
     */
    private static Connect parseConnect(int fixedHeaderFlags, ByteBuf body) {
        try {
            return parseConnectFields(fixedHeaderFlags, body);
        } catch (PropertySection.PropertyException e) {
            throw e;
        } catch (MalformedPacketException e) {
            throw e.kind() == Kind.MALFORMED ? e.as(Kind.PROTOCOL_ERROR) : e;
        }
    }

    private static Connect parseConnectFields(int fixedHeaderFlags, ByteBuf body) {
        String protocolName = MqttWire.readUtf8(body, "CONNECT protocol name");
        if (!Connect.PROTOCOL_MQTT.equals(protocolName) && !Connect.PROTOCOL_MQISDP.equals(protocolName)) {
            throw new MalformedPacketException(Kind.PROTOCOL_ERROR, "CONNECT protocol name '" + protocolName
                    + "' is unknown", "Invalid protocol \"" + protocolName.replace("%", "%%") + "\" in CONNECT from %2$s.");
        }
        int level = MqttWire.readUnsignedByte(body, "CONNECT protocol level");
        // mosquitto accepts its bridges' try_private bit on 3.1 and 3.1.1 and marks them as bridges;
        // an MQTT 5 bridge does not announce itself that way.
        boolean bridge = (level & Connect.BRIDGE_BIT) != 0 && (level & ~Connect.BRIDGE_BIT) != Connect.LEVEL_MQTT_5
                && Connect.isSupported(protocolName, level & ~Connect.BRIDGE_BIT);
        if (bridge) {
            level &= ~Connect.BRIDGE_BIT;
        }
        if (!Connect.isSupported(protocolName, level)) {
            // The broker must answer CONNACK 0x01 [MQTT-3.1.2-2]. The rest of the packet follows
            // another protocol's layout, so it is skipped, not judged.
            body.skipBytes(body.readableBytes());
            return new Connect(protocolName, level, true, 0, "", null, null, null);
        }
        // MQTT 3.1 had none of 3.1.1's rules for reserved bits; mosquitto accepts such clients.
        boolean mqtt5 = level == Connect.LEVEL_MQTT_5;
        boolean strict = level == Connect.LEVEL_MQTT_3_1_1 || mqtt5;
        if (strict && fixedHeaderFlags != 0) {
            throw MalformedPacketException.protocolError("invalid fixed header flags for CONNECT");
        }
        int flags = MqttWire.readUnsignedByte(body, "CONNECT flags");
        checkConnectFlags(flags, strict, mqtt5);
        int keepAlive = MqttWire.readUnsignedShort(body, "CONNECT keep alive");
        Properties properties = mqtt5 ? PropertySection.read(body, PacketType.CONNECT, false) : Properties.ABSENT;
        String clientId = readConnectString(body, "CONNECT client identifier");
        Will will = null;
        if ((flags & CONNECT_WILL) != 0) {
            Properties willProperties = mqtt5 ? PropertySection.read(body, PacketType.CONNECT, true)
                    : Properties.ABSENT;
            String willTopic = readWillTopic(body);
            byte[] willPayload = MqttWire.readBinary(body, "CONNECT will message");
            will = new Will(willTopic, willPayload, (flags >> CONNECT_WILL_QOS_SHIFT) & 0x03,
                    (flags & CONNECT_WILL_RETAIN) != 0, willProperties);
        }
        String username = (flags & CONNECT_USERNAME) != 0 && (strict || body.isReadable())
                ? readConnectString(body, "CONNECT user name") : null;
        byte[] password = (flags & CONNECT_PASSWORD) != 0 && (strict || body.isReadable())
                ? MqttWire.readBinary(body, "CONNECT password") : null;
        return new Connect(protocolName, level, (flags & CONNECT_CLEAN_SESSION) != 0, keepAlive, clientId,
                will, username, password, bridge, properties);
    }

    /**
     * A will topic must be one a client could publish to; and $CONTROL/ is the broker's
     * administration namespace, which a will may not be aimed at (mosquitto 2.0.15 and later).
     */
    private static String readWillTopic(ByteBuf body) {
        String willTopic = MqttWire.readUtf8(body, "CONNECT will topic");
        if (willTopic.isEmpty()) {
            throw MalformedPacketException.protocolError("CONNECT will topic is empty");
        }
        if (!Topics.isValidTopicName(willTopic) || !Topics.withinHierarchyLimit(willTopic)) {
            throw new MalformedPacketException(Kind.INVALID_ARGUMENT, "CONNECT will topic '" + willTopic
                    + "' is not a valid topic name", null);
        }
        if (willTopic.startsWith(Topics.CONTROL_PREFIX)) {
            throw MalformedPacketException.protocolError("CONNECT will topic is under " + Topics.CONTROL_PREFIX);
        }
        return willTopic;
    }

    /** mosquitto reads the client id and user name as it reads the rest: any fault in them is a protocol error. */
    private static String readConnectString(ByteBuf body, String field) {
        try {
            return MqttWire.readUtf8(body, field);
        } catch (MalformedPacketException e) {
            throw e.as(Kind.PROTOCOL_ERROR);
        }
    }

    /**
     * @param strict MQTT 3.1.1's (and 5's) rules; MQTT 3.1 has only the will QoS and password ones
     * @param mqtt5  MQTT 5, which allows a password without a user name (3.1.2.9)
     */
    private static void checkConnectFlags(int flags, boolean strict, boolean mqtt5) {
        int willQos = (flags >> CONNECT_WILL_QOS_SHIFT) & 0x03;
        if (willQos == 3) {
            throw new MalformedPacketException(Kind.PROTOCOL_ERROR, "CONNECT will QoS 3 is invalid",
                    "Invalid Will QoS in CONNECT from %2$s.");
        }
        if (!mqtt5 && (flags & CONNECT_PASSWORD) != 0 && (flags & CONNECT_USERNAME) == 0) {
            throw new MalformedPacketException(Kind.PROTOCOL_ERROR, "CONNECT password flag set without user name flag",
                    "Protocol error from %1$s: password without username, closing connection.");
        }
        if (!strict) {
            return;
        }
        if ((flags & CONNECT_RESERVED) != 0) {
            throw MalformedPacketException.protocolError("CONNECT reserved flag is set");
        }
        if ((flags & CONNECT_WILL) == 0) {
            if (willQos != 0) {
                throw MalformedPacketException.protocolError("CONNECT will QoS set without will flag");
            }
            if ((flags & CONNECT_WILL_RETAIN) != 0) {
                throw MalformedPacketException.protocolError("CONNECT will retain set without will flag");
            }
        }
    }

    private static ConnAck parseConnAck(ByteBuf body, boolean mqtt5) {
        int acknowledgeFlags = MqttWire.readUnsignedByte(body, "CONNACK flags");
        if ((acknowledgeFlags & ~CONNACK_SESSION_PRESENT) != 0) {
            throw new MalformedPacketException("CONNACK reserved flags are set");
        }
        int returnCode = MqttWire.readUnsignedByte(body, "CONNACK return code");
        boolean sessionPresent = acknowledgeFlags != 0;
        if (sessionPresent && returnCode != 0) {
            throw new MalformedPacketException("CONNACK session present with return code " + returnCode);
        }
        Properties properties = mqtt5 ? PropertySection.read(body, PacketType.CONNACK, false) : Properties.ABSENT;
        return new ConnAck(sessionPresent, returnCode, properties);
    }

    private static Subscribe parseSubscribe(ByteBuf body, boolean mqtt5) {
        int packetId = MqttWire.readPacketId(body, PacketType.SUBSCRIBE);
        Properties properties = mqtt5 ? PropertySection.read(body, PacketType.SUBSCRIBE, false) : Properties.ABSENT;
        if (!body.isReadable()) {
            throw new MalformedPacketException("SUBSCRIBE has no topic filter");
        }
        List<TopicSubscription> subscriptions = new ArrayList<>(1);
        while (body.isReadable()) {
            String filter = MqttWire.readUtf8(body, "SUBSCRIBE topic filter");
            if (filter.isEmpty()) {
                throw new MalformedPacketException("SUBSCRIBE topic filter is empty");
            }
            if (!Router.isAcceptableFilter(filter)) {
                throw new MalformedPacketException(Kind.MALFORMED, "SUBSCRIBE topic filter '" + filter + "' is invalid",
                        "Invalid subscription string from %2$s, disconnecting.");
            }
            if (mqtt5) {
                subscriptions.add(new TopicSubscription(filter, readSubscriptionOptions(body)));
                continue;
            }
            int requestedQos = MqttWire.readUnsignedByte(body, "SUBSCRIBE requested QoS");
            if (requestedQos > 2) {
                throw new MalformedPacketException(Kind.MALFORMED, (requestedQos & ~0x03) != 0
                        ? "SUBSCRIBE requested QoS has reserved bits set"
                        : "SUBSCRIBE requested QoS 3 is invalid",
                        "Invalid QoS in subscription command from %2$s, disconnecting.");
            }
            subscriptions.add(new TopicSubscription(filter, requestedQos));
        }
        return new Subscribe(packetId, List.copyOf(subscriptions), properties);
    }

    /** MQTT 5 subscription options (3.8.3.1): reserved bits 6-7 are malformed, retain handling 3 a protocol error. */
    private static int readSubscriptionOptions(ByteBuf body) {
        int options = MqttWire.readUnsignedByte(body, "SUBSCRIBE subscription options");
        if ((options & 0xC0) != 0) {
            throw new MalformedPacketException("SUBSCRIBE subscription options have reserved bits set");
        }
        if ((options & 0x03) == 3) {
            throw new MalformedPacketException(Kind.MALFORMED, "SUBSCRIBE requested QoS 3 is invalid",
                    "Invalid QoS in subscription command from %2$s, disconnecting.");
        }
        if (((options >> TopicSubscription.RETAIN_HANDLING_SHIFT) & 0x03) == 3) {
            throw MalformedPacketException.protocolError("SUBSCRIBE retain handling 3 is invalid");
        }
        return options;
    }

    private static SubAck parseSubAck(ByteBuf body, boolean mqtt5) {
        int packetId = MqttWire.readPacketId(body, PacketType.SUBACK);
        Properties properties = mqtt5 ? PropertySection.read(body, PacketType.SUBACK, false) : Properties.ABSENT;
        if (!body.isReadable()) {
            throw new MalformedPacketException("SUBACK has no return code");
        }
        byte[] returnCodes = new byte[body.readableBytes()];
        body.readBytes(returnCodes);
        for (byte code : returnCodes) {
            // MQTT 5 has more reason codes; which one a server may use is not the codec's to judge.
            if (!mqtt5 && code != 0 && code != 1 && code != 2 && code != (byte) 0x80) {
                throw new MalformedPacketException("SUBACK return code " + (code & 0xFF) + " is reserved");
            }
        }
        return new SubAck(packetId, returnCodes, properties);
    }

    private static Unsubscribe parseUnsubscribe(ByteBuf body, boolean mqtt5) {
        int packetId = MqttWire.readPacketId(body, PacketType.UNSUBSCRIBE);
        Properties properties = mqtt5 ? PropertySection.read(body, PacketType.UNSUBSCRIBE, false)
                : Properties.ABSENT;
        if (!body.isReadable()) {
            throw new MalformedPacketException("UNSUBSCRIBE has no topic filter");
        }
        List<String> filters = new ArrayList<>(1);
        while (body.isReadable()) {
            String filter = MqttWire.readUtf8(body, "UNSUBSCRIBE topic filter");
            if (filter.isEmpty()) {
                throw new MalformedPacketException(Kind.MALFORMED, "UNSUBSCRIBE topic filter is empty",
                        "Empty unsubscription string from %1$s, disconnecting.");
            }
            if (!Router.isAcceptableFilter(filter)) {
                throw new MalformedPacketException(Kind.MALFORMED, "UNSUBSCRIBE topic filter '" + filter + "' is invalid",
                        "Invalid unsubscription string from %1$s, disconnecting.");
            }
            filters.add(filter);
        }
        return new Unsubscribe(packetId, List.copyOf(filters), properties);
    }
}
