package io.midge.server.codec;

import io.midge.core.packet.MqttPacket;
import io.midge.core.packet.PacketType;

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
import io.midge.core.packet.Properties;
import io.midge.core.packet.ReasonCode;
import io.midge.core.packet.WireSize;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.EncoderException;

/**
 * Encodes {@link MqttPacket}s of all fifteen types, MQTT 3.1, 3.1.1 and 5, in either direction.
 * Each packet's size is computed first ({@link WireSize}, which the protocol also uses to honour a
 * client's maximum packet size) and written into a single buffer of exactly that size, so there is
 * never a resize or copy; other messages pass through untouched.
 *
 * <p>The encoder checks what would make the packet unreadable to a strict peer (field lengths,
 * QoS range, packet identifiers) and fails the write with an {@link EncoderException} instead.
 */
@Sharable
public final class MqttEncoder extends ChannelOutboundHandlerAdapter {

    /** Stateless and sharable: one instance can serve every channel. */
    public static final MqttEncoder INSTANCE = new MqttEncoder();

    public MqttEncoder() {}

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof MqttPacket packet)) {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf encoded;
        try {
            encoded = encode(ctx.alloc(), packet);
        } catch (EncoderException e) {
            promise.tryFailure(e);
            return;
        } catch (RuntimeException e) {
            promise.tryFailure(new EncoderException("cannot encode " + packet.type(), e));
            return;
        }
        ctx.write(encoded, promise);
    }

    /**
     * Encodes one packet into a new buffer of exactly its wire size ({@link WireSize#of}), owned by
     * the caller. A property section is written exactly when the packet's properties are not
     * {@link Properties#ABSENT}.
     *
     * @throws EncoderException if the packet cannot be represented validly on the wire
     */
    public static ByteBuf encode(ByteBufAllocator alloc, MqttPacket packet) {
        checkFields(packet);
        int remainingLength;
        try {
            remainingLength = WireSize.remainingLength(packet);
        } catch (IllegalArgumentException e) {
            throw new EncoderException(e.getMessage());
        }
        int size = WireSize.ofRemainingLength(remainingLength);
        ByteBuf out = alloc.ioBuffer(size, size);
        try {
            out.writeByte(packet.type().value() << 4 | fixedHeaderFlags(packet));
            MqttWire.writeRemainingLength(out, remainingLength);
            writeBody(out, packet);
        } catch (RuntimeException e) {
            out.release();
            throw e instanceof EncoderException encoderException ? encoderException
                    : new EncoderException("cannot encode " + packet.type(), e);
        }
        if (out.isWritable()) {
            out.release();
            throw new EncoderException(packet.type() + " was written shorter than its computed size");
        }
        return out;
    }

    private static int fixedHeaderFlags(MqttPacket packet) {
        if (packet instanceof Publish publish) {
            return (publish.dup() ? 0x08 : 0) | publish.qos() << 1 | (publish.retain() ? 0x01 : 0);
        }
        return packet.type().requiredFlags();
    }

    /** What the size computation does not check: the rules a strict peer would reject the packet for. */
    private static void checkFields(MqttPacket packet) {
        if (packet instanceof Publish publish) {
            int qos = checkQos(publish.qos(), "PUBLISH QoS");
            if (publish.dup() && qos == 0) {
                throw new EncoderException("PUBLISH with QoS 0 must not have DUP set");
            }
            if (qos > 0) {
                checkPacketId(publish.packetId(), PacketType.PUBLISH);
            }
        } else if (packet instanceof Ack ack) {
            switch (ack.type()) {
                case PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK -> { }
                default -> throw new EncoderException(ack.type() + " is not an acknowledgement");
            }
            checkPacketId(ack.packetId(), ack.type());
            checkByte(ack.reasonCode(), ack.type() + " reason code");
        } else if (packet instanceof Empty empty) {
            switch (empty.type()) {
                case PINGREQ, PINGRESP, DISCONNECT -> { }
                default -> throw new EncoderException(empty.type() + " is not an empty packet");
            }
        } else if (packet instanceof Subscribe subscribe) {
            checkSubscribe(subscribe);
        } else if (packet instanceof SubAck subAck) {
            checkPacketId(subAck.packetId(), PacketType.SUBACK);
            if (subAck.returnCodes().length == 0) {
                throw new EncoderException("SUBACK needs at least one return code");
            }
        } else if (packet instanceof Unsubscribe unsubscribe) {
            checkPacketId(unsubscribe.packetId(), PacketType.UNSUBSCRIBE);
            if (unsubscribe.filters().isEmpty()) {
                throw new EncoderException("UNSUBSCRIBE needs at least one topic filter");
            }
        } else if (packet instanceof UnsubAck unsubAck) {
            checkPacketId(unsubAck.packetId(), PacketType.UNSUBACK);
            if (unsubAck.reasonCodes().length == 0) {
                throw new EncoderException("UNSUBACK needs at least one reason code");
            }
        } else if (packet instanceof Connect connect) {
            checkConnect(connect);
        } else if (packet instanceof ConnAck connAck) {
            checkByte(connAck.returnCode(), "CONNACK return code");
            if (connAck.sessionPresent() && connAck.returnCode() != 0) {
                throw new EncoderException("CONNACK session present requires return code 0 [MQTT-3.2.2-4]");
            }
        } else if (packet instanceof Disconnect disconnect) {
            checkByte(disconnect.reasonCode(), "DISCONNECT reason code");
        } else if (packet instanceof Auth auth) {
            checkByte(auth.reasonCode(), "AUTH reason code");
        } else {
            throw new EncoderException("unknown packet " + packet);
        }
    }

    private static void checkSubscribe(Subscribe subscribe) {
        checkPacketId(subscribe.packetId(), PacketType.SUBSCRIBE);
        if (subscribe.subscriptions().isEmpty()) {
            throw new EncoderException("SUBSCRIBE needs at least one topic filter");
        }
        boolean mqtt5 = !subscribe.properties().absent();
        for (TopicSubscription subscription : subscribe.subscriptions()) {
            checkQos(subscription.qos(), "SUBSCRIBE requested QoS");
            if (mqtt5 && ((subscription.options() & ~0x3F) != 0 || subscription.retainHandling() == 3)) {
                throw new EncoderException("SUBSCRIBE options 0x" + Integer.toHexString(subscription.options())
                        + " have reserved bits or retain handling 3");
            }
        }
    }

    private static void checkConnect(Connect connect) {
        // MQTT 5 allows a password without a user name (3.1.2.9); 3.1.1 does not.
        if (connect.password() != null && connect.username() == null && connect.properties().absent()) {
            throw new EncoderException("CONNECT password requires a user name [MQTT-3.1.2-22]");
        }
        checkByte(connect.wireLevel(), "CONNECT protocol level");
        checkUnsignedShort(connect.keepAliveSeconds(), "CONNECT keep alive");
        if (connect.will() != null) {
            checkQos(connect.will().qos(), "CONNECT will QoS");
        }
    }

    private static void writeBody(ByteBuf out, MqttPacket packet) {
        if (packet instanceof Publish publish) {
            writePublish(out, publish);
        } else if (packet instanceof Ack ack) {
            writeAck(out, ack);
        } else if (packet instanceof Subscribe subscribe) {
            writeSubscribe(out, subscribe);
        } else if (packet instanceof SubAck subAck) {
            out.writeShort(subAck.packetId());
            PropertySection.write(out, subAck.properties());
            out.writeBytes(subAck.returnCodes());
        } else if (packet instanceof Unsubscribe unsubscribe) {
            out.writeShort(unsubscribe.packetId());
            PropertySection.write(out, unsubscribe.properties());
            for (String filter : unsubscribe.filters()) {
                MqttWire.writeSizedUtf8(out, filter);
            }
        } else if (packet instanceof UnsubAck unsubAck) {
            out.writeShort(unsubAck.packetId());
            PropertySection.write(out, unsubAck.properties());
            out.writeBytes(unsubAck.reasonCodes());
        } else if (packet instanceof Connect connect) {
            writeConnect(out, connect);
        } else if (packet instanceof ConnAck connAck) {
            out.writeByte(connAck.sessionPresent() ? 0x01 : 0);
            out.writeByte(connAck.returnCode());
            PropertySection.write(out, connAck.properties());
        } else if (packet instanceof Disconnect disconnect) {
            writeReasonAndProperties(out, disconnect.reasonCode(), disconnect.properties());
        } else if (packet instanceof Auth auth) {
            writeReasonAndProperties(out, auth.reasonCode(), auth.properties());
        }
        // Empty: nothing but the fixed header.
    }

    private static void writePublish(ByteBuf out, Publish publish) {
        MqttWire.writeSizedUtf8(out, publish.topic());
        if (publish.qos() > 0) {
            out.writeShort(publish.packetId());
        }
        PropertySection.write(out, publish.properties());
        out.writeBytes(publish.payload());
    }

    /** As {@link WireSize} counts it: MQTT 5 leaves out a success reason without properties, and empty properties. */
    private static void writeAck(ByteBuf out, Ack ack) {
        out.writeShort(ack.packetId());
        Properties properties = ack.properties();
        if (properties.absent() || (ack.reasonCode() == ReasonCode.SUCCESS && properties.isEmpty())) {
            return;
        }
        out.writeByte(ack.reasonCode());
        if (!properties.isEmpty()) {
            PropertySection.write(out, properties);
        }
    }

    private static void writeReasonAndProperties(ByteBuf out, int reasonCode, Properties properties) {
        if (properties.isEmpty()) {
            if (reasonCode != ReasonCode.SUCCESS) {
                out.writeByte(reasonCode);
            }
            return;
        }
        out.writeByte(reasonCode);
        PropertySection.write(out, properties);
    }

    private static void writeSubscribe(ByteBuf out, Subscribe subscribe) {
        out.writeShort(subscribe.packetId());
        PropertySection.write(out, subscribe.properties());
        boolean mqtt5 = !subscribe.properties().absent();
        for (TopicSubscription subscription : subscribe.subscriptions()) {
            MqttWire.writeSizedUtf8(out, subscription.filter());
            out.writeByte(mqtt5 ? subscription.options() : subscription.qos());
        }
    }

    private static void writeConnect(ByteBuf out, Connect connect) {
        Will will = connect.will();
        int flags = connect.cleanSession() ? 0x02 : 0;
        if (will != null) {
            flags |= 0x04 | will.qos() << 3 | (will.retain() ? 0x20 : 0);
        }
        if (connect.username() != null) {
            flags |= 0x80;
        }
        if (connect.password() != null) {
            flags |= 0x40;
        }
        MqttWire.writeSizedUtf8(out, connect.protocolName());
        out.writeByte(connect.wireLevel());
        out.writeByte(flags);
        out.writeShort(connect.keepAliveSeconds());
        PropertySection.write(out, connect.properties());
        MqttWire.writeSizedUtf8(out, connect.clientId());
        if (will != null) {
            PropertySection.write(out, will.properties());
            MqttWire.writeSizedUtf8(out, will.topic());
            MqttWire.writeBinary(out, will.payload());
        }
        if (connect.username() != null) {
            MqttWire.writeSizedUtf8(out, connect.username());
        }
        if (connect.password() != null) {
            MqttWire.writeBinary(out, connect.password());
        }
    }

    private static int checkQos(int qos, String field) {
        if (qos < 0 || qos > 2) {
            throw new EncoderException(field + " " + qos + " is not 0, 1 or 2");
        }
        return qos;
    }

    private static int checkPacketId(int packetId, PacketType type) {
        if (packetId < 1 || packetId > 0xFFFF) {
            throw new EncoderException(type + " packet identifier " + packetId + " is not 1..65535");
        }
        return packetId;
    }

    private static void checkByte(int value, String field) {
        if (value < 0 || value > 0xFF) {
            throw new EncoderException(field + " " + value + " does not fit in a byte");
        }
    }

    private static void checkUnsignedShort(int value, String field) {
        if (value < 0 || value > 0xFFFF) {
            throw new EncoderException(field + " " + value + " is not 0..65535");
        }
    }
}
