package io.midge.server.codec;

import io.midge.core.packet.MqttPacket;
import io.midge.core.packet.Properties;
import io.midge.core.packet.Property;
import io.midge.core.packet.WireSize;

import static io.midge.server.codec.CodecTestSupport.encode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.midge.core.packet.MqttPacket.Publish;
import io.netty.buffer.ByteBufUtil;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link WireSize}, which the protocol uses to honour a client's maximum packet size, says what the encoder writes. */
class WireSizeTest {

    static Stream<MqttPacket> everyPacket() {
        return Stream.of(MqttCodecRoundTripTest.samples(), Mqtt5CodecRoundTripTest.samples(), Stream.of(
                        // Remaining lengths across the 1-, 2- and 3-byte boundaries of the length field.
                        new Publish("t", new byte[127 - 3], 0, false, false, 0),
                        new Publish("t", new byte[128 - 3], 0, false, false, 0),
                        new Publish("t", new byte[16_384 - 4], 0, false, false, 0, Properties.EMPTY),
                        new Publish("t", new byte[16_384 - 3], 0, false, false, 0, Properties.EMPTY),
                        new Publish("t", new byte[300], 0, false, false, 0,
                                Properties.builder().put(Property.CORRELATION_DATA, new byte[200]).build())))
                .flatMap(s -> s);
    }

    @ParameterizedTest
    @MethodSource("everyPacket")
    void isTheEncodedSize(MqttPacket packet) {
        assertEquals(encode(packet).length, WireSize.of(packet));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ascii", "grüße", "✓€", "😀", "a😀b"})
    void utf8LengthIsTheUtf8Length(String value) {
        assertEquals(value.getBytes(StandardCharsets.UTF_8).length, WireSize.utf8Length(value));
    }

    /** Unpaired surrogates: the encoder writes with Netty, so the count must be Netty's. */
    @ParameterizedTest
    @ValueSource(strings = {"a\uD800b", "\uDC00", "x\uD83D", "\uD83D\uD83D\uDE00", "\uD800é", "\uDE00\uD83D"})
    void utf8LengthOfUnpairedSurrogatesIsWhatNettyWrites(String value) {
        assertEquals(ByteBufUtil.utf8Bytes(value), WireSize.utf8Length(value));
        Publish publish = new Publish(value, new byte[0], 0, false, false, 0);
        assertEquals(encode(publish).length, WireSize.of(publish));
    }

    @Test
    void refusesWhatCannotBeEncoded() {
        assertThrows(IllegalArgumentException.class, () -> WireSize.of(new Publish("x".repeat(65536), new byte[0], 0,
                false, false, 0)));
        assertThrows(IllegalArgumentException.class, () -> WireSize.of(new Publish("t", new byte[0], 0, false, false, 0,
                Properties.builder().put(Property.RECEIVE_MAXIMUM, -1).build())));
        assertThrows(IllegalArgumentException.class, () -> WireSize.of(new MqttPacket.OversizedPublish("t", 0, false,
                false, 0, 5)));
    }
}
