package io.midge.server.codec;

import static io.midge.server.codec.CodecTestSupport.Body;
import static io.midge.server.codec.CodecTestSupport.MAX;
import static io.midge.server.codec.CodecTestSupport.bytes;
import static io.midge.server.codec.CodecTestSupport.concat;
import static io.midge.server.codec.CodecTestSupport.decode;
import static io.midge.server.codec.CodecTestSupport.decodeFailure;
import static io.midge.server.codec.CodecTestSupport.decoderChannel;
import static io.midge.server.codec.CodecTestSupport.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.midge.server.codec.MalformedPacketException.Kind;
import io.midge.core.packet.MqttPacket.Connect;
import io.midge.core.packet.MqttPacket.Empty;
import io.midge.core.packet.MqttPacket.OversizedPublish;
import io.midge.core.packet.MqttPacket.Publish;
import io.midge.core.packet.MqttPacket.Unsubscribe;
import io.netty.channel.embedded.EmbeddedChannel;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where the specification lets a server choose, the decoder chooses as mosquitto 2.0 does. */
class MqttDecoderMosquittoRulesTest {

    private static byte[] publishQos0(String topic) {
        return packet(0x30, Body.of().str(topic).build());
    }

    private static byte[] connect31(int flags, String clientId) {
        return packet(0x10, Body.of().str("MQIsdp").u8(3).u8(flags).u16(60).str(clientId).build());
    }

    // ---- characters ----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {0x01, 0x1F, 0x7F, 0x80, 0x9F, 0xFDD0, 0xFDEF, 0xFFFE, 0xFFFF, 0x1FFFE, 0x10FFFF})
    void controlCharactersAndNonCharactersInAnyStringAreMalformed(int codePoint) {
        String topic = "a" + new String(Character.toChars(codePoint));
        MalformedPacketException e = decodeFailure(publishQos0(topic));
        assertEquals(Kind.MALFORMED, e.kind());
        assertEquals(String.format("PUBLISH topic contains U+%04X", codePoint), e.getMessage());
        assertEquals(String.format("CONNECT client identifier contains U+%04X", codePoint), decodeFailure(
                packet(0x10, Body.of().str("MQTT").u8(4).u8(2).u16(60).str(topic).build())).getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0x20, 0x7E, 0xA0, 0xFDCF, 0xFDF0, 0xFFFD, 0x1F600})
    void theirNeighboursAreFine(int codePoint) {
        String topic = "a" + new String(Character.toChars(codePoint));
        assertEquals(topic, ((Publish) decode(new MqttDecoder(MAX), publishQos0(topic))).topic());
    }

    // ---- topic hierarchy -----------------------------------------------------------------------

    @Test
    void topicsAndFiltersMayHave200SeparatorsButNot201() {
        assertEquals("/".repeat(200), ((Publish) decode(new MqttDecoder(MAX), publishQos0("/".repeat(200)))).topic());
        String deep = "abc/".repeat(199) + "d";
        assertEquals(deep, ((Publish) decode(new MqttDecoder(MAX), publishQos0(deep))).topic());
        MalformedPacketException publish = decodeFailure(publishQos0("/".repeat(201)));
        assertEquals(Kind.PROTOCOL_ERROR, publish.kind());

        assertEquals(List.of("/".repeat(200)), ((Unsubscribe) decode(new MqttDecoder(MAX),
                packet(0xA2, Body.of().u16(1).str("/".repeat(200)).build()))).filters());
        MalformedPacketException subscribe = decodeFailure(packet(0x82, Body.of().u16(1).str("/".repeat(201)).u8(0).build()));
        assertEquals("Invalid subscription string from 10.0.0.1, disconnecting.", subscribe.notice("c", "10.0.0.1"));
        MalformedPacketException unsubscribe = decodeFailure(packet(0xA2, Body.of().u16(1).str("+/".repeat(201)).build()));
        assertEquals("Invalid unsubscription string from c, disconnecting.", unsubscribe.notice("c", "10.0.0.1"));
    }

    @Test
    void aTopicAsLongAsAStringCanBeIsTooDeep() {
        assertEquals(Kind.PROTOCOL_ERROR, decodeFailure(publishQos0("/".repeat(65_535))).kind());
    }

    @Test
    void anEmptyUnsubscribeFilterIsMalformedWithMosquittosLine() {
        MalformedPacketException e = decodeFailure(packet(0xA2, Body.of().u16(1).str("a").str("").build()));
        assertEquals("Empty unsubscription string from c, disconnecting.", e.notice("c", "10.0.0.1"));
    }

    // ---- kinds, as mosquitto's disconnect line names them --------------------------------------

    @Test
    void wildcardsInAPublishTopicAndPacketId0AreProtocolErrors() {
        assertEquals(Kind.PROTOCOL_ERROR, decodeFailure(publishQos0("a/+")).kind());
        assertEquals(Kind.PROTOCOL_ERROR, decodeFailure(packet(0x32, Body.of().str("a").u16(0).build())).kind());
        assertEquals(Kind.MALFORMED, decodeFailure(publishQos0("")).kind(), "an empty topic is malformed");
    }

    @Test
    void publishQos3CarriesMosquittosLine() {
        MalformedPacketException e = decodeFailure(bytes(0x36));
        assertEquals("Invalid QoS in PUBLISH from c, disconnecting.", e.notice("c", "10.0.0.1"));
    }

    @Test
    void badPubrelOrDisconnectFlagsAreProtocolErrorsOtherFlagsMalformed() {
        assertEquals(Kind.PROTOCOL_ERROR, decodeFailure(bytes(0x60)).kind());
        assertEquals(Kind.PROTOCOL_ERROR, decodeFailure(bytes(0xE1)).kind());
        assertEquals(Kind.MALFORMED, decodeFailure(bytes(0x80)).kind());
        assertEquals(Kind.PROTOCOL_ERROR, decodeFailure(bytes(0x00)).kind(), "reserved packet type");
    }

    // ---- CONNECT -------------------------------------------------------------------------------

    @Test
    void mqtt311ConnectFixedHeaderFlagsAreAProtocolError() {
        MalformedPacketException e = decodeFailure(packet(0x11, Body.of().str("MQTT").u8(4).u8(2).u16(60).str("c").build()));
        assertEquals(Kind.PROTOCOL_ERROR, e.kind());
        assertEquals("invalid fixed header flags for CONNECT", e.getMessage());
    }

    @Test
    void mqtt31ConnectIsNotHeldTo311sReservedBitRules() {
        Connect flagged = (Connect) decode(new MqttDecoder(MAX),
                packet(0x11, Body.of().str("MQIsdp").u8(3).u8(0x03).u16(60).str("issue 2163 v3").build()));
        assertEquals("issue 2163 v3", flagged.clientId());
        assertTrue(flagged.cleanSession());
        Connect willQosWithoutWill = (Connect) decode(new MqttDecoder(MAX), connect31(0x0A, "c"));
        assertNull(willQosWithoutWill.will());
    }

    @Test
    void mqtt31UserNameAndPasswordFlagsWithoutTheFieldsAreIgnored() {
        Connect connect = (Connect) decode(new MqttDecoder(MAX), connect31(0xC2, "c"));
        assertNull(connect.username());
        assertNull(connect.password());
    }

    @Test
    void aPasswordWithoutAUserNameIsAProtocolErrorInEveryVersion() {
        MalformedPacketException e = decodeFailure(packet(0x10,
                Body.of().str("MQIsdp").u8(3).u8(0x42).u16(60).str("c").str("pw").build()));
        assertEquals(Kind.PROTOCOL_ERROR, e.kind());
        assertEquals("Protocol error from c: password without username, closing connection.", e.notice("c", "10.0.0.1"));
    }

    @Test
    void aWillUnderControlIsAProtocolError() {
        byte[] body = Body.of().str("MQTT").u8(4).u8(0x06).u16(60).str("c").str("$CONTROL/dynamic-security/v1")
                .str("x").build();
        assertEquals(Kind.PROTOCOL_ERROR, decodeFailure(packet(0x10, body)).kind());
    }

    @Test
    void anUnknownProtocolNameCarriesMosquittosLine() {
        MalformedPacketException e = decodeFailure(packet(0x10, Body.of().str("MQTX").u8(4).u8(2).u16(60).str("c").build()));
        assertEquals("Invalid protocol \"MQTX\" in CONNECT from 10.0.0.1.", e.notice("c", "10.0.0.1"));
    }

    // ---- payloads over the limit ---------------------------------------------------------------

    @Test
    void aPublishOverThePayloadLimitIsDecodedWithoutItsPayloadWhichIsSkipped() {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel channel = decoderChannel(new MqttDecoder(MAX, 10), alloc);
        byte[] big = packet(0x34, Body.of().str("t/big").u16(9).raw(new byte[100_000]).build());
        // Fed in small pieces, as a slow client sends it; the payload is never held.
        int largestHeld = 0;
        for (int i = 0; i < big.length; i += 1000) {
            channel.writeInbound(alloc.wrap(Arrays.copyOfRange(big, i, Math.min(i + 1000, big.length))));
            largestHeld = Math.max(largestHeld, alloc.largestLiveCapacity());
        }
        channel.writeInbound(alloc.wrap(bytes(0xC0, 0)));
        OversizedPublish oversized = assertInstanceOf(OversizedPublish.class, channel.readInbound());
        assertEquals(new OversizedPublish("t/big", 2, false, false, 9, 100_000), oversized);
        assertEquals(Empty.PINGREQ, channel.readInbound(), "the stream goes on after the skipped payload");
        assertTrue(largestHeld <= 2000, "held a buffer of " + largestHeld + " bytes");
        channel.finish();
        alloc.assertAllReleased();
    }

    @Test
    void aPublishAtThePayloadLimitIsDecodedWhole() {
        byte[] payload = "0123456789".getBytes(StandardCharsets.US_ASCII);
        byte[] wire = concat(packet(0x30, Body.of().str("t").raw(payload).build()));
        Publish publish = (Publish) decode(new MqttDecoder(MAX, 10), wire, 3);
        assertEquals("0123456789", new String(publish.payload(), StandardCharsets.US_ASCII));
    }
}
