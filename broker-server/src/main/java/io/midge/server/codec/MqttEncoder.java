package io.midge.server.codec;

import io.midge.core.packet.MqttPacket;
import io.midge.core.packet.PacketType;

import io.midge.core.packet.MqttPacket.Ack;
import io.midge.core.packet.MqttPacket.ConnAck;
import io.midge.core.packet.MqttPacket.Connect;
import io.midge.core.packet.MqttPacket.Empty;
import io.midge.core.packet.MqttPacket.Publish;
import io.midge.core.packet.MqttPacket.SubAck;
import io.midge.core.packet.MqttPacket.Subscribe;
import io.midge.core.packet.MqttPacket.TopicSubscription;
import io.midge.core.packet.MqttPacket.Unsubscribe;
import io.midge.core.packet.MqttPacket.Will;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.EncoderException;

/**
 * Encodes {@link MqttPacket}s of all fourteen types, in either direction. Each packet's size is
 * computed first and written into a single buffer of exactly that size, so there is never a
 * resize or copy; other messages pass through untouched.
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
     * Encodes one packet into a new buffer of exactly its wire size, owned by the caller.
     *
     * @throws EncoderException if the packet cannot be represented validly on the wire
     */
    public static ByteBuf encode(ByteBufAllocator alloc, MqttPacket packet) {
        if (packet instanceof Publish publish) {
            return encodePublish(alloc, publish);
        }
        if (packet instanceof Ack ack) {
            return encodeAck(alloc, ack);
        }
        if (packet instanceof Empty empty) {
            return encodeEmpty(alloc, empty);
        }
        if (packet instanceof Subscribe subscribe) {
            return encodeSubscribe(alloc, subscribe);
        }
        if (packet instanceof SubAck subAck) {
            return encodeSubAck(alloc, subAck);
        }
        if (packet instanceof Unsubscribe unsubscribe) {
            return encodeUnsubscribe(alloc, unsubscribe);
        }
        if (packet instanceof Connect connect) {
            return encodeConnect(alloc, connect);
        }
        if (packet instanceof ConnAck connAck) {
            return encodeConnAck(alloc, connAck);
        }
        throw new EncoderException("unknown packet " + packet);
    }

    private static ByteBuf encodePublish(ByteBufAllocator alloc, Publish publish) {
        int qos = checkQos(publish.qos(), "PUBLISH QoS");
        if (publish.dup() && qos == 0) {
            throw new EncoderException("PUBLISH with QoS 0 must not have DUP set");
        }
        int packetId = qos > 0 ? checkPacketId(publish.packetId(), PacketType.PUBLISH) : 0;
        int topicLength = MqttWire.utf8Length(publish.topic(), "PUBLISH topic");
        long remainingLength = 2L + topicLength + (qos > 0 ? 2 : 0) + publish.payload().length;
        int flags = (publish.dup() ? 0x08 : 0) | qos << 1 | (publish.retain() ? 0x01 : 0);
        ByteBuf out = allocate(alloc, PacketType.PUBLISH, flags, remainingLength);
        MqttWire.writeUtf8(out, publish.topic(), topicLength);
        if (qos > 0) {
            out.writeShort(packetId);
        }
        out.writeBytes(publish.payload());
        return out;
    }

    private static ByteBuf encodeAck(ByteBufAllocator alloc, Ack ack) {
        PacketType type = ack.type();
        switch (type) {
            case PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK -> { }
            default -> throw new EncoderException(type + " is not an acknowledgement");
        }
        int packetId = checkPacketId(ack.packetId(), type);
        return allocate(alloc, type, type.requiredFlags(), 2).writeShort(packetId);
    }

    private static ByteBuf encodeEmpty(ByteBufAllocator alloc, Empty empty) {
        PacketType type = empty.type();
        switch (type) {
            case PINGREQ, PINGRESP, DISCONNECT -> { }
            default -> throw new EncoderException(type + " is not an empty packet");
        }
        return allocate(alloc, type, 0, 0);
    }

    private static ByteBuf encodeSubscribe(ByteBufAllocator alloc, Subscribe subscribe) {
        int packetId = checkPacketId(subscribe.packetId(), PacketType.SUBSCRIBE);
        if (subscribe.subscriptions().isEmpty()) {
            throw new EncoderException("SUBSCRIBE needs at least one topic filter");
        }
        int count = subscribe.subscriptions().size();
        int[] filterLengths = new int[count];
        long remainingLength = 2;
        for (int i = 0; i < count; i++) {
            TopicSubscription subscription = subscribe.subscriptions().get(i);
            checkQos(subscription.qos(), "SUBSCRIBE requested QoS");
            filterLengths[i] = MqttWire.utf8Length(subscription.filter(), "SUBSCRIBE topic filter");
            remainingLength += 2 + filterLengths[i] + 1;
        }
        ByteBuf out = allocate(alloc, PacketType.SUBSCRIBE, PacketType.SUBSCRIBE.requiredFlags(), remainingLength);
        out.writeShort(packetId);
        for (int i = 0; i < count; i++) {
            TopicSubscription subscription = subscribe.subscriptions().get(i);
            MqttWire.writeUtf8(out, subscription.filter(), filterLengths[i]);
            out.writeByte(subscription.qos());
        }
        return out;
    }

    private static ByteBuf encodeSubAck(ByteBufAllocator alloc, SubAck subAck) {
        int packetId = checkPacketId(subAck.packetId(), PacketType.SUBACK);
        byte[] returnCodes = subAck.returnCodes();
        if (returnCodes.length == 0) {
            throw new EncoderException("SUBACK needs at least one return code");
        }
        ByteBuf out = allocate(alloc, PacketType.SUBACK, 0, 2L + returnCodes.length);
        return out.writeShort(packetId).writeBytes(returnCodes);
    }

    private static ByteBuf encodeUnsubscribe(ByteBufAllocator alloc, Unsubscribe unsubscribe) {
        int packetId = checkPacketId(unsubscribe.packetId(), PacketType.UNSUBSCRIBE);
        if (unsubscribe.filters().isEmpty()) {
            throw new EncoderException("UNSUBSCRIBE needs at least one topic filter");
        }
        int count = unsubscribe.filters().size();
        int[] filterLengths = new int[count];
        long remainingLength = 2;
        for (int i = 0; i < count; i++) {
            filterLengths[i] = MqttWire.utf8Length(unsubscribe.filters().get(i), "UNSUBSCRIBE topic filter");
            remainingLength += 2 + filterLengths[i];
        }
        ByteBuf out = allocate(alloc, PacketType.UNSUBSCRIBE, PacketType.UNSUBSCRIBE.requiredFlags(),
                remainingLength);
        out.writeShort(packetId);
        for (int i = 0; i < count; i++) {
            MqttWire.writeUtf8(out, unsubscribe.filters().get(i), filterLengths[i]);
        }
        return out;
    }

    private static ByteBuf encodeConnect(ByteBufAllocator alloc, Connect connect) {
        Will will = connect.will();
        if (connect.password() != null && connect.username() == null) {
            throw new EncoderException("CONNECT password requires a user name [MQTT-3.1.2-22]");
        }
        checkByte(connect.wireLevel(), "CONNECT protocol level");
        checkUnsignedShort(connect.keepAliveSeconds(), "CONNECT keep alive");

        int nameLength = MqttWire.utf8Length(connect.protocolName(), "CONNECT protocol name");
        int clientIdLength = MqttWire.utf8Length(connect.clientId(), "CONNECT client identifier");
        long remainingLength = 2L + nameLength + 1 + 1 + 2 + 2 + clientIdLength;
        int flags = connect.cleanSession() ? 0x02 : 0;
        int willTopicLength = 0;
        if (will != null) {
            checkQos(will.qos(), "CONNECT will QoS");
            willTopicLength = MqttWire.utf8Length(will.topic(), "CONNECT will topic");
            remainingLength += 2 + willTopicLength + 2 + MqttWire.binaryLength(will.payload(), "CONNECT will message");
            flags |= 0x04 | will.qos() << 3 | (will.retain() ? 0x20 : 0);
        }
        int usernameLength = 0;
        if (connect.username() != null) {
            usernameLength = MqttWire.utf8Length(connect.username(), "CONNECT user name");
            remainingLength += 2 + usernameLength;
            flags |= 0x80;
        }
        if (connect.password() != null) {
            remainingLength += 2 + MqttWire.binaryLength(connect.password(), "CONNECT password");
            flags |= 0x40;
        }

        ByteBuf out = allocate(alloc, PacketType.CONNECT, 0, remainingLength);
        MqttWire.writeUtf8(out, connect.protocolName(), nameLength);
        out.writeByte(connect.wireLevel());
        out.writeByte(flags);
        out.writeShort(connect.keepAliveSeconds());
        MqttWire.writeUtf8(out, connect.clientId(), clientIdLength);
        if (will != null) {
            MqttWire.writeUtf8(out, will.topic(), willTopicLength);
            MqttWire.writeBinary(out, will.payload());
        }
        if (connect.username() != null) {
            MqttWire.writeUtf8(out, connect.username(), usernameLength);
        }
        if (connect.password() != null) {
            MqttWire.writeBinary(out, connect.password());
        }
        return out;
    }

    private static ByteBuf encodeConnAck(ByteBufAllocator alloc, ConnAck connAck) {
        checkByte(connAck.returnCode(), "CONNACK return code");
        if (connAck.sessionPresent() && connAck.returnCode() != 0) {
            throw new EncoderException("CONNACK session present requires return code 0 [MQTT-3.2.2-4]");
        }
        return allocate(alloc, PacketType.CONNACK, 0, 2)
                .writeByte(connAck.sessionPresent() ? 0x01 : 0)
                .writeByte(connAck.returnCode());
    }

    /** Allocates the whole packet at its exact size and writes its fixed header. */
    private static ByteBuf allocate(ByteBufAllocator alloc, PacketType type, int flags, long remainingLength) {
        if (remainingLength > MqttWire.MAX_REMAINING_LENGTH) {
            throw new EncoderException(type + " remaining length " + remainingLength + " exceeds "
                    + MqttWire.MAX_REMAINING_LENGTH);
        }
        int length = (int) remainingLength;
        int size = 1 + MqttWire.remainingLengthSize(length) + length;
        ByteBuf out = alloc.ioBuffer(size, size);
        out.writeByte(type.value() << 4 | flags);
        MqttWire.writeRemainingLength(out, length);
        return out;
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
