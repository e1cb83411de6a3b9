package io.midge.server.codec;

import io.midge.core.packet.MqttPacket;
import io.midge.core.packet.PacketType;

import io.midge.core.packet.MqttPacket.Connect;
import io.midge.core.packet.MqttPacket.OversizedPublish;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * Strict MQTT 3.1, 3.1.1 and 5 decoder: turns inbound bytes into {@link MqttPacket}s.
 *
 * <p>The protocol is the connection's: a server-side decoder speaks 3.1/3.1.1 until it decodes a
 * CONNECT of level 5, and MQTT 5 for every packet after it; a client-side decoder is told the level
 * it connects with. MQTT 5 packets carry their properties (never {@link
 * io.midge.core.packet.Properties#ABSENT}); 3.1/3.1.1 packets never do.
 *
 * <p>Framing: the fixed header is validated as soon as its bytes arrive, and a remaining length
 * above {@code maxPacketSize} fails at once, so a peer can never make the connection buffer more
 * than it is allowed to send. A packet is decoded only once it is complete, from a slice bounded
 * by its remaining length, and nothing of the input is retained: the cumulation buffer is released
 * whenever it is fully consumed, so an idle connection holds no buffer.
 *
 * <p>A PUBLISH whose payload is over the payload limit (mosquitto's message_size_limit) is not
 * buffered at all: its topic and packet identifier are decoded into an {@link OversizedPublish},
 * so the broker can acknowledge and drop it as mosquitto does, and its payload is skipped as it
 * arrives.
 *
 * <p>Any violation throws {@link MalformedPacketException} (or {@link PacketTooLargeException});
 * the connection must then be closed, and until it is, all further input is discarded.
 *
 * <p>Not sharable: one instance per channel.
 */
public final class MqttDecoder extends ByteToMessageDecoder {

    private static final int SENT_BY_CLIENTS = typeMask(PacketType.CONNECT, PacketType.PUBLISH,
            PacketType.PUBACK, PacketType.PUBREC, PacketType.PUBREL, PacketType.PUBCOMP, PacketType.SUBSCRIBE,
            PacketType.UNSUBSCRIBE, PacketType.PINGREQ, PacketType.DISCONNECT);
    private static final int SENT_BY_SERVERS = typeMask(PacketType.CONNACK, PacketType.PUBLISH,
            PacketType.PUBACK, PacketType.PUBREC, PacketType.PUBREL, PacketType.PUBCOMP, PacketType.SUBACK,
            PacketType.UNSUBACK, PacketType.PINGRESP);
    /** MQTT 5 adds AUTH both ways, and a server's DISCONNECT. */
    private static final int SENT_BY_MQTT5_CLIENTS = SENT_BY_CLIENTS | typeMask(PacketType.AUTH);
    private static final int SENT_BY_MQTT5_SERVERS = SENT_BY_SERVERS | typeMask(PacketType.AUTH, PacketType.DISCONNECT);

    private static final int MAX_REMAINING_LENGTH_BYTES = 4;

    /** Shared by all decoders of a listener: each connection's decoder holds only its own state. */
    private final DecoderSettings settings;
    /** The connection speaks MQTT 5: a server saw a level 5 CONNECT, a client was told so. */
    private boolean mqtt5;
    private boolean failed;
    /** Bytes of an oversized PUBLISH's payload still to be skipped. */
    private int discarding;

    /**
     * A server-side decoder, accepting only the packets a client may send.
     *
     * @param maxPacketSize the largest remaining length accepted, at most
     *                      {@link MqttWire#MAX_REMAINING_LENGTH}
     */
    public MqttDecoder(int maxPacketSize) {
        this(maxPacketSize, maxPacketSize);
    }

    /**
     * A server-side decoder that also turns PUBLISH packets whose payload is over
     * {@code maxPayloadSize} into {@link OversizedPublish}es instead of buffering them.
     */
    public MqttDecoder(int maxPacketSize, int maxPayloadSize) {
        this(maxPacketSize, maxPayloadSize, bytes -> { });
    }

    /** @param consumed told the number of bytes taken from the stream, whole packets or not */
    public MqttDecoder(int maxPacketSize, int maxPayloadSize, IntConsumer consumed) {
        this(new DecoderSettings(maxPacketSize, maxPayloadSize, consumed));
    }

    /** A decoder with settings its listener's (or bridge's) connections share. */
    public MqttDecoder(DecoderSettings settings) {
        this(settings, false);
    }

    private MqttDecoder(DecoderSettings settings, boolean mqtt5) {
        this.settings = settings;
        this.mqtt5 = mqtt5;
    }

    /** A client-side MQTT 3.1.1 decoder (benchmark client, tests), accepting only the packets a server may send. */
    public static MqttDecoder forClient(int maxPacketSize) {
        return forClient(maxPacketSize, Connect.LEVEL_MQTT_3_1_1);
    }

    /**
     * A client-side decoder for a connection made with this protocol level.
     *
     * @param protocolLevel {@link Connect#LEVEL_MQTT_3_1}, {@link Connect#LEVEL_MQTT_3_1_1} or
     *                      {@link Connect#LEVEL_MQTT_5}
     */
    public static MqttDecoder forClient(int maxPacketSize, int protocolLevel) {
        if (protocolLevel != Connect.LEVEL_MQTT_3_1 && protocolLevel != Connect.LEVEL_MQTT_3_1_1
                && protocolLevel != Connect.LEVEL_MQTT_5) {
            throw new IllegalArgumentException("protocol level must be 3, 4 or 5, was " + protocolLevel);
        }
        return new MqttDecoder(new DecoderSettings(maxPacketSize, maxPacketSize, bytes -> { }, false),
                protocolLevel == Connect.LEVEL_MQTT_5);
    }

    /** Whether packets are now read as MQTT 5. */
    public boolean mqtt5() {
        return mqtt5;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int readable = in.readableBytes();
        try {
            decodeStep(in, out);
        } finally {
            settings.consumed().accept(readable - in.readableBytes());
        }
    }

    private void decodeStep(ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (discarding > 0) {
            int skipped = Math.min(discarding, in.readableBytes());
            in.skipBytes(skipped);
            discarding -= skipped;
            if (discarding > 0) {
                return;
            }
        }
        try {
            MqttPacket packet = decodeOne(in);
            if (packet != null) {
                out.add(packet);
            }
        } catch (RuntimeException e) {
            // The connection is being closed: drop what is buffered so the cumulation is released,
            // and everything that still arrives.
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    /** @return the next packet, or null (consuming nothing) while it is incomplete */
    private MqttPacket decodeOne(ByteBuf in) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        if (readable == 0) {
            return null;
        }
        int firstByte = in.getUnsignedByte(start);
        PacketType type = checkTypeAndFlags(firstByte);

        int remainingLength = 0;
        int lengthBytes = 0;
        int digit;
        do {
            if (lengthBytes == MAX_REMAINING_LENGTH_BYTES) {
                throw MalformedPacketException.protocolError(type + " remaining length is longer than 4 bytes");
            }
            if (readable <= 1 + lengthBytes) {
                return null;
            }
            digit = in.getUnsignedByte(start + 1 + lengthBytes);
            remainingLength |= (digit & 0x7F) << (7 * lengthBytes);
            lengthBytes++;
        } while ((digit & 0x80) != 0);

        checkRemainingLength(type, remainingLength);

        int headerLength = 1 + lengthBytes;
        if (type == PacketType.PUBLISH && remainingLength > settings.maxPayloadSize()) {
            return decodePossiblyOversized(in, start + headerLength, firstByte & 0x0F, remainingLength);
        }
        if (readable - headerLength < remainingLength) {
            return null;
        }
        // Not retained: the parser copies everything it keeps, so the slice dies with this call.
        ByteBuf body = in.slice(start + headerLength, remainingLength);
        MqttPacket packet = MqttPacketParser.parse(type, firstByte & 0x0F, body, mqtt5);
        in.readerIndex(start + headerLength + remainingLength);
        if (settings.server() && packet instanceof Connect connect && connect.mqtt5()) {
            mqtt5 = true;
        }
        return packet;
    }

    /**
     * A PUBLISH long enough that its payload may be over the limit: once its topic and packet
     * identifier are in, either it is within the limit after all and is decoded whole, or only
     * those fields are decoded and the payload is skipped as it arrives.
     */
    private MqttPacket decodePossiblyOversized(ByteBuf in, int bodyStart, int flags, int remainingLength) {
        int available = in.writerIndex() - bodyStart;
        if (available < 2) {
            return null;
        }
        int qos = (flags >> 1) & 0x03;
        int fieldsLength = 2 + in.getUnsignedShort(bodyStart) + (qos > 0 ? 2 : 0);
        if (mqtt5 && fieldsLength < remainingLength) {
            int propertySection = propertySectionLength(in, bodyStart + fieldsLength, bodyStart + remainingLength);
            if (propertySection < 0) {
                return null;
            }
            fieldsLength += propertySection;
        }
        int payloadLength = remainingLength - fieldsLength;
        if (payloadLength <= settings.maxPayloadSize()) {
            if (available < remainingLength) {
                return null;
            }
            MqttPacket packet = MqttPacketParser.parse(PacketType.PUBLISH, flags, in.slice(bodyStart, remainingLength),
                    mqtt5);
            in.readerIndex(bodyStart + remainingLength);
            return packet;
        }
        if (available < fieldsLength) {
            return null;
        }
        OversizedPublish oversized = MqttPacketParser.parseOversizedPublish(flags, in.slice(bodyStart, fieldsLength),
                payloadLength, mqtt5);
        in.readerIndex(bodyStart + fieldsLength);
        int skipped = Math.min(payloadLength, in.readableBytes());
        in.skipBytes(skipped);
        discarding = payloadLength - skipped;
        return oversized;
    }

    /**
     * The size of the property section (its length field and the properties) at {@code offset}, or
     * -1 while its length field is not all in; a length field that is not a valid variable byte
     * integer, or runs past the packet, counts as what is left, so the whole packet is parsed and
     * judged.
     */
    private static int propertySectionLength(ByteBuf in, int offset, int end) {
        int value = 0;
        for (int i = 0; i < 4 && offset + i < end; i++) {
            if (offset + i >= in.writerIndex()) {
                return -1;
            }
            int digit = in.getUnsignedByte(offset + i);
            value |= (digit & 0x7F) << (7 * i);
            if ((digit & 0x80) == 0) {
                return (int) Math.min((long) i + 1 + value, end - offset);
            }
        }
        return end - offset;
    }

    private PacketType checkTypeAndFlags(int firstByte) {
        int typeValue = firstByte >>> 4;
        PacketType type = PacketType.of(typeValue);
        if (type == null || (type == PacketType.AUTH && !mqtt5)) {
            // AUTH's value is reserved before MQTT 5.
            throw MalformedPacketException.protocolError("reserved packet type " + typeValue);
        }
        // Bit i is set when packet type i may arrive in this direction, before and in MQTT 5.
        boolean server = settings.server();
        int acceptedTypes = server ? (mqtt5 ? SENT_BY_MQTT5_CLIENTS : SENT_BY_CLIENTS)
                : (mqtt5 ? SENT_BY_MQTT5_SERVERS : SENT_BY_SERVERS);
        if ((acceptedTypes & (1 << typeValue)) == 0) {
            throw MalformedPacketException.protocolError(type + " must not be sent by a " + (server ? "client" : "server"));
        }
        int flags = firstByte & 0x0F;
        if (type == PacketType.PUBLISH) {
            checkPublishFlags(flags);
        } else if (type == PacketType.CONNECT) {
            // MQTT 3.1 has no rule for these flags, and mosquitto ignores them there: the
            // parser checks them once it knows the protocol.
        } else if (flags != type.requiredFlags()) {
            throw new MalformedPacketException(flagViolationKind(type), "invalid fixed header flags for " + type, null);
        }
        return type;
    }

    /** As mosquitto classifies them: flags that change a packet's meaning are a protocol error. */
    private static MalformedPacketException.Kind flagViolationKind(PacketType type) {
        return type == PacketType.PUBREL || type == PacketType.DISCONNECT
                ? MalformedPacketException.Kind.PROTOCOL_ERROR : MalformedPacketException.Kind.MALFORMED;
    }

    private static void checkPublishFlags(int flags) {
        int qos = (flags >> 1) & 0x03;
        if (qos == 3) {
            throw new MalformedPacketException(MalformedPacketException.Kind.MALFORMED, "PUBLISH QoS 3 is invalid",
                    "Invalid QoS in PUBLISH from %1$s, disconnecting.");
        }
        if (qos == 0 && (flags & 0x08) != 0) {
            throw new MalformedPacketException("PUBLISH with QoS 0 has DUP set");
        }
    }

    private void checkRemainingLength(PacketType type, int remainingLength) {
        if (mqtt5) {
            checkMqtt5RemainingLength(type, remainingLength);
        } else {
            int required = switch (type) {
                case CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK -> 2;
                case PINGREQ, PINGRESP, DISCONNECT -> 0;
                default -> -1;
            };
            if (required >= 0 && remainingLength != required) {
                throw new MalformedPacketException(type + " remaining length must be " + required
                        + ", was " + remainingLength);
            }
        }
        if (remainingLength > settings.maxPacketSize()) {
            throw new PacketTooLargeException(remainingLength, settings.maxPacketSize());
        }
    }

    /** MQTT 5 acknowledgements may carry a reason code and properties: only a lower bound is fixed. */
    private static void checkMqtt5RemainingLength(PacketType type, int remainingLength) {
        int minimum = switch (type) {
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> 2;
            // flags, reason code, property length
            case CONNACK -> 3;
            // packet identifier, property length, one reason code
            case UNSUBACK -> 4;
            default -> 0;
        };
        if (remainingLength < minimum) {
            throw new MalformedPacketException(type + " remaining length must be at least " + minimum
                    + ", was " + remainingLength);
        }
        if ((type == PacketType.PINGREQ || type == PacketType.PINGRESP) && remainingLength != 0) {
            throw new MalformedPacketException(type + " remaining length must be 0, was " + remainingLength);
        }
    }

    private static int typeMask(PacketType... types) {
        int mask = 0;
        for (PacketType type : types) {
            mask |= 1 << type.value();
        }
        return mask;
    }
}
