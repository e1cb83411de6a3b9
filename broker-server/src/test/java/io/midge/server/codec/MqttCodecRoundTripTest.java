package io.midge.server.codec;

import io.midge.core.packet.MqttPacket;
import io.midge.core.packet.PacketType;

import static io.midge.server.codec.CodecTestSupport.MAX;
import static io.midge.server.codec.CodecTestSupport.assertPacketEquals;
import static io.midge.server.codec.CodecTestSupport.bytes;
import static io.midge.server.codec.CodecTestSupport.decode;
import static io.midge.server.codec.CodecTestSupport.decoderFor;
import static io.midge.server.codec.CodecTestSupport.encode;
import static io.midge.server.codec.CodecTestSupport.sentByClients;
import static io.midge.server.codec.CodecTestSupport.sentByServers;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.EncoderException;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every packet type survives encode then decode, and the encoder writes what the specification shows. */
class MqttCodecRoundTripTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Stream<MqttPacket> samples() {
        return Stream.of(
                new Connect("MQTT", 4, true, 60, "client-1", new Will("last/will", utf8("gone"), 1, true),
                        "user", bytes(0, 1, 2, 0xFF)),
                new Connect("MQTT", 4, false, 0, "", null, null, null),
                new Connect("MQTT", 4, false, 65535, "grüße-✓", new Will("ß/😀", new byte[0], 2, false), "ünïcode", null),
                new Connect("MQIsdp", 3, true, 30, "legacy", null, "u", utf8("p")),
                new Connect("MQTT", 4, false, 60, "bridge-1", null, null, null, true),
                new Connect("MQIsdp", 3, true, 60, "bridge-31", null, null, null, true),
                new ConnAck(true, 0),
                new ConnAck(false, 5),
                new Publish("a/b", utf8("hello"), 0, false, false, 0),
                new Publish("a/b", utf8("hello"), 1, false, true, 1),
                new Publish("sensör/😀", new byte[0], 2, true, false, 65535),
                new Ack(PacketType.PUBACK, 7),
                new Ack(PacketType.PUBREC, 65535),
                new Ack(PacketType.PUBREL, 1),
                new Ack(PacketType.PUBCOMP, 300),
                new Subscribe(10, List.of(new TopicSubscription("a/+/#", 0), new TopicSubscription("ü/x", 2))),
                new SubAck(10, bytes(0, 1, 2, 0x80)),
                new Unsubscribe(11, List.of("a/+/#", "/", "ü")),
                new Ack(PacketType.UNSUBACK, 11),
                Empty.PINGREQ,
                Empty.PINGRESP,
                Empty.DISCONNECT);
    }

    @Test
    void samplesCoverAllFourteenTypesOfMqtt311() {
        Set<PacketType> covered = samples().map(MqttPacket::type).collect(Collectors.toSet());
        // AUTH is MQTT 5's: see Mqtt5CodecRoundTripTest.
        assertEquals(EnumSet.complementOf(EnumSet.of(PacketType.AUTH)), covered);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void roundTripsInOneRead(MqttPacket packet) {
        assertPacketEquals(packet, decode(decoderFor(packet.type()), encode(packet)));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void roundTripsWhenSplitByteByByte(MqttPacket packet) {
        assertPacketEquals(packet, decode(decoderFor(packet.type()), encode(packet), 1));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void typesSentBothWaysDecodeOnBothSides(MqttPacket packet) {
        if (sentByClients(packet.type()) && sentByServers(packet.type())) {
            assertPacketEquals(packet, decode(new MqttDecoder(MAX), encode(packet)));
            assertPacketEquals(packet, decode(MqttDecoder.forClient(MAX), encode(packet)));
        }
    }

    @Test
    void emptyPacketsDecodeToTheSharedConstants() {
        assertSame(Empty.PINGREQ, decode(new MqttDecoder(MAX), bytes(0xC0, 0)));
        assertSame(Empty.DISCONNECT, decode(new MqttDecoder(MAX), bytes(0xE0, 0)));
        assertSame(Empty.PINGRESP, decode(MqttDecoder.forClient(MAX), bytes(0xD0, 0)));
    }

    @Test
    void writesFixedHeaderFlagsAndFieldsAsSpecified() {
        assertArrayEquals(bytes(0xC0, 0), encode(Empty.PINGREQ));
        assertArrayEquals(bytes(0xD0, 0), encode(Empty.PINGRESP));
        assertArrayEquals(bytes(0xE0, 0), encode(Empty.DISCONNECT));
        assertArrayEquals(bytes(0x20, 2, 1, 0), encode(new ConnAck(true, 0)));
        assertArrayEquals(bytes(0x40, 2, 0, 7), encode(new Ack(PacketType.PUBACK, 7)));
        assertArrayEquals(bytes(0x50, 2, 0, 7), encode(new Ack(PacketType.PUBREC, 7)));
        assertArrayEquals(bytes(0x62, 2, 0, 1), encode(new Ack(PacketType.PUBREL, 1)));
        assertArrayEquals(bytes(0x70, 2, 1, 0), encode(new Ack(PacketType.PUBCOMP, 256)));
        assertArrayEquals(bytes(0xB0, 2, 0, 9), encode(new Ack(PacketType.UNSUBACK, 9)));
        assertArrayEquals(bytes(0x82, 6, 0, 5, 0, 1, 'a', 1),
                encode(new Subscribe(5, List.of(new TopicSubscription("a", 1)))));
        assertArrayEquals(bytes(0x90, 4, 0, 5, 1, 0x80), encode(new SubAck(5, bytes(1, 0x80))));
        assertArrayEquals(bytes(0xA2, 5, 0, 5, 0, 1, 'a'), encode(new Unsubscribe(5, List.of("a"))));
        // DUP, QoS 1, RETAIN = 0b1011
        assertArrayEquals(bytes(0x3B, 9, 0, 3, 'a', '/', 'b', 0, 10, 'h', 'i'),
                encode(new Publish("a/b", utf8("hi"), 1, true, true, 10)));
        // QoS 0 has no packet identifier
        assertArrayEquals(bytes(0x30, 6, 0, 1, 't', 'x', 'y', 'z'),
                encode(new Publish("t", utf8("xyz"), 0, false, false, 0)));
        // flags 0xCE: user name, password, will QoS 1, will, clean session
        assertArrayEquals(bytes(0x10, 0x19, 0, 4, 'M', 'Q', 'T', 'T', 4, 0xCE, 0, 10, 0, 1, 'c',
                        0, 1, 'w', 0, 1, 'x', 0, 1, 'u', 0, 1, 'p'),
                encode(new Connect("MQTT", 4, true, 10, "c", new Will("w", utf8("x"), 1, false), "u", utf8("p"))));
    }

    @Test
    void aBridgeConnectHasTheBridgeBitInItsLevel() {
        assertArrayEquals(bytes(0x10, 0x0D, 0, 4, 'M', 'Q', 'T', 'T', 0x84, 0x00, 0, 60, 0, 1, 'b'),
                encode(new Connect("MQTT", 4, false, 60, "b", null, null, null, true)));
        assertArrayEquals(bytes(0x10, 0x0F, 0, 6, 'M', 'Q', 'I', 's', 'd', 'p', 0x83, 0x02, 0, 60, 0, 1, 'b'),
                encode(new Connect("MQIsdp", 3, true, 60, "b", null, null, null, true)));
    }

    @Test
    void encodesNonAsciiTopicsAsUtf8() {
        byte[] wire = encode(new Publish("é", new byte[0], 0, false, false, 0));
        assertArrayEquals(bytes(0x30, 4, 0, 2, 0xC3, 0xA9), wire);
    }

    @Test
    void staticEncodeReturnsAnExactlySizedBufferOwnedByTheCaller() {
        var buf = MqttEncoder.encode(UnpooledByteBufAllocator.DEFAULT, new Publish("t", utf8("p"), 0, false, false, 0));
        try {
            assertEquals(buf.capacity(), buf.readableBytes());
            assertEquals(6, buf.readableBytes());
        } finally {
            assertTrue(buf.release());
        }
    }

    @Test
    void encoderRefusesPacketsAStrictPeerWouldReject() {
        var alloc = UnpooledByteBufAllocator.DEFAULT;
        assertThrows(EncoderException.class, () -> MqttEncoder.encode(alloc, new Publish("t", new byte[0], 1, false, false, 0)));
        assertThrows(EncoderException.class, () -> MqttEncoder.encode(alloc, new Publish("t", new byte[0], 3, false, false, 1)));
        assertThrows(EncoderException.class, () -> MqttEncoder.encode(alloc, new Publish("t", new byte[0], 0, false, true, 0)));
        assertThrows(EncoderException.class, () -> MqttEncoder.encode(alloc, new Publish("x".repeat(65536), new byte[0], 0, false, false, 0)));
        assertThrows(EncoderException.class, () -> MqttEncoder.encode(alloc, new Ack(PacketType.PUBLISH, 1)));
        assertThrows(EncoderException.class, () -> MqttEncoder.encode(alloc, new Ack(PacketType.PUBACK, 65536)));
        assertThrows(EncoderException.class, () -> MqttEncoder.encode(alloc, new Empty(PacketType.CONNECT)));
        assertThrows(EncoderException.class, () -> MqttEncoder.encode(alloc, new Subscribe(1, List.of())));
        assertThrows(EncoderException.class, () -> MqttEncoder.encode(alloc, new Unsubscribe(1, List.of())));
        assertThrows(EncoderException.class, () -> MqttEncoder.encode(alloc, new SubAck(1, new byte[0])));
        assertThrows(EncoderException.class, () -> MqttEncoder.encode(alloc, new ConnAck(true, 1)));
        assertThrows(EncoderException.class, () -> MqttEncoder.encode(alloc,
                new Connect("MQTT", 4, true, 0, "c", null, null, utf8("secret"))));
    }

    @Test
    void failedEncodeFailsTheWriteWithoutLeaking() {
        var alloc = new TrackingAllocator();
        var channel = new io.netty.channel.embedded.EmbeddedChannel(MqttEncoder.INSTANCE);
        channel.config().setAllocator(alloc);
        var future = channel.writeOneOutbound(new Publish("t", new byte[0], 1, false, false, 0));
        channel.flushOutbound();
        assertTrue(future.cause() instanceof EncoderException);
        assertNull(channel.readOutbound());
        alloc.assertAllReleased();
        channel.finishAndReleaseAll();
    }
}
