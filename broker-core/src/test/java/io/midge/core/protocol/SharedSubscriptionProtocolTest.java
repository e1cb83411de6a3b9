package io.midge.core.protocol;

import io.midge.core.auth.AllowAllAuthorizer;
import io.midge.core.auth.AnonymousOnlyAuthenticator;
import io.midge.core.packet.MqttPacket;
import io.midge.core.packet.MqttPacket.Connect;
import io.midge.core.packet.MqttPacket.Publish;
import io.midge.core.packet.MqttPacket.Subscribe;
import io.midge.core.packet.MqttPacket.TopicSubscription;
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

/** Shared subscriptions through the protocol, with persistence on: SUBACK codes and what the store sees of a hand-back. */
class SharedSubscriptionProtocolTest {

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

    private static Publish publish(String payload, int packetId) {
        return new Publish("t", payload.getBytes(StandardCharsets.UTF_8), 1, false, false, packetId);
    }

    @Test
    void anInvalidShareIsRefusedInTheSuback() {
        Client client = connect("c", true);
        client.send(new Subscribe(1, List.of(new TopicSubscription("$share/g", 1), new TopicSubscription("$share/g/t", 1),
                new TopicSubscription("$share//t", 2))));
        assertEquals(List.of("SUBACK 1 [-128, 1, -128]"), client.received());
    }

    @Test
    void aHandedBackMessageIsStoredForItsNewMemberBeforeItLeavesTheOldOne() {
        Client leaving = connect("leaving", false);
        Client staying = connect("staying", false);
        leaving.send(new Subscribe(1, List.of(new TopicSubscription("$share/g/t", 1)))).received();
        staying.send(new Subscribe(1, List.of(new TopicSubscription("$share/g/t", 1)))).received();
        Client publisher = connect("publisher", true);
        publisher.send(publish("first", 1)).send(publish("second", 2));
        assertEquals(List.of("PUBLISH t q1 r0 first"), leaving.received());
        assertEquals(List.of("PUBLISH t q1 r0 second"), staying.received());
        store.writes.clear();

        leaving.protocol.closed();

        assertEquals(List.of("PUBLISH t q1 r0 first"), staying.received());
        assertEquals(List.of("session leaving away", "outbound staying t", "done leaving"), store.writes);
    }
}
