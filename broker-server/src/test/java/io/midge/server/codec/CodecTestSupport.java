package io.midge.server.codec;

import io.midge.core.packet.MqttPacket;
import io.midge.core.packet.PacketType;
import io.midge.core.packet.MqttPacket.Connect;
import io.midge.core.packet.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/** Shared fixtures: raw packet builders, channels on a tracking allocator, structural packet comparison. */
final class CodecTestSupport {

    static {
        // Belt and braces next to the explicit refCnt checks: any leak in these tests gets reported.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    static final int MAX = MqttWire.MAX_REMAINING_LENGTH;

    private CodecTestSupport() {}

    /** A channel with only a decoder, whose buffers all come from {@code alloc}. */
    static EmbeddedChannel decoderChannel(MqttDecoder decoder, TrackingAllocator alloc) {
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.config().setAllocator(alloc);
        return channel;
    }

    static boolean sentByClients(PacketType type) {
        return switch (type) {
            case CONNACK, SUBACK, UNSUBACK, PINGRESP -> false;
            default -> true;
        };
    }

    static boolean sentByServers(PacketType type) {
        return switch (type) {
            case CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ, DISCONNECT -> false;
            default -> true;
        };
    }

    static MqttDecoder decoderFor(PacketType type) {
        return sentByClients(type) ? new MqttDecoder(MAX) : MqttDecoder.forClient(MAX);
    }

    /** Encodes through the pipeline, as the broker will, and checks the buffer is exactly sized. */
    static byte[] encode(MqttPacket packet) {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel channel = new EmbeddedChannel(MqttEncoder.INSTANCE);
        channel.config().setAllocator(alloc);
        channel.writeOutbound(packet);
        ByteBuf wire = channel.readOutbound();
        assertNull(channel.readOutbound());
        assertEquals(wire.capacity(), wire.readableBytes(), "encoder buffer is not exactly sized");
        byte[] bytes = ByteBufUtil.getBytes(wire);
        wire.release();
        assertFalse(channel.finish());
        alloc.assertAllReleased();
        return bytes;
    }

    /** Feeds {@code wire} in reads of {@code chunkSize} bytes and returns the single packet decoded. */
    static MqttPacket decode(MqttDecoder decoder, byte[] wire, int chunkSize) {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel channel = decoderChannel(decoder, alloc);
        for (int i = 0; i < wire.length; i += chunkSize) {
            int n = Math.min(chunkSize, wire.length - i);
            ByteBuf chunk = alloc.heapBuffer(n).writeBytes(wire, i, n);
            channel.writeInbound(chunk);
        }
        MqttPacket packet = channel.readInbound();
        assertNull(channel.readInbound(), "more than one packet decoded");
        assertFalse(channel.finish());
        alloc.assertAllReleased();
        return packet;
    }

    static MqttPacket decode(MqttDecoder decoder, byte[] wire) {
        return decode(decoder, wire, Math.max(1, wire.length));
    }

    /** Decodes {@code wire} with a server-side decoder and returns the failure it must cause. */
    static MalformedPacketException decodeFailure(byte[] wire) {
        return decodeFailure(new MqttDecoder(MAX), wire);
    }

    static MalformedPacketException decodeFailure(MqttDecoder decoder, byte[] wire) {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel channel = decoderChannel(decoder, alloc);
        ByteBuf in = alloc.wrap(wire);
        MalformedPacketException failure = assertThrows(MalformedPacketException.class, () -> channel.writeInbound(in));
        assertNull(channel.readInbound());
        // Released by the failing read itself, not later when the channel closes.
        alloc.assertAllReleased();
        assertFalse(channel.finish());
        alloc.assertAllReleased();
        return failure;
    }

    static void assertMalformed(String reason, byte[] wire) {
        assertEquals(reason, decodeFailure(wire).getMessage());
    }

    /** Structural equality for packets: records compare byte[] components by identity, this by content. */
    static void assertPacketEquals(MqttPacket expected, MqttPacket actual) {
        assertEquals(describe(expected), describe(actual));
    }

    static String describe(Object value) {
        if (value instanceof byte[] bytes) {
            return "0x" + HexFormat.of().formatHex(bytes);
        }
        if (value instanceof Properties properties) {
            return describeProperties(properties);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(CodecTestSupport::describe).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Record record) {
            StringBuilder text = new StringBuilder(record.getClass().getSimpleName()).append('(');
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                try {
                    text.append(component.getName()).append('=')
                            .append(describe(component.getAccessor().invoke(record))).append(' ');
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
            return text.append(')').toString();
        }
        return String.valueOf(value);
    }

    /** Properties with binary values shown by content, and ABSENT told apart from EMPTY. */
    private static String describeProperties(Properties properties) {
        if (properties.absent()) {
            return "ABSENT";
        }
        StringBuilder text = new StringBuilder("{");
        properties.values().forEach((p, v) -> text.append(p).append('=').append(describe(v)).append(' '));
        properties.userProperties().forEach(e -> text.append(e.getKey()).append(':').append(e.getValue()).append(' '));
        for (int id : properties.subscriptionIdentifiers()) {
            text.append("SUBSCRIPTION_IDENTIFIER=").append(id).append(' ');
        }
        return text.append('}').toString();
    }

    // ---- MQTT 5 connections -------------------------------------------------------------------

    /** The CONNECT that switches a server-side decoder to MQTT 5. */
    static final Connect CONNECT_5 = new Connect("MQTT", Connect.LEVEL_MQTT_5, true, 60, "c5", null, null, null, false,
            Properties.EMPTY);

    /**
     * Decodes {@code wire} on a server-side connection that began with an MQTT 5 CONNECT, fed in
     * reads of {@code chunkSize}, and returns the packet after the CONNECT.
     */
    static MqttPacket decodeAfterConnect5(byte[] wire, int chunkSize) {
        byte[] both = concat(encode(CONNECT_5), wire);
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel channel = decoderChannel(new MqttDecoder(MAX), alloc);
        for (int i = 0; i < both.length; i += chunkSize) {
            int n = Math.min(chunkSize, both.length - i);
            channel.writeInbound(alloc.heapBuffer(n).writeBytes(both, i, n));
        }
        MqttPacket connect = channel.readInbound();
        assertPacketEquals(CONNECT_5, connect);
        MqttPacket packet = channel.readInbound();
        assertNull(channel.readInbound(), "more than one packet after the CONNECT");
        assertFalse(channel.finish());
        alloc.assertAllReleased();
        return packet;
    }

    static MqttPacket decodeAfterConnect5(byte[] wire) {
        return decodeAfterConnect5(wire, Math.max(1, wire.length + 64));
    }

    /** The failure {@code wire} causes on a server-side connection that began with an MQTT 5 CONNECT. */
    static MalformedPacketException decodeFailureAfterConnect5(byte[] wire) {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel channel = decoderChannel(new MqttDecoder(MAX), alloc);
        channel.writeInbound(alloc.wrap(encode(CONNECT_5)));
        assertPacketEquals(CONNECT_5, channel.readInbound());
        ByteBuf in = alloc.wrap(wire);
        MalformedPacketException failure = assertThrows(MalformedPacketException.class, () -> channel.writeInbound(in));
        assertNull(channel.readInbound());
        alloc.assertAllReleased();
        assertFalse(channel.finish());
        return failure;
    }

    /** The failure {@code wire} causes on a client-side MQTT 5 connection. */
    static MalformedPacketException clientDecodeFailure5(byte[] wire) {
        return decodeFailure(MqttDecoder.forClient(MAX, Connect.LEVEL_MQTT_5), wire);
    }

    // ---- raw packet building --------------------------------------------------------------------

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A packet with the given first byte and body; the remaining length is computed. */
    static byte[] packet(int firstByte, byte[] body) {
        ByteBuf out = UnpooledByteBufAllocator.DEFAULT.heapBuffer();
        try {
            out.writeByte(firstByte);
            MqttWire.writeRemainingLength(out, body.length);
            out.writeBytes(body);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /** Builds packet bodies field by field, including fields no valid encoder would produce. */
    static final class Body {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        static Body of() {
            return new Body();
        }

        Body u8(int value) {
            out.write(value);
            return this;
        }

        Body u16(int value) {
            out.write(value >> 8);
            out.write(value);
            return this;
        }

        Body str(String value) {
            return field(value.getBytes(StandardCharsets.UTF_8));
        }

        /** A length-prefixed field holding arbitrary, possibly invalid, bytes. */
        Body field(byte[] value) {
            u16(value.length);
            out.writeBytes(value);
            return this;
        }

        Body raw(byte[] value) {
            out.writeBytes(value);
            return this;
        }

        byte[] build() {
            return out.toByteArray();
        }
    }

    /** A CONNECT body up to and including the keep alive, for "MQTT" level 4. */
    static Body connectHeader(int flags) {
        return Body.of().str("MQTT").u8(4).u8(flags).u16(60);
    }
}
