package io.midge.server.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Strict MQTT 3.1.1 (and 3.1) decoder: turns inbound bytes into {@link MqttPacket}s.
 *
 * <p>Framing: the fixed header is validated as soon as its bytes arrive, and a remaining length
 * above {@code maxPacketSize} fails at once, so a peer can never make the connection buffer more
 * than it is allowed to send. A packet is decoded only once it is complete, from a slice bounded
 * by its remaining length, and nothing of the input is retained: the cumulation buffer is released
 * whenever it is fully consumed, so an idle connection holds no buffer.
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

    private static final int MAX_REMAINING_LENGTH_BYTES = 4;

    private final int maxPacketSize;
    /** Bit i is set when packet type i may arrive in this direction. */
    private final int acceptedTypes;
    private final String peer;
    private boolean failed;

    /**
     * A server-side decoder, accepting only the packets a client may send.
     *
     * @param maxPacketSize the largest remaining length accepted, at most
     *                      {@link MqttWire#MAX_REMAINING_LENGTH}
     */
    public MqttDecoder(int maxPacketSize) {
        this(maxPacketSize, SENT_BY_CLIENTS, "client");
    }

    private MqttDecoder(int maxPacketSize, int acceptedTypes, String peer) {
        if (maxPacketSize < 0 || maxPacketSize > MqttWire.MAX_REMAINING_LENGTH) {
            throw new IllegalArgumentException("maxPacketSize must be 0.." + MqttWire.MAX_REMAINING_LENGTH
                    + ", was " + maxPacketSize);
        }
        this.maxPacketSize = maxPacketSize;
        this.acceptedTypes = acceptedTypes;
        this.peer = peer;
    }

    /** A client-side decoder (benchmark client, tests), accepting only the packets a server may send. */
    public static MqttDecoder forClient(int maxPacketSize) {
        return new MqttDecoder(maxPacketSize, SENT_BY_SERVERS, "server");
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
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
                throw new MalformedPacketException(type + " remaining length is longer than 4 bytes");
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
        if (readable - headerLength < remainingLength) {
            return null;
        }
        // Not retained: the parser copies everything it keeps, so the slice dies with this call.
        ByteBuf body = in.slice(start + headerLength, remainingLength);
        MqttPacket packet = MqttPacketParser.parse(type, firstByte & 0x0F, body);
        in.readerIndex(start + headerLength + remainingLength);
        return packet;
    }

    private PacketType checkTypeAndFlags(int firstByte) {
        int typeValue = firstByte >>> 4;
        PacketType type = PacketType.of(typeValue);
        if (type == null) {
            throw new MalformedPacketException("reserved packet type " + typeValue);
        }
        if ((acceptedTypes & (1 << typeValue)) == 0) {
            throw new MalformedPacketException(type + " must not be sent by a " + peer);
        }
        int flags = firstByte & 0x0F;
        if (type == PacketType.PUBLISH) {
            checkPublishFlags(flags);
        } else if (flags != type.requiredFlags()) {
            throw new MalformedPacketException("invalid fixed header flags for " + type);
        }
        return type;
    }

    private static void checkPublishFlags(int flags) {
        int qos = (flags >> 1) & 0x03;
        if (qos == 3) {
            throw new MalformedPacketException("PUBLISH QoS 3 is invalid");
        }
        if (qos == 0 && (flags & 0x08) != 0) {
            throw new MalformedPacketException("PUBLISH with QoS 0 has DUP set");
        }
    }

    private void checkRemainingLength(PacketType type, int remainingLength) {
        int required = switch (type) {
            case CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK -> 2;
            case PINGREQ, PINGRESP, DISCONNECT -> 0;
            default -> -1;
        };
        if (required >= 0 && remainingLength != required) {
            throw new MalformedPacketException(type + " remaining length must be " + required
                    + ", was " + remainingLength);
        }
        if (remainingLength > maxPacketSize) {
            throw new PacketTooLargeException(remainingLength, maxPacketSize);
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
