package io.midge.core.route;

import io.midge.core.message.Message;
import io.midge.core.session.ClientConnection;
import io.midge.core.session.Session;
import io.midge.core.session.SessionLimits;
import io.midge.core.session.SessionRegistry;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouterTest {

    private record Delivered(String topic, int qos, boolean retain, String payload) {}

    private static final class Client implements ClientConnection {
        final List<Delivered> received = new ArrayList<>();

        @Override
        public void sendPublish(int packetId, Message message, int qos, boolean dup, boolean retain) {
            received.add(new Delivered(message.topic(), qos, retain, new String(message.payload())));
        }

        @Override
        public void sendPublish(int packetId, Message message, int qos, boolean dup, boolean retain,
                                io.midge.core.store.Commit after) {
            sendPublish(packetId, message, qos, dup, retain);
        }

        @Override
        public void sendPubRel(int packetId) { }

        @Override
        public boolean isWritable() { return true; }

        @Override
        public void closeTakenOver(boolean successorCleanSession) { }

        @Override
        public void recheckCredentials() { }
    }

    private final Router router = new Router(new MemoryRetainedStore(), true);
    private final SessionRegistry registry = new SessionRegistry(SessionLimits.DEFAULTS, router::discardSubscriptions, Clock.systemUTC());

    private Session connect(String id, Client client) {
        Session[] session = new Session[1];
        registry.connect(id, true, ImmediateEventExecutor.INSTANCE, client, attached -> session[0] = attached.session());
        return session[0];
    }

    @Test
    void overlappingSubscriptionsDeliverOnceAtTheHighestQos() {
        Client client = new Client();
        Session session = connect("c", client);
        router.subscribe(session, "a/+", 1);
        router.subscribe(session, "a/#", 2);
        router.subscribe(session, "#", 0);
        router.publish(Message.of("a/b", "m", 2, false));
        assertEquals(List.of(new Delivered("a/b", 2, false, "m")), client.received);
    }

    @Test
    void retainedMessagesFollowASubscriptionWithTheRetainFlagButLiveOnesDoNot() {
        router.publish(Message.of("r/1", "old", 1, true));
        router.publish(Message.of("r/1", "new", 1, true));
        router.publish(Message.of("r/2", "gone", 1, true));
        router.publish(Message.of("r/2", "", 1, true));

        Client client = new Client();
        Session session = connect("c", client);
        router.subscribe(session, "r/#", 1);
        router.deliverRetained(session, "r/#", 1);
        router.publish(Message.of("r/1", "live", 1, true));

        assertEquals(List.of(new Delivered("r/1", 1, true, "new"), new Delivered("r/1", 1, false, "live")), client.received);
    }

    @Test
    void unsubscribeStopsDeliveryAndACleanSessionLeavesNoSubscriptions() {
        Client client = new Client();
        Session session = connect("c", client);
        router.subscribe(session, "x", 0);
        assertTrue(router.unsubscribe(session, "x"));
        assertFalse(router.unsubscribe(session, "x"));
        router.publish(Message.of("x", "m", 0, false));
        assertTrue(client.received.isEmpty());

        router.subscribe(session, "y", 0);
        registry.disconnected(session, client);
        assertEquals(0, router.subscriptionCount());
    }

    @Test
    void deepFiltersAreRefused() {
        assertTrue(Router.isAcceptableFilter("a/+/#"));
        assertFalse(Router.isAcceptableFilter("a/#/b"));
        assertFalse(Router.isAcceptableFilter("+/".repeat(2000) + "x"));
        assertTrue(Router.isAcceptableFilter("/".repeat(200)));
        assertTrue(Router.isAcceptableFilter("abc/".repeat(199) + "d"));
        assertFalse(Router.isAcceptableFilter("/".repeat(201)));
    }
}
