package io.midge.core.protocol;

import io.midge.core.auth.AllowAllAuthorizer;
import io.midge.core.auth.AnonymousOnlyAuthenticator;
import io.midge.core.message.Message;
import io.midge.core.packet.MqttPacket;
import io.midge.core.packet.MqttPacket.Ack;
import io.midge.core.packet.MqttPacket.ConnAck;
import io.midge.core.packet.MqttPacket.Connect;
import io.midge.core.packet.MqttPacket.Empty;
import io.midge.core.packet.MqttPacket.Publish;
import io.midge.core.packet.MqttPacket.SubAck;
import io.midge.core.packet.MqttPacket.Subscribe;
import io.midge.core.packet.MqttPacket.TopicSubscription;
import io.midge.core.packet.MqttPacket.Will;
import io.midge.core.packet.PacketType;
import io.midge.core.route.MemoryRetainedStore;
import io.midge.core.route.Router;
import io.midge.core.session.ClientConnection;
import io.midge.core.session.SessionLimits;
import io.midge.core.session.SessionRegistry;
import io.midge.core.sys.BrokerStats;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The protocol against the real router and sessions, through a recording transport instead of a socket. */
class ClientProtocolTest {

    private final Router router = new Router(new MemoryRetainedStore(), true);
    private final SessionRegistry sessions = new SessionRegistry(SessionLimits.DEFAULTS, router::discardSubscriptions,
            Clock.systemUTC());
    private final ProtocolContext context = new ProtocolContext(router, sessions, new BrokerStats(), "", 2, true, false,
            new AnonymousOnlyAuthenticator(true), AllowAllAuthorizer.INSTANCE, false);

    /** A client: its protocol and what it was sent. */
    private final class Client {
        final RecordingTransport transport;
        final ClientProtocol protocol;

        Client(EventExecutor loop) {
            transport = new RecordingTransport(loop);
            protocol = new ClientProtocol(context, connect -> ConnectVerdict.accept(connect.clientId(), connect.username()),
                    transport);
        }

        Client send(MqttPacket packet) {
            protocol.received(packet);
            return this;
        }

        /** What was written since the last look, one line per packet. */
        List<String> received() {
            return transport.take().stream().map(ClientProtocolTest::describe).toList();
        }

        /** The socket closed, as the transport reports it. */
        void socketClosed() {
            protocol.closed();
        }
    }

    private Client connected(String clientId) {
        return connected(clientId, null);
    }

    private Client connected(String clientId, Will will) {
        Client client = new Client(ImmediateEventExecutor.INSTANCE).send(connect(clientId, will));
        assertEquals(List.of("CONNACK 0 0"), client.received());
        return client;
    }

    private static Connect connect(String clientId, Will will) {
        return new Connect("MQTT", 4, true, 60, clientId, will, null, null);
    }

    private static Publish publish(String topic, String payload, int qos, int packetId) {
        return new Publish(topic, bytes(payload), qos, false, false, packetId);
    }

    private static Subscribe subscribe(int packetId, String filter, int qos) {
        return new Subscribe(packetId, List.of(new TopicSubscription(filter, qos)));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String describe(MqttPacket packet) {
        if (packet instanceof ConnAck c) {
            return "CONNACK " + (c.sessionPresent() ? 1 : 0) + " " + c.returnCode();
        } else if (packet instanceof Ack a) {
            return a.type() + " " + a.packetId();
        } else if (packet instanceof SubAck s) {
            return "SUBACK " + s.packetId() + " " + java.util.Arrays.toString(s.returnCodes());
        } else if (packet instanceof Publish p) {
            return "PUBLISH " + p.topic() + " q" + p.qos() + " r" + (p.retain() ? 1 : 0) + " "
                    + new String(p.payload(), StandardCharsets.UTF_8);
        }
        return packet.type().toString();
    }

    @Test
    void connectIsAnsweredWithConnAck() {
        Client client = new Client(ImmediateEventExecutor.INSTANCE);
        assertTrue(client.protocol.awaitingConnect());
        client.send(connect("c1", null));
        assertEquals(List.of("CONNACK 0 0"), client.received());
        assertFalse(client.protocol.awaitingConnect());
        assertFalse(client.transport.readingPaused, "reading resumes once attached");
    }

    @Test
    void aPacketBeforeConnectIsAProtocolError() {
        Client client = new Client(ImmediateEventExecutor.INSTANCE).send(Empty.PINGREQ);
        assertTrue(client.transport.closeRequested);
        assertEquals(List.of(), client.received());
    }

    @Test
    void qos1PublishIsDeliveredAndAcknowledged() {
        Client subscriber = connected("sub");
        subscriber.send(subscribe(1, "a/#", 1));
        assertEquals(List.of("SUBACK 1 [1]"), subscriber.received());

        Client publisher = connected("pub").send(publish("a/b", "hello", 1, 5));
        assertEquals(List.of("PUBACK 5"), publisher.received());
        assertEquals(List.of("PUBLISH a/b q1 r0 hello"), subscriber.received());
    }

    @Test
    void qos2IsRoutedAtPubRelOnlyAndAResendIsNotDeliveredTwice() {
        Client subscriber = connected("sub").send(subscribe(1, "q/2", 2));
        subscriber.received();
        Client publisher = connected("pub");

        publisher.send(publish("q/2", "once", 2, 7));
        assertEquals(List.of("PUBREC 7"), publisher.received());
        assertEquals(List.of(), subscriber.received(), "stored until PUBREL");

        publisher.send(new Publish("q/2", bytes("once"), 2, false, true, 7)); // the resend, DUP set
        assertEquals(List.of("PUBREC 7"), publisher.received());

        publisher.send(new Ack(PacketType.PUBREL, 7));
        assertEquals(List.of("PUBCOMP 7"), publisher.received());
        assertEquals(List.of("PUBLISH q/2 q2 r0 once"), subscriber.received());

        publisher.send(new Ack(PacketType.PUBREL, 7)); // repeated after a lost PUBCOMP
        assertEquals(List.of("PUBCOMP 7"), publisher.received());
        assertEquals(List.of(), subscriber.received());
    }

    @Test
    void subAckComesBeforeTheRetainedMessages() {
        connected("pub").send(new Publish("r/1", bytes("kept"), 0, true, false, 0));
        Client subscriber = connected("sub").send(subscribe(3, "r/#", 1));
        assertEquals(List.of("SUBACK 3 [1]", "PUBLISH r/1 q0 r1 kept"), subscriber.received());
    }

    @Test
    void theWillIsPublishedWhenTheSocketClosesWithoutDisconnect() {
        Client watcher = connected("watcher").send(subscribe(1, "wills/#", 0));
        watcher.received();
        Client dying = connected("dying", new Will("wills/dying", bytes("gone"), 0, false));

        dying.socketClosed();
        assertEquals(List.of("PUBLISH wills/dying q0 r0 gone"), watcher.received());
    }

    @Test
    void noWillAfterDisconnect() {
        Client watcher = connected("watcher").send(subscribe(1, "wills/#", 0));
        watcher.received();
        Client leaving = connected("leaving", new Will("wills/leaving", bytes("gone"), 0, false));

        leaving.send(Empty.DISCONNECT);
        assertTrue(leaving.transport.closeRequested);
        leaving.socketClosed();
        assertEquals(List.of(), watcher.received());
    }

    @Test
    void packetsAreHeldWhileTheSessionIsHandedOverAndActedOnInOrderAfterConnAck() {
        // The client id is connected on another loop, which has to let go of the session first.
        ManualLoop otherLoop = new ManualLoop();
        RecordingPrevious previous = new RecordingPrevious();
        sessions.connect("c", true, otherLoop, previous, attached -> { });
        otherLoop.runPending();

        Client client = new Client(ImmediateEventExecutor.INSTANCE);
        client.send(connect("c", null)).send(subscribe(1, "t", 0)).send(Empty.PINGREQ);
        assertEquals(List.of(), client.received(), "nothing acted on while attaching");
        assertTrue(client.transport.readingPaused);

        otherLoop.runPending(); // the old connection lets go
        assertTrue(previous.takenOver);
        assertEquals(List.of("CONNACK 0 0", "SUBACK 1 [0]", "PINGRESP"), client.received());
        assertFalse(client.transport.readingPaused);
    }

    @Test
    void acksOfAConnectionTakenOverAreNotWritten() {
        Client first = connected("same");
        Client second = connected("same");
        assertTrue(first.transport.closeRequested, "taken over");
        first.send(publish("x", "late", 1, 9));
        assertEquals(List.of(), first.received());
        second.send(publish("x", "m", 1, 2));
        assertEquals(List.of("PUBACK 2"), second.received());
    }

    private static final class RecordingPrevious implements ClientConnection {
        boolean takenOver;

        @Override
        public void sendPublish(int packetId, Message message, int qos, boolean dup, boolean retain) { }

        @Override
        public void sendPublish(int packetId, Message message, int qos, boolean dup, boolean retain,
                                io.midge.core.store.Commit after) { }

        @Override
        public void sendPubRel(int packetId) { }

        @Override
        public boolean isWritable() { return true; }

        @Override
        public void closeTakenOver(boolean successorCleanSession) { takenOver = true; }

        @Override
        public void recheckCredentials() { }
    }
}
