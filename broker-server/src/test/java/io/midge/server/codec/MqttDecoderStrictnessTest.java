package io.midge.server.codec;

import io.midge.core.packet.PacketType;

import static io.midge.server.codec.CodecTestSupport.Body;
import static io.midge.server.codec.CodecTestSupport.MAX;
import static io.midge.server.codec.CodecTestSupport.assertMalformed;
import static io.midge.server.codec.CodecTestSupport.bytes;
import static io.midge.server.codec.CodecTestSupport.connectHeader;
import static io.midge.server.codec.CodecTestSupport.decode;
import static io.midge.server.codec.CodecTestSupport.decodeFailure;
import static io.midge.server.codec.CodecTestSupport.packet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.midge.core.packet.MqttPacket.Connect;
import io.midge.core.packet.MqttPacket.Publish;
import io.midge.core.packet.MqttPacket.Subscribe;
import io.midge.core.packet.MqttPacket.TopicSubscription;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per MQTT 3.1.1 rule the decoder enforces, each checking the reason it gives. */
class MqttDecoderStrictnessTest {

    private static byte[] publishQos0(byte[] topicField) {
        return packet(0x30, Body.of().raw(topicField).raw(bytes('x')).build());
    }

    private static byte[] lengthPrefixed(int... utf8) {
        return Body.of().field(bytes(utf8)).build();
    }

    // ---- fixed header -------------------------------------------------------------------------

    @Test
    void reservedPacketType0IsMalformed() {
        assertMalformed("reserved packet type 0", bytes(0x00, 0));
    }

    @Test
    void reservedPacketType15IsMalformed() {
        assertMalformed("reserved packet type 15", bytes(0xF0, 0));
    }

    @Test
    void serverDecoderRejectsPacketsOnlyServersSend() {
        assertMalformed("CONNACK must not be sent by a client", bytes(0x20, 2, 0, 0));
        assertMalformed("SUBACK must not be sent by a client", bytes(0x90, 3, 0, 1, 0));
        assertMalformed("UNSUBACK must not be sent by a client", bytes(0xB0, 2, 0, 1));
        assertMalformed("PINGRESP must not be sent by a client", bytes(0xD0, 0));
    }

    @Test
    void clientDecoderRejectsPacketsOnlyClientsSend() {
        MqttDecoder decoder = MqttDecoder.forClient(MAX);
        assertEquals("PINGREQ must not be sent by a server", decodeFailure(decoder, bytes(0xC0, 0)).getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"PUBLISH", "CONNECT", "AUTH"}, mode = EnumSource.Mode.EXCLUDE)
    void everyFlagNibbleButTheRequiredOneIsMalformed(PacketType type) {
        for (int flags = 0; flags < 16; flags++) {
            if (flags != type.requiredFlags()) {
                // Judged from the first byte alone, before any length or body arrives.
                byte[] firstByteOnly = bytes(type.value() << 4 | flags);
                assertEquals("invalid fixed header flags for " + type,
                        decodeFailure(CodecTestSupport.decoderFor(type), firstByteOnly).getMessage());
            }
        }
    }

    @Test
    void subscribeWithoutItsRequiredFlagsIsMalformed() {
        assertMalformed("invalid fixed header flags for SUBSCRIBE", bytes(0x80, 6, 0, 1, 0, 1, 'a', 0));
    }

    @Test
    void publishQos3IsMalformed() {
        assertMalformed("PUBLISH QoS 3 is invalid", bytes(0x36, 5, 0, 1, 't', 0, 1));
    }

    @Test
    void publishQos0WithDupIsMalformed() {
        assertMalformed("PUBLISH with QoS 0 has DUP set", bytes(0x38, 3, 0, 1, 't'));
    }

    // ---- packet identifiers and fixed lengths ----------------------------------------------

    @Test
    void publishQos1WithPacketId0IsMalformed() {
        assertMalformed("PUBLISH packet identifier must not be 0", bytes(0x32, 5, 0, 1, 't', 0, 0));
    }

    @Test
    void publishQos2WithPacketId0IsMalformed() {
        assertMalformed("PUBLISH packet identifier must not be 0", bytes(0x34, 5, 0, 1, 't', 0, 0));
    }

    @Test
    void subscribeWithPacketId0IsMalformed() {
        assertMalformed("SUBSCRIBE packet identifier must not be 0", bytes(0x82, 6, 0, 0, 0, 1, 'a', 0));
    }

    @Test
    void unsubscribeWithPacketId0IsMalformed() {
        assertMalformed("UNSUBSCRIBE packet identifier must not be 0", bytes(0xA2, 5, 0, 0, 0, 1, 'a'));
    }

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"})
    void ackWithPacketId0IsMalformed(PacketType type) {
        assertMalformed(type + " packet identifier must not be 0",
                bytes(type.value() << 4 | type.requiredFlags(), 2, 0, 0));
    }

    @Test
    void unsubAckAndSubAckWithPacketId0AreMalformed() {
        assertEquals("UNSUBACK packet identifier must not be 0",
                decodeFailure(MqttDecoder.forClient(MAX), bytes(0xB0, 2, 0, 0)).getMessage());
        assertEquals("SUBACK packet identifier must not be 0",
                decodeFailure(MqttDecoder.forClient(MAX), bytes(0x90, 3, 0, 0, 0)).getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"})
    void ackRemainingLengthOtherThan2IsMalformedBeforeTheBodyArrives(PacketType type) {
        int firstByte = type.value() << 4 | type.requiredFlags();
        assertMalformed(type + " remaining length must be 2, was 3", bytes(firstByte, 3));
        assertMalformed(type + " remaining length must be 2, was 1", bytes(firstByte, 1, 5));
        assertMalformed(type + " remaining length must be 2, was 0", bytes(firstByte, 0));
    }

    @Test
    void connAckRemainingLengthOtherThan2IsMalformed() {
        assertEquals("CONNACK remaining length must be 2, was 3",
                decodeFailure(MqttDecoder.forClient(MAX), bytes(0x20, 3)).getMessage());
    }

    @Test
    void pingReqWithABodyIsMalformed() {
        assertMalformed("PINGREQ remaining length must be 0, was 1", bytes(0xC0, 1, 0));
    }

    @Test
    void disconnectWithABodyIsMalformed() {
        assertMalformed("DISCONNECT remaining length must be 0, was 2", bytes(0xE0, 2));
    }

    // ---- fields must exactly fill the remaining length -------------------------------------

    @Test
    void bytesAfterTheLastFieldAreMalformed() {
        byte[] body = connectHeader(0x02).str("c").u8(0).build();
        assertMalformed("CONNECT has trailing bytes after its last field (1)", packet(0x10, body));
    }

    @Test
    void aStringLongerThanItsPacketIsMalformed() {
        // The topic claims 10 bytes; the packet has 3 left. The next packet's bytes must not be read.
        byte[] wire = CodecTestSupport.concat(bytes(0x30, 5, 0, 10, 'a', 'b', 'c'), bytes(0xC0, 0, 0xC0, 0, 0xC0, 0));
        assertMalformed("PUBLISH topic length 10 exceeds the 3 bytes left in the packet", wire);
    }

    @Test
    void aPacketEndingInsideAFieldIsMalformed() {
        assertMalformed("packet ends before SUBSCRIBE requested QoS", bytes(0x82, 5, 0, 1, 0, 1, 'a'));
        assertMalformed("packet ends before PUBLISH packet identifier", bytes(0x32, 4, 0, 1, 't', 0));
        assertMalformed("packet ends before CONNECT keep alive", packet(0x10, Body.of().str("MQTT").u8(4).u8(2).u8(0).build()));
    }

    // ---- UTF-8 strings ---------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "c3 28",          // lead byte followed by a non-continuation byte
            "80",             // lone continuation byte
            "c0 af",          // overlong encoding of '/'
            "e0 80 af",       // overlong three-byte encoding
            "ed a0 80",       // UTF-16 surrogate U+D800 encoded as UTF-8 [MQTT-1.5.3-1]
            "ed bf bf",       // surrogate U+DFFF
            "f4 90 80 80",    // above U+10FFFF
            "f8 88 80 80 80", // five-byte form
            "ff",             // never valid
            "e2 82",          // truncated sequence
    })
    void illFormedUtf8IsMalformed(String hex) {
        byte[] invalid = java.util.HexFormat.ofDelimiter(" ").parseHex(hex);
        assertMalformed("PUBLISH topic is not well-formed UTF-8", publishQos0(Body.of().field(invalid).build()));
    }

    @Test
    void nulInAnAsciiStringIsMalformed() {
        assertMalformed("PUBLISH topic contains U+0000", publishQos0(lengthPrefixed('a', 0, 'b')));
    }

    @Test
    void nulAfterNonAsciiCharactersIsMalformed() {
        assertMalformed("PUBLISH topic contains U+0000", publishQos0(lengthPrefixed(0xC3, 0xA9, 0, 'b')));
    }

    @Test
    void clientIdentifierMustBeWellFormedToo() {
        byte[] body = connectHeader(0x02).field(bytes(0xED, 0xA0, 0x80)).build();
        assertMalformed("CONNECT client identifier is not well-formed UTF-8", packet(0x10, body));
    }

    @Test
    void userNameMustBeWellFormedToo() {
        byte[] body = connectHeader(0x82).str("c").field(bytes('u', 0)).build();
        assertMalformed("CONNECT user name contains U+0000", packet(0x10, body));
    }

    @Test
    void byteOrderMarkIsKeptNotStripped() {
        Publish publish = (Publish) decode(new MqttDecoder(MAX), publishQos0(lengthPrefixed(0xEF, 0xBB, 0xBF, 'a')));
        assertEquals("\uFEFFa", publish.topic());
    }

    // ---- PUBLISH topic ----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"a/+/b", "+", "a/#", "#", "sport+"})
    void publishTopicWithWildcardIsMalformed(String topic) {
        assertMalformed("PUBLISH topic contains wildcard", publishQos0(Body.of().str(topic).build()));
    }

    @Test
    void emptyPublishTopicIsMalformed() {
        assertMalformed("PUBLISH topic is empty", publishQos0(Body.of().str("").build()));
    }

    // ---- SUBSCRIBE / UNSUBSCRIBE ------------------------------------------------------------------

    @Test
    void subscribeWithoutFiltersIsMalformed() {
        assertMalformed("SUBSCRIBE has no topic filter", bytes(0x82, 2, 0, 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x04, 0x40, 0x80, 0xFC, 0x81})
    void subscribeQosWithReservedBitsIsMalformed(int qosByte) {
        assertMalformed("SUBSCRIBE requested QoS has reserved bits set", bytes(0x82, 6, 0, 1, 0, 1, 'a', qosByte));
    }

    @Test
    void subscribeQos3IsMalformed() {
        assertMalformed("SUBSCRIBE requested QoS 3 is invalid", bytes(0x82, 6, 0, 1, 0, 1, 'a', 3));
    }

    @Test
    void subscribeRejectsAnyInvalidEntryNotJustTheFirst() {
        assertMalformed("SUBSCRIBE requested QoS 3 is invalid",
                bytes(0x82, 10, 0, 1, 0, 1, 'a', 0, 0, 1, 'b', 3));
    }

    @Test
    void aSubscribeFilterOfInvalidSyntaxIsMalformedWithMosquittosLine() {
        MalformedPacketException e = decodeFailure(packet(0x82, Body.of().u16(1).str("a").u8(0).str("a/#/b").u8(1).build()));
        assertEquals(MalformedPacketException.Kind.MALFORMED, e.kind());
        assertEquals("Invalid subscription string from 10.0.0.1, disconnecting.", e.notice("c1", "10.0.0.1"));
    }

    @Test
    void anEmptySubscribeFilterIsMalformed() {
        assertMalformed("SUBSCRIBE topic filter is empty", packet(0x82, Body.of().u16(1).str("").u8(0).build()));
    }

    @Test
    void subscribeFilterMustBeWellFormedUtf8() {
        assertMalformed("SUBSCRIBE topic filter is not well-formed UTF-8",
                packet(0x82, Body.of().u16(1).field(bytes(0xC0, 0xAF)).u8(0).build()));
    }

    @Test
    void unsubscribeWithoutFiltersIsMalformed() {
        assertMalformed("UNSUBSCRIBE has no topic filter", bytes(0xA2, 2, 0, 1));
    }

    @Test
    void unsubscribeFilterMustBeWellFormedUtf8() {
        assertMalformed("UNSUBSCRIBE topic filter contains U+0000",
                packet(0xA2, Body.of().u16(1).str("ok").field(bytes('a', 0)).build()));
    }

    // ---- CONNECT --------------------------------------------------------------------------------

    @Test
    void unknownProtocolNameIsMalformed() {
        assertMalformed("CONNECT protocol name 'MQTX' is unknown",
                packet(0x10, Body.of().str("MQTX").u8(4).u8(2).u16(60).str("c").build()));
    }

    @Test
    void mqisdpLevel3Parses() {
        byte[] body = Body.of().str("MQIsdp").u8(3).u8(0xC2).u16(30).str("legacy").str("user").str("pass").build();
        Connect connect = (Connect) decode(new MqttDecoder(MAX), packet(0x10, body));
        assertEquals("MQIsdp", connect.protocolName());
        assertEquals(3, connect.protocolLevel());
        assertTrue(connect.protocolSupported());
        assertTrue(connect.cleanSession());
        assertEquals(30, connect.keepAliveSeconds());
        assertEquals("legacy", connect.clientId());
        assertEquals("user", connect.username());
        assertArrayEquals("pass".getBytes(), connect.password());
    }

    @Test
    void unsupportedLevelIsHandedToTheBrokerWhateverItsBody() {
        // A level from the future, with an MQTT 5 body and a stray byte. The broker must answer CONNACK 0x01.
        byte[] body = Body.of().str("MQTT").u8(6).u8(0x02).u16(60).u8(5).u8(0x11).raw(bytes(0, 0, 0, 10))
                .str("v6-client").u8(0).build();
        Connect connect = (Connect) decode(new MqttDecoder(MAX), packet(0x10, body));
        assertEquals("MQTT", connect.protocolName());
        assertEquals(6, connect.protocolLevel());
        assertFalse(connect.protocolSupported());
    }

    /** mosquitto's bridges set 0x80 in the level (try_private): 0x84 is a 3.1.1 bridge, 0x83 a 3.1 one. */
    @Test
    void levelWithTheBridgeBitParsesAsABridgeOfThatLevel() {
        Connect v311 = (Connect) decode(new MqttDecoder(MAX),
                packet(0x10, Body.of().str("MQTT").u8(0x84).u8(0x00).u16(60).str("vm.cloud").build()));
        assertEquals(4, v311.protocolLevel());
        assertTrue(v311.bridge());
        assertTrue(v311.protocolSupported());
        assertEquals("vm.cloud", v311.clientId());
        assertFalse(v311.cleanSession());

        Connect v31 = (Connect) decode(new MqttDecoder(MAX),
                packet(0x10, Body.of().str("MQIsdp").u8(0x83).u8(0x02).u16(30).str("b31").build()));
        assertEquals(3, v31.protocolLevel());
        assertTrue(v31.bridge());
        assertTrue(v31.protocolSupported());
    }

    @Test
    void aPlainLevelIsNoBridge() {
        Connect connect = (Connect) decode(new MqttDecoder(MAX), packet(0x10, connectHeader(0x02).str("c").build()));
        assertFalse(connect.bridge());
    }

    /** 0x85 (an MQTT 5 bridge) and the bridge bit on the other name's level stay unsupported, reported as sent. */
    @Test
    void theBridgeBitOnAnUnsupportedLevelIsHandedToTheBrokerAsSent() {
        Connect v5 = (Connect) decode(new MqttDecoder(MAX),
                packet(0x10, Body.of().str("MQTT").u8(0x85).u8(0x02).u16(60).u8(0).str("c").build()));
        assertEquals(0x85, v5.protocolLevel());
        assertFalse(v5.bridge());
        assertFalse(v5.protocolSupported());
        Connect crossed = (Connect) decode(new MqttDecoder(MAX),
                packet(0x10, Body.of().str("MQIsdp").u8(0x84).u8(0x02).u16(60).str("c").build()));
        assertEquals(0x84, crossed.protocolLevel());
        assertFalse(crossed.protocolSupported());
    }

    @Test
    void knownNameWithTheOtherNamesLevelIsHandedToTheBroker() {
        Connect connect = (Connect) decode(new MqttDecoder(MAX),
                packet(0x10, Body.of().str("MQTT").u8(3).u8(2).u16(60).str("c").build()));
        assertEquals(3, connect.protocolLevel());
        assertFalse(connect.protocolSupported());
    }

    @Test
    void connectReservedFlagIsMalformed() {
        assertMalformed("CONNECT reserved flag is set", packet(0x10, connectHeader(0x03).str("c").build()));
    }

    @Test
    void willQosWithoutWillFlagIsMalformed() {
        assertMalformed("CONNECT will QoS set without will flag", packet(0x10, connectHeader(0x0A).str("c").build()));
    }

    @Test
    void willRetainWithoutWillFlagIsMalformed() {
        assertMalformed("CONNECT will retain set without will flag", packet(0x10, connectHeader(0x22).str("c").build()));
    }

    @Test
    void willQos3IsMalformed() {
        byte[] body = connectHeader(0x1E).str("c").str("w").field(bytes('x')).build();
        assertMalformed("CONNECT will QoS 3 is invalid", packet(0x10, body));
    }

    @Test
    void passwordWithoutUserNameIsMalformed() {
        byte[] body = connectHeader(0x42).str("c").field(bytes('p')).build();
        assertMalformed("CONNECT password flag set without user name flag", packet(0x10, body));
    }

    @Test
    void emptyClientIdentifierIsLeftToTheBroker() {
        Connect connect = (Connect) decode(new MqttDecoder(MAX), packet(0x10, connectHeader(0x00).str("").build()));
        assertEquals("", connect.clientId());
        assertFalse(connect.cleanSession());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/+", "#", ""})
    void willTopicIsValidatedLikeAPublishTopic(String willTopic) {
        byte[] body = connectHeader(0x06).str("c").str(willTopic).field(bytes('x')).build();
        MalformedPacketException e = decodeFailure(packet(0x10, body));
        assertEquals(willTopic.isEmpty() ? MalformedPacketException.Kind.PROTOCOL_ERROR
                : MalformedPacketException.Kind.INVALID_ARGUMENT, e.kind(), e.getMessage());
    }

    @Test
    void willPayloadAndPasswordAreBinary() {
        byte[] body = connectHeader(0xC6).str("c").str("w").field(bytes(0xFF, 0, 0xC0)).str("u").field(bytes(0, 0xFE))
                .build();
        Connect connect = (Connect) decode(new MqttDecoder(MAX), packet(0x10, body));
        assertArrayEquals(bytes(0xFF, 0, 0xC0), connect.will().payload());
        assertArrayEquals(bytes(0, 0xFE), connect.password());
    }

    // ---- server-to-client packets ------------------------------------------------------------

    @Test
    void connAckReservedFlagsAreMalformed() {
        assertEquals("CONNACK reserved flags are set",
                decodeFailure(MqttDecoder.forClient(MAX), bytes(0x20, 2, 2, 0)).getMessage());
    }

    @Test
    void subAckReservedReturnCodeIsMalformed() {
        assertEquals("SUBACK return code 3 is reserved",
                decodeFailure(MqttDecoder.forClient(MAX), bytes(0x90, 4, 0, 1, 0, 3)).getMessage());
    }
}
