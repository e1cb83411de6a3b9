package io.midge.core.packet;

import java.util.EnumSet;
import java.util.Set;

import static io.midge.core.packet.PacketType.AUTH;
import static io.midge.core.packet.PacketType.CONNACK;
import static io.midge.core.packet.PacketType.CONNECT;
import static io.midge.core.packet.PacketType.DISCONNECT;
import static io.midge.core.packet.PacketType.PUBACK;
import static io.midge.core.packet.PacketType.PUBCOMP;
import static io.midge.core.packet.PacketType.PUBLISH;
import static io.midge.core.packet.PacketType.PUBREC;
import static io.midge.core.packet.PacketType.PUBREL;
import static io.midge.core.packet.PacketType.SUBACK;
import static io.midge.core.packet.PacketType.SUBSCRIBE;
import static io.midge.core.packet.PacketType.UNSUBACK;
import static io.midge.core.packet.PacketType.UNSUBSCRIBE;

/**
 * The MQTT 5 properties (section 2.2.2.2): identifier, wire type, and the packets each may appear
 * in. {@link #WILL} stands for the will properties of CONNECT's payload, which have their own set.
 */
public enum Property {
    PAYLOAD_FORMAT_INDICATOR(0x01, Type.BYTE, Where.PUBLISH_AND_WILL),
    MESSAGE_EXPIRY_INTERVAL(0x02, Type.FOUR_BYTE, Where.PUBLISH_AND_WILL),
    CONTENT_TYPE(0x03, Type.STRING, Where.PUBLISH_AND_WILL),
    RESPONSE_TOPIC(0x08, Type.STRING, Where.PUBLISH_AND_WILL),
    CORRELATION_DATA(0x09, Type.BINARY, Where.PUBLISH_AND_WILL),
    SUBSCRIPTION_IDENTIFIER(0x0B, Type.VARIABLE_BYTE, Where.of(PUBLISH, SUBSCRIBE)),
    SESSION_EXPIRY_INTERVAL(0x11, Type.FOUR_BYTE, Where.of(CONNECT, CONNACK, DISCONNECT)),
    ASSIGNED_CLIENT_IDENTIFIER(0x12, Type.STRING, Where.of(CONNACK)),
    SERVER_KEEP_ALIVE(0x13, Type.TWO_BYTE, Where.of(CONNACK)),
    AUTHENTICATION_METHOD(0x15, Type.STRING, Where.of(CONNECT, CONNACK, AUTH)),
    AUTHENTICATION_DATA(0x16, Type.BINARY, Where.of(CONNECT, CONNACK, AUTH)),
    REQUEST_PROBLEM_INFORMATION(0x17, Type.BYTE, Where.of(CONNECT)),
    WILL_DELAY_INTERVAL(0x18, Type.FOUR_BYTE, Where.WILL_ONLY),
    REQUEST_RESPONSE_INFORMATION(0x19, Type.BYTE, Where.of(CONNECT)),
    RESPONSE_INFORMATION(0x1A, Type.STRING, Where.of(CONNACK)),
    SERVER_REFERENCE(0x1C, Type.STRING, Where.of(CONNACK, DISCONNECT)),
    REASON_STRING(0x1F, Type.STRING, Where.of(CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK,
            DISCONNECT, AUTH)),
    RECEIVE_MAXIMUM(0x21, Type.TWO_BYTE, Where.of(CONNECT, CONNACK)),
    TOPIC_ALIAS_MAXIMUM(0x22, Type.TWO_BYTE, Where.of(CONNECT, CONNACK)),
    TOPIC_ALIAS(0x23, Type.TWO_BYTE, Where.of(PUBLISH)),
    MAXIMUM_QOS(0x24, Type.BYTE, Where.of(CONNACK)),
    RETAIN_AVAILABLE(0x25, Type.BYTE, Where.of(CONNACK)),
    USER_PROPERTY(0x26, Type.STRING_PAIR, Where.EVERYWHERE),
    MAXIMUM_PACKET_SIZE(0x27, Type.FOUR_BYTE, Where.of(CONNECT, CONNACK)),
    WILDCARD_SUBSCRIPTION_AVAILABLE(0x28, Type.BYTE, Where.of(CONNACK)),
    SUBSCRIPTION_IDENTIFIER_AVAILABLE(0x29, Type.BYTE, Where.of(CONNACK)),
    SHARED_SUBSCRIPTION_AVAILABLE(0x2A, Type.BYTE, Where.of(CONNACK));

    /** How a property's value is laid out on the wire, and the Java type it is held as. */
    public enum Type {
        /** Integer 0..255. */
        BYTE,
        /** Integer 0..65535. */
        TWO_BYTE,
        /** Long 0..4294967295, held as Integer (unsigned, read with Integer.toUnsignedLong). */
        FOUR_BYTE,
        /** Integer 0..268435455. */
        VARIABLE_BYTE,
        /** String, UTF-8 encoded as MQTT strings are. */
        STRING,
        /** byte[]. */
        BINARY,
        /** A name/value pair of Strings; only {@link #USER_PROPERTY}, held apart in {@link Properties#userProperties()}. */
        STRING_PAIR
    }

    /** Where a property may appear: a set of packet types, and whether among will properties. */
    private record Where(Set<PacketType> packets, boolean will) {
        static final Where PUBLISH_AND_WILL = new Where(EnumSet.of(PUBLISH), true);
        static final Where WILL_ONLY = new Where(EnumSet.noneOf(PacketType.class), true);
        static final Where EVERYWHERE = new Where(EnumSet.allOf(PacketType.class), true);

        static Where of(PacketType first, PacketType... rest) {
            return new Where(EnumSet.of(first, rest), false);
        }
    }

    private static final Property[] BY_ID = new Property[0x2B];

    static {
        for (Property p : values()) {
            BY_ID[p.id] = p;
        }
    }

    private final int id;
    private final Type type;
    private final Where where;

    Property(int id, Type type, Where where) {
        this.id = id;
        this.type = type;
        this.where = where;
    }

    public int id() { return id; }

    public Type type() { return type; }

    /** Whether this property may appear in a packet of {@code packetType} (PINGREQ and PINGRESP have none at all). */
    public boolean allowedIn(PacketType packetType) {
        return where.packets.contains(packetType)
                && packetType != PacketType.PINGREQ && packetType != PacketType.PINGRESP;
    }

    /** Whether this property may appear among a CONNECT's will properties. */
    public boolean allowedInWill() {
        return where.will;
    }

    /** Whether a second instance of this property in one packet is allowed rather than a protocol error. */
    public boolean repeatable() {
        return this == USER_PROPERTY || this == SUBSCRIPTION_IDENTIFIER;
    }

    /** @return the property with this identifier, or null for one MQTT 5 does not define */
    public static Property of(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
