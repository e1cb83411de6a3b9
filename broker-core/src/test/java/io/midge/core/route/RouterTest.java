package io.midge.core.route;

import io.midge.core.auth.AllowAllAuthorizer;
import io.midge.core.message.Message;
import io.midge.core.message.MessageProperties;
import io.midge.core.message.Origin;
import io.midge.core.message.MessageIds;
import io.midge.core.session.ClientConnection;
import io.midge.core.session.Session;
import io.midge.core.session.SessionLimits;
import io.midge.core.session.SessionRegistry;
import io.midge.core.topic.SubscriptionOptions;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouterTest {

    private record Delivered(String topic, int qos, boolean retain, String payload) {}

    private static final class Client implements ClientConnection {
        final List<Delivered> received = new CopyOnWriteArrayList<>();

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

    private static final int BRIDGE_OPTIONS = SubscriptionOptions.NO_LOCAL | SubscriptionOptions.RETAIN_AS_PUBLISHED;

    private static Message from(String clientId, String topic, String payload, int qos, boolean retain) {
        return new Message(MessageIds.next(), topic, payload.getBytes(), qos, retain,
                new Origin(clientId, null, AllowAllAuthorizer.INSTANCE), 0, MessageProperties.NONE);
    }

    @Test
    void noLocalSkipsOnlyMessagesPublishedUnderTheSubscribersOwnClientId() {
        Client bridge = new Client();
        Client other = new Client();
        router.subscribe(connect("bridge", bridge), "t/#", 1 | SubscriptionOptions.NO_LOCAL);
        router.subscribe(connect("other", other), "t/#", 1);
        router.publish(from("bridge", "t/1", "own", 1, false));
        router.publish(from("other", "t/1", "theirs", 1, false));
        router.publish(Message.of("t/1", "broker's", 0, false)); // no origin: a will or $SYS message

        assertEquals(List.of(new Delivered("t/1", 1, false, "theirs"), new Delivered("t/1", 0, false, "broker's")),
                bridge.received);
        assertEquals(List.of(new Delivered("t/1", 1, false, "own"), new Delivered("t/1", 1, false, "theirs"),
                new Delivered("t/1", 0, false, "broker's")), other.received, "without no local a client gets its own too");
    }

    @Test
    void retainAsPublishedDeliversALiveRetainedMessageRetained() {
        Client bridge = new Client();
        Client plain = new Client();
        router.subscribe(connect("bridge", bridge), "r/#", 2 | BRIDGE_OPTIONS);
        router.subscribe(connect("plain", plain), "r/#", 2);
        router.publish(from("pub", "r/1", "retained", 1, true));
        router.publish(from("pub", "r/1", "live", 1, false));

        assertEquals(List.of(new Delivered("r/1", 1, true, "retained"), new Delivered("r/1", 1, false, "live")),
                bridge.received);
        assertEquals(List.of(new Delivered("r/1", 1, false, "retained"), new Delivered("r/1", 1, false, "live")),
                plain.received);
    }

    @Test
    void theOptionsGrantedAreTheOptionsTheSubscriptionHolds() {
        Session session = connect("bridge", new Client());
        router.subscribe(session, "t/#", 1 | BRIDGE_OPTIONS);
        assertEquals(1 | BRIDGE_OPTIONS, session.subscriptions().get("t/#"));
    }

    /** The subscription of highest QoS wins, with all its options; among equal QoS the first matched. */
    @Test
    void ofOverlappingSubscriptionsTheOneOfHighestQosDecidesTheOptions() {
        Client noLocalWins = new Client();
        Session a = connect("a", noLocalWins);
        router.subscribe(a, "t/#", 0);
        router.subscribe(a, "t/+", 1 | BRIDGE_OPTIONS);
        router.publish(from("a", "t/1", "own", 1, true));
        assertEquals(List.of(), noLocalWins.received, "the QoS 1 no local subscription wins");

        Client plainWins = new Client();
        Session b = connect("b", plainWins);
        router.subscribe(b, "t/#", 2);
        router.subscribe(b, "t/+", 1 | BRIDGE_OPTIONS);
        router.publish(from("b", "t/1", "own", 2, true));
        assertEquals(List.of(new Delivered("t/1", 2, false, "own")), plainWins.received,
                "the QoS 2 plain subscription wins: delivered, not retained");
    }

    @Test
    void theRetainFlagTravelsToASubscriberOnAnotherLoop() throws Exception {
        DefaultEventExecutor loop = new DefaultEventExecutor();
        try {
            Client bridge = new Client();
            CompletableFuture<Session> attached = new CompletableFuture<>();
            registry.connect("far", true, loop, bridge, a -> attached.complete(a.session()));
            Session session = attached.get(5, TimeUnit.SECONDS);
            loop.submit(() -> router.subscribe(session, "x/#", 1 | BRIDGE_OPTIONS)).get(5, TimeUnit.SECONDS);

            router.publish(from("pub", "x/1", "far away", 1, true)); // from this thread, not the owner loop
            loop.submit(() -> { }).get(5, TimeUnit.SECONDS); // the delivery task ran before this one
            assertEquals(List.of(new Delivered("x/1", 1, true, "far away")), bridge.received);
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
