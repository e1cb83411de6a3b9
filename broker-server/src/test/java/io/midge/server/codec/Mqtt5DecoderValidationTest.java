package io.midge.server.codec;

import io.midge.core.packet.MqttPacket;
import io.midge.core.packet.PacketType;
import io.midge.core.packet.Properties;
import io.midge.core.packet.Property;

import static io.midge.server.codec.CodecTestSupport.CONNECT_5;
import static io.midge.server.codec.CodecTestSupport.MAX;
import static io.midge.server.codec.CodecTestSupport.assertPacketEquals;
import static io.midge.server.codec.CodecTestSupport.bytes;
import static io.midge.server.codec.CodecTestSupport.clientDecodeFailure5;
import static io.midge.server.codec.CodecTestSupport.concat;
import static io.midge.server.codec.CodecTestSupport.decode;
import static io.midge.server.codec.CodecTestSupport.decodeAfterConnect5;
import static io.midge.server.codec.CodecTestSupport.decodeFailure;
import static io.midge.server.codec.CodecTestSupport.decodeFailureAfterConnect5;
import static io.midge.server.codec.CodecTestSupport.decoderChannel;
import static io.midge.server.codec.CodecTestSupport.encode;
import static io.midge.server.codec.CodecTestSupport.packet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.midge.core.packet.MqttPacket.Ack;
import io.midge.core.packet.MqttPacket.Auth;
import io.midge.core.packet.MqttPacket.ConnAck;
import io.midge.core.packet.MqttPacket.Connect;
import io.midge.core.packet.MqttPacket.Disconnect;
import io.midge.core.packet.MqttPacket.OversizedPublish;
import io.midge.core.packet.MqttPacket.Publish;
import io.midge.core.packet.MqttPacket.Subscribe;
import io.midge.core.packet.MqttPacket.Unsubscribe;
import io.midge.server.codec.CodecTestSupport.Body;
import io.midge.server.codec.MalformedPacketException.Kind;
import io.netty.channel.embedded.EmbeddedChannel;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** MQTT 5 packets as clients and servers write them, and each rule of sections 2.2.2 and 3 that the decoder enforces. */
class Mqtt5DecoderValidationTest {

    /**
     * Captured from {@code mosquitto_pub -V 5 -i pub-5 -t a/b -m hi -D connect session-expiry-interval 30
     * -D connect user-property k v --will-topic w/t --will-payload bye -D will will-delay-interval 10
     * -u user -P pw} (mosquitto 2.0.11, which adds a receive maximum of 20).
     */
    private static final byte[] MOSQUITTO_PUB_CONNECT = HexFormat.of().parseHex("103b00044d51545405c6003c0f11"
            + "0000001e2600016b00017621001400057075622d3505180000000a0003772f74000362796500047573657200027077");

    private static Kind serverKind(byte[] wire) {
        return decodeFailureAfterConnect5(wire).kind();
    }

    /** A CONNECT v5 body up to the keep alive, then {@code properties} (length included). */
    private static Body connect5(int flags, byte[] propertySection) {
        return Body.of().str("MQTT").u8(5).u8(flags).u16(60).raw(propertySection);
    }

    private static MalformedPacketException connectFailure(byte[] propertySection) {
        return decodeFailure(packet(0x10, connect5(0x02, propertySection).str("c").build()));
    }

    // ---- what real clients send --------------------------------------------------------------

    @Test
    void decodesTheConnectMosquittoPubSends() {
        Connect connect = (Connect) decode(new MqttDecoder(MAX), MOSQUITTO_PUB_CONNECT);
        assertTrue(connect.mqtt5());
        assertTrue(connect.protocolSupported());
        assertTrue(connect.cleanSession());
        assertEquals(60, connect.keepAliveSeconds());
        assertEquals("pub-5", connect.clientId());
        assertEquals(30, connect.properties().intValue(Property.SESSION_EXPIRY_INTERVAL, -1));
        assertEquals(20, connect.properties().intValue(Property.RECEIVE_MAXIMUM, -1));
        assertEquals(List.of(Map.entry("k", "v")), connect.properties().userProperties());
        assertEquals("w/t", connect.will().topic());
        assertArrayEquals("bye".getBytes(), connect.will().payload());
        assertEquals(10, connect.will().properties().intValue(Property.WILL_DELAY_INTERVAL, -1));
        assertEquals("user", connect.username());
        assertArrayEquals("pw".getBytes(), connect.password());
    }

    @Test
    void afterAnMqtt5ConnectEveryPacketIsReadAsMqtt5() {
        TrackingAllocator alloc = new TrackingAllocator();
        MqttDecoder decoder = new MqttDecoder(MAX);
        EmbeddedChannel channel = decoderChannel(decoder, alloc);
        assertFalse(decoder.mqtt5());
        // A PUBLISH with an empty property section, then a PUBACK with only a reason code.
        channel.writeInbound(alloc.wrap(concat(MOSQUITTO_PUB_CONNECT, bytes(0x30, 6, 0, 1, 't', 0, 'h', 'i'),
                bytes(0x40, 3, 0, 1, 0x10))));
        assertTrue(((Connect) channel.readInbound()).mqtt5());
        assertTrue(decoder.mqtt5());
        assertPacketEquals(new Publish("t", "hi".getBytes(), 0, false, false, 0, Properties.EMPTY), channel.readInbound());
        assertPacketEquals(new Ack(PacketType.PUBACK, 1, 0x10, Properties.EMPTY), channel.readInbound());
        assertNull(channel.readInbound());
        assertFalse(channel.finish());
        alloc.assertAllReleased();
    }

    @Test
    void afterA311ConnectPacketsStayWithoutProperties() {
        TrackingAllocator alloc = new TrackingAllocator();
        MqttDecoder decoder = new MqttDecoder(MAX);
        EmbeddedChannel channel = decoderChannel(decoder, alloc);
        channel.writeInbound(alloc.wrap(concat(encode(new Connect("MQTT", 4, true, 60, "c", null, null, null)),
                bytes(0x30, 5, 0, 1, 't', 'h', 'i'))));
        assertFalse(((Connect) channel.readInbound()).mqtt5());
        assertFalse(decoder.mqtt5());
        Publish publish = channel.readInbound();
        assertSame(Properties.ABSENT, publish.properties());
        assertArrayEquals("hi".getBytes(), publish.payload());
        assertFalse(channel.finish());
    }

    @Test
    void acknowledgementsOfEveryLength() {
        assertPacketEquals(new Ack(PacketType.PUBACK, 1, 0, Properties.EMPTY), decodeAfterConnect5(bytes(0x40, 2, 0, 1)));
        assertPacketEquals(new Ack(PacketType.PUBREC, 1, 0x80, Properties.EMPTY),
                decodeAfterConnect5(bytes(0x50, 3, 0, 1, 0x80)));
        assertPacketEquals(new Ack(PacketType.PUBREL, 1, 0x92, Properties.EMPTY),
                decodeAfterConnect5(bytes(0x62, 4, 0, 1, 0x92, 0)));
        assertPacketEquals(new Ack(PacketType.PUBCOMP, 1, 0, Properties.builder().put(Property.REASON_STRING, "ok").build()),
                decodeAfterConnect5(bytes(0x70, 9, 0, 1, 0, 5, 0x1F, 0, 2, 'o', 'k')));
        assertEquals("PUBACK remaining length must be at least 2, was 1",
                decodeFailureAfterConnect5(bytes(0x40, 1, 0)).getMessage());
    }

    @Test
    void disconnectAndAuthOfEveryLength() {
        assertPacketEquals(new Disconnect(0, Properties.EMPTY), decodeAfterConnect5(bytes(0xE0, 0)));
        assertPacketEquals(new Disconnect(0x04, Properties.EMPTY), decodeAfterConnect5(bytes(0xE0, 1, 0x04)));
        assertPacketEquals(new Disconnect(0, Properties.builder().put(Property.SESSION_EXPIRY_INTERVAL, 5).build()),
                decodeAfterConnect5(bytes(0xE0, 7, 0, 5, 0x11, 0, 0, 0, 5)));
        assertPacketEquals(new Auth(0, Properties.EMPTY), decodeAfterConnect5(bytes(0xF0, 0)));
        assertPacketEquals(new Auth(0x19, Properties.EMPTY), decodeAfterConnect5(bytes(0xF0, 1, 0x19)));
        assertPacketEquals(new Auth(0x18, Properties.builder().put(Property.AUTHENTICATION_METHOD, "m").build()),
                decodeAfterConnect5(bytes(0xF0, 6, 0x18, 4, 0x15, 0, 1, 'm')));
        assertEquals(Kind.MALFORMED, serverKind(bytes(0xF1, 0)));
        assertEquals(Kind.PROTOCOL_ERROR, serverKind(bytes(0xE1, 0)));
    }

    @Test
    void aClientDecoderOfLevel5ReadsWhatAnMqtt5ServerSends() {
        MqttDecoder decoder = MqttDecoder.forClient(MAX, Connect.LEVEL_MQTT_5);
        assertTrue(decoder.mqtt5());
        assertPacketEquals(new ConnAck(true, 0, Properties.builder().put(Property.RECEIVE_MAXIMUM, 10).build()),
                decode(decoder, bytes(0x20, 6, 1, 0, 3, 0x21, 0, 10)));
        assertPacketEquals(new Disconnect(0x8E, Properties.EMPTY),
                decode(MqttDecoder.forClient(MAX, Connect.LEVEL_MQTT_5), bytes(0xE0, 1, 0x8E)));
        assertEquals("CONNACK remaining length must be at least 3, was 2", clientDecodeFailure5(bytes(0x20, 2, 0, 0)).getMessage());
        assertEquals(Kind.MALFORMED, clientDecodeFailure5(bytes(0xB0, 3, 0, 1, 0)).kind());
        assertEquals(Kind.PROTOCOL_ERROR, clientDecodeFailure5(bytes(0x20, 5, 0, 0, 2, 0x25, 2)).kind(),
                "retain available 2");
        assertEquals(Kind.PROTOCOL_ERROR, clientDecodeFailure5(bytes(0x20, 5, 0, 0, 2, 0x24, 2)).kind(),
                "maximum QoS 2");
        assertEquals("PINGREQ must not be sent by a server", clientDecodeFailure5(bytes(0xC0, 0)).getMessage());
        assertEquals("DISCONNECT must not be sent by a server",
                decodeFailure(MqttDecoder.forClient(MAX), bytes(0xE0, 0)).getMessage());
    }

    // ---- 3.1.1 keeps its rules -----------------------------------------------------------------

    @Test
    void mqtt311RejectsAuthAndMqtt5Layouts() {
        MalformedPacketException auth = decodeFailure(bytes(0xF0, 0));
        assertEquals(Kind.PROTOCOL_ERROR, auth.kind());
        assertEquals("reserved packet type 15", auth.getMessage());
        assertEquals("reserved packet type 15", decodeFailure(MqttDecoder.forClient(MAX), bytes(0xF0, 0)).getMessage());
        assertEquals("PUBACK remaining length must be 2, was 3", decodeFailure(bytes(0x40, 3, 0, 1, 0x10)).getMessage());
        assertEquals("DISCONNECT remaining length must be 0, was 1", decodeFailure(bytes(0xE0, 1, 0x04)).getMessage());
        assertEquals("SUBSCRIBE requested QoS has reserved bits set",
                decodeFailure(bytes(0x82, 6, 0, 1, 0, 1, 'a', 0x2D)).getMessage());
        assertEquals("CONNACK remaining length must be 2, was 3",
                decodeFailure(MqttDecoder.forClient(MAX), bytes(0x20, 3, 0, 0, 0)).getMessage());
    }

    // ---- property sections -------------------------------------------------------------------

    @Test
    void aPropertyLengthPastThePacketIsMalformed() {
        assertEquals(Kind.MALFORMED, serverKind(bytes(0x40, 4, 0, 1, 0, 5)));
        assertEquals(Kind.MALFORMED, connectFailure(bytes(9, 0x11, 0, 0, 0, 1)).kind());
    }

    @Test
    void aPropertyLengthOfMoreThanFourBytesIsMalformed() {
        assertEquals(Kind.MALFORMED, serverKind(bytes(0x40, 8, 0, 1, 0, 0x80, 0x80, 0x80, 0x80, 0x01)));
    }

    @Test
    void aPropertyValueCutShortByThePropertyLengthIsMalformed() {
        // The session expiry interval needs 4 bytes, the section holds 2 of them; the client id follows.
        assertEquals(Kind.MALFORMED, connectFailure(bytes(3, 0x11, 0, 0)).kind());
        assertEquals(Kind.MALFORMED, serverKind(bytes(0x40, 7, 0, 1, 0, 3, 0x1F, 0, 5)));
    }

    @Test
    void anUnknownPropertyIdentifierIsMalformed() {
        assertEquals(Kind.MALFORMED, serverKind(bytes(0x40, 6, 0, 1, 0, 2, 0x04, 0)));
        assertEquals(Kind.MALFORMED, connectFailure(bytes(2, 0x7F, 0)).kind());
    }

    @Test
    void aPropertyThePacketMayNotCarryIsAProtocolError() {
        // A topic alias in a PUBACK.
        assertEquals(Kind.PROTOCOL_ERROR, serverKind(bytes(0x40, 7, 0, 1, 0, 3, 0x23, 0, 1)));
        // A will delay interval among the CONNECT's own properties.
        assertEquals(Kind.PROTOCOL_ERROR, connectFailure(bytes(5, 0x18, 0, 0, 0, 1)).kind());
        // A session expiry interval among the will properties.
        byte[] willWithSessionExpiry = connect5(0x06, bytes(0)).str("c").raw(bytes(5, 0x11, 0, 0, 0, 1))
                .str("w").str("x").build();
        assertEquals(Kind.PROTOCOL_ERROR, decodeFailure(packet(0x10, willWithSessionExpiry)).kind());
        // A reason string in a PUBLISH.
        assertEquals(Kind.PROTOCOL_ERROR, serverKind(bytes(0x30, 8, 0, 1, 't', 4, 0x1F, 0, 1, 'r')));
    }

    @Test
    void aSecondSingleValuedPropertyIsAProtocolError() {
        assertEquals(Kind.PROTOCOL_ERROR, serverKind(bytes(0x40, 12, 0, 1, 0, 8, 0x1F, 0, 1, 'a', 0x1F, 0, 1, 'b')));
        assertEquals(Kind.PROTOCOL_ERROR, connectFailure(bytes(6, 0x21, 0, 1, 0x21, 0, 2)).kind());
    }

    @Test
    void userPropertiesMayRepeat() {
        Ack ack = (Ack) decodeAfterConnect5(bytes(0x40, 18, 0, 1, 0, 14, 0x26, 0, 1, 'k', 0, 1, 'v',
                0x26, 0, 1, 'k', 0, 1, 'v'));
        assertEquals(List.of(Map.entry("k", "v"), Map.entry("k", "v")), ack.properties().userProperties());
    }

    @Test
    void subscriptionIdentifiersInASubscribe() {
        Subscribe subscribe = (Subscribe) decodeAfterConnect5(bytes(0x82, 10, 0, 1, 3, 0x0B, 0x80, 0x01, 0, 1, 'a', 1));
        assertArrayEquals(new int[] {128}, subscribe.properties().subscriptionIdentifiers());
        assertEquals(Kind.PROTOCOL_ERROR, serverKind(bytes(0x82, 11, 0, 1, 4, 0x0B, 1, 0x0B, 2, 0, 1, 'a', 1)),
                "two subscription identifiers");
        assertEquals(Kind.PROTOCOL_ERROR, serverKind(bytes(0x82, 9, 0, 1, 2, 0x0B, 0, 0, 1, 'a', 1)),
                "subscription identifier 0");
        assertEquals(Kind.MALFORMED, serverKind(bytes(0x82, 10, 0, 1, 3, 0x0B, 0x81, 0x00, 0, 1, 'a', 1)),
                "subscription identifier not in its fewest bytes");
    }

    @Test
    void booleanPropertiesAreZeroOrOne() {
        assertEquals(Kind.PROTOCOL_ERROR, serverKind(bytes(0x30, 6, 0, 1, 't', 2, 0x01, 2)), "payload format indicator");
        assertEquals(Kind.PROTOCOL_ERROR, connectFailure(bytes(2, 0x17, 2)).kind(), "request problem information");
        assertEquals(Kind.PROTOCOL_ERROR, connectFailure(bytes(2, 0x19, 2)).kind(), "request response information");
        Connect connect = (Connect) decode(new MqttDecoder(MAX),
                packet(0x10, connect5(0x02, bytes(4, 0x17, 0, 0x19, 1)).str("c").build()));
        assertEquals(0, connect.properties().intValue(Property.REQUEST_PROBLEM_INFORMATION, -1));
        assertEquals(1, connect.properties().intValue(Property.REQUEST_RESPONSE_INFORMATION, -1));
    }

    @Test
    void zeroIsNoValueForReceiveMaximumOrPacketSize() {
        assertEquals(Kind.PROTOCOL_ERROR, connectFailure(bytes(3, 0x21, 0, 0)).kind());
        assertEquals(Kind.PROTOCOL_ERROR, connectFailure(bytes(5, 0x27, 0, 0, 0, 0)).kind());
        // Topic alias 0 is decoded: the protocol answers it with DISCONNECT 0x94, topic alias invalid.
        Publish aliasZero = (Publish) decodeAfterConnect5(bytes(0x30, 7, 0, 1, 't', 3, 0x23, 0, 0));
        assertEquals(0, aliasZero.properties().intValue(Property.TOPIC_ALIAS, -1));
        Connect connect = (Connect) decode(new MqttDecoder(MAX),
                packet(0x10, connect5(0x02, bytes(5, 0x27, 0xFF, 0xFF, 0xFF, 0xFF)).str("c").build()));
        assertEquals(0xFFFF_FFFFL, connect.properties().unsignedValue(Property.MAXIMUM_PACKET_SIZE, -1));
    }

    @Test
    void propertyStringsAreCheckedAsEveryString() {
        // U+0000 in a reason string: malformed outside CONNECT, malformed UTF-8 in it, as mosquitto reports them.
        assertEquals(Kind.MALFORMED, serverKind(bytes(0x40, 8, 0, 1, 0, 4, 0x1F, 0, 1, 0)));
        assertEquals(Kind.MALFORMED_UTF8, connectFailure(bytes(4, 0x15, 0, 1, 0xFF)).kind());
        assertEquals(Kind.MALFORMED, serverKind(bytes(0x40, 13, 0, 1, 0, 9, 0x26, 0, 1, 'k', 0, 3, 0xED, 0xA0, 0x80)),
                "a surrogate in a user property value");
    }

    @Test
    void trailingBytesAfterThePropertiesAreMalformed() {
        assertEquals("PUBACK has trailing bytes after its last field (1)",
                decodeFailureAfterConnect5(bytes(0x40, 5, 0, 1, 0, 0, 9)).getMessage());
        assertEquals(Kind.MALFORMED, serverKind(bytes(0xE0, 3, 0, 0, 1)));
    }

    // ---- PUBLISH ----------------------------------------------------------------------------

    @Test
    void anEmptyTopicNeedsATopicAlias() {
        Publish aliased = (Publish) decodeAfterConnect5(bytes(0x30, 7, 0, 0, 3, 0x23, 0, 4, 'p'));
        assertEquals("", aliased.topic());
        assertEquals(4, aliased.properties().intValue(Property.TOPIC_ALIAS, -1));
        MalformedPacketException failure = decodeFailureAfterConnect5(bytes(0x30, 4, 0, 0, 0, 'p'));
        assertEquals(Kind.PROTOCOL_ERROR, failure.kind());
        assertEquals("PUBLISH topic is empty and there is no topic alias", failure.getMessage());
        // 3.1.1 has no aliases: an empty topic is malformed.
        assertEquals(Kind.MALFORMED, decodeFailure(bytes(0x30, 3, 0, 0, 'p')).kind());
    }

    @Test
    void anOversizedPublishIsDecodedUpToItsPropertiesAndItsPayloadSkipped() {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel channel = decoderChannel(new MqttDecoder(MAX, 4), alloc);
        channel.writeInbound(alloc.wrap(encode(CONNECT_5)));
        assertPacketEquals(CONNECT_5, channel.readInbound());
        Properties properties = Properties.builder().put(Property.CONTENT_TYPE, "text/plain").userProperty("k", "v").build();
        byte[] big = encode(new Publish("a/b", "0123456789".getBytes(), 1, false, false, 5, properties));
        byte[] small = encode(new Publish("a/b", "0123".getBytes(), 0, false, false, 0, properties));
        byte[] wire = concat(big, small);
        // Byte by byte, so every partial state of the property length is met.
        for (byte b : wire) {
            channel.writeInbound(alloc.heapBuffer(1).writeByte(b));
        }
        assertPacketEquals(new OversizedPublish("a/b", 1, false, false, 5, 10, properties), channel.readInbound());
        assertPacketEquals(new Publish("a/b", "0123".getBytes(), 0, false, false, 0, properties), channel.readInbound());
        assertNull(channel.readInbound());
        assertFalse(channel.finish());
        alloc.assertAllReleased();
    }

    @Test
    void anOversizedPublishWithABadPropertySectionFailsAsAWholeOneWould() {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel channel = decoderChannel(new MqttDecoder(MAX, 4), alloc);
        channel.writeInbound(alloc.wrap(encode(CONNECT_5)));
        assertPacketEquals(CONNECT_5, channel.readInbound());
        // The property length claims 100 bytes of a 16-byte packet.
        byte[] wire = bytes(0x30, 16, 0, 1, 't', 100, 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x');
        MalformedPacketException failure = org.junit.jupiter.api.Assertions.assertThrows(MalformedPacketException.class,
                () -> channel.writeInbound(alloc.wrap(wire)));
        assertEquals(Kind.MALFORMED, failure.kind());
        assertFalse(channel.finish());
        alloc.assertAllReleased();
    }

    // ---- SUBSCRIBE / UNSUBSCRIBE --------------------------------------------------------------

    @Test
    void subscriptionOptionsAreKeptWhole() {
        Subscribe subscribe = (Subscribe) decodeAfterConnect5(bytes(0x82, 7, 0, 1, 0, 0, 1, 'a', 0x2E));
        var subscription = subscribe.subscriptions().get(0);
        assertEquals(2, subscription.qos());
        assertTrue(subscription.noLocal());
        assertTrue(subscription.retainAsPublished());
        assertEquals(2, subscription.retainHandling());
    }

    @Test
    void subscriptionOptionsRules() {
        assertEquals(Kind.MALFORMED, serverKind(bytes(0x82, 7, 0, 1, 0, 0, 1, 'a', 0x41)), "reserved bit 6");
        assertEquals(Kind.MALFORMED, serverKind(bytes(0x82, 7, 0, 1, 0, 0, 1, 'a', 0x81)), "reserved bit 7");
        assertEquals(Kind.PROTOCOL_ERROR, serverKind(bytes(0x82, 7, 0, 1, 0, 0, 1, 'a', 0x31)), "retain handling 3");
        assertEquals(Kind.MALFORMED, serverKind(bytes(0x82, 7, 0, 1, 0, 0, 1, 'a', 0x03)), "QoS 3");
        assertEquals(Kind.MALFORMED, serverKind(bytes(0x82, 6, 0, 1, 0, 0, 1, 'a')), "no options byte");
    }

    @Test
    void sharedSubscriptionFiltersAreLeftToTheRouter() {
        Subscribe subscribe = (Subscribe) decodeAfterConnect5(bytes(0x82, 16, 0, 1, 0, 0, 10,
                '$', 's', 'h', 'a', 'r', 'e', '/', 'g', '/', 'a', 1));
        assertEquals("$share/g/a", subscribe.subscriptions().get(0).filter());
    }

    @Test
    void unsubscribeHasPropertiesBeforeItsFilters() {
        Unsubscribe unsubscribe = (Unsubscribe) decodeAfterConnect5(bytes(0xA2, 13, 0, 2, 7, 0x26, 0, 1, 'k', 0, 1, 'v',
                0, 1, 'a'));
        assertEquals(List.of("a"), unsubscribe.filters());
        assertEquals(List.of(Map.entry("k", "v")), unsubscribe.properties().userProperties());
        assertEquals(Kind.MALFORMED, serverKind(bytes(0xA2, 3, 0, 2, 0)), "no filter");
    }

    // ---- CONNECT ------------------------------------------------------------------------------

    @Test
    void mqtt5AllowsAPasswordWithoutAUserName() {
        Connect connect = (Connect) decode(new MqttDecoder(MAX),
                packet(0x10, connect5(0x42, bytes(0)).str("c").str("pw").build()));
        assertNull(connect.username());
        assertArrayEquals("pw".getBytes(), connect.password());
    }

    @Test
    void mqtt5KeepsTheStrictConnectFlagRules() {
        assertEquals(Kind.PROTOCOL_ERROR, decodeFailure(packet(0x10, connect5(0x03, bytes(0)).str("c").build())).kind());
        assertEquals(Kind.PROTOCOL_ERROR, decodeFailure(packet(0x11, connect5(0x02, bytes(0)).str("c").build())).kind());
        assertEquals(Kind.PROTOCOL_ERROR, decodeFailure(packet(0x10, connect5(0x22, bytes(0)).str("c").build())).kind());
    }

    @Test
    void aConnectWithoutItsPropertyLengthIsMalformed() {
        // Keep alive, then nothing: the property length is missing.
        assertEquals(Kind.MALFORMED, decodeFailure(packet(0x10, connect5(0x02, new byte[0]).build())).kind());
    }
}
