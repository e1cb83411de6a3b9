package io.midge.core.packet;

import io.midge.core.packet.MqttPacket.Ack;
import io.midge.core.packet.MqttPacket.Auth;
import io.midge.core.packet.MqttPacket.ConnAck;
import io.midge.core.packet.MqttPacket.Connect;
import io.midge.core.packet.MqttPacket.Disconnect;
import io.midge.core.packet.MqttPacket.Empty;
import io.midge.core.packet.MqttPacket.Publish;
import io.midge.core.packet.MqttPacket.SubAck;
import io.midge.core.packet.MqttPacket.Subscribe;
import io.midge.core.packet.MqttPacket.TopicSubscription;
import io.midge.core.packet.MqttPacket.UnsubAck;
import io.midge.core.packet.MqttPacket.Unsubscribe;
import io.midge.core.packet.MqttPacket.Will;

import java.util.List;
import java.util.Map;

/**
 * The size of a packet on the wire, exactly as the broker's encoder writes it. The encoder sizes
 * its buffer with these methods, so the protocol can check a client's MAXIMUM_PACKET_SIZE before
 * sending with the same numbers.
 *
 * <p>A property section is counted exactly when the packet's properties are not
 * {@link Properties#ABSENT}; MQTT 5 acknowledgements and DISCONNECT/AUTH leave out the reason code
 * and property section as the encoder does (section 3.4.2.1, 3.14.2.1, 3.15.2.1).
 *
 * <p>Every method throws {@link IllegalArgumentException} for a packet that cannot be encoded: a
 * string or binary field over 65535 bytes, a property value out of its type's range, or a remaining
 * length over 268435455.
 */
public final class WireSize {

    /** The largest remaining length four length bytes can express: 256 MB - 1. */
    public static final int MAX_REMAINING_LENGTH = 268_435_455;
    /** Strings and binary fields carry a two-byte length. */
    public static final int MAX_FIELD_LENGTH = 0xFFFF;

    private WireSize() {}

    /** The whole packet: fixed header byte, remaining length bytes and remaining length. */
    public static int of(MqttPacket packet) {
        return ofRemainingLength(remainingLength(packet));
    }

    /** The whole packet, for a remaining length already computed. */
    public static int ofRemainingLength(int remainingLength) {
        return 1 + variableByteIntegerSize(remainingLength) + remainingLength;
    }

    /** What follows the fixed header's remaining length field. */
    public static int remainingLength(MqttPacket packet) {
        long length;
        if (packet instanceof Publish publish) {
            length = publish(publish);
        } else if (packet instanceof Ack ack) {
            length = ack(ack);
        } else if (packet instanceof Empty) {
            length = 0;
        } else if (packet instanceof Subscribe subscribe) {
            length = subscribe(subscribe);
        } else if (packet instanceof SubAck subAck) {
            length = 2L + section(subAck.properties()) + subAck.returnCodes().length;
        } else if (packet instanceof Unsubscribe unsubscribe) {
            length = unsubscribe(unsubscribe);
        } else if (packet instanceof UnsubAck unsubAck) {
            length = 2L + section(unsubAck.properties()) + unsubAck.reasonCodes().length;
        } else if (packet instanceof Connect connect) {
            length = connect(connect);
        } else if (packet instanceof ConnAck connAck) {
            length = 2L + section(connAck.properties());
        } else if (packet instanceof Disconnect disconnect) {
            length = reasonAndProperties(disconnect.reasonCode(), disconnect.properties());
        } else if (packet instanceof Auth auth) {
            length = reasonAndProperties(auth.reasonCode(), auth.properties());
        } else {
            throw new IllegalArgumentException(packet.type() + " " + packet.getClass().getSimpleName()
                    + " is not encodable");
        }
        if (length > MAX_REMAINING_LENGTH) {
            throw new IllegalArgumentException(packet.type() + " remaining length " + length + " exceeds "
                    + MAX_REMAINING_LENGTH);
        }
        return (int) length;
    }

    private static long publish(Publish publish) {
        return 2L + utf8Length(publish.topic(), "PUBLISH topic") + (publish.qos() > 0 ? 2 : 0)
                + section(publish.properties()) + publish.payload().length;
    }

    /** PUBACK, PUBREC, PUBREL, PUBCOMP (and 3.1.1's UNSUBACK): 2, 3, or 3 and a property section. */
    private static long ack(Ack ack) {
        Properties properties = ack.properties();
        if (properties.absent() || (ack.reasonCode() == ReasonCode.SUCCESS && properties.isEmpty())) {
            return 2;
        }
        return properties.isEmpty() ? 3 : 3L + section(properties);
    }

    /** DISCONNECT and AUTH: nothing for success without properties, else the reason, then any properties. */
    private static long reasonAndProperties(int reasonCode, Properties properties) {
        if (properties.isEmpty()) {
            return reasonCode == ReasonCode.SUCCESS ? 0 : 1;
        }
        return 1L + section(properties);
    }

    private static long subscribe(Subscribe subscribe) {
        long length = 2L + section(subscribe.properties());
        for (TopicSubscription subscription : subscribe.subscriptions()) {
            length += 2 + utf8Length(subscription.filter(), "SUBSCRIBE topic filter") + 1;
        }
        return length;
    }

    private static long unsubscribe(Unsubscribe unsubscribe) {
        long length = 2L + section(unsubscribe.properties());
        for (String filter : unsubscribe.filters()) {
            length += 2 + utf8Length(filter, "UNSUBSCRIBE topic filter");
        }
        return length;
    }

    private static long connect(Connect connect) {
        long length = 2L + utf8Length(connect.protocolName(), "CONNECT protocol name") + 1 + 1 + 2
                + section(connect.properties()) + 2 + utf8Length(connect.clientId(), "CONNECT client identifier");
        Will will = connect.will();
        if (will != null) {
            length += section(will.properties()) + 2 + utf8Length(will.topic(), "CONNECT will topic")
                    + 2 + binaryLength(will.payload(), "CONNECT will message");
        }
        if (connect.username() != null) {
            length += 2 + utf8Length(connect.username(), "CONNECT user name");
        }
        if (connect.password() != null) {
            length += 2 + binaryLength(connect.password(), "CONNECT password");
        }
        return length;
    }

    /** The property section: its length field and the properties, or nothing for 3.1.1's {@link Properties#ABSENT}. */
    public static int section(Properties properties) {
        if (properties.absent()) {
            return 0;
        }
        int length = propertiesLength(properties);
        return variableByteIntegerSize(length) + length;
    }

    /** The value of a property section's length field: the bytes of the properties themselves. */
    public static int propertiesLength(Properties properties) {
        if (properties.isEmpty()) {
            return 0;
        }
        long length = 0;
        for (Map.Entry<Property, Object> entry : properties.values().entrySet()) {
            length += 1 + valueLength(entry.getKey(), entry.getValue());
        }
        List<Map.Entry<String, String>> userProperties = properties.userProperties();
        for (Map.Entry<String, String> pair : userProperties) {
            length += 1 + 2 + utf8Length(pair.getKey(), "user property name")
                    + 2 + utf8Length(pair.getValue(), "user property value");
        }
        for (int i = 0; i < properties.subscriptionIdentifierCount(); i++) {
            length += 1 + variableByteIntegerSize(checkVariableByteInteger(properties.subscriptionIdentifier(i),
                    Property.SUBSCRIPTION_IDENTIFIER));
        }
        if (length > MAX_REMAINING_LENGTH) {
            throw new IllegalArgumentException("property length " + length + " exceeds " + MAX_REMAINING_LENGTH);
        }
        return (int) length;
    }

    private static int valueLength(Property property, Object value) {
        return switch (property.type()) {
            case BYTE -> checkRange(property, value, 0xFF, 1);
            case TWO_BYTE -> checkRange(property, value, 0xFFFF, 2);
            case FOUR_BYTE -> {
                if (!(value instanceof Integer)) {
                    throw new IllegalArgumentException(property + " must be an Integer, was " + value);
                }
                yield 4;
            }
            case VARIABLE_BYTE -> variableByteIntegerSize(checkVariableByteInteger(asInt(property, value), property));
            case STRING -> {
                if (!(value instanceof String string)) {
                    throw new IllegalArgumentException(property + " must be a String, was " + value);
                }
                yield 2 + utf8Length(string, property.toString());
            }
            case BINARY -> {
                if (!(value instanceof byte[] bytes)) {
                    throw new IllegalArgumentException(property + " must be a byte[], was " + value);
                }
                yield 2 + binaryLength(bytes, property.toString());
            }
            case STRING_PAIR -> throw new IllegalArgumentException(property + " is not a single value");
        };
    }

    private static int checkRange(Property property, Object value, int max, int size) {
        int v = asInt(property, value);
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(property + " " + v + " is not 0.." + max);
        }
        return size;
    }

    private static int asInt(Property property, Object value) {
        if (!(value instanceof Integer integer)) {
            throw new IllegalArgumentException(property + " must be an Integer, was " + value);
        }
        return integer;
    }

    private static int checkVariableByteInteger(int value, Property property) {
        if (value < 0 || value > MAX_REMAINING_LENGTH) {
            throw new IllegalArgumentException(property + " " + value + " is not 0.." + MAX_REMAINING_LENGTH);
        }
        return value;
    }

    /** Bytes (1 to 4) of a variable byte integer 0..268435455 (section 1.5.5). */
    public static int variableByteIntegerSize(int value) {
        if (value < 0x80) {
            return 1;
        }
        if (value < 0x4000) {
            return 2;
        }
        return value < 0x20_0000 ? 3 : 4;
    }

    /**
     * UTF-8 length of a string field, checked against its two-byte length prefix. Counted as
     * Netty's encoder writes strings, which matters only for unpaired surrogates (see
     * {@link #utf8Length(CharSequence)}).
     */
    public static int utf8Length(String value, String field) {
        int length = utf8Length(value);
        if (length > MAX_FIELD_LENGTH) {
            throw new IllegalArgumentException(field + " is " + length + " bytes of UTF-8, more than "
                    + MAX_FIELD_LENGTH);
        }
        return length;
    }

    /**
     * UTF-8 length of a string, unbounded. An unpaired surrogate is written as '?' by Netty's
     * encoder, and a high surrogate followed by anything but a low one takes that next char with it
     * as a second byte; the count follows it so the buffer the encoder sizes is exact.
     */
    public static int utf8Length(CharSequence value) {
        int n = value.length();
        int length = 0;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (!Character.isSurrogate(c)) {
                length += 3;
            } else if (!Character.isHighSurrogate(c) || i + 1 == n) {
                length += 1;
            } else {
                // A pair is four bytes; a high surrogate with any other char after it, two.
                length += Character.isLowSurrogate(value.charAt(i + 1)) ? 4 : 2;
                i++;
            }
        }
        return length;
    }

    static int binaryLength(byte[] value, String field) {
        if (value.length > MAX_FIELD_LENGTH) {
            throw new IllegalArgumentException(field + " is " + value.length + " bytes, more than " + MAX_FIELD_LENGTH);
        }
        return value.length;
    }
}
