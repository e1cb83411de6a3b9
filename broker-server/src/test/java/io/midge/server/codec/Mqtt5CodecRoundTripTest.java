package io.midge.server.codec;

import io.midge.core.packet.MqttPacket;
import io.midge.core.packet.PacketType;
import io.midge.core.packet.Properties;
import io.midge.core.packet.Property;

import static io.midge.server.codec.CodecTestSupport.MAX;
import static io.midge.server.codec.CodecTestSupport.assertPacketEquals;
import static io.midge.server.codec.CodecTestSupport.bytes;
import static io.midge.server.codec.CodecTestSupport.decode;
import static io.midge.server.codec.CodecTestSupport.decodeAfterConnect5;
import static io.midge.server.codec.CodecTestSupport.encode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

/** Every MQTT 5 packet, with and without properties, survives encode then decode on the side that receives it. */
class Mqtt5CodecRoundTripTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Properties connectProperties() {
        return Properties.builder()
                .put(Property.SESSION_EXPIRY_INTERVAL, 3600)
                .put(Property.AUTHENTICATION_METHOD, "SCRAM-SHA-1")
                .put(Property.AUTHENTICATION_DATA, bytes(1, 2, 3))
                .put(Property.REQUEST_PROBLEM_INFORMATION, 0)
                .put(Property.REQUEST_RESPONSE_INFORMATION, 1)
                .put(Property.RECEIVE_MAXIMUM, 65535)
                .put(Property.TOPIC_ALIAS_MAXIMUM, 10)
                .put(Property.MAXIMUM_PACKET_SIZE, 0xFFFFFFFF)
                .userProperty("k", "v").userProperty("k", "v2").userProperty("ü", "")
                .build();
    }

    static Properties willProperties() {
        return Properties.builder()
                .put(Property.PAYLOAD_FORMAT_INDICATOR, 1)
                .put(Property.MESSAGE_EXPIRY_INTERVAL, 60)
                .put(Property.CONTENT_TYPE, "text/plain")
                .put(Property.RESPONSE_TOPIC, "reply/here")
                .put(Property.CORRELATION_DATA, bytes(0, 0xFF))
                .put(Property.WILL_DELAY_INTERVAL, 10)
                .userProperty("why", "gone")
                .build();
    }

    static Properties connAckProperties() {
        return Properties.builder()
                .put(Property.SESSION_EXPIRY_INTERVAL, 0)
                .put(Property.ASSIGNED_CLIENT_IDENTIFIER, "auto-1")
                .put(Property.SERVER_KEEP_ALIVE, 30)
                .put(Property.RESPONSE_INFORMATION, "resp")
                .put(Property.SERVER_REFERENCE, "other:1883")
                .put(Property.REASON_STRING, "fine")
                .put(Property.RECEIVE_MAXIMUM, 100)
                .put(Property.TOPIC_ALIAS_MAXIMUM, 0)
                .put(Property.MAXIMUM_QOS, 1)
                .put(Property.RETAIN_AVAILABLE, 0)
                .put(Property.MAXIMUM_PACKET_SIZE, 1024)
                .put(Property.WILDCARD_SUBSCRIPTION_AVAILABLE, 1)
                .put(Property.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0)
                .put(Property.SHARED_SUBSCRIPTION_AVAILABLE, 1)
                .build();
    }

    static Properties publishProperties() {
        return Properties.builder()
                .put(Property.PAYLOAD_FORMAT_INDICATOR, 0)
                .put(Property.MESSAGE_EXPIRY_INTERVAL, 0xFFFFFFFF)
                .put(Property.TOPIC_ALIAS, 3)
                .put(Property.CORRELATION_DATA, new byte[0])
                .userProperty("a", "1")
                .subscriptionIdentifier(1).subscriptionIdentifier(268_435_455).subscriptionIdentifier(200)
                .build();
    }

    private static Properties reason(String text) {
        return Properties.builder().put(Property.REASON_STRING, text).userProperty("x", "y").build();
    }

    /** Packets a client sends, each with the properties MQTT 5 allows it. */
    static Stream<MqttPacket> clientSamples() {
        Properties subscriptionId = Properties.builder().subscriptionIdentifier(42).userProperty("s", "t").build();
        int options = 2 | TopicSubscription.NO_LOCAL | TopicSubscription.RETAIN_AS_PUBLISHED
                | 2 << TopicSubscription.RETAIN_HANDLING_SHIFT;
        return Stream.of(
                new Connect("MQTT", 5, true, 60, "client-5", new Will("last/will", utf8("gone"), 1, true,
                        willProperties()), "user", bytes(0, 1), false, connectProperties()),
                new Connect("MQTT", 5, false, 0, "", null, null, null, false, Properties.EMPTY),
                new Connect("MQTT", 5, true, 10, "pw-only", new Will("w", new byte[0], 0, false, Properties.EMPTY),
                        null, utf8("secret"), false, Properties.EMPTY),
                new Publish("a/b", utf8("hello"), 1, true, false, 7, Properties.builder()
                        .put(Property.TOPIC_ALIAS, 1).put(Property.CONTENT_TYPE, "json").build()),
                new Publish("", utf8("aliased"), 0, false, false, 0,
                        Properties.builder().put(Property.TOPIC_ALIAS, 65535).build()),
                new Publish("q/2", new byte[0], 2, false, true, 65535, Properties.EMPTY),
                new Ack(PacketType.PUBACK, 1, 0, Properties.EMPTY),
                new Ack(PacketType.PUBACK, 2, 0x10, Properties.EMPTY),
                new Ack(PacketType.PUBACK, 3, 0x80, reason("no")),
                new Ack(PacketType.PUBACK, 4, 0, reason("ok, really")),
                new Ack(PacketType.PUBREC, 5, 0x97, Properties.EMPTY),
                new Ack(PacketType.PUBREL, 6, 0x92, reason("unknown id")),
                new Ack(PacketType.PUBCOMP, 65535, 0, Properties.EMPTY),
                new Subscribe(10, List.of(new TopicSubscription("a/+/#", options), new TopicSubscription("b", 0),
                        new TopicSubscription("$share/g/c", 1 | 1 << TopicSubscription.RETAIN_HANDLING_SHIFT)),
                        subscriptionId),
                new Subscribe(11, List.of(new TopicSubscription("x", 2)), Properties.EMPTY),
                new Unsubscribe(12, List.of("a/+/#", "ü"), Properties.builder().userProperty("u", "v").build()),
                new Unsubscribe(13, List.of("x"), Properties.EMPTY),
                Empty.PINGREQ,
                new Disconnect(0, Properties.EMPTY),
                new Disconnect(0x04, Properties.EMPTY),
                new Disconnect(0, Properties.builder().put(Property.SESSION_EXPIRY_INTERVAL, 0).build()),
                new Disconnect(0x80, reason("bye")),
                new Auth(0, Properties.EMPTY),
                new Auth(0x19, Properties.builder().put(Property.AUTHENTICATION_METHOD, "SCRAM-SHA-1")
                        .put(Property.AUTHENTICATION_DATA, bytes(9, 8, 7)).build()));
    }

    /** Packets a server sends. */
    static Stream<MqttPacket> serverSamples() {
        return Stream.of(
                new ConnAck(false, 0, connAckProperties()),
                new ConnAck(true, 0, Properties.EMPTY),
                new ConnAck(false, 0x87, reason("not authorized")),
                new Publish("a/b", utf8("to you"), 1, false, false, 9, publishProperties()),
                new Publish("x", utf8("p"), 0, true, false, 0, Properties.EMPTY),
                new Ack(PacketType.PUBACK, 1, 0, Properties.EMPTY),
                new Ack(PacketType.PUBREC, 2, 0x10, reason("nobody")),
                new Ack(PacketType.PUBREL, 3, 0, Properties.EMPTY),
                new Ack(PacketType.PUBCOMP, 4, 0x92, Properties.EMPTY),
                new SubAck(10, bytes(0, 1, 2, 0x80, 0x87, 0xA2), reason("some refused")),
                new SubAck(11, bytes(1), Properties.EMPTY),
                new UnsubAck(12, bytes(0, 0x11), reason("one was not there")),
                new UnsubAck(13, bytes(0x87), Properties.EMPTY),
                Empty.PINGRESP,
                new Disconnect(0x8B, Properties.EMPTY),
                new Disconnect(0x9C, Properties.builder().put(Property.SERVER_REFERENCE, "elsewhere")
                        .put(Property.REASON_STRING, "moved").build()),
                new Auth(0x18, Properties.builder().put(Property.AUTHENTICATION_METHOD, "SCRAM-SHA-1").build()),
                new Auth(0, Properties.EMPTY));
    }

    static Stream<MqttPacket> samples() {
        return Stream.concat(clientSamples(), serverSamples());
    }

    /** A CONNECT is decoded as whatever it says; every other client packet after an MQTT 5 CONNECT. */
    private static MqttPacket decodeFromClient(MqttPacket packet, int chunkSize) {
        byte[] wire = encode(packet);
        return packet instanceof Connect ? decode(new MqttDecoder(MAX), wire, chunkSize)
                : decodeAfterConnect5(wire, chunkSize);
    }

    private static MqttPacket decodeFromServer(MqttPacket packet, int chunkSize) {
        return decode(MqttDecoder.forClient(MAX, Connect.LEVEL_MQTT_5), encode(packet), chunkSize);
    }

    @Test
    void samplesCoverAllFifteenTypes() {
        Set<PacketType> covered = samples().map(MqttPacket::type).collect(Collectors.toSet());
        assertEquals(EnumSet.allOf(PacketType.class), covered);
    }

    @ParameterizedTest
    @MethodSource("clientSamples")
    void clientPacketsRoundTrip(MqttPacket packet) {
        assertPacketEquals(packet, decodeFromClient(packet, Integer.MAX_VALUE));
        assertPacketEquals(packet, decodeFromClient(packet, 1));
    }

    @ParameterizedTest
    @MethodSource("serverSamples")
    void serverPacketsRoundTrip(MqttPacket packet) {
        assertPacketEquals(packet, decodeFromServer(packet, Integer.MAX_VALUE));
        assertPacketEquals(packet, decodeFromServer(packet, 1));
    }

    @Test
    void acknowledgementsLeaveOutWhatTheyCan() {
        assertArrayEquals(bytes(0x40, 2, 0, 7), encode(new Ack(PacketType.PUBACK, 7, 0, Properties.EMPTY)));
        assertArrayEquals(bytes(0x50, 3, 0, 7, 0x10), encode(new Ack(PacketType.PUBREC, 7, 0x10, Properties.EMPTY)));
        assertArrayEquals(bytes(0x62, 8, 0, 7, 0x00, 4, 0x1F, 0, 1, 'r'),
                encode(new Ack(PacketType.PUBREL, 7, 0, Properties.builder().put(Property.REASON_STRING, "r").build())));
        assertArrayEquals(bytes(0xE0, 0), encode(new Disconnect(0, Properties.EMPTY)));
        assertArrayEquals(bytes(0xE0, 1, 0x04), encode(new Disconnect(0x04, Properties.EMPTY)));
        assertArrayEquals(bytes(0xE0, 7, 0x00, 5, 0x11, 0, 0, 0, 0),
                encode(new Disconnect(0, Properties.builder().put(Property.SESSION_EXPIRY_INTERVAL, 0).build())));
        assertArrayEquals(bytes(0xF0, 0), encode(new Auth(0, Properties.EMPTY)));
        assertArrayEquals(bytes(0xF0, 1, 0x18), encode(new Auth(0x18, Properties.EMPTY)));
    }

    @Test
    void mqtt5PacketsCarryAPropertyLengthEvenWhenEmpty() {
        assertArrayEquals(bytes(0x20, 3, 1, 0, 0), encode(new ConnAck(true, 0, Properties.EMPTY)));
        assertArrayEquals(bytes(0x30, 5, 0, 1, 't', 0, 'x'),
                encode(new Publish("t", utf8("x"), 0, false, false, 0, Properties.EMPTY)));
        assertArrayEquals(bytes(0x90, 4, 0, 5, 0, 0x80), encode(new SubAck(5, bytes(0x80), Properties.EMPTY)));
        assertArrayEquals(bytes(0xB0, 4, 0, 5, 0, 0x11), encode(new UnsubAck(5, bytes(0x11), Properties.EMPTY)));
        assertArrayEquals(bytes(0xA2, 6, 0, 5, 0, 0, 1, 'a'), encode(new Unsubscribe(5, List.of("a"), Properties.EMPTY)));
        // The whole options byte: QoS 1, no local, retain as published, retain handling 2.
        assertArrayEquals(bytes(0x82, 7, 0, 5, 0, 0, 1, 'a', 0x2D),
                encode(new Subscribe(5, List.of(new TopicSubscription("a", 0x2D)), Properties.EMPTY)));
        // 3.1.1 keeps only the QoS of the same subscription.
        assertArrayEquals(bytes(0x82, 6, 0, 5, 0, 1, 'a', 0x01),
                encode(new Subscribe(5, List.of(new TopicSubscription("a", 0x2D)))));
    }

    /** Identifier order, then user properties in order, then subscription identifiers. */
    @Test
    void propertiesAreWrittenInIdentifierOrder() {
        Properties properties = Properties.builder().subscriptionIdentifier(128).userProperty("b", "2")
                .put(Property.TOPIC_ALIAS, 1).put(Property.PAYLOAD_FORMAT_INDICATOR, 1).userProperty("a", "1")
                .build();
        byte[] wire = encode(new Publish("t", new byte[0], 0, false, false, 0, properties));
        assertArrayEquals(bytes(0x30, 26, 0, 1, 't', 22,
                0x01, 1,
                0x23, 0, 1,
                0x26, 0, 1, 'b', 0, 1, '2',
                0x26, 0, 1, 'a', 0, 1, '1',
                0x0B, 0x80, 0x01), wire);
    }

    @Test
    void encoderRefusesMqtt5PacketsAStrictPeerWouldReject() {
        var alloc = UnpooledByteBufAllocator.DEFAULT;
        assertThrows(EncoderException.class, () -> MqttEncoder.encode(alloc, new Publish("t", new byte[0], 0, false,
                false, 0, Properties.builder().put(Property.TOPIC_ALIAS, 65536).build())));
        assertThrows(EncoderException.class, () -> MqttEncoder.encode(alloc, new Publish("t", new byte[0], 0, false,
                false, 0, Properties.builder().put(Property.CONTENT_TYPE, 5).build())));
        assertThrows(EncoderException.class, () -> MqttEncoder.encode(alloc, new Publish("t", new byte[0], 0, false,
                false, 0, Properties.builder().subscriptionIdentifier(-1).build())));
        assertThrows(EncoderException.class, () -> MqttEncoder.encode(alloc, new Subscribe(1,
                List.of(new TopicSubscription("a", 3 << TopicSubscription.RETAIN_HANDLING_SHIFT)), Properties.EMPTY)));
        assertThrows(EncoderException.class, () -> MqttEncoder.encode(alloc, new Disconnect(256, Properties.EMPTY)));
        assertThrows(EncoderException.class, () -> MqttEncoder.encode(alloc, new UnsubAck(1, new byte[0],
                Properties.EMPTY)));
        assertThrows(EncoderException.class, () -> MqttEncoder.encode(alloc, new MqttPacket.OversizedPublish("t", 0,
                false, false, 0, 10)));
    }
}
