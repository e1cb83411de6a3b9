package io.midge.server.codec;

import io.midge.core.packet.PacketType;
import io.midge.core.packet.Properties;
import io.midge.core.packet.Property;
import io.midge.core.packet.WireSize;
import io.midge.server.codec.MalformedPacketException.Kind;
import io.netty.buffer.ByteBuf;

import java.util.Map;

/**
 * The MQTT 5 property section (section 2.2.2): a variable byte integer length, then properties,
 * each an identifier and a value of the identifier's type.
 *
 * <p>Reading is strict, and classifies faults as mosquitto does: a length that runs past the
 * packet, a truncated value or an unknown identifier make the packet malformed; a property the
 * packet may not carry, a second instance of a single-valued one, or a value the specification
 * rules out (a boolean other than 0/1, a receive maximum, maximum packet size, topic alias or
 * subscription identifier of 0) is a protocol error.
 */
final class PropertySection {

    private PropertySection() {}

    /** A fault in a property section; the CONNECT parser reports its kind as it is (see {@link MqttPacketParser}). */
    static final class PropertyException extends MalformedPacketException {
        private static final long serialVersionUID = 1L;

        PropertyException(Kind kind, String reason) {
            super(kind, reason, null);
        }
    }

    /**
     * Reads a property section from the body's reader index.
     *
     * @param type the packet the properties belong to
     * @param will whether these are the will properties of a CONNECT
     * @return {@link Properties#EMPTY} for a length of 0
     */
    static Properties read(ByteBuf body, PacketType type, boolean will) {
        String where = will ? "CONNECT will properties" : type + " properties";
        int length;
        try {
            length = MqttWire.readVariableByteInteger(body, where + " length");
        } catch (MalformedPacketException e) {
            throw new PropertyException(Kind.MALFORMED, e.getMessage());
        }
        if (length == 0) {
            return Properties.EMPTY;
        }
        if (length > body.readableBytes()) {
            throw new PropertyException(Kind.MALFORMED, where + " length " + length + " exceeds the "
                    + body.readableBytes() + " bytes left in the packet");
        }
        ByteBuf section = body.readSlice(length);
        Properties.Builder builder = Properties.builder();
        while (section.isReadable()) {
            readOne(section, type, will, where, builder);
        }
        return builder.build();
    }

    private static void readOne(ByteBuf section, PacketType type, boolean will, String where,
                                Properties.Builder builder) {
        int id;
        try {
            id = MqttWire.readVariableByteInteger(section, where + " identifier");
        } catch (MalformedPacketException e) {
            throw new PropertyException(Kind.MALFORMED, e.getMessage());
        }
        Property property = Property.of(id);
        if (property == null) {
            throw new PropertyException(Kind.MALFORMED, where + " has unknown property identifier 0x"
                    + Integer.toHexString(id));
        }
        if (will ? !property.allowedInWill() : !property.allowedIn(type)) {
            throw protocolError(where + " must not contain " + property);
        }
        if (builder.has(property) && !property.repeatable()) {
            throw protocolError(where + " contain " + property + " more than once");
        }
        String field = where + " " + property;
        switch (property.type()) {
            case BYTE -> builder.put(property, checkByte(property, readValue(section, field, 1).readUnsignedByte(), where));
            case TWO_BYTE -> builder.put(property, checkTwoByte(property, readValue(section, field, 2).readUnsignedShort(), where));
            case FOUR_BYTE -> builder.put(property, checkFourByte(property, readValue(section, field, 4).readInt(), where));
            case VARIABLE_BYTE -> {
                int value;
                try {
                    value = MqttWire.readVariableByteInteger(section, field);
                } catch (MalformedPacketException e) {
                    throw new PropertyException(Kind.MALFORMED, e.getMessage());
                }
                if (value == 0) {
                    throw protocolError(field + " must not be 0");
                }
                if (type == PacketType.SUBSCRIBE && builder.has(property)) {
                    throw protocolError(where + " contain " + property + " more than once");
                }
                builder.subscriptionIdentifier(value);
            }
            case STRING -> builder.put(property, readUtf8(section, field));
            case BINARY -> builder.put(property, readBinary(section, field));
            case STRING_PAIR -> builder.userProperty(readUtf8(section, field + " name"),
                    readUtf8(section, field + " value"));
        }
    }

    private static ByteBuf readValue(ByteBuf section, String field, int size) {
        if (section.readableBytes() < size) {
            throw new PropertyException(Kind.MALFORMED, "property section ends before " + field);
        }
        return section;
    }

    private static String readUtf8(ByteBuf section, String field) {
        try {
            return MqttWire.readUtf8(section, field);
        } catch (MalformedPacketException e) {
            throw new PropertyException(e.kind(), e.getMessage());
        }
    }

    private static byte[] readBinary(ByteBuf section, String field) {
        try {
            return MqttWire.readBinary(section, field);
        } catch (MalformedPacketException e) {
            throw new PropertyException(e.kind(), e.getMessage());
        }
    }

    /** Every byte property but MAXIMUM_QOS is a boolean; MAXIMUM_QOS itself may only be 0 or 1 (3.2.2.3.4). */
    private static int checkByte(Property property, int value, String where) {
        if (value > 1) {
            throw protocolError(where + " " + property + " is " + value + ", not 0 or 1");
        }
        return value;
    }

    private static int checkTwoByte(Property property, int value, String where) {
        // A topic alias of 0 is left to the protocol, which answers it with "topic alias invalid".
        if (value == 0 && property == Property.RECEIVE_MAXIMUM) {
            throw protocolError(where + " " + property + " must not be 0");
        }
        return value;
    }

    private static int checkFourByte(Property property, int value, String where) {
        if (value == 0 && property == Property.MAXIMUM_PACKET_SIZE) {
            throw protocolError(where + " " + property + " must not be 0");
        }
        return value;
    }

    private static PropertyException protocolError(String reason) {
        return new PropertyException(Kind.PROTOCOL_ERROR, reason);
    }

    // ---- writing ------------------------------------------------------------------------------

    /**
     * Writes a property section whose size {@link WireSize#section} has checked; nothing for
     * {@link Properties#ABSENT}. Identifier order, then user properties, then subscription identifiers.
     */
    static void write(ByteBuf out, Properties properties) {
        if (properties.absent()) {
            return;
        }
        if (properties.isEmpty()) {
            out.writeByte(0);
            return;
        }
        MqttWire.writeVariableByteInteger(out, WireSize.propertiesLength(properties));
        for (Map.Entry<Property, Object> entry : properties.values().entrySet()) {
            Property property = entry.getKey();
            Object value = entry.getValue();
            out.writeByte(property.id());
            switch (property.type()) {
                case BYTE -> out.writeByte((Integer) value);
                case TWO_BYTE -> out.writeShort((Integer) value);
                case FOUR_BYTE -> out.writeInt((Integer) value);
                case VARIABLE_BYTE -> MqttWire.writeVariableByteInteger(out, (Integer) value);
                case STRING -> MqttWire.writeSizedUtf8(out, (String) value);
                case BINARY -> MqttWire.writeBinary(out, (byte[]) value);
                case STRING_PAIR -> throw new IllegalStateException(property + " is not a single value");
            }
        }
        for (Map.Entry<String, String> pair : properties.userProperties()) {
            out.writeByte(Property.USER_PROPERTY.id());
            MqttWire.writeSizedUtf8(out, pair.getKey());
            MqttWire.writeSizedUtf8(out, pair.getValue());
        }
        for (int i = 0; i < properties.subscriptionIdentifierCount(); i++) {
            out.writeByte(Property.SUBSCRIPTION_IDENTIFIER.id());
            MqttWire.writeVariableByteInteger(out, properties.subscriptionIdentifier(i));
        }
    }
}
