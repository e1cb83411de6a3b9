package io.midge.core.protocol;

import io.midge.core.auth.AllowAllAuthorizer;
import io.midge.core.auth.AnonymousOnlyAuthenticator;
import io.midge.core.packet.MqttPacket;
import io.midge.core.packet.MqttPacket.Ack;
import io.midge.core.packet.MqttPacket.ConnAck;
import io.midge.core.packet.MqttPacket.Connect;
import io.midge.core.packet.MqttPacket.Disconnect;
import io.midge.core.packet.MqttPacket.Publish;
import io.midge.core.packet.MqttPacket.SubAck;
import io.midge.core.packet.MqttPacket.Subscribe;
import io.midge.core.packet.MqttPacket.TopicSubscription;
import io.midge.core.packet.MqttPacket.UnsubAck;
import io.midge.core.packet.MqttPacket.Unsubscribe;
import io.midge.core.packet.MqttPacket.Will;
import io.midge.core.packet.PacketType;
import io.midge.core.packet.Properties;
import io.midge.core.packet.Property;
import io.midge.core.packet.ReasonCode;
import io.midge.core.route.MemoryRetainedStore;
import io.midge.core.route.Router;
import io.midge.core.session.SessionLimits;
import io.midge.core.session.SessionRegistry;
import io.midge.core.sys.BrokerStats;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MQTT 5 in the protocol engine: packets in, packets out, against the real router and sessions. */
class Mqtt5ProtocolTest {

    private final Router router = new Router(new MemoryRetainedStore(), true);
    private final SessionRegistry sessions = new SessionRegistry(SessionLimits.DEFAULTS, router::discardSubscriptions,
            Clock.systemUTC());
    private final ProtocolContext context = new ProtocolContext(router, sessions, new BrokerStats(), "", 2, true, false,
            new AnonymousOnlyAuthenticator(true), AllowAllAuthorizer.INSTANCE, false, false,
            new Mqtt5Limits(10, 20, 0, 600));

    private final class Client {
        final RecordingTransport transport = new RecordingTransport(ImmediateEventExecutor.INSTANCE);
        final ClientProtocol protocol = new ClientProtocol(context,
                connect -> ConnectVerdict.accept(connect.clientId().isEmpty() ? "assigned-1" : connect.clientId(),
                        connect.username()), transport);

        Client send(MqttPacket packet) {
            protocol.received(packet);
            return this;
        }

        List<MqttPacket> received() {
            return transport.take();
        }

        MqttPacket only() {
            List<MqttPacket> packets = received();
            assertEquals(1, packets.size(), "packets: " + packets);
            return packets.get(0);
        }
    }

    private static Connect connect5(String clientId, Properties properties, Will will) {
        return new Connect("MQTT", 5, true, 60, clientId, will, null, null, false, properties);
    }

    private Client connected(String clientId) {
        return connected(clientId, Properties.EMPTY);
    }

    private Client connected(String clientId, Properties properties) {
        Client client = new Client().send(connect5(clientId, properties, null));
        ConnAck connAck = assertInstanceOf(ConnAck.class, client.only());
        assertEquals(ReasonCode.SUCCESS, connAck.returnCode());
        return client;
    }

    private static Publish publish(String topic, String payload, int qos, int packetId, Properties properties) {
        return new Publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false, false, packetId, properties);
    }

    private static Subscribe subscribe(int packetId, String filter, int options, int subscriptionId) {
        Properties properties = subscriptionId == 0 ? Properties.EMPTY
                : Properties.builder().subscriptionIdentifier(subscriptionId).build();
        return new Subscribe(packetId, List.of(new TopicSubscription(filter, options)), properties);
    }

    private static Properties props(Property property, Object value) {
        return Properties.builder().put(property, value).build();
    }

    @Test
    void connAckTellsTheClientWhatDiffersFromTheSpecDefaults() {
        Client client = new Client().send(connect5("", Properties.EMPTY, null));
        ConnAck connAck = assertInstanceOf(ConnAck.class, client.only());
        assertFalse(connAck.properties().absent());
        assertEquals("assigned-1", connAck.properties().string(Property.ASSIGNED_CLIENT_IDENTIFIER));
        assertEquals(10, connAck.properties().intValue(Property.TOPIC_ALIAS_MAXIMUM, -1));
        assertEquals(20, connAck.properties().intValue(Property.RECEIVE_MAXIMUM, -1));
        assertFalse(connAck.properties().has(Property.MAXIMUM_QOS));
        assertFalse(connAck.properties().has(Property.SERVER_KEEP_ALIVE), "60 s is within max_keepalive");
    }

    @Test
    void aKeepAliveAboveMaxKeepaliveIsAnsweredWithServerKeepAlive() {
        Client client = new Client().send(new Connect("MQTT", 5, true, 3600, "long", null, null, null, false,
                Properties.EMPTY));
        ConnAck connAck = assertInstanceOf(ConnAck.class, client.only());
        assertEquals(600, connAck.properties().intValue(Property.SERVER_KEEP_ALIVE, -1));
        assertEquals(600, client.protocol.keepAliveSeconds());
    }

    @Test
    void anAuthenticationMethodNobodyProvidesIsRefused() {
        Client client = new Client().send(connect5("auth", props(Property.AUTHENTICATION_METHOD, "SCRAM-SHA-1"), null));
        assertEquals(ReasonCode.BAD_AUTHENTICATION_METHOD, assertInstanceOf(ConnAck.class, client.only()).returnCode());
        assertTrue(client.transport.closeRequested);
    }

    @Test
    void forwardedPropertiesArriveUnchangedWithTheRemainingExpiry() {
        Client subscriber = connected("sub");
        subscriber.send(subscribe(1, "p/#", 1, 0));
        assertArrayEquals(new byte[] {1}, assertInstanceOf(SubAck.class, subscriber.only()).returnCodes());

        Properties sent = Properties.builder()
                .put(Property.CONTENT_TYPE, "text/plain")
                .put(Property.RESPONSE_TOPIC, "reply/here")
                .put(Property.CORRELATION_DATA, new byte[] {7, 8})
                .put(Property.MESSAGE_EXPIRY_INTERVAL, 30)
                .userProperty("k", "1").userProperty("k", "2").userProperty("a", "b")
                .build();
        Client publisher = connected("pub").send(publish("p/1", "x", 1, 3, sent));
        Ack pubAck = assertInstanceOf(Ack.class, publisher.only());
        assertEquals(ReasonCode.SUCCESS, pubAck.reasonCode());

        Publish delivered = assertInstanceOf(Publish.class, subscriber.only());
        Properties got = delivered.properties();
        assertEquals("text/plain", got.string(Property.CONTENT_TYPE));
        assertEquals("reply/here", got.string(Property.RESPONSE_TOPIC));
        assertArrayEquals(new byte[] {7, 8}, got.binary(Property.CORRELATION_DATA));
        assertEquals(List.of(Map.entry("k", "1"), Map.entry("k", "2"), Map.entry("a", "b")), got.userProperties());
        long left = got.unsignedValue(Property.MESSAGE_EXPIRY_INTERVAL, -1);
        assertTrue(left > 0 && left <= 30, "remaining expiry " + left);
    }

    @Test
    void aQos1PublishNobodySubscribesToIsAnsweredNoMatchingSubscribers() {
        Client publisher = connected("lonely").send(publish("nobody/here", "x", 1, 8, Properties.EMPTY));
        assertEquals(ReasonCode.NO_MATCHING_SUBSCRIBERS, assertInstanceOf(Ack.class, publisher.only()).reasonCode());
    }

    @Test
    void aThreeOneOneSubscriberGetsAPlainPublish() {
        Client subscriber = new Client().send(new Connect("MQTT", 4, true, 60, "old", null, null, null));
        subscriber.received();
        subscriber.send(new Subscribe(1, List.of(new TopicSubscription("m/#", 0))));
        subscriber.received();
        connected("pub5").send(publish("m/1", "x", 0, 0, props(Property.CONTENT_TYPE, "a/b")));
        Publish delivered = assertInstanceOf(Publish.class, subscriber.only());
        assertTrue(delivered.properties().absent());
    }

    @Test
    void topicAliasesStandForTheTopicTheClientSetThemTo() {
        Client subscriber = connected("sub");
        subscriber.send(subscribe(1, "alias/#", 0, 0));
        subscriber.received();
        Client publisher = connected("pub");
        publisher.send(publish("alias/t", "first", 0, 0, props(Property.TOPIC_ALIAS, 3)));
        publisher.send(publish("", "second", 0, 0, props(Property.TOPIC_ALIAS, 3)));
        List<MqttPacket> delivered = subscriber.received();
        assertEquals(2, delivered.size());
        assertEquals("alias/t", ((Publish) delivered.get(1)).topic());
        assertFalse(publisher.transport.closeRequested);
    }

    @Test
    void anAliasAboveTheMaximumEndsTheConnectionWithTopicAliasInvalid() {
        Client publisher = connected("pub");
        publisher.send(publish("t", "x", 0, 0, props(Property.TOPIC_ALIAS, 11)));
        assertEquals(ReasonCode.TOPIC_ALIAS_INVALID, assertInstanceOf(Disconnect.class, publisher.only()).reasonCode());
        assertTrue(publisher.transport.closeRequested);
    }

    @Test
    void anUnknownAliasIsAProtocolError() {
        Client publisher = connected("pub");
        publisher.send(publish("", "x", 0, 0, props(Property.TOPIC_ALIAS, 2)));
        assertEquals(ReasonCode.PROTOCOL_ERROR, assertInstanceOf(Disconnect.class, publisher.only()).reasonCode());
    }

    @Test
    void moreUnacknowledgedQos2ThanTheReceiveMaximumEndsTheConnection() {
        Client publisher = connected("pub");
        for (int id = 1; id <= 20; id++) {
            publisher.send(publish("rm", "x", 2, id, Properties.EMPTY));
        }
        assertEquals(20, publisher.received().size(), "twenty PUBRECs");
        assertFalse(publisher.transport.closeRequested);
        publisher.send(publish("rm", "x", 2, 21, Properties.EMPTY));
        assertEquals(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED,
                assertInstanceOf(Disconnect.class, publisher.only()).reasonCode());
    }

    @Test
    void completedQos2FlowsMakeRoomUnderTheReceiveMaximum() {
        Client publisher = connected("pub");
        for (int id = 1; id <= 50; id++) {
            publisher.send(publish("rm", "x", 2, id, Properties.EMPTY));
            publisher.send(new Ack(PacketType.PUBREL, id, 0, Properties.EMPTY));
        }
        assertFalse(publisher.transport.closeRequested);
    }

    @Test
    void theClientsReceiveMaximumBoundsWhatIsInFlightToIt() {
        Client subscriber = connected("sub", props(Property.RECEIVE_MAXIMUM, 2));
        subscriber.send(subscribe(1, "rx", 1, 0));
        subscriber.received();
        Client publisher = connected("pub");
        for (int id = 1; id <= 5; id++) {
            publisher.send(publish("rx", "m" + id, 1, id, Properties.EMPTY));
        }
        assertEquals(2, subscriber.received().size());
        subscriber.send(new Ack(PacketType.PUBACK, 1, 0, Properties.EMPTY));
        assertEquals(1, subscriber.received().size(), "one acknowledged, one more sent");
    }

    @Test
    void deliveriesCarryTheIdentifiersOfEveryMatchingSubscription() {
        Client subscriber = connected("sub");
        subscriber.send(subscribe(1, "id/#", 0, 5));
        subscriber.send(subscribe(2, "id/+", 0, 9));
        subscriber.received();
        connected("pub").send(publish("id/x", "m", 0, 0, Properties.EMPTY));
        Publish delivered = assertInstanceOf(Publish.class, subscriber.only());
        int[] ids = delivered.properties().subscriptionIdentifiers();
        java.util.Arrays.sort(ids);
        assertArrayEquals(new int[] {5, 9}, ids);
    }

    @Test
    void noLocalKeepsAClientsOwnMessagesFromIt() {
        Client client = connected("self");
        client.send(subscribe(1, "nl", TopicSubscription.NO_LOCAL, 0));
        client.received();
        client.send(publish("nl", "mine", 0, 0, Properties.EMPTY));
        assertEquals(List.of(), client.received());
    }

    @Test
    void retainHandlingTwoSendsNoRetainedMessagesAndOneOnlyToANewSubscription() {
        connected("pub").send(new Publish("rh/t", new byte[] {1}, 0, true, false, 0, Properties.EMPTY));
        Client never = connected("never");
        never.send(subscribe(1, "rh/#", 2 << TopicSubscription.RETAIN_HANDLING_SHIFT, 0));
        assertInstanceOf(SubAck.class, never.only());

        Client once = connected("once");
        once.send(subscribe(1, "rh/#", 1 << TopicSubscription.RETAIN_HANDLING_SHIFT, 0));
        assertEquals(2, once.received().size(), "SUBACK and the retained message");
        once.send(subscribe(2, "rh/#", 1 << TopicSubscription.RETAIN_HANDLING_SHIFT, 0));
        assertInstanceOf(SubAck.class, once.only());
    }

    @Test
    void unsubAckSaysWhichSubscriptionsExisted() {
        Client client = connected("unsub");
        client.send(subscribe(1, "u/a", 0, 0));
        client.received();
        client.send(new Unsubscribe(2, List.of("u/a", "u/b"), Properties.EMPTY));
        UnsubAck unsubAck = assertInstanceOf(UnsubAck.class, client.only());
        assertArrayEquals(new byte[] {ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED}, unsubAck.reasonCodes());
    }

    @Test
    void disconnectWithWillStillPublishesTheWill() {
        Client watcher = connected("watcher");
        watcher.send(subscribe(1, "w/#", 0, 0));
        watcher.received();
        Client leaving = new Client().send(connect5("leaving", Properties.EMPTY,
                new Will("w/leaving", new byte[] {1}, 0, false, Properties.EMPTY)));
        leaving.received();
        leaving.send(new Disconnect(ReasonCode.DISCONNECT_WITH_WILL, Properties.EMPTY));
        leaving.protocol.closed();
        assertInstanceOf(Publish.class, watcher.only());
    }

    @Test
    void anAdministratorsDisconnectSaysSoAndPublishesNoWill() {
        Client watcher = connected("watcher");
        watcher.send(subscribe(1, "w/#", 0, 0));
        watcher.received();
        Client kicked = new Client().send(connect5("kicked", Properties.EMPTY,
                new Will("w/kicked", new byte[] {1}, 0, false, Properties.EMPTY)));
        kicked.received();
        assertEquals("MQTT 5.0", kicked.protocol.info().protocol());

        kicked.protocol.closeByAdministrator();
        assertEquals(ReasonCode.ADMINISTRATIVE_ACTION, assertInstanceOf(Disconnect.class, kicked.only()).reasonCode());
        assertTrue(kicked.transport.closeRequested);
        kicked.protocol.closed();
        assertEquals(List.of(), watcher.received(), "no will");
    }

    @Test
    void aSessionExpiryInDisconnectAfterZeroInConnectIsAProtocolError() {
        Client client = connected("exp");
        client.send(new Disconnect(0, props(Property.SESSION_EXPIRY_INTERVAL, 60)));
        assertEquals(ReasonCode.PROTOCOL_ERROR, assertInstanceOf(Disconnect.class, client.only()).reasonCode());
    }

    @Test
    void aDeniedPublishIsAnsweredNotAuthorized() {
        ProtocolContext denying = new ProtocolContext(router, sessions, new BrokerStats(), "", 2, true, false,
                new AnonymousOnlyAuthenticator(true), new DenyWrites(), false, false, Mqtt5Limits.DEFAULTS);
        RecordingTransport transport = new RecordingTransport(ImmediateEventExecutor.INSTANCE);
        ClientProtocol protocol = new ClientProtocol(denying,
                connect -> ConnectVerdict.accept(connect.clientId(), connect.username()), transport);
        protocol.received(connect5("denied", Properties.EMPTY, null));
        transport.take();
        protocol.received(publish("no/write", "x", 1, 4, Properties.EMPTY));
        Ack pubAck = assertInstanceOf(Ack.class, transport.take().get(0));
        assertEquals(ReasonCode.NOT_AUTHORIZED, pubAck.reasonCode());
    }

    @Test
    void aTakenOverMqtt5ClientIsToldBeforeItIsClosed() {
        Client first = connected("same");
        connected("same");
        assertEquals(ReasonCode.SESSION_TAKEN_OVER, assertInstanceOf(Disconnect.class, first.only()).reasonCode());
        assertTrue(first.transport.closeRequested);
    }

    /** A toy challenge/response method: the server sends "challenge", the client must answer "response". */
    private static final class ToyAuthenticator implements io.midge.core.auth.Authenticator {
        @Override
        public Result authenticate(String clientId, String username, byte[] password) {
            return Result.ACCEPTED;
        }

        @Override
        public io.midge.core.auth.EnhancedAuthentication enhanced() {
            return new io.midge.core.auth.EnhancedAuthentication() {
                @Override
                public boolean supports(String method) {
                    return method.equals("TOY");
                }

                @Override
                public Exchange begin(String clientId, String method) {
                    return new Exchange() {
                        private boolean challenged;

                        @Override
                        public Step step(byte[] data) {
                            if (!challenged) {
                                challenged = true;
                                return Step.continueWith("challenge".getBytes(StandardCharsets.UTF_8));
                            }
                            return "response".equals(data == null ? null : new String(data, StandardCharsets.UTF_8))
                                    ? Step.success("welcome".getBytes(StandardCharsets.UTF_8)) : Step.failure();
                        }
                    };
                }
            };
        }
    }

    private ClientProtocol toyClient(RecordingTransport transport) {
        ProtocolContext toy = new ProtocolContext(router, sessions, new BrokerStats(), "", 2, true, false,
                new ToyAuthenticator(), AllowAllAuthorizer.INSTANCE, false, false, Mqtt5Limits.DEFAULTS);
        return new ClientProtocol(toy, connect -> ConnectVerdict.accept(connect.clientId(), connect.username()), transport);
    }

    private static MqttPacket.Auth auth(int reason, String data) {
        Properties.Builder p = Properties.builder().put(Property.AUTHENTICATION_METHOD, "TOY");
        if (data != null) {
            p.put(Property.AUTHENTICATION_DATA, data.getBytes(StandardCharsets.UTF_8));
        }
        return new MqttPacket.Auth(reason, p.build());
    }

    @Test
    void anEnhancedAuthenticationExchangeRunsThroughAuthPacketsBeforeConnAck() {
        RecordingTransport transport = new RecordingTransport(ImmediateEventExecutor.INSTANCE);
        ClientProtocol protocol = toyClient(transport);
        protocol.received(connect5("toy", props(Property.AUTHENTICATION_METHOD, "TOY"), null));
        MqttPacket.Auth challenge = assertInstanceOf(MqttPacket.Auth.class, transport.take().get(0));
        assertEquals(ReasonCode.CONTINUE_AUTHENTICATION, challenge.reasonCode());
        assertTrue(protocol.awaitingConnect());

        protocol.received(auth(ReasonCode.CONTINUE_AUTHENTICATION, "response"));
        ConnAck connAck = assertInstanceOf(ConnAck.class, transport.take().get(0));
        assertEquals(ReasonCode.SUCCESS, connAck.returnCode());
        assertEquals("TOY", connAck.properties().string(Property.AUTHENTICATION_METHOD));
        assertArrayEquals("welcome".getBytes(StandardCharsets.UTF_8), connAck.properties().binary(Property.AUTHENTICATION_DATA));

        protocol.received(auth(ReasonCode.REAUTHENTICATE, null));
        assertEquals(ReasonCode.CONTINUE_AUTHENTICATION,
                assertInstanceOf(MqttPacket.Auth.class, transport.take().get(0)).reasonCode());
        protocol.received(auth(ReasonCode.CONTINUE_AUTHENTICATION, "response"));
        assertEquals(ReasonCode.SUCCESS, assertInstanceOf(MqttPacket.Auth.class, transport.take().get(0)).reasonCode());
        assertFalse(transport.closeRequested);
    }

    @Test
    void aWrongAnswerIsRefusedWithNotAuthorized() {
        RecordingTransport transport = new RecordingTransport(ImmediateEventExecutor.INSTANCE);
        ClientProtocol protocol = toyClient(transport);
        protocol.received(connect5("toy", props(Property.AUTHENTICATION_METHOD, "TOY"), null));
        transport.take();
        protocol.received(auth(ReasonCode.CONTINUE_AUTHENTICATION, "wrong"));
        assertEquals(ReasonCode.NOT_AUTHORIZED, assertInstanceOf(ConnAck.class, transport.take().get(0)).returnCode());
        assertTrue(transport.closeRequested);
    }

    @Test
    void anythingButAuthDuringTheExchangeIsAProtocolError() {
        RecordingTransport transport = new RecordingTransport(ImmediateEventExecutor.INSTANCE);
        ClientProtocol protocol = toyClient(transport);
        protocol.received(connect5("toy", props(Property.AUTHENTICATION_METHOD, "TOY"), null));
        transport.take();
        protocol.received(MqttPacket.Empty.PINGREQ);
        assertTrue(transport.closeRequested);
    }

    /** Lets everyone read and nobody write. */
    private static final class DenyWrites implements io.midge.core.auth.Authorizer {
        @Override
        public boolean canRead(String clientId, String username, String topic) {
            return true;
        }

        @Override
        public boolean canWrite(String clientId, String username, String topic) {
            return false;
        }
    }
}
