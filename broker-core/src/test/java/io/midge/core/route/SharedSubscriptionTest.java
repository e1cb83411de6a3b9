package io.midge.core.route;

import io.midge.core.auth.AllowAllAuthorizer;
import io.midge.core.message.Message;
import io.midge.core.message.MessageIds;
import io.midge.core.message.MessageProperties;
import io.midge.core.message.Origin;
import io.midge.core.session.ClientConnection;
import io.midge.core.session.Session;
import io.midge.core.session.SessionLimits;
import io.midge.core.session.SessionRegistry;
import io.midge.core.store.Commit;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedSubscriptionTest {

    private record Received(int packetId, String topic, int qos, boolean retain, String payload) {}

    /** A client that acknowledges nothing unless told, as the wire would see what it is sent. */
    private static final class Client implements ClientConnection {
        final List<Received> received = new ArrayList<>();

        @Override
        public void sendPublish(int packetId, Message message, int qos, boolean dup, boolean retain) {
            received.add(new Received(packetId, message.topic(), qos, retain, new String(message.payload())));
        }

        @Override
        public void sendPublish(int packetId, Message message, int qos, boolean dup, boolean retain, Commit after) {
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

        List<String> payloads() {
            return received.stream().map(Received::payload).toList();
        }
    }

    private final Router router = new Router(new MemoryRetainedStore(), true);
    private final SessionRegistry registry =
            new SessionRegistry(SessionLimits.DEFAULTS, router::discardSubscriptions, Clock.systemUTC());

    private Session connect(String id, Client client, boolean cleanSession) {
        Session[] session = new Session[1];
        registry.connect(id, cleanSession, ImmediateEventExecutor.INSTANCE, client, attached -> {
            session[0] = attached.session();
            attached.session().resume();
        });
        return session[0];
    }

    private Session member(String id, Client client, boolean cleanSession) {
        Session session = connect(id, client, cleanSession);
        assertTrue(router.subscribe(session, "$share/g/t", 1));
        return session;
    }

    private void publish(int count, int qos) {
        for (int i = 0; i < count; i++) {
            router.publish(new Message(MessageIds.next(), "t", Integer.toString(i).getBytes(), qos, false,
                    new Origin("publisher", null, AllowAllAuthorizer.INSTANCE), 0, MessageProperties.NONE));
        }
    }

    private static List<String> every3rd(int from, int count) {
        return IntStream.range(0, count).filter(i -> i % 3 == from).mapToObj(Integer::toString).toList();
    }

    private static Set<String> all(Client... clients) {
        Set<String> payloads = new HashSet<>();
        int total = 0;
        for (Client client : clients) {
            payloads.addAll(client.payloads());
            total += client.received.size();
        }
        assertEquals(payloads.size(), total, "no message delivered twice");
        return payloads;
    }

    private static Set<String> numbers(int count) {
        Set<String> expected = new HashSet<>();
        IntStream.range(0, count).forEach(i -> expected.add(Integer.toString(i)));
        return expected;
    }

    @Test
    void membersTakeTurns() {
        Client a = new Client();
        Client b = new Client();
        Client c = new Client();
        member("a", a, true);
        member("b", b, true);
        member("c", c, true);

        publish(30, 1);

        assertEquals(every3rd(0, 30), a.payloads());
        assertEquals(every3rd(1, 30), b.payloads());
        assertEquals(every3rd(2, 30), c.payloads());
        assertTrue(a.received.stream().allMatch(r -> r.qos() == 1 && r.packetId() != 0));
    }

    @Test
    void eachMemberGetsItsOwnGrantedQos() {
        Client a = new Client();
        Client b = new Client();
        router.subscribe(connect("a", a, true), "$share/g/t", 0);
        router.subscribe(connect("b", b, true), "$share/g/t", 2);

        publish(2, 2);

        assertEquals(0, a.received.get(0).qos());
        assertEquals(2, b.received.get(0).qos());
    }

    @Test
    void eachGroupAndEachDirectSubscriberGetsAMessageOnce() {
        Client inBoth = new Client();
        Client direct = new Client();
        Client other = new Client();
        Session both = member("both", inBoth, true);
        router.subscribe(both, "t", 1);
        router.subscribe(both, "$share/h/#", 1);
        router.subscribe(connect("direct", direct, true), "t", 1);
        member("other", other, true);

        publish(2, 1);

        assertEquals(List.of("0", "0", "0", "1", "1"), inBoth.payloads().stream().sorted().toList(),
                "both messages directly and from group h; one of the two from group g");
        assertEquals(List.of("0", "1"), direct.payloads());
        assertEquals(List.of("1"), other.payloads());
    }

    @Test
    void onlyConnectedMembersArePicked() {
        Client away = new Client();
        Client b = new Client();
        Client c = new Client();
        Session awaySession = member("away", away, false);
        member("b", b, true);
        member("c", c, true);
        registry.disconnected(awaySession, away);

        publish(10, 1);

        assertEquals(List.of(), away.received);
        assertEquals(0, awaySession.queuedCount());
        assertEquals(numbers(10), all(b, c));
    }

    @Test
    void withNoMemberConnectedThePersistentOnesQueue() {
        Client a = new Client();
        Client b = new Client();
        Session sa = member("a", a, false);
        Session sb = member("b", b, false);
        registry.disconnected(sa, a);
        registry.disconnected(sb, b);

        publish(4, 1);

        assertEquals(2, sa.queuedCount());
        assertEquals(2, sb.queuedCount());
    }

    @Test
    void whatALeavingMemberHasNotFinishedGoesToTheOthers() {
        Client leaving = new Client();
        Client b = new Client();
        Client c = new Client();
        Session leavingSession = member("leaving", leaving, true);
        member("b", b, true);
        member("c", c, true);

        publish(9, 1);
        assertEquals(every3rd(0, 9), leaving.payloads());
        leavingSession.onPubAck(leaving.received.get(0).packetId()); // "0" is done: it stays done
        registry.disconnected(leavingSession, leaving);

        Set<String> others = all(b, c);
        assertEquals(8, others.size());
        assertFalse(others.contains("0"));
        assertTrue(others.containsAll(List.of("3", "6")));
    }

    @Test
    void aPersistentMemberHandsBackItsQueueAndInflightAndKeepsNothingOfIt() {
        SessionLimits oneInFlight = new SessionLimits(1, 1000, 0, false, false);
        SessionRegistry sessions = new SessionRegistry(oneInFlight, router::discardSubscriptions, Clock.systemUTC());
        Client leaving = new Client();
        Client b = new Client();
        Session[] leavingSession = new Session[1];
        sessions.connect("leaving", false, ImmediateEventExecutor.INSTANCE, leaving, at -> leavingSession[0] = at.session());
        router.subscribe(leavingSession[0], "$share/g/t", 1);
        member("b", b, true); // a window of 20

        publish(6, 1); // leaving: "0" in flight, "2" and "4" queued
        assertEquals(1, leavingSession[0].inflightCount());
        assertEquals(2, leavingSession[0].queuedCount());
        sessions.disconnected(leavingSession[0], leaving);

        assertEquals(0, leavingSession[0].inflightCount());
        assertEquals(0, leavingSession[0].queuedCount());
        assertEquals(List.of("1", "3", "5", "0", "2", "4"), b.payloads(), "handed back in their order");
        assertTrue(leavingSession[0].subscriptions().containsKey("$share/g/t"), "still a member, away");
    }

    @Test
    void aQos2MessageWhosePubrecCameIsNotHandedBack() {
        Client leaving = new Client();
        Client b = new Client();
        Session leavingSession = connect("leaving", leaving, false);
        router.subscribe(leavingSession, "$share/g/t", 2);
        router.subscribe(connect("b", b, true), "$share/g/t", 2);

        publish(3, 2); // leaving gets "0" and "2"
        leavingSession.onPubRec(leaving.received.get(0).packetId());
        registry.disconnected(leavingSession, leaving);

        assertEquals(List.of("1", "2"), b.payloads());
        assertEquals(1, leavingSession.inflightCount(), "the PUBREL of \"0\" is still to complete");
    }

    @Test
    void withNoOtherMemberConnectedTheMessagesStay() {
        Client leaving = new Client();
        Client away = new Client();
        Session awaySession = member("away", away, false);
        registry.disconnected(awaySession, away);
        Session leavingSession = member("leaving", leaving, false);

        publish(3, 1);
        registry.disconnected(leavingSession, leaving);

        assertEquals(3, leavingSession.inflightCount());
        assertEquals(0, awaySession.queuedCount());
    }

    @Test
    void qos0MessagesAreNotHandedBack() {
        Client leaving = new Client();
        Client b = new Client();
        Session leavingSession = connect("leaving", leaving, true);
        router.subscribe(leavingSession, "$share/g/t", 0);
        member("b", b, true);

        publish(2, 1);
        registry.disconnected(leavingSession, leaving);

        assertEquals(List.of("1"), b.payloads());
    }

    @Test
    void unsubscribingLeavesTheGroupAndTheLastOneRemovesIt() {
        Client a = new Client();
        Client b = new Client();
        Session sa = member("a", a, true);
        Session sb = member("b", b, true);
        assertEquals(2, router.sharedSubscriptionCount());
        assertEquals(0, router.subscriptionCount(), "shared subscriptions are not counted as subscriptions");

        assertTrue(router.unsubscribe(sa, "$share/g/t"));
        publish(2, 1);
        assertEquals(List.of(), a.payloads());
        assertEquals(List.of("0", "1"), b.payloads());
        assertEquals(Map.of(), sa.subscriptions());
        assertEquals(1, router.sharedSubscriptionCount());

        assertTrue(router.unsubscribe(sb, "$share/g/t"));
        assertFalse(router.unsubscribe(sb, "$share/g/t"));
        assertEquals(0, router.sharedSubscriptionCount());
        assertEquals(0, router.sharedGroupCount());
    }

    @Test
    void aResubscribeReplacesTheMembersOptions() {
        Client a = new Client();
        Session sa = member("a", a, true);
        router.subscribe(sa, "$share/g/t", 0);

        publish(1, 1);

        assertEquals(0, a.received.get(0).qos());
        assertEquals(1, router.sharedSubscriptionCount());
    }

    @Test
    void aCleanSessionEndingLeavesItsGroups() {
        Client a = new Client();
        Session sa = member("a", a, true);
        router.subscribe(sa, "$share/other/t", 1);
        assertEquals(2, router.sharedSubscriptionCount());

        registry.disconnected(sa, a);

        assertEquals(0, router.sharedSubscriptionCount());
        assertEquals(0, router.sharedGroupCount());
    }

    @Test
    void aRestoredShareIsAMembershipAgain() {
        Client a = new Client();
        Client b = new Client();
        Session sa = connect("a", a, false);
        sa.recordSubscription("$share/g/t", 1); // as read back from the store
        router.restoreSubscription(sa, "$share/g/t", 1);
        member("b", b, true);

        publish(2, 1);

        assertEquals(List.of("0"), a.payloads());
        assertEquals(List.of("1"), b.payloads());
    }

    @Test
    void retainedMessagesAreNotSentOnASharedSubscribe() {
        router.publish(new Message("t", "kept".getBytes(), 1, true));
        Client a = new Client();
        Session sa = connect("a", a, true);

        assertTrue(router.subscribe(sa, "$share/g/t", 1));
        router.deliverRetained(sa, "$share/g/t", 1);

        assertEquals(List.of(), a.received);
    }

    @Test
    void anInvalidShareIsRefusedAndNothingIsSubscribed() {
        Client a = new Client();
        Session sa = connect("a", a, true);

        assertFalse(router.subscribe(sa, "$share/g", 1));
        assertFalse(router.subscribe(sa, "$share/+/t", 1));
        router.deliverRetained(sa, "$share/g", 0x80);

        assertEquals(Map.of(), sa.subscriptions());
        assertEquals(0, router.sharedSubscriptionCount());
        assertFalse(router.unsubscribe(sa, "$share/g"));
    }

    @Test
    void membersOnOtherLoopsGetTheirTurnsAndTheHandBack() throws Exception {
        DefaultEventExecutor leavingLoop = new DefaultEventExecutor();
        DefaultEventExecutor stayingLoop = new DefaultEventExecutor();
        try {
            Client leaving = new Client();
            Client staying = new Client();
            Session leavingSession = connectOn(leavingLoop, "leaving", leaving);
            Session stayingSession = connectOn(stayingLoop, "staying", staying);
            leavingLoop.submit(() -> router.subscribe(leavingSession, "$share/g/t", 1)).get(5, TimeUnit.SECONDS);
            stayingLoop.submit(() -> router.subscribe(stayingSession, "$share/g/t", 1)).get(5, TimeUnit.SECONDS);

            publish(6, 1); // from this thread, neither member's loop
            leavingLoop.submit(() -> registry.disconnected(leavingSession, leaving)).get(5, TimeUnit.SECONDS);
            leavingLoop.submit(() -> { }).get(5, TimeUnit.SECONDS); // the batch of handed back messages left
            stayingLoop.submit(() -> { }).get(5, TimeUnit.SECONDS); // and arrived before this

            List<String> got = stayingLoop.submit(staying::payloads).get(5, TimeUnit.SECONDS);
            assertEquals(List.of("1", "3", "5", "0", "2", "4"), got);
        } finally {
            leavingLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            stayingLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aMessageReachingAMemberThatLeftMeanwhileGoesToAConnectedOne() throws Exception {
        DefaultEventExecutor leavingLoop = new DefaultEventExecutor();
        try {
            Client leaving = new Client();
            Client staying = new Client();
            Session leavingSession = connectOn(leavingLoop, "leaving", leaving);
            leavingLoop.submit(() -> router.subscribe(leavingSession, "$share/g/t", 1)).get(5, TimeUnit.SECONDS);
            member("staying", staying, true);
            CompletableFuture<Void> holdLoop = new CompletableFuture<>();
            leavingLoop.execute(holdLoop::join);
            leavingLoop.execute(() -> registry.disconnected(leavingSession, leaving));

            publish(2, 1); // "0" picked for the leaving member, still connected, and on its way behind its disconnect
            holdLoop.complete(null);
            leavingLoop.submit(() -> { }).get(5, TimeUnit.SECONDS);

            assertEquals(List.of(), leaving.payloads());
            assertEquals(List.of("1", "0"), staying.payloads());
        } finally {
            leavingLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private Session connectOn(DefaultEventExecutor loop, String id, Client client) throws Exception {
        CompletableFuture<Session> attached = new CompletableFuture<>();
        registry.connect(id, true, loop, client, a -> attached.complete(a.session()));
        return attached.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aNoLocalMemberIsSkippedForItsOwnMessages() {
        Client own = new Client();
        Client b = new Client();
        router.subscribe(connect("publisher", own, true), "$share/g/t", 1 | io.midge.core.topic.SubscriptionOptions.NO_LOCAL);
        member("b", b, true);

        publish(4, 1);

        assertEquals(List.of(), own.received);
        assertEquals(List.of("0", "1", "2", "3"), b.payloads());
    }
}
