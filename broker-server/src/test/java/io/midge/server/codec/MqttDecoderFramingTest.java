package io.midge.server.codec;

import static io.midge.server.codec.CodecTestSupport.MAX;
import static io.midge.server.codec.CodecTestSupport.assertMalformed;
import static io.midge.server.codec.CodecTestSupport.assertPacketEquals;
import static io.midge.server.codec.CodecTestSupport.bytes;
import static io.midge.server.codec.CodecTestSupport.concat;
import static io.midge.server.codec.CodecTestSupport.decode;
import static io.midge.server.codec.CodecTestSupport.decodeFailure;
import static io.midge.server.codec.CodecTestSupport.decoderChannel;
import static io.midge.server.codec.CodecTestSupport.encode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.midge.core.packet.MqttPacket.Empty;
import io.midge.core.packet.MqttPacket.Publish;
import io.midge.core.packet.MqttPacket.Subscribe;
import io.midge.core.packet.MqttPacket.TopicSubscription;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Remaining length, packet boundaries across reads, size limits, and what the decoder keeps in memory. */
class MqttDecoderFramingTest {

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    /** A PUBLISH to topic "t" at QoS 0 whose remaining length is exactly {@code remainingLength}. */
    private static Publish publishWithRemainingLength(int remainingLength) {
        byte[] payload = new byte[remainingLength - 3];
        Arrays.fill(payload, (byte) 'p');
        return new Publish("t", payload, 0, false, false, 0);
    }

    // ---- remaining length ---------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
            "0, 00", "127, 7f", "128, 80 01", "16383, ff 7f", "16384, 80 80 01",
            "2097151, ff ff 7f", "2097152, 80 80 80 01", "268435455, ff ff ff 7f"})
    void remainingLengthIsWrittenInTheFewestBytes(int value, String hex) {
        ByteBuf out = Unpooled.buffer();
        try {
            MqttWire.writeRemainingLength(out, value);
            assertEquals(hex, HEX.formatHex(io.netty.buffer.ByteBufUtil.getBytes(out)));
            assertEquals(out.readableBytes(), MqttWire.remainingLengthSize(value));
        } finally {
            out.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {127, 128, 16383, 16384, 2097151, 2097152})
    void packetsAtEachLengthBoundaryRoundTrip(int remainingLength) {
        Publish publish = publishWithRemainingLength(remainingLength);
        byte[] wire = encode(publish);
        assertEquals(1 + MqttWire.remainingLengthSize(remainingLength) + remainingLength, wire.length);
        assertPacketEquals(publish, decode(new MqttDecoder(MAX), wire, 4096));
    }

    @Test
    void zeroRemainingLengthDecodes() {
        assertSame(Empty.PINGREQ, decode(new MqttDecoder(MAX), bytes(0xC0, 0x00)));
    }

    @Test
    void protocolMaximumRemainingLengthIsAcceptedAndAwaited() {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel channel = decoderChannel(new MqttDecoder(MAX), alloc);
        assertFalse(channel.writeInbound(alloc.wrap(bytes(0x30, 0xFF, 0xFF, 0xFF, 0x7F, 0, 1, 't'))));
        assertFalse(channel.finish());
        alloc.assertAllReleased();
    }

    @Test
    void fiveByteRemainingLengthIsMalformed() {
        assertMalformed("PUBLISH remaining length is longer than 4 bytes", bytes(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01));
    }

    @Test
    void fourthContinuationBitFailsWithoutWaitingForAFifthByte() {
        assertMalformed("PUBLISH remaining length is longer than 4 bytes", bytes(0x30, 0x80, 0x80, 0x80, 0x80));
    }

    // ---- packet boundaries across reads -----------------------------------------------------------

    @Test
    void severalPacketsInOneReadAllDecodeInOrder() {
        Publish publish = new Publish("a/b", bytes(1, 2, 3), 1, false, false, 42);
        Subscribe subscribe = new Subscribe(7, List.of(new TopicSubscription("a/#", 1)));
        byte[] wire = concat(encode(Empty.PINGREQ), encode(publish), encode(subscribe), encode(Empty.DISCONNECT));

        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel channel = decoderChannel(new MqttDecoder(MAX), alloc);
        assertTrue(channel.writeInbound(alloc.wrap(wire)));
        assertSame(Empty.PINGREQ, channel.readInbound());
        assertPacketEquals(publish, channel.readInbound());
        assertPacketEquals(subscribe, channel.readInbound());
        assertSame(Empty.DISCONNECT, channel.readInbound());
        assertNull(channel.readInbound());
        alloc.assertAllReleased();
        assertFalse(channel.finish());
    }

    @Test
    void aPacketStraddlingTwoReadsIsDeliveredOnceComplete() {
        Publish publish = new Publish("x", bytes(9, 9, 9, 9), 2, true, false, 5);
        byte[] wire = concat(encode(Empty.PINGREQ), encode(publish));
        int cut = wire.length - 3;

        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel channel = decoderChannel(new MqttDecoder(MAX), alloc);
        assertTrue(channel.writeInbound(alloc.wrap(Arrays.copyOfRange(wire, 0, cut))));
        assertSame(Empty.PINGREQ, channel.readInbound());
        assertNull(channel.readInbound());
        assertTrue(channel.writeInbound(alloc.wrap(Arrays.copyOfRange(wire, cut, wire.length))));
        assertPacketEquals(publish, channel.readInbound());
        alloc.assertAllReleased();
        assertFalse(channel.finish());
    }

    @Test
    void tenMegabytePublishDecodesAtTheProtocolLimit() {
        byte[] payload = new byte[10 * 1024 * 1024];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31);
        }
        Publish publish = new Publish("big/one", payload, 1, false, false, 1);
        Publish decoded = (Publish) decode(new MqttDecoder(MAX), encode(publish), 64 * 1024);
        assertEquals("big/one", decoded.topic());
        assertArrayEquals(payload, decoded.payload());
    }

    // ---- size limit -------------------------------------------------------------------------------

    @Test
    void claimAboveTheLimitFailsAtOnceFromTheHeaderAlone() {
        // 10 bytes that claim 256 MB - 1: nothing more is waited for.
        byte[] claim = bytes(0x30, 0xFF, 0xFF, 0xFF, 0x7F, 0, 1, 't', 'x', 'y');
        MalformedPacketException failure = decodeFailure(new MqttDecoder(1024 * 1024), claim);
        PacketTooLargeException tooLarge = assertInstanceOf(PacketTooLargeException.class, failure);
        assertEquals("remaining length 268435455 exceeds limit 1048576", tooLarge.getMessage());
        assertEquals(268_435_455, tooLarge.remainingLength());
        assertEquals(1024 * 1024, tooLarge.limit());
    }

    @Test
    void claimBelowTheLimitAllocatesNothingForTheClaim() {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel channel = decoderChannel(new MqttDecoder(MAX), alloc);
        assertFalse(channel.writeInbound(alloc.wrap(bytes(0x30, 0xFF, 0xFF, 0xFF, 0x7F))));
        assertFalse(channel.writeInbound(alloc.wrap(bytes(0, 1, 't', 'x', 'y'))));
        assertTrue(alloc.largestLiveCapacity() < 1024, "buffered " + alloc.largestLiveCapacity() + " bytes");
        assertTrue(channel.isOpen());
        assertFalse(channel.finish());
        alloc.assertAllReleased();
    }

    @Test
    void packetExactlyAtTheLimitIsAcceptedOneByteMoreIsNot() {
        int limit = 1000;
        assertPacketEquals(publishWithRemainingLength(limit),
                decode(new MqttDecoder(limit), encode(publishWithRemainingLength(limit))));
        assertInstanceOf(PacketTooLargeException.class,
                decodeFailure(new MqttDecoder(limit), encode(publishWithRemainingLength(limit + 1))));
    }

    @Test
    void limitOutsideTheProtocolRangeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new MqttDecoder(-1));
        assertThrows(IllegalArgumentException.class, () -> new MqttDecoder(MAX + 1));
        assertThrows(IllegalArgumentException.class, () -> MqttDecoder.forClient(Integer.MAX_VALUE));
    }

    // ---- after an error; memory -------------------------------------------------------------------

    @Test
    void packetsBeforeABadOneAreDeliveredAndEverythingAfterItIsDiscarded() {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel channel = decoderChannel(new MqttDecoder(MAX), alloc);
        byte[] goodBadGood = concat(encode(Empty.PINGREQ), bytes(0x80, 6, 0, 1, 0, 1, 'a', 0), encode(Empty.PINGREQ));
        MalformedPacketException failure = assertThrows(MalformedPacketException.class,
                () -> channel.writeInbound(alloc.wrap(goodBadGood)));
        assertEquals("invalid fixed header flags for SUBSCRIBE", failure.getMessage());
        assertSame(Empty.PINGREQ, channel.readInbound());
        assertNull(channel.readInbound());
        alloc.assertAllReleased();

        // The connection is being closed; whatever still arrives is dropped, not decoded or buffered.
        assertFalse(channel.writeInbound(alloc.wrap(encode(Empty.PINGREQ))));
        assertFalse(channel.writeInbound(alloc.wrap(bytes(0xF0, 0xF0, 0xF0))));
        assertNull(channel.readInbound());
        alloc.assertAllReleased();
        assertFalse(channel.finish());
    }

    @Test
    void idleConnectionHoldsNoBuffer() {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel channel = decoderChannel(new MqttDecoder(MAX), alloc);
        byte[] wire = encode(new Publish("a/b", new byte[300], 1, false, false, 1));
        for (byte b : wire) {
            channel.writeInbound(alloc.wrap(new byte[] {b}));
        }
        assertInstanceOf(Publish.class, channel.readInbound());
        // The channel stays open, yet every buffer, including merged cumulations, is back.
        assertTrue(channel.isOpen());
        alloc.assertAllReleased();
        assertFalse(channel.finish());
    }
}
