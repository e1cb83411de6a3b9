package io.midge.core.session;

import io.midge.core.message.Message;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionTest {

    private final RecordingConnection client = new RecordingConnection();

    private Session connected(SessionLimits limits) {
        Session session = new Session("c1", ImmediateEventExecutor.INSTANCE, limits);
        session.attach(client);
        return session;
    }

    private static Message msg(String topic, int qos) {
        return Message.of(topic, "x", qos, false);
    }

    @Test
    void deliversAtTheLowerOfPublishAndGrantedQos() {
        Session session = connected(SessionLimits.DEFAULTS);
        session.deliver(msg("a", 2), 1, false);
        session.deliver(msg("b", 0), 2, false);
        assertEquals(1, client.sent.get(0).qos());
        assertEquals(0, client.sent.get(1).qos());
        assertEquals(0, client.sent.get(1).packetId());
    }

    @Test
    void upgradeOutgoingQosDeliversAtTheGrantedQos() {
        Session session = connected(new SessionLimits(20, 100, 0, false, true));
        session.deliver(msg("a", 0), 2, false);
        assertEquals(2, client.last().qos());
    }

    @Test
    void inflightWindowHoldsBackMessagesUntilAcknowledged() {
        Session session = connected(new SessionLimits(2, 100, 0, false, false));
        for (int i = 0; i < 4; i++) {
            session.deliver(msg("t" + i, 1), 1, false);
        }
        assertEquals(List.of("t0", "t1"), client.topics());
        assertEquals(2, session.queuedCount());

        assertEquals(Session.AckOutcome.ACCEPTED, session.onPubAck(client.sent.get(0).packetId()));
        assertEquals(List.of("t0", "t1", "t2"), client.topics());
        assertEquals(Session.AckOutcome.UNKNOWN_PACKET_ID, session.onPubAck(999), "unknown ids change nothing");
        assertEquals(3, client.topics().size());
    }

    @Test
    void qos0WaitsBehindQueuedMessagesSoOrderIsKept() {
        Session session = connected(new SessionLimits(1, 100, 0, false, false));
        session.deliver(msg("first", 1), 1, false);
        session.deliver(msg("second", 1), 1, false);
        session.deliver(msg("third", 0), 0, false);
        assertEquals(List.of("first"), client.topics());
        session.onPubAck(client.sent.get(0).packetId());
        // QoS 0 needs no window slot, only its turn.
        assertEquals(List.of("first", "second", "third"), client.topics());
    }

    @Test
    void qos2FlowCompletesOnPubcompAfterPubrec() {
        Session session = connected(new SessionLimits(1, 100, 0, false, false));
        session.deliver(msg("a", 2), 2, false);
        session.deliver(msg("b", 2), 2, false);
        int id = client.sent.get(0).packetId();

        assertEquals(Session.AckOutcome.WRONG_KIND, session.onPubAck(id), "PUBACK answers QoS 1, not 2");
        assertEquals(Session.AckOutcome.WRONG_KIND, session.onPubComp(id), "PUBCOMP before PUBREC");
        assertEquals(1, session.inflightCount());
        assertEquals(Session.AckOutcome.ACCEPTED, session.onPubRec(id));
        assertEquals(Session.AckOutcome.ACCEPTED, session.onPubRec(id), "a repeated PUBREC is answered again");
        assertEquals(1, session.inflightCount());
        assertEquals(Session.AckOutcome.ACCEPTED, session.onPubComp(id));
        assertEquals(List.of("a", "b"), client.topics());
    }

    @Test
    void qos2AcknowledgementsOfAQos1DeliveryAreTheWrongKind() {
        Session session = connected(SessionLimits.DEFAULTS);
        session.deliver(msg("a", 1), 1, false);
        int id = client.sent.get(0).packetId();
        assertEquals(Session.AckOutcome.WRONG_KIND, session.onPubRec(id));
        assertEquals(Session.AckOutcome.WRONG_KIND, session.onPubComp(id));
        assertEquals(Session.AckOutcome.ACCEPTED, session.onPubAck(id));
    }

    @Test
    void queueLimitDropsAndCountsTheRest() {
        Session session = connected(new SessionLimits(1, 2, 0, false, false));
        for (int i = 0; i < 5; i++) {
            session.deliver(msg("t" + i, 1), 1, false);
        }
        assertEquals(1, session.inflightCount());
        assertEquals(2, session.queuedCount());
        assertEquals(2, session.droppedMessages());
    }

    @Test
    void queuedBytesLimitCountsPayloadBytes() {
        Session session = connected(new SessionLimits(1, 0, 10, false, false));
        Message fourBytes = Message.of("t", "abcd", 1, false);
        session.deliver(fourBytes, 1, false); // in flight
        session.deliver(fourBytes, 1, false); // queued: 4 bytes
        session.deliver(fourBytes, 1, false); // queued: 8 bytes
        session.deliver(fourBytes, 1, false); // 12 > 10: dropped
        assertEquals(2, session.queuedCount());
        assertEquals(1, session.droppedMessages());
    }

    @Test
    void maxInflightBytesHoldsBackWhileThatMuchIsInFlight() {
        Session session = connected(new SessionLimits(20, 100, 0, false, false, 6));
        Message fourBytes = Message.of("t", "abcd", 1, false);
        session.deliver(fourBytes, 1, false); // 4 in flight, under 6
        session.deliver(fourBytes, 1, false); // 8 in flight: sent, as mosquitto lets the last one pass the limit
        session.deliver(fourBytes, 1, false); // queued
        assertEquals(2, session.inflightCount());
        assertEquals(1, session.queuedCount());

        session.onPubAck(client.sent.get(0).packetId());
        assertEquals(2, session.inflightCount(), "4 bytes in flight leave room for the queued one");
        assertEquals(0, session.queuedCount());
    }

    @Test
    void maxInflightBytesLeavesQos0Alone() {
        Session session = connected(new SessionLimits(20, 100, 0, false, false, 1));
        session.deliver(Message.of("t", "abcd", 1, false), 1, false);
        session.deliver(Message.of("u", "abcd", 0, false), 0, false);
        assertEquals(List.of("t", "u"), client.topics());
    }

    @Test
    void exhaustedMemoryBudgetDropsWhatWouldBeQueuedAndCountsIt() {
        MemoryBudget memory = new MemoryBudget(3 * MemoryBudget.MESSAGE_OVERHEAD, () -> 0);
        Session session = budgeted(memory, new SessionLimits(1, 0, 0, false, false));
        session.attach(client);
        for (int i = 0; i < 5; i++) {
            session.deliver(msg("t", 1), 1, false);
        }
        assertEquals(1, session.inflightCount());
        assertEquals(1, session.queuedCount(), "a third message held would spend the budget");
        assertEquals(3, session.droppedMessages());
        assertEquals(3, client.closedOutOfMemory, "the client its messages pile up for is disconnected");

        session.onPubAck(client.sent.get(0).packetId());
        assertEquals(MemoryBudget.cost(msg("t", 1)), memory.heldBytes(), "what was acknowledged is no longer held");
        session.clearState();
        assertEquals(0, memory.heldBytes(), "a cleared session holds nothing");
    }

    @Test
    void anOfflineSessionKeepsTheAcknowledgedMessagesThatReachItPastTheLimit() {
        MemoryBudget memory = new MemoryBudget(2 * MemoryBudget.MESSAGE_OVERHEAD, () -> 0);
        Session session = budgeted(memory, new SessionLimits(1, 0, 0, true, false));
        for (int i = 0; i < 4; i++) {
            session.deliver(msg("t", 1), 1, false);
        }
        assertTrue(memory.exhausted());
        assertEquals(4, session.queuedCount(), "QoS 1 messages their publishers were told are safe");
        session.deliver(msg("q0", 0), 0, false);
        assertEquals(4, session.queuedCount(), "a QoS 0 message nobody acknowledged is refused at the limit");
        assertEquals(1, session.droppedMessages());
    }

    private static Session budgeted(MemoryBudget memory, SessionLimits limits) {
        return new Session("c1", ImmediateEventExecutor.INSTANCE,
                new SessionServices(limits, io.midge.core.store.BrokerStore.NONE, new io.midge.core.sys.BrokerStats(), memory));
    }

    @Test
    void unwritableSocketQueuesAndDrainResumes() {
        Session session = connected(SessionLimits.DEFAULTS);
        client.writable = false;
        session.deliver(msg("a", 0), 0, false);
        session.deliver(msg("b", 1), 1, false);
        assertTrue(client.sent.isEmpty());
        client.writable = true;
        session.drain();
        assertEquals(List.of("a", "b"), client.topics());
    }

    @Test
    void offlineSessionQueuesQos1And2ButNotQos0() {
        Session session = new Session("c1", ImmediateEventExecutor.INSTANCE, SessionLimits.DEFAULTS);
        assertFalse(session.deliver(msg("q0", 0), 2, false));
        assertTrue(session.deliver(msg("q1", 1), 2, false));
        assertTrue(session.deliver(msg("q2", 2), 2, false));
        session.attach(client);
        session.resume();
        assertEquals(List.of("q1", "q2"), client.topics());
    }

    @Test
    void queueQos0MessagesKeepsThemForOfflineSessions() {
        Session session = new Session("c1", ImmediateEventExecutor.INSTANCE, new SessionLimits(20, 100, 0, true, false));
        session.deliver(msg("q0", 0), 0, false);
        session.attach(client);
        session.resume();
        assertEquals(List.of("q0"), client.topics());
    }

    @Test
    void resumeResendsUnacknowledgedMessagesWithDupInOrder() {
        Session session = connected(SessionLimits.DEFAULTS);
        session.deliver(msg("a", 1), 1, false);
        session.deliver(msg("b", 2), 2, false);
        session.deliver(msg("c", 2), 2, false);
        session.onPubRec(client.sent.get(2).packetId());
        session.detach(0);

        RecordingConnection again = new RecordingConnection();
        session.attach(again);
        session.resume();
        assertEquals(3, again.sent.size());
        assertEquals(new RecordingConnection.Sent("PUBLISH", client.sent.get(0).packetId(), "a", 1, true, false), again.sent.get(0));
        assertEquals(new RecordingConnection.Sent("PUBLISH", client.sent.get(1).packetId(), "b", 2, true, false), again.sent.get(1));
        assertEquals("PUBREL", again.sent.get(2).kind());
    }

    @Test
    void inboundQos2IsStoredUntilReleasedAndResendsAreNotStoredTwice() {
        Session session = connected(SessionLimits.DEFAULTS);
        Message first = msg("t", 2);
        assertEquals(Session.InboundQos2.STORED, session.receiveInboundQos2(7, first).outcome());
        assertEquals(Session.InboundQos2.REPEATED, session.receiveInboundQos2(7, msg("t", 2)).outcome());
        assertEquals(Session.InboundQos2.REPEATED_TOO_OFTEN, session.receiveInboundQos2(7, msg("t", 2)).outcome());
        assertSame(first, session.releaseInboundQos2(7));
        assertNull(session.releaseInboundQos2(7), "released once");
        assertEquals(Session.InboundQos2.STORED, session.receiveInboundQos2(7, msg("t", 2)).outcome());
    }

    @Test
    void aDifferentMessageUnderAnUnreleasedPacketIdReplacesTheStoredOne() {
        Session session = connected(SessionLimits.DEFAULTS);
        session.receiveInboundQos2(7, msg("old", 2));
        Message replacement = msg("new", 2);
        assertEquals(Session.InboundQos2.REPLACED, session.receiveInboundQos2(7, replacement).outcome());
        assertSame(replacement, session.releaseInboundQos2(7));
    }

    @Test
    void inboundQos2BeyondTheWindowAndQueueIsDropped() {
        Session session = connected(new SessionLimits(2, 3, 0, false, false));
        for (int id = 1; id <= 5; id++) {
            assertEquals(Session.InboundQos2.STORED, session.receiveInboundQos2(id, msg("t" + id, 2)).outcome());
        }
        assertEquals(Session.InboundQos2.DROPPED, session.receiveInboundQos2(6, msg("t6", 2)).outcome());
    }

    @Test
    void packetIdsSkipThoseStillInFlight() {
        Session session = connected(new SessionLimits(0, 0, 0, false, false));
        for (int i = 0; i < 65_535; i++) {
            session.deliver(msg("t", 1), 1, false);
        }
        int first = client.sent.get(0).packetId();
        session.onPubAck(first);
        session.deliver(msg("again", 1), 1, false);
        assertEquals(first, client.last().packetId());
        assertEquals(65_535, session.inflightCount());
        session.deliver(msg("waits", 1), 1, false);
        assertEquals(1, session.queuedCount());
    }

    @Test
    void registryResumesPersistentSessionsAndTakesOverConnections() {
        SessionRegistry registry = new SessionRegistry(SessionLimits.DEFAULTS, s -> { }, Clock.systemUTC());
        AtomicReference<SessionRegistry.Attached> attached = new AtomicReference<>();

        registry.connect("c1", false, ImmediateEventExecutor.INSTANCE, client, attached::set);
        assertFalse(attached.get().sessionPresent());
        Session session = attached.get().session();

        RecordingConnection second = new RecordingConnection();
        registry.connect("c1", false, ImmediateEventExecutor.INSTANCE, second, attached::set);
        assertTrue(client.takenOver);
        assertTrue(attached.get().sessionPresent());
        assertEquals(session, attached.get().session());

        registry.disconnected(session, second);
        RecordingConnection clean = new RecordingConnection();
        registry.connect("c1", true, ImmediateEventExecutor.INSTANCE, clean, attached::set);
        assertFalse(attached.get().sessionPresent());

        registry.disconnected(attached.get().session(), clean);
        assertEquals(0, registry.size(), "a clean session ends with its connection");
        registry.connect("c1", false, ImmediateEventExecutor.INSTANCE, new RecordingConnection(), attached::set);
        assertFalse(attached.get().sessionPresent());
        assertNotEquals(session, attached.get().session());
    }

    @Test
    void congestionCountsQueuedAndIncomingMessagesOfConnectedClientsOnly() {
        SessionLimits limits = new SessionLimits(1, 10, 0, false, false); // publishers wait from 5 on
        Session session = connected(limits);
        client.writable = false;
        for (int i = 0; i < 3; i++) {
            session.deliver(msg("q" + i, 1), 1, false);
        }
        assertFalse(session.isCongested());
        session.incomingSent();
        session.incomingSent();
        assertTrue(session.isCongested(), "3 queued + 2 on their way reach the high-water mark");
        session.incomingArrived();
        assertFalse(session.isCongested());

        session.detach(0);
        Session offline = new Session("c2", ImmediateEventExecutor.INSTANCE, limits);
        for (int i = 0; i < 10; i++) {
            offline.deliver(msg("o" + i, 1), 1, false);
        }
        assertFalse(offline.isCongested(), "an offline client's full queue holds no publisher back");
    }
}
