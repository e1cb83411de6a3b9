package io.midge.core.protocol;

import io.midge.core.auth.AllowAllAuthorizer;
import io.midge.core.auth.AnonymousOnlyAuthenticator;
import io.midge.core.packet.MqttPacket;
import io.midge.core.packet.MqttPacket.Connect;
import io.midge.core.packet.MqttPacket.Publish;
import io.midge.core.packet.MqttPacket.Subscribe;
import io.midge.core.packet.MqttPacket.TopicSubscription;
import io.midge.core.packet.PacketType;
import io.midge.core.route.DurableRetainedStore;
import io.midge.core.route.Router;
import io.midge.core.session.SessionLimits;
import io.midge.core.session.SessionRegistry;
import io.midge.core.sys.BrokerStats;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With persistence on, nothing is acknowledged before it is safe: while the store's fsync is
 * held, PUBACK, PUBREC, SUBACK and CONNACK wait, and nothing the connection writes after them
 * overtakes them.
 */
class DurableAcksTest {

    private final BlockedFsyncStore store = new BlockedFsyncStore();
    private final Router router = new Router(new DurableRetainedStore(store), true, false, store);
    private final SessionRegistry sessions = new SessionRegistry(SessionLimits.DEFAULTS, router::discardSubscriptions,
            Clock.systemUTC(), store);
    private final ProtocolContext context = new ProtocolContext(router, sessions, new BrokerStats(), "", 2, true, false,
            new AnonymousOnlyAuthenticator(true), AllowAllAuthorizer.INSTANCE, false);

    private final class Client {
        final RecordingTransport transport = new RecordingTransport(ImmediateEventExecutor.INSTANCE);
        final ClientProtocol protocol = new ClientProtocol(context,
                connect -> ConnectVerdict.accept(connect.clientId(), connect.username()), transport);

        Client send(MqttPacket packet) {
            protocol.received(packet);
            return this;
        }

        List<String> received() {
            return transport.take().stream().map(ClientProtocolTest::describe).toList();
        }
    }

    private Client connect(String clientId, boolean cleanSession) {
        Client client = new Client().send(new Connect("MQTT", 4, cleanSession, 60, clientId, null, null, null));
        client.received();
        return client;
    }

    /** A persistent session that subscribed to {@code filter} and went away. */
    private void offlineSubscriber(String clientId, String filter, int qos) {
        Client subscriber = connect(clientId, false);
        subscriber.send(new Subscribe(1, List.of(new TopicSubscription(filter, qos))));
        subscriber.protocol.closed();
    }

    private static Publish publish(String topic, int qos, int packetId, boolean retain) {
        return new Publish(topic, "m".getBytes(StandardCharsets.UTF_8), qos, retain, false, packetId);
    }

    @Test
    void aPubackWaitsUntilTheMessageForAnOfflinePersistentSessionIsSafe() {
        offlineSubscriber("sub", "t", 1);
        Client publisher = connect("pub", true);
        store.block();
        store.writes.clear();

        publisher.send(publish("t", 1, 7, false));
        assertEquals(List.of("outbound sub t"), store.writes, "stored before anything is acknowledged");
        assertEquals(List.of(), publisher.received(), "no PUBACK while the fsync is outstanding");

        store.sync();
        assertEquals(List.of("PUBACK 7"), publisher.received());
    }

    @Test
    void laterPacketsNeverOvertakeAnAckThatWaits() {
        offlineSubscriber("sub", "t", 1);
        Client publisher = connect("pub", true);
        store.block();

        publisher.send(publish("t", 1, 1, false));
        store.sync(); // the writes of packet 2 below are not covered by this fsync
        store.block();
        publisher.send(publish("t", 1, 2, false)).send(publish("other", 1, 3, false)).send(MqttPacket.Empty.PINGREQ);
        assertEquals(List.of("PUBACK 1"), publisher.received());

        store.sync();
        assertEquals(List.of("PUBACK 2", "PUBACK 3", "PINGRESP"), publisher.received());
    }

    @Test
    void aRetainedMessageIsStoredBeforeItsPuback() {
        Client publisher = connect("pub", true);
        store.block();

        publisher.send(publish("r", 1, 4, true));
        assertTrue(store.writes.contains("retained r"));
        assertEquals(List.of(), publisher.received());
        store.sync();
        assertEquals(List.of("PUBACK 4"), publisher.received());
    }

    @Test
    void aPersistentPublishersQos2MessageIsStoredBeforeItsPubrec() {
        Client publisher = connect("pub", false);
        store.block();

        publisher.send(publish("x", 2, 9, false));
        assertTrue(store.writes.contains("inbound pub 9"));
        assertEquals(List.of(), publisher.received());
        store.sync();
        assertEquals(List.of("PUBREC 9"), publisher.received());
    }

    @Test
    void theSubackOfAPersistentSessionWaitsForItsSubscriptionAndTheRetainedMessagesWaitBehindIt() {
        connect("pub", true).send(publish("r", 0, 0, true));
        Client subscriber = connect("sub", false);
        store.block();

        subscriber.send(new Subscribe(3, List.of(new TopicSubscription("r", 0))));
        assertTrue(store.writes.contains("subscription sub r"));
        assertEquals(List.of(), subscriber.received(), "neither SUBACK nor the retained message yet");
        store.sync();
        assertEquals(List.of("SUBACK 3 [0]", "PUBLISH r q0 r1 m"), subscriber.received());
    }

    @Test
    void aPubrelToAPersistentSessionWaitsUntilItsPubrecIsStored() {
        Client subscriber = connect("sub", false);
        subscriber.send(new Subscribe(1, List.of(new TopicSubscription("t", 2))));
        subscriber.received();
        connect("pub", true).send(publish("t", 2, 1, false)).send(new MqttPacket.Ack(PacketType.PUBREL, 1));
        assertEquals(List.of("PUBLISH t q2 r0 m"), subscriber.received());
        store.block();

        subscriber.send(new MqttPacket.Ack(PacketType.PUBREC, 1));
        assertTrue(store.writes.contains("sent sub t as 1 released"));
        assertEquals(List.of(), subscriber.received(), "no PUBREL before the PUBREC is safe");
        store.sync();
        assertEquals(List.of("PUBREL 1"), subscriber.received());
    }

    @Test
    void theConnackOfAPersistentSessionWaitsForTheSessionRecord() {
        store.block();
        Client client = new Client().send(new Connect("MQTT", 4, false, 60, "c", null, null, null));
        assertTrue(store.writes.contains("session c connected"));
        assertEquals(List.of(), client.received());
        store.sync();
        assertEquals(List.of("CONNACK 0 0"), client.received());
    }

    @Test
    void aCleanSessionWritesNothingAndWaitsForNothing() {
        Client subscriber = connect("live", true);
        subscriber.send(new Subscribe(1, List.of(new TopicSubscription("t", 1))));
        subscriber.received();
        Client publisher = connect("pub", true);
        store.writes.clear();

        publisher.send(publish("t", 1, 5, false));
        assertEquals(List.of(), store.writes);
        assertEquals(List.of("PUBACK 5"), publisher.received());
        assertEquals(List.of("PUBLISH t q1 r0 m"), subscriber.received());
    }
}
